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

from device.clocks.zones import SystemZone


class WallClock(Protocol):
    def now(self) -> datetime:
        """The time now, an aware datetime (it may step: NTP, a stale boot)."""


class SystemWallClock:
    """The system's real-time clock, as an aware UTC datetime."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class LocalWallClock:
    """`wall`'s time in the zone `zone()` names now (aware): the device's local time.

    `zone` is called on every reading (see `device.clocks.zones.zone_source`), so a changed
    system zone is seen at once.
    """

    def __init__(self, wall: WallClock | None = None, zone: Callable[[], tzinfo] | None = None):
        self.wall = wall or SystemWallClock()
        self.zone = zone or SystemZone()

    def now(self) -> datetime:
        return self.wall.now().astimezone(self.zone())
