"""The device's health: the checks `psoas doctor` runs and the phone's device page shows
(`checks`). Below both the command line and the phone page, which import it."""
