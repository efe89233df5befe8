"""The wall clock: one protocol, `WallClock.now()` giving an aware datetime.

On a Pi without a real-time clock the wall clock can start stale and then step (NTP, a person
setting it). Everything that reads calendar time (bedtime, the morning check-in, the journal's
dates, the clock face, night hours) takes a `WallClock`, so tests can step it by days in
microseconds. `LocalWallClock` gives the same instants in the device's time zone, which is what
dates and "HH:MM" are read in. `device.bedtime.schedule_clock` makes `schedule` read it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone, tzinfo
from typing import Protocol


class WallClock(Protocol):
    def now(self) -> datetime:
        """The time now, an aware datetime (it may step: NTP, a stale boot)."""


class SystemWallClock:
    """The system's real-time clock, as an aware UTC datetime."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class LocalWallClock:
    """`wall`'s time in the device's zone (aware): `zone()`, asked on every reading (see
    `device.clocks.zones.zone_source`), so a changed zone is seen at once; without `zone`, the
    C library's local time zone (what `datetime.now().astimezone()` gives: the cheaper reading
    where nothing changes the zone while it runs, as in `psoas demo`)."""

    def __init__(self, wall: WallClock | None = None, zone: Callable[[], tzinfo] | None = None):
        self.wall = wall or SystemWallClock()
        self.zone = zone

    def now(self) -> datetime:
        moment = self.wall.now()
        return moment.astimezone(self.zone()) if self.zone is not None else moment.astimezone()
