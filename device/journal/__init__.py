"""The progress journal: its SQLite schema and migrations (schema), opening a possibly damaged
file (opening), writing nights (writer), reading them back (reader), streaks, the stats report
(report) and its picture (heatmap), and the CSV / JSON export (export)."""
