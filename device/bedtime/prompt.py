"""The nightly bedtime prompt: planned with `schedule`, shown at most once a night.

`Bedtime.tick()` is a daemon task: the loop calls it on its own (main) thread every pass and
it returns the real seconds until it next needs to run. Each tick:

1. Re-plans when the wall clock stepped (wall time minus monotonic time moved by more than
   `step_tolerance_seconds`: NTP correcting a stale boot time, a person setting the clock) or
   the time zone changed. Re-planning rebuilds the `schedule` jobs from the new time, so a job
   planned on a stale time never fires just because the clock jumped past it.
2. After a (re)plan, and whenever a `schedule` job fires, checks whether the time now lies
   inside a night's prompt window; if that night has not had its prompt, it becomes pending.
3. Shows a pending prompt as soon as the screen is idle (`is_idle()`), still inside its
   window: the night is saved as prompted first (`PromptedNights`), then `on_prompt(window)`
   is called. A window the clock jumps over entirely is not shown late.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo

import schedule

from device.bedtime.memory import PromptedNights
from device.bedtime.plan import BedtimePlan, Window
from device.bedtime.schedule_clock import schedule_reads_clock
from device.clocks.wall import SystemWallClock
from device.clocks.zones import zone_name, zone_source

log = logging.getLogger("psoas.bedtime")

STEP_TOLERANCE_SECONDS = 2.0  # NTP slews far slower than this between two ticks


class Bedtime:
    """Shows the bedtime prompt once each scheduled night. Called only on the loop thread.

    `wall.now()` gives aware wall-clock time; `monotonic()` seconds that never step;
    `zone()` the time zone now (see `device.clocks.zones.zone_source`).
    """

    def __init__(
        self, plan: BedtimePlan, store: PromptedNights, on_prompt: Callable[[Window], None], *,
        is_idle: Callable[[], bool] = lambda: True, wall=None, monotonic: Callable[[], float] = time.monotonic,
        zone: Callable[[], tzinfo] | None = None, step_tolerance_seconds: float = STEP_TOLERANCE_SECONDS,
    ):
        self.plan = plan
        self.store = store
        self.on_prompt = on_prompt
        self.is_idle = is_idle
        self.wall = wall or SystemWallClock()
        self.monotonic = monotonic
        self.zone = zone or zone_source(plan.time_zone)
        self.step_tolerance_seconds = step_tolerance_seconds
        self.scheduler = schedule.Scheduler()
        self.pending: Window | None = None
        self.shown: list[Window] = []  # prompts shown by this process, oldest first
        self.replans = 0
        self._offset: float | None = None  # wall seconds minus monotonic seconds at the last tick
        self._zone: tzinfo | None = None
        self._now: datetime | None = None  # the wall time of the tick in progress
        self._local_now: datetime | None = None  # the same, naive in the bedtime zone

    # -- the task --------------------------------------------------------------------------

    def tick(self) -> float | None:
        """Do what is due now; return the real seconds until the next job (None: no bedtimes).

        Returns 0 right after showing a prompt, so the loop passes again at once.
        """
        now = self._now = self.wall.now()
        zone = self.zone()  # read once a tick: the system zone costs a stat each time
        self._local_now = now.astimezone(zone).replace(tzinfo=None)
        offset = now.timestamp() - self.monotonic()
        if self._offset is None or zone is not self._zone:
            if self._zone is not None:
                log.info("bedtime: time zone is now %s; re-planning", zone_name(zone))
            self._replan(now, zone)
        elif abs(offset - self._offset) > self.step_tolerance_seconds:
            log.info("bedtime: the clock stepped by %s; re-planning", _signed(offset - self._offset))
            self._replan(now, zone)
        self._offset = offset
        with schedule_reads_clock(self.local_now):
            self.scheduler.run_pending()
            wait = self.scheduler.idle_seconds
        if self._show_pending(now, zone):
            return 0.0
        return None if wait is None else max(0.0, wait)

    def change_plan(self, plan: BedtimePlan) -> None:
        """Use `plan` from the next tick on (the phone page changed a bedtime): it re-plans then."""
        if plan.time_zone != self.plan.time_zone:
            self.zone = zone_source(plan.time_zone)
        self.plan, self.pending, self._offset, self._zone = plan, None, None, None
        log.info("bedtime: the bedtimes changed; re-planning")

    def local_now(self) -> datetime:
        """The tick's wall-clock time, naive in the bedtime zone: what `schedule` takes as now."""
        if self._local_now is None:
            return self.wall.now().astimezone(self.zone()).replace(tzinfo=None)
        return self._local_now

    def next_window(self) -> Window | None:
        """The next prompt window starting after now."""
        return self.plan.next_window(self.wall.now(), self.zone())

    # -- helpers ---------------------------------------------------------------------------

    def _replan(self, now: datetime, zone: tzinfo) -> None:
        self.replans += 1
        self._zone = zone
        self.scheduler.clear()
        with schedule_reads_clock(self.local_now):
            for night in self.plan.nights:
                if night is not None:
                    every = getattr(self.scheduler.every(), night.weekday)
                    every.at(night.at.strftime("%H:%M")).do(self._on_job)
        self._arm(now, zone)
        upcoming = self.plan.next_window(now, zone)
        if upcoming is not None:
            local = upcoming.start.astimezone(zone)
            log.info("bedtime: next prompt %s %s (%s, in %s)", local.strftime("%a %Y-%m-%d %H:%M"),
                     zone_name(zone), upcoming.plan.routine, _duration(upcoming.start - now))

    def _on_job(self) -> None:
        """A `schedule` job came due (inside `run_pending`, on the loop thread)."""
        self._arm(self._now, self._zone)

    def _arm(self, now: datetime, zone: tzinfo) -> None:
        window = self.plan.window_at(now, zone)
        if window is not None and window.night not in self.store:
            self.pending = window

    def _show_pending(self, now: datetime, zone: tzinfo) -> bool:
        window = self.pending
        if window is None:
            return False
        if window.night in self.store or not window.start <= now < window.end:
            self.pending = None  # shown already, or the clock left the window before it could be
            return False
        if not self.is_idle():
            return False
        self.pending = None
        self.store.add(window.night, now.astimezone(zone))
        self.shown.append(window)
        log.info("bedtime: prompt for %s %s (%s)", window.plan.weekday.capitalize(), window.night, window.plan.routine)
        self.on_prompt(window)
        return True


def _signed(seconds: float) -> str:
    sign = "+" if seconds >= 0 else "-"
    return sign + _duration(timedelta(seconds=abs(seconds)))


def _duration(span: timedelta) -> str:
    seconds = int(span.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h {minutes} min"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min {seconds} s"
