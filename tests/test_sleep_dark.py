"""Through the real daemon: after the fall-asleep fade the night ends in the dark and in silence.

The panel is luma's real SSD1306 driver over a recording I2C bus, the buzzer gpiozero's
`MockFactory` with PWM pins, the journal a real one in a temporary state dir; time is the
fake clock.
"""

from __future__ import annotations

import queue

import pytest
from fakes import FakeClock, demo_daemon
from gpiozero.pins.mock import MockFactory, MockPWMPin
from recording_bus import COMMAND, RecordingBus, luma_i2c

from device.cli.demo import HandsFree
from device.clocks.monotonic import ScaledClock
from device.config.load import load_config
from device.daemon import Hooks
from device.hardware.haptics import DEFAULT_PATTERNS, Haptics
from device.hardware.luma_display import LumaDisplay
from device.inputs import Gesture
from device.journal.link import open_journal
from device.journal.reader import read_history
from device.parts import haptics_listener
from routines.loading.catalog import load_catalog
from routines.state import Phase

CATALOG = load_catalog()
PIN, STRENGTH = 18, 0.5
PANEL_OFF, PANEL_ON = 0xAE, 0xAF  # SSD1306 display off (sleep) / on


@pytest.fixture
def factory():
    factory = MockFactory(pin_class=MockPWMPin)
    yield factory
    factory.reset()


def test_fall_asleep_after_the_fade_sends_only_keep_off_plays_no_cue_and_journals_the_night(tmp_path, factory):
    real = FakeClock()
    clock = ScaledClock(1.0, real_monotonic=real.monotonic)
    bus = RecordingBus()
    panel = LumaDisplay(serial_opener=lambda: luma_i2c(bus), clock=real)
    fast = {cue: tuple(seconds * 0.02 for seconds in pattern) for cue, pattern in DEFAULT_PATTERNS.items()}
    haptics = Haptics(PIN, strength=STRENGTH, patterns=fast, pin_factory=factory)
    link = open_journal(tmp_path, CATALOG.cards.expect)
    journal = link.journal
    inputs: queue.Queue = queue.Queue()
    hooks = link.hooks.plus(HandsFree(inputs, clock).hooks).plus(
        Hooks(listeners=[haptics_listener(haptics, silent=lambda: False)]))
    daemon = demo_daemon(load_config(None), CATALOG, clock, panel, inputs, hooks, levels=lambda wall: (200, False))
    pin = factory.pin(PIN)
    try:
        daemon.engine.start(CATALOG.routine("fall-asleep"))
        off_mark = pin_mark = None
        for _ in range(20_000):
            before = bus.mark()
            wait = daemon.step()
            daemon.drain()
            assert haptics.wait_idle(timeout=2)  # each cue plays out before the clock moves on
            if off_mark is None and (COMMAND, [PANEL_OFF]) in bus.since(before).writes:
                assert daemon.state.phase is Phase.HOLD  # the fade switched it off mid-hold
                off_mark, pin_mark = before, len(pin.states)
            if daemon.state.phase is Phase.DARK:
                break
            real.advance(wait)
        assert off_mark is not None and daemon.state.phase is Phase.DARK
        assert STRENGTH in [state.state for state in pin.states[:pin_mark]]  # the hold's start was felt
        for _ in range(20):  # ten more minutes of the night
            assert daemon.refresh() is None
            real.advance(30)

        after = bus.since(off_mark)
        assert after.data() == [], "a frame was sent after the fade"
        assert set(after.commands()) == {PANEL_OFF}, "only 'keep off' may reach the panel"
        assert pin.states[pin_mark:] == [], "a cue played after the panel went off"

        (night,) = read_history(tmp_path).nights
        assert night.routine == "fall-asleep" and night.outcome == "finished"
        assert night.summary["holds"] == 1 and night.summary["stretches"] == 1
        (step,) = night.steps
        assert step.held_seconds == 600 and not step.skipped

        daemon.gesture(Gesture.PRESS, clock.monotonic())  # the next press: the time, as after any night
        daemon.refresh()
        assert daemon.state.phase is Phase.CLOCK
        assert PANEL_ON in bus.since(off_mark).commands()
    finally:
        haptics.close()
        journal.close()
        panel.close()
