"""Monotonic clocks for the daemon: real monotonic time, or time sped up for the demo.

The engine only needs `monotonic()`. The daemon also converts between the clock's seconds
and real seconds, because it waits on a queue in real time and button edges are stamped
with the real `time.monotonic()` (by gpiozero's and the keyboard's threads).
"""

from __future__ import annotations

import time

# The slowest and fastest speeds: slower, a demo would outlast the night; faster, a loop
# pass (a few ms) spans whole holds and the night's figures stop meaning anything.
SPEED_RANGE = (0.1, 1000.0)


class ScaledClock:
    """Monotonic time running `speed` times faster than real time (`speed=1`: real time).

    `monotonic()` is in routine seconds; `to_real(seconds)` gives the real seconds a span of
    routine seconds takes, and `from_real(t)` maps a real `time.monotonic()` stamp onto this
    clock. `speed` must be within `SPEED_RANGE`.
    """

    def __init__(self, speed: float = 1.0, real_monotonic=time.monotonic):
        low, high = SPEED_RANGE
        if not low <= speed <= high:
            raise ValueError(f"speed must be from {low:g} to {high:g}, not {speed}")
        self.speed = float(speed)
        self._real = real_monotonic
        self._origin = real_monotonic()

    def monotonic(self) -> float:
        return self.from_real(self._real())

    def from_real(self, real_stamp: float) -> float:
        return self._origin + (real_stamp - self._origin) * self.speed

    def to_real(self, seconds: float) -> float:
        return seconds / self.speed

    def real_monotonic(self) -> float:
        return self._real()
