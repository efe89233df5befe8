"""A month of mornings through `psoas run`'s real daemon, journal and bedtime planner, on a fake clock.

Five weeks from Monday 10 March 2025 in Europe/Berlin (so summer time starts on the way, on
Sunday 30 March). Each evening the bedtime prompt comes and a short routine runs (or is
skipped); each morning a person presses the button once, moves the pointer and holds to save.
On the way: a morning after a night without a routine, a morning with no press at all, a
"not today", an answer given with `psoas morning` before the first press, a boot with a stale
clock that NTP then steps, the morning summer time starts, and a morning after the night
hours ended. The clock is only ever moved by the test: between events it jumps ahead, as a
loop that woke late would see it.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fakes import FakeWallClock, RecordingDisplay

from device.cli import morning as morning_cli
from device.cli.main import main
from device.cli.run import Runner
from device.clocks.monotonic import ScaledClock
from device.config.load import load_config
from device.inputs import ButtonEdge, Gesture, GestureInput
from device.journal import trend
from device.journal.reader import read_history
from device.journal.report import build_report, format_report
from device.parts import Parts
from routines.loading.catalog import load_catalog
from routines.state import ButtonFeedback, Phase

BERLIN = ZoneInfo("Europe/Berlin")
FIRST = date(2025, 3, 10)  # a Monday
DAYS = 35
DST_DAY = date(2025, 3, 30)  # clocks go from 02:00 to 03:00
TINY = """title = "Tiny"
breathing = false
[[step]]
stretch = "knee-hug"
hold_seconds = 5
outside_range_ok = true
"""
SKIP_TONIGHT = {2}  # "skip tonight" at the prompt: the next morning follows a night without a routine
IGNORE_PROMPT = {9}  # nobody answers the prompt: it goes dark, no routine
NO_PRESS = {5}  # a morning nobody presses the button
NOT_TODAY = {8}  # a long hold on the question
BY_COMMAND = {11}  # `psoas morning` answers first; the press later that morning shows the time
STALE_BOOT = {14}  # power off overnight; the Pi boots with yesterday evening's time, then NTP steps it
AFTER_NIGHT_HOURS = {24}  # asked at 09:30: the night hours (to 08:00) are over, day contrast


def stiffness_on(day: int) -> int:
    """The person's answer on morning `day`: from about 7 down to about 3, a little noisy."""
    return max(0, min(10, round(7 - 4 * day / DAYS) + (0, 1, -1, 0, 1, 0, -1)[day % 7]))


class Month:
    """`psoas run` on a fake wall clock (whose monotonic time is the daemon's clock too)."""

    def __init__(self, tmp_path):
        routines = tmp_path / "routines"
        routines.mkdir()
        (routines / "tiny.toml").write_text(TINY)
        days = "\n".join(f'{d} = "22:15"\n{d}_routine = "tiny"' for d in
                         ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
        self.config_path = tmp_path / "config.toml"
        self.config_path.write_text(f'[bedtime]\ntime_zone = "Europe/Berlin"\n{days}\n'
                                    f'[routines]\ndirs = ["{routines}"]\n')
        self.state_dir = tmp_path / "state"
        self.wall = FakeWallClock(datetime(2025, 3, 10, 12, 0, tzinfo=BERLIN))
        self.screen = RecordingDisplay()
        self.runner: Runner | None = None

    # -- the device ------------------------------------------------------------------------

    def boot(self) -> None:
        config = load_config(self.config_path)
        self.runner = Runner(config, load_catalog(config.routine_dirs()), self.state_dir,
                             open_parts=lambda: Parts(self.screen, "recording screen"), wall=self.wall,
                             clock=ScaledClock(1.0, real_monotonic=self.wall.monotonic))
        self.runner.open()
        self.step()

    def power_off(self) -> None:
        self.runner.close()
        self.runner = None

    @property
    def daemon(self):
        return self.runner.daemon

    @property
    def state(self):
        return self.daemon.state

    def local(self) -> datetime:
        return self.wall.now().astimezone(BERLIN)

    def step(self) -> float:
        """What is queued, then one pass of the loop; the real seconds it would wait."""
        self.daemon.drain()
        return self.daemon.step()

    def run_until(self, condition, press_when_waiting: bool = False, limit: int = 20_000) -> None:
        """Drive the loop as `run()` would, the clock jumping to each wake-up it asks for."""
        for _ in range(limit):
            wait = self.step()
            if condition():
                return
            if press_when_waiting and self.state.awaits_press:
                self.gesture(Gesture.PRESS)
                continue
            self.wall.advance(wait)
        raise AssertionError(f"the condition never held; at {self.local()} on {self.state.phase}")

    def go_to(self, when: datetime) -> None:
        """Let time pass until the local wall time `when` (the loop woke late: one pass then)."""
        self.wall.advance((when.replace(tzinfo=BERLIN) - self.wall.now()).total_seconds())
        if self.runner is not None:
            self.step()

    def gesture(self, gesture: Gesture) -> None:
        self.wall.advance(2.0)
        self.runner.inputs.put(GestureInput(gesture, self.wall.monotonic()))
        self.step()

    def button(self, held_seconds: float) -> list:
        """Press the real way, edge by edge; the states shown while it is held."""
        self.wall.advance(2.0)
        self.runner.inputs.put(ButtonEdge(True, self.wall.monotonic()))
        shown = []
        end = self.wall.monotonic() + held_seconds
        while self.wall.monotonic() < end:
            wait = self.step()
            shown.append(self.state)
            self.wall.advance(min(wait, end - self.wall.monotonic()))
        self.runner.inputs.put(ButtonEdge(False, self.wall.monotonic()))
        self.step()
        return shown

    def lit_since(self, mark: int) -> bool:
        return any(call[0] in ("display", "on") for call in self.screen.calls[mark:])

    # -- a day -------------------------------------------------------------------------------

    def evening(self, day: int, today: date) -> str:
        """Bedtime: the routine, "skip tonight", or nobody there; then dark. The done screen's heading."""
        self.go_to(datetime.combine(today, datetime.min.time()).replace(hour=22, minute=15, second=5))
        self.run_until(lambda: self.state.phase is Phase.BEDTIME)
        if day in SKIP_TONIGHT:
            self.gesture(Gesture.LONG_HOLD)
        elif day in IGNORE_PROMPT:
            self.go_to(datetime.combine(today, datetime.min.time()).replace(hour=22, minute=46))
        else:
            self.gesture(Gesture.PRESS)
            self.run_until(lambda: self.state.phase is Phase.DONE, press_when_waiting=True)
            heading = self.state.title
            self.run_until(lambda: self.state.phase is Phase.DARK)
            return heading
        self.run_until(lambda: self.state.phase is Phase.DARK)
        return ""


@pytest.fixture
def month(tmp_path, monkeypatch):
    sim = Month(tmp_path)
    monkeypatch.setattr(morning_cli, "now_in", lambda zone: sim.wall.now().astimezone(zone))
    monkeypatch.setenv("PSOAS_CONFIG", str(sim.config_path))
    sim.boot()
    yield sim
    if sim.runner is not None:
        sim.power_off()


def test_a_month_of_mornings(month):
    expected: dict[date, int | None] = {}  # what the journal should hold at the end
    headings = []
    for day in range(DAYS):
        today = FIRST + timedelta(days=day)
        if day:
            morning(month, day, today, expected)
        headings.append((month.evening(day, today), sum(v is not None for v in expected.values())))
        if day + 1 in STALE_BOOT:
            month.power_off()  # overnight; it boots again in the morning

    history = read_history(month.state_dir)
    assert {m.morning_date: m.stiffness for m in history.mornings} == expected
    assert [m.source for m in history.mornings if m.morning_date == FIRST + timedelta(days=11)] == ["command"]
    practised = set(history.practised_dates())
    assert FIRST + timedelta(days=2) not in practised and FIRST + timedelta(days=9) not in practised
    assert len(practised) == DAYS - 2

    # Mornings got easier: the stats say so in plain words, and so does the done screen.
    last = FIRST + timedelta(days=DAYS - 1)
    report = build_report(history, last)
    assert report.mornings.verdict == "easier"
    assert "mornings are clearly easier" in format_report(report)
    answered = sum(1 for value in expected.values() if value is not None)
    assert answered >= trend.EXPECT_AFTER_MORNINGS
    own = [(heading, answers) for heading, answers in headings if re.fullmatch(r"Mornings [\d.]+ pts? easier", heading)]
    assert own
    assert min(answers for _, answers in own) >= trend.EXPECT_AFTER_MORNINGS  # never before 14 answers
    assert headings[-1][0] == own[-1][0]


def morning(month: Month, day: int, today: date, expected: dict) -> None:
    """One morning: nothing lights by itself; the first press asks; the answer is kept."""
    at = datetime.combine(today, datetime.min.time()).replace(hour=6, minute=40) + timedelta(minutes=17 * (day % 5))
    if day in AFTER_NIGHT_HOURS:
        at = at.replace(hour=9, minute=30)
    if day in STALE_BOOT:
        stale_boot_then_ntp(month, today, at)
    elif day in BY_COMMAND:
        month.go_to(at - timedelta(minutes=30))
        assert main(["morning", str(stiffness_on(day)), "--state-dir", str(month.state_dir)]) == 0
        expected[today] = stiffness_on(day)
    mark = len(month.screen.calls)
    month.go_to(at)
    assert month.state.phase is Phase.DARK and not month.lit_since(mark), f"{today}: lit by itself"
    if day in NO_PRESS:
        month.go_to(at.replace(hour=11, minute=30))
        assert not month.lit_since(mark)
        return
    month.gesture(Gesture.PRESS)
    if day in BY_COMMAND:
        assert month.state.phase is Phase.CLOCK, "answered already: a press shows the time"
        return
    shown = month.state
    assert shown.phase is Phase.MORNING and shown.title == "Morning stiffness?", today
    answers = [v for d, v in sorted(expected.items()) if v is not None]
    assert shown.option_index == (answers[-1] if answers else 0), f"{today}: the pointer starts at the last answer"
    night_hours = at.hour < 8
    assert month.daemon.output.contrast == (24 if night_hours else 200), today
    if day in NOT_TODAY:
        held = month.button(3.5)
        assert held[-1].button_feedback is ButtonFeedback.STOP and held[-1].hint_long == "not today"
        assert month.state.phase is Phase.DARK
        expected[today] = None
    else:
        value = stiffness_on(day)
        for _ in range((value - shown.option_index) % 11):
            month.gesture(Gesture.PRESS)
        assert month.state.option_index == value
        held = month.button(1.5)
        assert held[-1].button_feedback is ButtonFeedback.HOLD  # "release: save" while held
        last_week = trend.last_week_average({d: v for d, v in expected.items() if v is not None}, today)
        saved = f"Saved: {value}" + ("" if last_week is None else f" · last week {last_week:.1f}")
        assert (month.state.phase, month.state.title) == (Phase.MORNING_SAVED, saved), today
        expected[today] = value
        month.run_until(lambda: month.state.phase is Phase.DARK)
    month.go_to(at + timedelta(minutes=20))
    month.gesture(Gesture.PRESS)
    assert month.state.phase is Phase.CLOCK, f"{today}: once answered, a press shows the time"
    if today == DST_DAY:  # summer time since 02:00: the face shows it, the date is the same
        assert month.state.clock_text == (at + timedelta(minutes=20, seconds=2)).strftime("%H:%M")
        assert month.local().utcoffset() == timedelta(hours=2)


def stale_boot_then_ntp(month: Month, today: date, at: datetime) -> None:
    """Boot at 06:00 with the clock still at yesterday 23:00 (no RTC); NTP steps it 7 h later."""
    month.go_to(at.replace(hour=6, minute=0))  # true time passes while it is off…
    stale = 7 * 3600.0
    month.wall.step(-stale)  # …and it comes up believing it is yesterday, 23:00
    month.boot()
    month.gesture(Gesture.PRESS)
    assert month.state.phase is Phase.CLOCK and month.state.clock_text == "23:00"  # not a morning yet
    month.run_until(lambda: month.state.phase is Phase.DARK)
    month.wall.step(stale)  # NTP
    month.step()


def test_the_month_exports_its_mornings(month, tmp_path, capsys):
    month.go_to(datetime(2025, 3, 11, 7, 5))
    month.gesture(Gesture.PRESS)
    month.button(1.5)
    assert main(["export", "--state-dir", str(month.state_dir), "--json", str(tmp_path / "out.json")]) == 0
    (row,) = json.loads((tmp_path / "out.json").read_text())["mornings"]
    assert (row["date"], row["stiffness"], row["source"]) == ("2025-03-11", 0, "button")
    assert row["answered_at"].startswith("2025-03-11T07:05:") and row["answered_at"].endswith("+01:00")
