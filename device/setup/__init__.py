"""Putting the device in place on a Pi: the systemd units installed and removed, and the checks
before that.

- `install`: `psoas install` (the service, and with options the nightly timer and the phone
  page), written from the unit files in the repo.
- `uninstall`: `psoas uninstall`, which removes the units and keeps the history.
- `preflight`: what install.sh checks first (its options, the config, the screen's bus), with
  the system's Python and the standard library only.
"""
