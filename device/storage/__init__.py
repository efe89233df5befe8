"""Files on the SD card: written whole or not at all, and storage faults told in plain words.

- `atomic`: the one atomic writer every state file goes through (temporary file in the same
  folder, write, fsync, rename, folder fsync; the temporary file removed on any error).
- `faults`: an OSError or SQLite error turned into its real cause (full, read-only, I/O error,
  permission) and one line naming the file, its device and the fix; the free-space guard.
- `sweep`: the start-up sweep of the program's own stale temporary files and scratch folders.
"""
