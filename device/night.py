"""Night hours: when the panel runs at night contrast (and extra-dim) and cues stay silent.

One definition for the whole device, from the config's `[night] starts` / `ends` ("HH:MM",
local time). A span that crosses midnight ("20:00" to "08:00") is the usual case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from device.config.schema import parse_clock_time


@dataclass(frozen=True)
class NightHours:
    starts: time
    ends: time

    @classmethod
    def from_config(cls, config) -> "NightHours":
        night = config.night  # checked at load, so both times parse
        return cls(time(*parse_clock_time(night.starts)), time(*parse_clock_time(night.ends)))

    def is_night(self, moment: datetime) -> bool:
        """True when the local wall-clock `moment` falls in the night hours."""
        now = moment.time()
        if self.starts <= self.ends:
            return self.starts <= now < self.ends
        return now >= self.starts or now < self.ends


@dataclass(frozen=True)
class PanelLevels:
    """Contrast (0–255) and extra-dim by day and by night, from `[display]`."""

    night: NightHours
    day_contrast: int
    night_contrast: int
    extra_dim_at_night: bool

    @classmethod
    def from_config(cls, config) -> "PanelLevels":
        display = config.display
        return cls(NightHours.from_config(config), display.day_contrast, display.night_contrast, display.extra_dim)

    def at(self, moment: datetime, night: bool = False) -> tuple[int, bool]:
        """(contrast, extra_dim) for the local wall-clock `moment`; `night`: the night levels
        whatever the hour (the pairing code, read in the dark)."""
        if night or self.night.is_night(moment):
            return self.night_contrast, self.extra_dim_at_night
        return self.day_contrast, False
