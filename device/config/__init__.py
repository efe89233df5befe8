"""The configuration: loading defaults + the person's TOML (load), value checks (checks), where
the state dir is (paths), and the shipped defaults (defaults.toml)."""
