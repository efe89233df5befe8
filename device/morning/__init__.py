"""The morning check-in on the device: the window (window), arming the question and keeping the
answer (checkin)."""
