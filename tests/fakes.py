"""Test doubles we own: a clock driven by hand. (Hardware doubles come from the libraries.)"""

from __future__ import annotations


class FakeClock:
    """A monotonic clock that only moves when a test calls `advance(seconds)`."""

    def __init__(self, start: float = 1000.0):
        self.now = start

    def monotonic(self) -> float:
        return self.now

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError("a monotonic clock cannot go backwards")
        self.now += seconds
        return self.now
