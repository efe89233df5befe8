"""Reading routines: TOML with line numbers (toml_source), files read safely (files), typed
fields (fields), one routine file (routine_file), the data into stretches, cards and routines
(loader), and every routine a person can run (catalog)."""
