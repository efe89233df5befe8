"""The daemon's loop pieces over a fake clock: inputs, frames, dark screens, hands-free."""

from __future__ import annotations

import queue
from datetime import datetime, timezone

import pytest
from fakes import FakeClock, FakeWallClock, RecordingDisplay, drive

import display
from device.cli.demo import HandsFree
from device.clocks.monotonic import ScaledClock
from device.clocks.wall import LocalWallClock
from device.daemon import Daemon, Hooks
from device.gestures import GestureClassifier
from device.inputs import ButtonEdge, Gesture, GestureInput, Quit
from device.screen_output import ScreenOutput
from routines.engine import Engine, EngineSettings
from routines.loading.catalog import load_catalog
from routines.events import Cue
from routines.outcomes import Outcome, Side
from routines.state import ButtonFeedback, Phase

CATALOG = load_catalog()
FULL = CATALOG.routine("full")


def make_daemon(hands_free: bool = False, hooks: Hooks = Hooks(), **options):
    real = FakeClock()
    clock = ScaledClock(1.0, real_monotonic=real.monotonic)
    engine = Engine(clock, CATALOG.cards)
    adapter = RecordingDisplay()
    inputs: queue.Queue = queue.Queue()
    if hands_free:
        hooks = hooks.plus(HandsFree(inputs, clock).hooks)
    daemon = Daemon(engine, ScreenOutput(adapter), inputs, clock, classifier=GestureClassifier(), hooks=hooks,
                    **options)
    return daemon, real, adapter


def press(daemon: Daemon, real: FakeClock, seconds: float = 0.1) -> None:
    real.advance(0.2)  # apart from the last release, so it is not taken for contact bounce
    daemon.handle(ButtonEdge(True, real.now))
    real.advance(seconds)
    daemon.handle(ButtonEdge(False, real.now))


def run_until_dark(daemon: Daemon, real: FakeClock) -> None:
    drive(daemon, real, lambda: daemon.state.phase is Phase.DARK)


def test_button_edges_become_gestures_for_the_engine():
    daemon, real, _ = make_daemon()
    daemon.engine.bedtime([FULL])
    daemon.refresh()
    press(daemon, real)
    assert daemon.engine.phase is Phase.SAFETY
    real.advance(0.5)
    daemon.handle(ButtonEdge(True, real.now))
    real.advance(1.5)
    daemon.refresh()
    assert daemon.state.button_feedback is ButtonFeedback.HOLD  # shown while still held: release = skip
    daemon.handle(ButtonEdge(False, real.now))
    assert daemon.engine.phase is Phase.SETUP


def test_long_hold_feedback_then_stop_on_release():
    daemon, real, _ = make_daemon()
    daemon.engine.start(FULL)
    daemon.handle(ButtonEdge(True, real.now))
    real.advance(3.2)
    daemon.refresh()
    assert daemon.state.button_feedback is ButtonFeedback.STOP
    assert daemon.engine.in_routine  # nothing happens before the release
    daemon.handle(ButtonEdge(False, real.now))
    assert daemon.engine.phase is Phase.STOPPED


def test_hands_free_night_sends_no_frame_twice_and_nothing_while_dark():
    events = []
    daemon, real, adapter = make_daemon(hands_free=True, hooks=Hooks(listeners=[events.append]))
    daemon.engine.bedtime([FULL])
    run_until_dark(daemon, real)
    outcome = [e for e in events if e.outcome]
    assert outcome and outcome[0].outcome is Outcome.FINISHED
    assert [e.cue for e in events if e.cue].count(Cue.HOLD_START) == 6
    frames = adapter.frames
    assert len(frames) > 20
    for before, after in zip(frames, frames[1:]):
        assert before.tobytes() != after.tobytes(), "an unchanged frame was sent again"
    assert adapter.calls[-1] == ("off",)
    sent_before = len(frames)
    for _ in range(5):  # dark: refreshes send nothing and ask for no wake-up
        assert daemon.refresh() is None
        real.advance(30)
    assert len(adapter.frames) == sent_before


def test_a_screen_waiting_for_a_press_goes_dark_and_the_next_press_only_wakes_it():
    daemon, real, adapter = make_daemon(dark_after_seconds=30)
    daemon.engine.start(FULL)
    wait = daemon.refresh()
    assert wait == pytest.approx(3.5)  # the next turn of the safety page (a half page)
    real.advance(30)
    assert daemon.refresh() is None
    assert adapter.calls[-1] == ("off",)
    press(daemon, real)
    assert daemon.engine.phase is Phase.SAFETY  # the press woke the screen, nothing else
    daemon.refresh()
    assert adapter.calls[-1][0] == "display" or ("on",) in adapter.calls[-3:]
    press(daemon, real)
    assert daemon.engine.phase is Phase.SETUP


def test_keyboard_gestures_and_quit():
    daemon, real, _ = make_daemon()
    daemon.inputs.put(GestureInput(Gesture.PRESS, real.now))
    daemon.inputs.put(Quit("test"))
    assert daemon.run() == "test"
    assert daemon.engine.phase is Phase.CLOCK


def test_waits_for_the_next_second_of_a_hold_countdown():
    daemon, real, _ = make_daemon(frame_seconds=10)  # pacer slower than a second: the countdown decides
    daemon.engine.start(FULL)
    daemon.engine.press()
    daemon.engine.press()
    real.advance(0.25)
    assert daemon.refresh() == pytest.approx(0.75)


class PressAsTheTickFalls(queue.Queue):
    """The loop's first wait runs out (a countdown second is due) just as a press arrives."""

    def __init__(self, real: FakeClock):
        super().__init__()
        self.real, self.waits = real, 0

    def get(self, block=True, timeout=None):
        if not block:
            return super().get(block=False)
        self.waits += 1
        if self.waits == 1:
            self.real.advance(timeout)
            self.put(GestureInput(Gesture.PRESS, self.real.now))
            raise queue.Empty
        return Quit("test")


def test_a_press_queued_as_a_tick_falls_due_is_in_the_very_next_frame():
    shown = []
    daemon, real, adapter = make_daemon(hooks=Hooks(observers=[lambda state: shown.append(state.phase)]),
                                        frame_seconds=10)
    daemon.inputs = PressAsTheTickFalls(real)
    daemon.engine.start(FULL)
    daemon.engine.press()
    daemon.engine.press()  # holding the first stretch
    assert daemon.run() == "test"
    assert shown == [Phase.HOLD, Phase.PAUSED]  # not the due tick of the hold first
    assert len(adapter.frames) == 2


def test_no_pacer_frame_is_drawn_while_the_button_is_down():
    daemon, real, _ = make_daemon(frame_seconds=0.25)
    daemon.engine.start(FULL)
    daemon.engine.press()
    daemon.engine.press()  # holding the first stretch, the pacer on
    real.advance(0.5)
    assert daemon.refresh() == pytest.approx(0.25)  # the pacer's next frame
    daemon.handle(ButtonEdge(True, real.now))
    assert daemon.refresh() == pytest.approx(0.5)  # the countdown's next second: the bus stays free


def test_the_bedtime_prompt_wakes_only_when_its_minute_turns_and_when_it_ends():
    real = FakeWallClock(datetime(2025, 1, 31, 22, 0, 25, tzinfo=timezone.utc))  # wall and monotonic move together
    start = real.monotonic()
    clock = ScaledClock(1.0, real_monotonic=real.monotonic)
    engine = Engine(clock, CATALOG.cards, EngineSettings(bedtime_seconds=600))
    daemon = Daemon(engine, ScreenOutput(RecordingDisplay()), queue.Queue(), clock,
                    wall=LocalWallClock(real, lambda: timezone.utc))
    engine.bedtime([FULL])
    shown = []
    wait = daemon.refresh()
    while daemon.state.phase is not Phase.DARK:
        shown.append(daemon.state.clock_text)
        real.advance(wait)
        wait = daemon.refresh()
    assert real.monotonic() - start == pytest.approx(600)  # the prompt ended on time
    assert shown == [f"22:{minute:02d}" for minute in range(11)]  # one pass a minute


def test_two_quick_presses_in_a_one_sided_hold_mark_that_side_tighter():
    marks = []
    daemon, real, _ = make_daemon(hooks=Hooks(tighter=[lambda side, stretch: marks.append((side, stretch))]))
    daemon.engine.start(FULL)
    daemon.engine.press()  # safety
    daemon.engine.hold()  # skip the pillow release
    daemon.engine.press()  # past the transition
    daemon.engine.press()  # leg dangle: hold the left side
    daemon.refresh()
    press(daemon, real)
    press(daemon, real)
    daemon.refresh()
    assert marks == [(Side.LEFT, "leg-dangle")]
    assert daemon.engine.phase is Phase.HOLD  # not left paused
    assert daemon.state.title == "Left tighter: noted"
    assert display.overflows(daemon.state) == []  # the confirmation fits the heading
    real.advance(2)
    press(daemon, real)  # a single press still pauses
    assert daemon.engine.phase is Phase.PAUSED and len(marks) == 1


def test_a_screen_outage_is_retried_by_the_loop_while_the_routine_goes_on():
    import errno

    from recording_bus import RecordingBus, luma_i2c

    from device.hardware.luma_display import LumaDisplay

    real = FakeClock()
    clock = ScaledClock(1.0, real_monotonic=real.monotonic)
    bus = RecordingBus()
    panel = LumaDisplay(serial_opener=lambda: luma_i2c(bus), clock=real)
    screen = ScreenOutput(panel)
    retry = lambda: screen.maintain(real.now)  # noqa: E731
    daemon = Daemon(Engine(clock, CATALOG.cards), screen, queue.Queue(), clock, hooks=Hooks(tasks=[retry]))
    daemon.engine.start(FULL)
    daemon.engine.press()
    daemon.engine.press()  # holding the first stretch
    started = real.now
    daemon.refresh()
    bus.fail_with = errno.EIO  # the wire comes loose mid-hold
    for _ in range(40):
        real.advance(min(w for w in (daemon.refresh(), retry()) if w is not None))
    assert not panel.is_healthy
    assert daemon.engine.phase is Phase.HOLD  # the routine carried on
    bus.fail_with = None
    fixed_at = real.now
    while not panel.is_healthy:
        real.advance(min(w for w in (daemon.refresh(), retry()) if w is not None))
    assert real.now - fixed_at <= 5
    assert daemon.state.remaining_seconds == pytest.approx(300 - (real.now - started), abs=0.3)


def test_a_hold_in_the_dark_offers_the_routines_off_schedule():
    daemon, real, _ = make_daemon(hooks=Hooks(offer_routines=lambda: [FULL]))
    daemon.gesture(Gesture.HOLD, real.now)
    state = daemon.engine.tick()
    assert state.phase is Phase.BEDTIME and state.options == (FULL.title, "Skip tonight")
