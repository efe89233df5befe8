"""A fake wall clock for calendar features (bedtime): wall and monotonic time driven by hand."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


class FakeWallClock:
    """Aware wall-clock time plus a monotonic clock, both moved only by the test.

    `advance(seconds)` moves both (time passing); `step(seconds)` moves only the wall clock
    (NTP fixing a stale boot time, someone setting the clock), in either direction.
    """

    def __init__(self, start: datetime, monotonic_start: float = 1000.0):
        if start.tzinfo is None:
            raise ValueError("start must be an aware datetime")
        self.wall = start.astimezone(timezone.utc)
        self.mono = monotonic_start

    def now(self) -> datetime:
        return self.wall

    def monotonic(self) -> float:
        return self.mono

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("time only runs forwards; use step() for clock changes")
        self.wall += timedelta(seconds=seconds)
        self.mono += seconds

    def step(self, seconds: float) -> None:
        self.wall += timedelta(seconds=seconds)
