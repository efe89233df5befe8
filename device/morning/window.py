"""The morning window: from `[morning] starts` up to `ends`, local time, on any day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from device.config.schema import parse_clock_time


@dataclass(frozen=True)
class MorningWindow:
    """When mornings are asked about: from `starts` up to (not including) `ends`, local time."""

    starts: time
    ends: time

    @classmethod
    def from_config(cls, config) -> MorningWindow:
        morning = config.morning  # checked at load: both parse, and ends is later than starts
        return cls(time(*parse_clock_time(morning.starts)), time(*parse_clock_time(morning.ends)))

    def contains(self, moment: datetime) -> bool:
        """True when the local wall-clock `moment` is inside the window."""
        return self.starts <= moment.time() < self.ends

    def seconds_to_edge(self, moment: datetime) -> float:
        """Wall-clock seconds from `moment` (local, naive) to the window's next start or end."""
        day = moment.date()
        edges = [datetime.combine(day + timedelta(days=d), at) for d in (0, 1) for at in (self.starts, self.ends)]
        later = [edge for edge in edges if edge > moment.replace(tzinfo=None)]
        return (min(later) - moment.replace(tzinfo=None)).total_seconds()
