"""Cues you can feel (or hear) with eyes closed: a vibration motor or buzzer on one GPIO pin.

Each `routines.events.Cue` has its own rhythm. A pattern is a list of durations in seconds,
alternating on, off, on, … (so "0.12, 0.12, 0.12" is two short pulses). `play(cue)` returns
at once: a small worker thread times the pattern with `Event.wait`, and a newer cue cuts the
one playing short. "On" drives the pin with PWM at `strength` (0–1 duty cycle).
The daemon passes no cue while the screen is dark (`device.daemon`); whether cues play at
night is decided by the caller (`device.parts.cues_silent`); `enabled = False`
mutes every cue.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Mapping, Sequence

from device.hardware.gpio_errors import opening_gpio
from routines.events import Cue

log = logging.getLogger(__name__)

DEFAULT_PATTERNS: dict[Cue, tuple[float, ...]] = {
    Cue.HOLD_START: (0.3,),  # one firm pulse: hold now
    Cue.SWITCH_SIDES: (0.12, 0.12, 0.12),  # two short pulses
    Cue.LAST_SECONDS: (0.06, 0.14, 0.06, 0.14, 0.06),  # three light ticks
    Cue.STRETCH_DONE: (0.7,),  # one long pulse
    Cue.ROUTINE_DONE: (0.3, 0.15, 0.3, 0.15, 0.8),  # short, short, long
}
KINDS = {"motor": 200, "buzzer": 2000}  # PWM frequency in Hz for each kind of part


def check_patterns(patterns: Mapping[str | Cue, Sequence[float]]) -> dict[Cue, tuple[float, ...]]:
    """Validate configured patterns (cue name → seconds) over the defaults; ValueError names the key."""
    checked = dict(DEFAULT_PATTERNS)
    for name, durations in patterns.items():
        try:
            cue = Cue(name)
        except ValueError:
            names = ", ".join(c.value for c in Cue)
            raise ValueError(f"haptics.patterns: unknown cue {name!r}; cues are {names}") from None
        if not durations or not all(
            isinstance(d, int | float) and math.isfinite(d) and 0 < d <= 5 for d in durations
        ):
            raise ValueError(
                f"haptics.patterns.{cue.value}: give a list of on/off durations in seconds, "
                f"each above 0 and at most 5, e.g. [0.12, 0.12, 0.12]"
            )
        checked[cue] = tuple(float(d) for d in durations)
    return checked


class Haptics:
    """A vibration motor (`kind="motor"`) or buzzer (`kind="buzzer"`) on BCM pin `pin`.

    `strength` is the PWM duty cycle when on, above 0 up to 1. `patterns` overrides some or all
    of `DEFAULT_PATTERNS`. `pin_factory` is for tests (`MockFactory(pin_class=MockPWMPin)`).
    Raises `HardwareError` (one line) if the pin cannot be opened. `play` is called from the
    daemon's thread; the pin is driven from this object's worker thread.
    """

    def __init__(
        self,
        pin: int,
        kind: str = "motor",
        strength: float = 0.6,
        patterns: Mapping[str | Cue, Sequence[float]] | None = None,
        pin_factory=None,
    ):
        if kind not in KINDS:
            raise ValueError(f"haptics: kind must be motor or buzzer, not {kind!r}")
        if not 0 < strength <= 1:
            raise ValueError(f"haptics: strength must be above 0 and at most 1, not {strength}")
        self.patterns = check_patterns(patterns or {})
        self.strength = strength
        self.enabled = True
        part = f"{'vibration motor' if kind == 'motor' else 'buzzer'} on GPIO{pin}"
        with opening_gpio(part, real_pins=pin_factory is None):
            from gpiozero import PWMOutputDevice

            self._output = PWMOutputDevice(pin, frequency=KINDS[kind], pin_factory=pin_factory)
        self._lock = threading.Condition()
        self._next: tuple[float, ...] | None = None  # the pattern waiting to play
        self._playing = False
        self._cut_short = threading.Event()
        self._closing = False
        self._worker = threading.Thread(target=self._run, name="haptics", daemon=True)
        self._worker.start()

    @classmethod
    def from_config(cls, section, pin_factory=None) -> Haptics:
        """The part the `[haptics]` section (`HapticsSettings`) describes: a buzzer or a motor."""
        kind = "motor" if section.kind == "vibration" else "buzzer"
        return cls(section.pin, kind=kind, strength=section.strength, pin_factory=pin_factory)

    def play(self, cue: Cue) -> None:
        """Start `cue`'s pattern now, cutting short any pattern still playing. Never blocks."""
        if not self.enabled:
            return
        with self._lock:
            if self._closing:
                return
            self._next = self.patterns[cue]
            self._cut_short.set()
            self._lock.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds until nothing is playing; True if idle."""
        with self._lock:
            return self._lock.wait_for(lambda: self._next is None and not self._playing, timeout)

    def close(self) -> None:
        """Stop any pattern, leave the output off and release the pin; safe to call twice."""
        with self._lock:
            self._closing = True
            self._cut_short.set()
            self._lock.notify_all()
        if self._worker is not threading.current_thread():
            self._worker.join(timeout=1)
        self._output.close()

    def _run(self) -> None:
        """The worker thread: play each pattern asked for, the latest first."""
        while True:
            with self._lock:
                self._lock.wait_for(lambda: self._next is not None or self._closing)
                if self._closing:
                    break
                pattern, self._next = self._next, None
                self._playing = True
                self._cut_short.clear()
            try:
                self._drive(pattern)
            except Exception as error:  # noqa: BLE001 - a cue must never stop the routine
                log.warning("haptics: could not play a cue: %s", error)
            finally:
                with self._lock:
                    self._playing = False
                    self._lock.notify_all()
        self._output.off()

    def _drive(self, pattern: tuple[float, ...]) -> None:
        for index, seconds in enumerate(pattern):
            self._output.value = self.strength if index % 2 == 0 else 0
            if self._cut_short.wait(seconds):
                break
        self._output.value = 0
