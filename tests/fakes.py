"""Test doubles we own: clocks driven by hand (monotonic and wall), a recording screen adapter,
and the daemon as `psoas demo` builds it. (Hardware doubles come from the libraries.)"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo

from device import assemble
from device.clocks.wall import LocalWallClock
from device.daemon import Hooks
from device.night import PanelLevels
from device.screen import Screen
from device.screen_output import ScreenOutput
from routines.walk import ManualClock


class FakeClock(ManualClock):
    """A monotonic clock that only moves when a test calls `advance(seconds)`; starts at 1000 s."""

    def __init__(self, start: float = 1000.0):
        super().__init__(start)


class FakeWallClock:
    """A `device.clocks.wall.WallClock` (aware time) plus a monotonic clock, both moved only by
    the test, for calendar features (bedtime, the morning, the journal's dates).

    `now()` is in UTC, or in `zone` when given (a local wall clock, as a journal reads it).
    `advance(seconds)` moves both (time passing); `step(seconds)` moves only the wall
    clock (NTP fixing a stale boot time, someone setting the clock), in either direction.
    `per_reading` seconds pass after each `now()` (a journal whose every write is a minute later).
    """

    def __init__(self, start: datetime, monotonic_start: float = 1000.0, per_reading: float = 0.0,
                 zone: tzinfo | None = None):
        if start.tzinfo is None:
            raise ValueError("start must be an aware datetime")
        self.zone = zone or timezone.utc
        self.wall = start.astimezone(timezone.utc)  # kept in UTC: adding seconds is then exact
        self.mono = monotonic_start
        self.per_reading = per_reading

    def now(self) -> datetime:
        now = self.wall
        self.wall += timedelta(seconds=self.per_reading)
        return now.astimezone(self.zone)

    def monotonic(self) -> float:
        return self.mono

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("time only runs forwards; use step() for clock changes")
        self.wall += timedelta(seconds=seconds)
        self.mono += seconds

    def step(self, seconds: float) -> None:
        self.wall += timedelta(seconds=seconds)

    def set(self, moment: datetime) -> None:
        """Put the wall clock at the aware `moment` (a test jumping between nights)."""
        self.wall = moment.astimezone(timezone.utc)


class Readings:
    """A `WallClock` giving the next of `moments` (aware datetimes) at each reading."""

    def __init__(self, moments):
        self._moments = iter(moments)

    def now(self) -> datetime:
        return next(self._moments)


class RecordingDisplay(Screen):
    """A screen adapter that keeps every call: frames shown, panel power, contrast levels."""

    def __init__(self):
        self.calls: list[tuple] = []
        self.frames = []

    def display(self, image) -> None:
        self.frames.append(image.copy())
        self.calls.append(("display", len(self.frames) - 1))

    def panel_off(self) -> None:
        self.calls.append(("off",))

    def panel_on(self) -> None:
        self.calls.append(("on",))

    def set_contrast(self, level: int) -> None:
        self.calls.append(("contrast", level))

    def close(self) -> None:
        self.calls.append(("close",))


def demo_daemon(config, catalog, clock, adapter, inputs, hooks: Hooks = Hooks(), *, wall=None, levels=None,
                **options):
    """The daemon over `adapter` as `psoas demo` builds it (`device.assemble`): the config's
    engine, day and night levels (or `levels`), the default routine offered first; `wall` a
    local `WallClock` (default: the system's)."""
    engine = assemble.engine(config, catalog, clock)
    return assemble.daemon(config, engine, ScreenOutput(adapter), inputs, clock, wall=wall or LocalWallClock(),
                           levels=levels or PanelLevels.from_config(config).at,
                           offer_routines=lambda: assemble.routines_first(catalog, config.routine.default),
                           hooks=hooks, **options)


def drive(daemon, real: FakeClock, until, limit: int = 100_000) -> None:
    """Run `daemon`'s loop on the fake clock until `until()` is true: one pass, the inputs
    queued so far, then `real` jumps to the next wake-up the daemon asked for, as `run()`
    would wait; but not when there were inputs, which end `run()`'s wait at once."""
    for _ in range(limit):
        wait = daemon.step()
        queued = not daemon.inputs.empty()
        daemon.drain()
        if until():
            return
        if not queued:
            real.advance(wait)
    raise AssertionError("the condition never held")
