"""Haptics over gpiozero's MockFactory with PWM pins: each cue's pin state history."""

import time

import pytest
from gpiozero.pins.mock import MockFactory, MockPWMPin

from device.errors import HardwareError
from device.hardware.haptics import DEFAULT_PATTERNS, Haptics, check_patterns
from routines.events import Cue

PIN = 18
STRENGTH = 0.5
SCALE = 0.1  # play the default rhythms ten times faster


@pytest.fixture
def factory():
    factory = MockFactory(pin_class=MockPWMPin)
    yield factory
    factory.reset()


def fast_patterns() -> dict[Cue, tuple[float, ...]]:
    return {cue: tuple(d * SCALE for d in pattern) for cue, pattern in DEFAULT_PATTERNS.items()}


def history(factory) -> list[float]:
    return [state.state for state in factory.pin(PIN).states]


def on_durations(factory) -> list[float]:
    """How long each "on" lasted, from the pin's state history (timestamps are deltas)."""
    states = factory.pin(PIN).states
    return [after.timestamp for before, after in zip(states, states[1:]) if before.state > 0]


@pytest.mark.parametrize("cue", list(Cue))
def test_each_cue_drives_its_own_rhythm_on_the_pin(factory, cue):
    haptics = Haptics(PIN, strength=STRENGTH, patterns=fast_patterns(), pin_factory=factory)
    factory.pin(PIN).clear_states()
    haptics.play(cue)
    assert haptics.wait_idle(timeout=1)
    pattern = fast_patterns()[cue]
    pulses = (len(pattern) + 1) // 2
    assert history(factory) == [0.0] + [STRENGTH, 0.0] * pulses
    for measured, planned in zip(on_durations(factory), pattern[::2]):
        assert planned * 0.9 <= measured < planned + 0.5
    haptics.close()


def test_default_patterns_are_distinct_for_every_cue():
    assert set(DEFAULT_PATTERNS) == set(Cue)
    assert len(set(DEFAULT_PATTERNS.values())) == len(Cue)


def test_play_returns_at_once(factory):
    haptics = Haptics(PIN, pin_factory=factory)
    started = time.monotonic()
    haptics.play(Cue.ROUTINE_DONE)  # 1.7 s long
    assert time.monotonic() - started < 0.1
    haptics.close()


def test_a_newer_cue_cuts_the_playing_one_short(factory):
    patterns = {Cue.STRETCH_DONE: (5.0,), Cue.HOLD_START: (0.01,)}
    haptics = Haptics(PIN, strength=STRENGTH, patterns=patterns, pin_factory=factory)
    factory.pin(PIN).clear_states()
    started = time.monotonic()
    haptics.play(Cue.STRETCH_DONE)
    haptics.play(Cue.HOLD_START)
    assert haptics.wait_idle(timeout=1)
    assert time.monotonic() - started < 1
    assert history(factory)[-1] == 0.0
    assert history(factory).count(STRENGTH) in (1, 2)  # the long one may have started first
    haptics.close()


def test_disabled_haptics_stay_silent(factory):
    haptics = Haptics(PIN, pin_factory=factory)
    haptics.enabled = False
    factory.pin(PIN).clear_states()
    haptics.play(Cue.HOLD_START)
    assert haptics.wait_idle(timeout=1)
    assert history(factory) == [0.0]
    haptics.close()


def test_close_mid_pattern_leaves_the_output_off_and_frees_the_pin(factory):
    haptics = Haptics(PIN, strength=STRENGTH, patterns={Cue.STRETCH_DONE: (5.0,)}, pin_factory=factory)
    haptics.play(Cue.STRETCH_DONE)
    haptics.close()
    haptics.close()
    assert factory.pin(PIN).state == 0
    Haptics(PIN, pin_factory=factory).close()  # the pin can be opened again


def test_buzzer_and_motor_use_their_pwm_frequencies(factory):
    buzzer = Haptics(PIN, kind="buzzer", pin_factory=factory)
    assert factory.pin(PIN).frequency == 2000
    buzzer.close()
    motor = Haptics(PIN, kind="motor", pin_factory=factory)
    assert factory.pin(PIN).frequency == 200
    motor.close()


def test_pin_in_use_names_the_part(factory):
    first = Haptics(PIN, pin_factory=factory)
    with pytest.raises(HardwareError, match=r"^vibration motor on GPIO18: the pin is already used"):
        Haptics(PIN, pin_factory=factory)
    first.close()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "speaker"}, "haptics: kind must be motor or buzzer, not 'speaker'"),
        ({"strength": 0}, "haptics: strength must be above 0 and at most 1, not 0"),
        ({"strength": 1.5}, "haptics: strength must be above 0 and at most 1, not 1.5"),
        ({"patterns": {"wake_up": [0.1]}}, "haptics.patterns: unknown cue 'wake_up'; cues are hold_start"),
        ({"patterns": {"hold_start": []}}, "haptics.patterns.hold_start: give a list of on/off durations"),
        ({"patterns": {"hold_start": [0.1, -1]}}, "haptics.patterns.hold_start: give a list"),
    ],
)
def test_bad_settings_give_one_line(factory, kwargs, message):
    with pytest.raises(ValueError) as caught:
        Haptics(PIN, pin_factory=factory, **kwargs)
    assert str(caught.value).startswith(message)


def test_configured_patterns_override_only_their_cue():
    patterns = check_patterns({"switch_sides": [0.2, 0.1, 0.2]})
    assert patterns[Cue.SWITCH_SIDES] == (0.2, 0.1, 0.2)
    assert patterns[Cue.HOLD_START] == DEFAULT_PATTERNS[Cue.HOLD_START]
