"""The phone page (`psoas web`): paired phones and their sessions (phones), the request rules
(security), the settings form (forms), backups (backup), the progress picture (heatmap_svg) and
the Flask app with its pages (app). The pairing code it checks is `device.pairing.code`.

Its own process: it never opens the panel, the pins or the bus; it reads the journal through
SQLite beside the daemon and tells the daemon about a change through `device.control`.
"""
