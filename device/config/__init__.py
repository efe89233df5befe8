"""The configuration: every key declared once (schema), the person's TOML over the declared
defaults (load), the settings saved on the phone over both (phone), the routine names it
uses checked (checks), where the state dir is (paths), and the shipped defaults.toml."""
