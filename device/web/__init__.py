"""The phone page (`psoas web`): paired phones and their sessions (phones), the request rules
(security), the settings form (forms), backups made and checked (backup), restoring one all or
nothing (restore), what is kept aside instead of deleted (kept), direction controls in routine
text (bidi), the progress picture (heatmap_svg), what the pages share (site), the pages as
blueprints (pages/), the error pages (errors), the Flask app that serves them (app) and its
waitress server (server). The pairing code it checks is `device.pairing.code`.

Its own process: it never opens the panel, the pins or the bus; it reads the journal through
SQLite beside the daemon and tells the daemon about a change through `device.control`.
"""
