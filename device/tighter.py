""""This side felt tighter": two quick presses (a DOUBLE_PRESS) during a one-sided hold.

The first press pauses the hold as usual; the second, which the gesture classifier reports
as a DOUBLE_PRESS, resumes it at once and marks the side, so the hold goes on as if never
paused. The seed article notes one side is often tighter; `psoas stats` compares the marks
over time. Used by the daemon on its loop thread only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from routines.outcomes import Side
from routines.state import Phase, State

TIGHTER_NOTE_SECONDS = 4.0  # how long the screen confirms the mark, in clock seconds
TIGHTER_NOTE = "{side} tighter: noted"


class TighterMarks:
    """Marks the side of a double press and tells `listeners(side, stretch_id)`, e.g. the journal."""

    def __init__(self, listeners: Sequence[Callable[[Side, str], None]] = ()):
        self.listeners = tuple(listeners)
        self._last: tuple[Side, float] | None = None  # the last mark and when, for the note

    def double_press(self, engine, shown: State | None, at: float) -> bool:
        """The second press of a pair, at clock time `at`: True when it marked a side.

        It marks only when the first press paused a one-sided hold; otherwise the caller
        treats it as an ordinary press.
        """
        step = engine.current_step
        if (engine.phase is not Phase.PAUSED or step is None or shown is None
                or shown.side not in (Side.LEFT, Side.RIGHT)):
            return False
        engine.press(at)  # resume: the hold goes on as if never paused
        self._last = (shown.side, at)
        for listener in self.listeners:
            listener(shown.side, step.stretch.id)
        return True

    def decorate(self, state: State, now: float) -> State:
        """For a few seconds after a mark, the hold's heading confirms it."""
        if self._last and now - self._last[1] < TIGHTER_NOTE_SECONDS and state.phase is Phase.HOLD:
            return dataclasses.replace(state, title=TIGHTER_NOTE.format(side=self._last[0].value.capitalize()))
        return state
