"""The morning window and the check-in's task, over a fake wall clock and a real journal."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from fakes import FakeWallClock
from test_run import BERLIN, RecordingQueue, make_runner

from device.clocks.wall import LocalWallClock
from device.config.effective import Effective
from device.config.load import Config
from device.journal.writer import Journal
from device.morning.checkin import MorningCheckin
from device.morning.window import MorningWindow
from routines.morning import MorningOffer
from routines.state import Phase

WINDOW = MorningWindow.from_config(Config())


@pytest.mark.parametrize(("clock", "inside"), [
    (time(4, 59, 59), False), (time(5, 0), True), (time(10, 59, 59), True), (time(11, 0), False),
    (time(23, 0), False)])
def test_the_window_runs_from_its_start_up_to_its_end(clock, inside):
    assert WINDOW.contains(datetime.combine(date(2026, 3, 4), clock)) is inside


def test_seconds_to_the_next_edge():
    assert WINDOW.seconds_to_edge(datetime(2026, 3, 4, 4, 0)) == 3600
    assert WINDOW.seconds_to_edge(datetime(2026, 3, 4, 10, 30)) == 1800
    assert WINDOW.seconds_to_edge(datetime(2026, 3, 4, 23, 0)) == 6 * 3600


class Offers(list):
    def __call__(self, offer):
        self.append(offer)


def test_it_arms_once_a_morning_with_the_last_answer_and_last_week(tmp_path):
    wall = FakeWallClock(datetime(2026, 3, 4, 4, 50, tzinfo=BERLIN))
    local = LocalWallClock(wall, lambda: BERLIN)
    offers = Offers()
    with Journal(tmp_path, wall) as journal:
        for day, value in ((25, 6), (26, 4), (27, 5), (28, None)):
            journal.save_morning(date(2026, 2, day), value)
        checkin = MorningCheckin(WINDOW, journal, local, offers)
        assert checkin.tick() == 600 and offers == []  # 04:50: not yet
        wall.advance(600)
        checkin.tick()
        checkin.tick()
        assert offers == [MorningOffer(last_answer=5, last_week=5.0)]  # "not today" is no answer
        journal.save_morning(date(2026, 3, 4), 2, source="command")  # answered from the phone
        checkin.tick()
        assert offers[-1] is None
        wall.advance(24 * 3600)
        checkin.tick()
        assert offers[-1] == MorningOffer(last_answer=2, last_week=pytest.approx(11 / 3))


def test_switched_off_a_press_in_the_morning_shows_the_time(tmp_path):
    runner, _ = make_runner(tmp_path, datetime(2026, 3, 4, 7, 0), "[morning]\nenabled = false\n")
    runner.open()
    try:
        runner.daemon.step()
        runner.daemon.engine.press()
        assert runner.daemon.engine.morning_offer is None and runner.daemon.engine.phase is Phase.CLOCK
    finally:
        runner.close()


def test_the_dark_screen_in_the_morning_window_still_wakes_at_most_twice_a_minute(tmp_path):
    runner, screen = make_runner(tmp_path, datetime(2026, 3, 4, 7, 0))
    runner.inputs = RecordingQueue(passes=6)
    assert runner.run() == 0
    assert runner.daemon.engine.morning_offer is not None  # armed, waiting for a press
    assert min(runner.inputs.timeouts) >= 29.9, runner.inputs.timeouts
    assert not any(call[0] in ("display", "on") for call in screen.calls)  # never lit by itself


def test_settings_reloaded_from_the_phone_move_or_stop_the_question(tmp_path):
    runner, _ = make_runner(tmp_path, datetime(2026, 3, 4, 9, 30))
    runner.open()
    try:
        engine = runner.daemon.engine
        runner.daemon.step()
        assert engine.morning_offer is not None
        runner.reload_config = lambda: Effective(runner.config.replace("morning", ends="09:00"), runner.state_dir,
                                                 runner.catalog)
        runner.reload()
        runner.daemon.step()
        assert engine.morning_offer is None  # 09:30 is no longer morning
        runner.reload_config = lambda: Effective(runner.config.replace("morning", ends="10:00", enabled=False),
                                                 runner.state_dir, runner.catalog)
        runner.reload()
        runner.wall.advance(31)
        runner.daemon.step()
        engine.press()
        assert engine.morning_offer is None and engine.phase is Phase.CLOCK
    finally:
        runner.close()
