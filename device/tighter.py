""""This side felt tighter": two quick presses during a one-sided hold.

The first press pauses the hold as usual; a second one within `TIGHTER_PRESS_SECONDS`
resumes it at once and marks the side, so the hold goes on as if never paused. The seed
article notes one side is often tighter; `psoas stats` compares the marks over time.
Used by the daemon on its loop thread only.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

from routines.state import Phase, Side, State

TIGHTER_PRESS_SECONDS = 0.6  # the second press must come this soon after the first (clock seconds)
TIGHTER_NOTE_SECONDS = 4.0  # how long the screen confirms the mark, in clock seconds
TIGHTER_NOTE = "{side} tighter: noted"


class TighterMarks:
    """Spots the double press and tells `listeners(side, stretch_id)`, e.g. the journal."""

    def __init__(self):
        self.listeners: list[Callable[[Side, str], None]] = []
        self._paused_at: float | None = None  # clock time a press paused a hold
        self._last: tuple[Side, float] | None = None  # the last mark and when, for the note

    def press(self, engine, shown: State | None, at: float) -> bool:
        """Handle a press at clock time `at`; True when it was the second of a double press."""
        paused_at, self._paused_at = self._paused_at, None
        step = engine.current_step
        if (paused_at is not None and at - paused_at <= TIGHTER_PRESS_SECONDS and engine.phase is Phase.PAUSED
                and step is not None and shown is not None and shown.side in (Side.LEFT, Side.RIGHT)):
            engine.press(at)  # resume: the hold goes on as if never paused
            self._last = (shown.side, at)
            for listener in self.listeners:
                listener(shown.side, step.stretch.id)
            return True
        if engine.phase is Phase.HOLD:
            self._paused_at = at  # this press pauses; a second one soon would mark the side
        return False

    def decorate(self, state: State, now: float) -> State:
        """For a few seconds after a mark, the hold's heading confirms it."""
        if self._last and now - self._last[1] < TIGHTER_NOTE_SECONDS and state.phase is Phase.HOLD:
            return dataclasses.replace(state, title=TIGHTER_NOTE.format(side=self._last[0].value.capitalize()))
        return state
