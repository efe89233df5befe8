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


class RecordingDisplay:
    """A screen adapter that keeps every call: frames shown, panel power, contrast levels."""

    def __init__(self):
        self.calls: list[tuple] = []
        self.frames = []

    def display(self, image) -> None:
        self.frames.append(image.copy())
        self.calls.append(("display", len(self.frames) - 1))

    def panel_off(self) -> None:
        self.calls.append(("off",))

    def panel_on(self) -> None:
        self.calls.append(("on",))

    def set_contrast(self, level: int) -> None:
        self.calls.append(("contrast", level))

    def close(self) -> None:
        self.calls.append(("close",))
