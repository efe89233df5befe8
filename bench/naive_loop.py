"""The comparison: the plain loop most hobby scripts use, timing a routine by counting passes.

    schedule.every(1).seconds.do(tick)      # tick: remaining -= 1, next phase at 0
    while True:
        schedule.run_pending()
        redraw()                            # the whole frame, every pass
        time.sleep(1)

It shows the same phases as the daemon (the engine's own states, drawn by the same
`display.render`), but it counts whole seconds instead of reading a clock, so every pass
costs a second plus the redraw: with a 90 ms frame a 10-minute hold runs about 54 s long.
`speed` divides every real duration (the `schedule` period, the sleep), like `ScaledClock`.
Not used by the program: it exists only to be measured beside the daemon.
"""

from __future__ import annotations

import dataclasses
import time

import schedule

import display
from routines.state import Phase


class NaiveLoop:
    """Run `segments` [(state, seconds), ...] on `adapter` the hobby way; stop at the end.

    `adapter` needs `display(image)`; `panel_off()` is called once the last segment ends.
    """

    def __init__(self, segments, adapter, speed: float = 1.0, size=(128, 64)):
        self.segments = list(segments)
        self.adapter = adapter
        self.speed = speed
        self.size = size
        self.index = 0
        self.remaining = int(round(self.segments[0][1]))
        self.scheduler = schedule.Scheduler()

    def tick(self) -> None:
        """One "second" has passed (really: one pass of the loop)."""
        self.remaining -= 1
        while self.remaining <= 0 and self.index < len(self.segments):
            self.index += 1
            if self.index < len(self.segments):
                self.remaining = int(round(self.segments[self.index][1]))

    def redraw(self) -> None:
        state, seconds = self.segments[self.index]
        if state.total_seconds:
            state = dataclasses.replace(state, remaining_seconds=float(self.remaining))
        self.adapter.display(display.render(state, self.size))

    def run(self) -> None:
        self.scheduler.every(1 / self.speed).seconds.do(self.tick)
        while self.index < len(self.segments):
            self.scheduler.run_pending()
            if self.index >= len(self.segments):
                break
            self.redraw()
            time.sleep(1 / self.speed)
        self.adapter.panel_off()


def segments_from(transitions, end_seconds: float):
    """[(state, seconds)] from ideal transitions [(at, key, state)] ending at `end_seconds`."""
    out = []
    for i, (at, _key, state) in enumerate(transitions):
        if state.phase is Phase.DARK:
            break
        following = transitions[i + 1][0] if i + 1 < len(transitions) else end_seconds
        out.append((state, following - at))
    return out
