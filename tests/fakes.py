"""Test doubles we own: a clock driven by hand. (Hardware doubles come from the libraries.)"""

from __future__ import annotations

from device.screen import Screen
from routines.walk import ManualClock


class FakeClock(ManualClock):
    """A monotonic clock that only moves when a test calls `advance(seconds)`; starts at 1000 s."""

    def __init__(self, start: float = 1000.0):
        super().__init__(start)


class RecordingDisplay(Screen):
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


def drive(daemon, real: FakeClock, until, limit: int = 100_000) -> None:
    """Run `daemon`'s loop on the fake clock until `until()` is true: one pass, the inputs
    queued so far, then `real` jumps to the next wake-up the daemon asked for, as `run()`
    would wait; but not when there were inputs, which end `run()`'s wait at once."""
    for _ in range(limit):
        wait = daemon.step()
        queued = not daemon.inputs.empty()
        daemon.drain()
        if until():
            return
        if not queued:
            real.advance(wait)
    raise AssertionError("the condition never held")
