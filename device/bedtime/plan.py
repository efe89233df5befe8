"""Which nights have a bedtime prompt, when, with which routine: pure, from the `[bedtime]` config.

Times are wall-clock times in the bedtime zone. A night is named by the date its bedtime falls
on; a time after midnight ("00:30") belongs to that weekday's early morning. The prompt window
of a night runs from its bedtime for `prompt_minutes`, measured in real (UTC) time, so a
daylight-saving change inside it neither stretches nor shortens it. A bedtime that does not
exist on a spring-forward night (02:30 when clocks jump from 02:00 to 03:00) starts at the
jump (03:00 new time), as `schedule` fires it; one that happens twice (fall-back) counts once,
at its first occurrence.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from device.config.schema import WEEKDAYS, parse_clock_time

LOOK_AHEAD_NIGHTS = 8  # `next_to_come` passes over at most this many nights already had


@dataclass(frozen=True)
class Night:
    """One weekday's bedtime: `at` (local wall time) and the routine offered first."""

    weekday: str  # "monday" … "sunday"
    at: time
    routine: str


@dataclass(frozen=True)
class Window:
    """Night `night` (a date): its prompt is due from `start` until `end` (aware UTC)."""

    night: date
    plan: Night
    start: datetime
    end: datetime


@dataclass(frozen=True)
class BedtimePlan:
    """The week's bedtimes: `nights[i]` for weekday i (0 = Monday), None for no prompt."""

    nights: tuple[Night | None, ...]
    prompt_minutes: float = 30.0
    time_zone: str = ""  # "" = the system's

    @classmethod
    def from_config(cls, config) -> BedtimePlan:
        """From a `device.config.load.Config` (already checked, so every time parses)."""
        bedtime = config.bedtime
        nights = []
        for day in WEEKDAYS:
            at = getattr(bedtime, day)
            clock = parse_clock_time(at) if bedtime.enabled and at else None
            routine = getattr(bedtime, f"{day}_routine") or config.routine.default
            nights.append(Night(day, time(*clock), routine) if clock else None)
        return cls(tuple(nights), float(bedtime.prompt_minutes), bedtime.time_zone)

    @property
    def prompt_seconds(self) -> float:
        return self.prompt_minutes * 60.0

    @property
    def is_empty(self) -> bool:
        return not any(self.nights)

    def window_of(self, night: date, zone: tzinfo) -> Window | None:
        """The prompt window of the night dated `night`, or None when that weekday has none."""
        plan = self.nights[night.weekday()]
        if plan is None:
            return None
        start = start_instant(night, plan.at, zone)
        return Window(night, plan, start, start + timedelta(seconds=self.prompt_seconds))

    def window_at(self, now: datetime, zone: tzinfo) -> Window | None:
        """The window `now` (aware) is inside, or None."""
        today = now.astimezone(zone).date()
        for offset in (-1, 0, 1):
            window = self.window_of(today + timedelta(days=offset), zone)
            if window is not None and window.start <= now < window.end:
                return window
        return None

    def next_window(self, now: datetime, zone: tzinfo) -> Window | None:
        """The first window starting after `now` (aware), within the coming week."""
        today = now.astimezone(zone).date()
        for offset in range(-1, 9):
            window = self.window_of(today + timedelta(days=offset), zone)
            if window is not None and window.start > now:
                return window
        return None

    def next_to_come(self, now: datetime, zone: tzinfo, had: Container[date]) -> Window | None:
        """The next prompt still to come: the window open now, else the next one, passing over
        the nights in `had` (prompted or skipped already: `device.bedtime.memory.PromptedNights`)."""
        window = self.window_at(now, zone) or self.next_window(now, zone)
        for _ in range(LOOK_AHEAD_NIGHTS):
            if window is None or window.night not in had:
                return window
            window = self.next_window(window.start, zone)
        return None


def start_instant(day: date, at: time, zone: tzinfo) -> datetime:
    """The first real (UTC) moment the wall clock in `zone` shows `day` `at` or later."""
    nominal = datetime.combine(day, at)
    first = nominal.replace(tzinfo=zone).astimezone(timezone.utc)  # fold=0: the first of two
    if first.astimezone(zone).replace(tzinfo=None) == nominal:
        return first
    # `at` falls in a gap (clocks jumped over it): find the jump, to the second.
    low = nominal.replace(tzinfo=zone, fold=1).astimezone(timezone.utc)  # before the jump
    high = first  # after it
    while (high - low) > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).replace(tzinfo=None) >= nominal:
            high = middle
        else:
            low = middle
    moment = low.replace(microsecond=0)
    while moment.astimezone(zone).replace(tzinfo=None) < nominal:
        moment += timedelta(seconds=1)
    return moment
