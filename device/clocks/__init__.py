"""Clocks: the monotonic clock the engine and the loop run on, real or sped up (`monotonic`),
the wall clock that calendar features read (`wall`: one `WallClock` protocol, aware
datetimes), and time zones (`zones`). Standard library only."""
