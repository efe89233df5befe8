"""A month of nights: 30 nights through the real daemon in simulated time; nothing grows, nothing is lost.

The daemon is wired as `psoas run` wires it (`device.cli.run.Runner`): the bedtime task
(`device.bedtime.prompt.Bedtime` planning with `schedule`), the engine with the prompt's time limit,
the journal (`device.journal.link.JournalLink` over a real SQLite `Journal` in a temporary state
dir) and the bedtime memory. Only time is simulated: one `VirtualTime` drives the daemon's clock, the
wall clock (Europe/Berlin, from Monday 14 October 2024, so the month crosses the end of
summer time) and the journal's dates, and the loop's waits on its queue move it forward
instead of sleeping (`VirtualQueue`). A simulated person presses the button some seconds
after each screen that waits for a press (the prompt, the safety card, each setup). Each
weekday offers another built-in routine (`WEEK`), so every routine runs four times or more.

After every night: resident memory and open file descriptors of this process. At the end:
the journal holds all 30 nights, each on its own date, finished; the bedtime memory has them.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import _common
from _common import (
    RecordingDisplay,
    VirtualQueue,
    VirtualTime,
    header,
    note,
    open_fds,
    result,
    rss_kib,
)

from device import assemble
from device.clocks.monotonic import ScaledClock
from device.clocks.wall import LocalWallClock
from device.daemon import Hooks
from device.inputs import Gesture, GestureInput, Quit
from device.journal.link import JournalLink
from device.journal.reader import read_history
from device.journal.writer import Journal
from routines.state import Phase
from routines.wording import counted

ZONE = "Europe/Berlin"
FIRST_DAY = datetime(2024, 10, 14, 12, 0, tzinfo=ZoneInfo(ZONE))  # a Monday, at noon
WEEK = dict(  # the routine each night offers first: every built-in routine, each week
    monday_routine="quick", tuesday_routine="fall-asleep", wednesday_routine="quick",
    thursday_routine="fall-asleep", friday_routine="quick", saturday_routine="full",
    sunday_routine="high-pain-day",
)
RSS_GROWTH_LIMIT_MB = 1.0  # after the first few nights (caches filled), more than this is growth
WARM_NIGHTS = 3


class Person:
    """Presses the button some seconds after each new screen that waits for a press.

    When the screen went dark before the press (`dark_after_seconds`), that press only woke
    it: the same screen still waits, so the person presses again.
    """

    def __init__(self, inputs: VirtualQueue, time_source: VirtualTime, seed: int = 30):
        self.inputs = inputs
        self.time = time_source
        self.rng = random.Random(seed)
        self._last = None
        self._pressing_at = float("-inf")

    def __call__(self, state) -> None:
        key = (state.phase, state.step_number, state.side, state.title)
        if not state.awaits_press or state.phase is Phase.CLOCK:
            return
        if key == self._last and self.time.now <= self._pressing_at:
            return  # a press is on its way
        self._last = key
        delay = {Phase.BEDTIME: (20, 300), Phase.SAFETY: (5, 20)}.get(state.phase, (5, 40))
        self._pressing_at = at = self.time.now + self.rng.uniform(*delay)
        self.inputs.put_at(at, GestureInput(Gesture.PRESS, at))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nights", type=int, default=30)
    args = parser.parse_args()
    header(f"a month of nights: {counted(args.nights, 'night')} through the daemon, simulated time")
    try:
        from device.bedtime.memory import PromptedNights
        from device.bedtime.plan import BedtimePlan
        from device.bedtime.prompt import Bedtime
    except ImportError as error:
        result("a month of nights", f"device.bedtime.prompt is not importable ({error})", "every night journalled", False)
        return

    config = _common.config_with(_common.defaults_config(), "bedtime", time_zone=ZONE, **WEEK)
    catalog = assemble.catalog(config)
    state_dir = Path(tempfile.mkdtemp(prefix="psoas-bench-month-"))
    vt = VirtualTime()
    wall = _common.VirtualWall(vt, FIRST_DAY)
    zone = ZoneInfo(ZONE)
    local_now = lambda: wall.now().astimezone(zone).replace(tzinfo=None)  # noqa: E731
    inputs = VirtualQueue(vt)
    clock = ScaledClock(1.0, real_monotonic=vt.monotonic)
    adapter = RecordingDisplay(now=vt.monotonic, sleep=vt.sleep)
    adapter.frames = _CountOnly()  # a month of frames: count them, keep none
    plan = BedtimePlan.from_config(config)

    # as device.cli.run.Runner.open() wires it
    journal = Journal(state_dir, wall)
    link = JournalLink(journal, catalog.cards.expect)

    def on_prompt(window) -> None:
        first = catalog.routine(window.plan.routine)
        daemon.engine.bedtime([first] + [r for r in catalog.routines.values() if r is not first])

    bedtime = Bedtime(plan, PromptedNights(state_dir), on_prompt, wall=wall, monotonic=vt.monotonic,
                      zone=lambda: zone, is_idle=lambda: daemon.engine.phase in (Phase.DARK, Phase.CLOCK))
    samples: list[tuple[date, int, int]] = []  # (night, RSS KiB, open fds) after each night
    outcomes: list = []

    def after_night() -> None:
        if len(outcomes) > len(samples) and daemon.engine.phase is Phase.DARK:
            samples.append((local_now().date(), rss_kib(), open_fds()))
            if len(samples) >= args.nights:
                inputs.put(Quit("month over"))
        if local_now() > (FIRST_DAY + timedelta(days=args.nights + 3)).replace(tzinfo=None):
            inputs.put(Quit("out of time"))

    hooks = Hooks(tasks=[bedtime.tick, after_night], observers=[Person(inputs, vt)],
                  listeners=[lambda event: event.outcome is not None and outcomes.append(event)])
    daemon = _common.build(config, catalog, clock, adapter, inputs, link.hooks.plus(hooks),
                           wall=LocalWallClock(wall, lambda: zone),
                           engine_overrides={"bedtime_seconds": plan.prompt_seconds})
    started, cpu0 = time.monotonic(), time.process_time()
    try:
        daemon.run()
    finally:
        daemon.output.close()
        journal.close()
    seconds, cpu = time.monotonic() - started, time.process_time() - cpu0

    history = read_history(state_dir)
    expected = _expected_nights(plan, zone, args.nights)
    journalled = [n.night_date for n in history.nights]
    finished = [n for n in history.nights if n.outcome == "finished"]
    prompted = PromptedNights(state_dir).nights()
    result("nights simulated", f"{counted(len(samples), 'night')}, {local_now():%Y-%m-%d %H:%M} at the end; "
           f"{counted(inputs.wakeups, 'loop wake-up')}, {counted(len(adapter.frames), 'frame')}; "
           f"{seconds:.1f} s real, {cpu:.1f} s CPU")
    result("every night in the journal", f"{counted(len(journalled), 'night')} journalled, {len(finished)} finished, "
           f"{counted(len(set(journalled)), 'distinct date')}, {len(prompted)} in the bedtime memory",
           f"{counted(args.nights, 'night')}, each on its bedtime date",
           journalled == expected and len(finished) == args.nights and prompted == expected)
    if journalled != expected:
        missing = sorted(set(expected) - set(journalled))
        note(f"expected {expected[0]} … {expected[-1]}; missing {missing[:5]}, extra "
             f"{sorted(set(journalled) - set(expected))[:5]}")
    if len(samples) < 2:
        result("memory and file descriptors", "too few nights to compare", None, False)
        return
    warm_night = min(WARM_NIGHTS, len(samples) - 1) + 1
    warm = samples[warm_night - 1]
    last = samples[-1]
    growth_mb = (last[1] - warm[1]) / 1024
    result("resident memory after each night",
           f"{samples[0][1] / 1024:.1f} MB after night 1, {warm[1] / 1024:.1f} MB after night {warm_night}, "
           f"{last[1] / 1024:.1f} MB after night {len(samples)} ({growth_mb:+.2f} MB), "
           f"max {max(s[1] for s in samples) / 1024:.1f} MB",
           f"no growth (≤ {RSS_GROWTH_LIMIT_MB:g} MB after night {warm_night})", growth_mb <= RSS_GROWTH_LIMIT_MB)
    note("MB after nights " + ", ".join(f"{i + 1}: {s[1] / 1024:.2f}" for i, s in enumerate(samples)
                                        if i % 5 == 4 or i == 0))
    fds = [s[2] for s in samples]
    result("open file descriptors after each night", f"{min(fds)}–{max(fds)} (night 1: {fds[0]}, "
           f"night {len(samples)}: {fds[-1]})", "no growth", max(fds) == fds[0])


class _CountOnly(list):
    """A list that only counts what is appended (the recording adapter's frames, for a month)."""

    def __init__(self):
        super().__init__()
        self.count = 0

    def append(self, item) -> None:
        self.count += 1

    def __len__(self) -> int:
        return self.count


def _expected_nights(plan, zone, nights: int) -> list[date]:
    out, day = [], FIRST_DAY.date()
    while len(out) < nights:
        if plan.window_of(day, zone) is not None:
            out.append(day)
        day += timedelta(days=1)
    return out


if __name__ == "__main__":
    main()
