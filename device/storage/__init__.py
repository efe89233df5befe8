"""Files on the SD card: written whole or not at all, and storage faults told in plain words.

- `atomic`: the one atomic writer every state file goes through (temporary file in the same
  folder, write, fsync, rename, folder fsync; the temporary file removed on any error).
"""
