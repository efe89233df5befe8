"""The phone page (`psoas web`): pairing with a code shown on the device (pairing), paired
phones and their sessions (phones), the request rules (security), the settings form (forms),
backups (backup), the progress picture (heatmap_svg), what the pages share (site), the pages as
blueprints (pages/) and the Flask app that serves them (app).

Its own process: it never opens the panel, the pins or the bus; it reads the journal through
SQLite beside the daemon and tells the daemon about a change through `device.control`.
"""
