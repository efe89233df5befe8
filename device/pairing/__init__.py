"""Pairing a phone: the one-time code the device shows and the phone page checks (`code`).

Shared by the daemon and the phone page's process, so `psoas run` needs nothing of `device.web`.
"""
