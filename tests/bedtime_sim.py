"""A simulated device for bedtime tests: a fake wall clock, restarts, and the prompts it showed."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from fakes import FakeWallClock

from device.bedtime.memory import PromptedNights
from device.bedtime.plan import BedtimePlan, Night
from device.bedtime.prompt import Bedtime

WEEK = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MAX_SLEEP_SECONDS = 600.0  # the sim may sleep longer than the daemon's 30 s; bedtime must not care


def week_plan(weekdays="22:15", weekends="23:00", prompt_minutes=30.0) -> BedtimePlan:
    def night(day, text):
        hour, minute = map(int, text.split(":"))
        return Night(day, time(hour, minute), "full")

    return BedtimePlan(tuple(night(d, weekdays if i < 5 else weekends) for i, d in enumerate(WEEK)), prompt_minutes)


class SimDevice:
    """One device over simulated days. `prompts` is a list of (night date, aware local time shown)."""

    def __init__(self, plan: BedtimePlan, state_dir: Path, zone_name: str, start_local: datetime):
        self.plan = plan
        self.state_dir = state_dir
        self.zone = ZoneInfo(zone_name)
        self.clock = FakeWallClock(start_local.replace(tzinfo=self.zone))
        self.prompts: list[tuple] = []
        self.ticks: list[tuple[datetime, bool]] = []  # (wall time, stepped since the last tick)
        self.bedtime: Bedtime | None = None
        self._wait: float | None = None
        self._stepped = False

    # -- the device ------------------------------------------------------------------------

    def start(self) -> None:
        self.bedtime = Bedtime(self.plan, PromptedNights(self.state_dir), self._on_prompt,
                               wall=self.clock, monotonic=self.clock.monotonic, zone=lambda: self.zone)
        self._stepped = True
        self._tick()

    def stop(self) -> None:
        self.bedtime = None

    def step(self, seconds: float) -> None:
        self.clock.step(seconds)
        self._stepped = True

    def run_for(self, seconds: float) -> None:
        """Let `seconds` of real time pass, ticking when the task asks (or every 10 min)."""
        end = self.clock.monotonic() + seconds
        while self.clock.monotonic() < end:
            sleep = MAX_SLEEP_SECONDS
            if self.bedtime is not None and self._wait is not None:
                sleep = min(sleep, max(self._wait, 0.001))
            self.clock.advance(min(sleep, end - self.clock.monotonic()))
            if self.bedtime is not None:
                self._tick()

    def run_until_true(self, moment_utc: datetime, true_origin: tuple[datetime, float]) -> None:
        """Run until true time (monotonic since `true_origin`) reaches `moment_utc`."""
        origin_wall, origin_mono = true_origin
        target = origin_mono + (moment_utc - origin_wall).total_seconds()
        if target > self.clock.monotonic():
            self.run_for(target - self.clock.monotonic())

    def _tick(self) -> None:
        self._wait = self.bedtime.tick()
        self.ticks.append((self.clock.now(), self._stepped))
        self._stepped = False

    def _on_prompt(self, window) -> None:
        self.prompts.append((window.night, self.clock.now().astimezone(self.zone)))

    # -- what the ticks saw ---------------------------------------------------------------

    def windows_seen(self) -> set:
        """Nights whose window held the wall clock at some tick."""
        return {w.night for t, _ in self.ticks if (w := self.plan.window_at(t, self.zone)) is not None}

    def starts_crossed(self) -> set:
        """Nights whose window start the running clock passed without a step in between."""
        crossed = set()
        for (before, _), (after, stepped) in zip(self.ticks, self.ticks[1:]):
            if stepped or after <= before:
                continue
            day = before.astimezone(self.zone).date() - timedelta(days=1)
            while datetime.combine(day, time(0), tzinfo=self.zone) <= after + timedelta(days=1):
                window = self.plan.window_of(day, self.zone)
                if window is not None and before < window.start <= after:
                    crossed.add(day)
                day += timedelta(days=1)
        return crossed


def utc(local: datetime, zone: str) -> datetime:
    return local.replace(tzinfo=ZoneInfo(zone)).astimezone(timezone.utc)
