"""Tonight follows this morning through `psoas run`'s real daemon, journal and bedtime planner on
a fake clock: the prompt offers the rule's routine first and says why, the routine chosen runs
with tonight's holds, and the done screen names the tighter side."""

from __future__ import annotations

from datetime import datetime, timedelta

from fakes import drive
from test_plan_cli import FIRST, NIGHTS, write_nights
from test_run import make_runner

from device.inputs import Gesture, GestureInput
from routines.state import Phase

TONIGHT = datetime(2026, 3, 10, 22, 20)  # the night after the 8 written (2-9 March), a Tuesday


def gesture(runner, kind: Gesture) -> None:
    runner.wall.advance(1.0)
    runner.inputs.put(GestureInput(kind, runner.wall.monotonic()))


def test_a_stiff_morning_the_gentle_routine_first_then_the_usual_one_with_tonights_holds(tmp_path):
    write_nights(tmp_path / "state", {TONIGHT.date(): 9})  # 8 nights held to the end, left marked; a stiff morning
    runner, _ = make_runner(tmp_path, TONIGHT)
    runner.open()
    try:
        daemon = runner.daemon
        drive(daemon, runner.wall, lambda: daemon.state is not None and daemon.state.phase is Phase.BEDTIME,
              limit=500)
        state = daemon.state
        assert state.options[:2] == ("High-pain day", "Full routine")
        assert state.lines == ("Stiff morning: go gently",)
        gesture(runner, Gesture.HOLD)  # the usual routine: one hold away
        drive(daemon, runner.wall, lambda: daemon.state.routine_title == "Full routine", limit=50)
        assert daemon.state.lines == ()  # the line why belongs to the rule's routine only
        gesture(runner, Gesture.PRESS)
        drive(daemon, runner.wall, lambda: daemon.state.phase is Phase.SAFETY, limit=50)
        holds = {step.stretch.id: step.hold_seconds for step in runner.engine.routine.stretch_steps}
        assert holds == {"pillow-release": 300, "leg-dangle": 33, "knee-hug": 28, "ninety-ninety": 300}
        gesture(runner, Gesture.PRESS)  # past the safety card

        def skip_to_done() -> bool:  # skip each stretch: the routine still finishes
            if daemon.state.phase is Phase.SETUP and daemon.inputs.empty():
                gesture(runner, Gesture.HOLD)
            return daemon.state.phase is Phase.DONE

        drive(daemon, runner.wall, skip_to_done, limit=500)
        assert daemon.state.title == "Left tighter 6 of 7 nights"  # tonight, unmarked, is the 7th
    finally:
        runner.close()


def test_the_first_week_offers_two_stretches_and_a_rule_turned_off_does_not(tmp_path):
    runner, _ = make_runner(tmp_path, FIRST.replace(tzinfo=None) + timedelta(minutes=5))
    runner.open()
    try:
        drive(runner.daemon, runner.wall, lambda: runner.daemon.state is not None
              and runner.daemon.state.phase is Phase.BEDTIME)
        assert runner.daemon.state.options[0] == "Quick" and runner.daemon.state.lines == ("First week: two stretches",)
    finally:
        runner.close()
    (tmp_path / "off").mkdir()
    runner, _ = make_runner(tmp_path / "off", FIRST.replace(tzinfo=None) + timedelta(minutes=5),
                            "[coaching]\nfirst_week = false\n")
    runner.open()
    try:
        drive(runner.daemon, runner.wall, lambda: runner.daemon.state is not None
              and runner.daemon.state.phase is Phase.BEDTIME)
        assert runner.daemon.state.options[0] == "Full routine" and runner.daemon.state.lines == ()
    finally:
        runner.close()
    assert NIGHTS == 8
