"""Walk a whole routine through the engine on a hand-driven clock, pressing where it waits.

For previews (GIF time-lapse, galleries) and tests: a ten-minute routine is walked in
milliseconds. Pure: nothing sleeps, nothing reads the real clock.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Iterator

from routines.engine import Engine, EngineSettings
from routines.loading.loader import Cards
from routines.model import Routine
from routines.state import CLOCK_PHASES, Phase, State
from routines.view import COUNTDOWN_PHASES


class ManualClock:
    """A monotonic clock set by hand (`now`, or `advance(seconds)`), in seconds."""

    def __init__(self, start: float = 0.0):
        self.now = start

    def monotonic(self) -> float:
        return self.now

    def advance(self, seconds: float) -> float:
        """Move forward by `seconds`; return the new time."""
        if seconds < 0:
            raise ValueError("a monotonic clock cannot go backwards")
        self.now += seconds
        return self.now


def walk(
    routine: Routine, cards: Cards, settings: EngineSettings = EngineSettings(),
    frame_seconds: float | None = None, max_steps: int = 100_000, bedtime: time = time(22, 15),
    whole_countdowns: bool = False, read_pages: bool = False,
) -> Iterator[tuple[float, State]]:
    """Yield (seconds since the bedtime prompt, state) at every change until dark.

    It yields at each deadline the engine names; with `frame_seconds` it also yields at
    least that often (for animations). A press is given wherever the state waits for one,
    after that state has been yielded. The prompt comes up at the wall-clock time `bedtime`:
    screens that show the time get it in `clock_text`, moved on by the time walked, as the
    daemon fills it in on the device. With `whole_countdowns`, a countdown (a hold, a switch,
    a rest) is yielded at its start and then jumps to its end, not at each second. With
    `read_pages`, a paged screen that waits for a press shows each of its pages before the press.
    """
    clock = ManualClock()
    engine = Engine(clock, cards, settings)
    engine.bedtime([routine])
    for _ in range(max_steps):
        state = engine.tick()
        if state.phase in CLOCK_PHASES:
            wall = datetime.combine(date(2000, 1, 1), bedtime) + timedelta(seconds=clock.now)
            state = replace(state, clock_text=wall.strftime("%H:%M"))
        yield clock.now, state
        if state.phase is Phase.DARK:
            return
        if state.awaits_press and not (read_pages and state.page_index < state.page_count - 1):
            engine.press()
            continue
        deadline = engine.next_deadline()
        if deadline is None:
            return
        if whole_countdowns and state.phase in COUNTDOWN_PHASES and state.remaining_seconds > 0:
            deadline = max(deadline, clock.now + state.remaining_seconds)
        if frame_seconds is not None:
            deadline = min(deadline, clock.now + frame_seconds)
        clock.now = deadline
    raise RuntimeError(f"routine {routine.name!r} did not end within {max_steps} steps")


def screens(routine: Routine, cards: Cards, settings: EngineSettings = EngineSettings()) -> list[State]:
    """One state for each screen a person meets in `routine`, in order: every page of the safety
    card and of each step, the first moment of each hold, side switch and rest, and the done
    screen (not the bedtime prompt, the countdown's ticks or the breathing frames)."""
    shown: list[State] = []
    seen = None
    for _, state in walk(routine, cards, settings, whole_countdowns=True, read_pages=True):
        if state.phase in (Phase.BEDTIME, Phase.DARK):
            continue
        key = (state.phase, state.step_number, state.title, state.side, state.lines, state.page_index)
        if key != seen:
            seen = key
            shown.append(replace(state, clock_text="", remaining_seconds=state.total_seconds, turn=0))
    return shown
