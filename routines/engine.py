"""The routine engine: where a night is, worked out from a clock. It never loops or sleeps.

The caller owns the loop (as with `schedule`'s `run_pending()`): it feeds gestures
(`press`, `hold`, `long_hold`), calls `tick()` for the current `State`, asks
`next_deadline()` when something will next change, and drains `events()` for cues and the
journal. Time comes from an injected clock (`clock.monotonic()`, in seconds) or the `now`
argument of each call.

Timed phases are chained end to start: each phase begins exactly when the previous one was
due to end, not when a tick noticed. So a late tick skips ahead over every phase that has
passed (emitting their events with their ideal times) instead of replaying them, and a
routine never drifts however slow the display is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol, Sequence

from routines.flow import Flow
from routines.loading.loader import Cards
from routines.model import Routine, Step
from routines.morning import MorningOffer
from routines.events import Event
from routines.state import Phase, State
from routines.view import COUNTDOWN_PHASES, ROUTINE_PHASES


class Clock(Protocol):
    def monotonic(self) -> float:
        """Seconds from an arbitrary start; never goes backwards."""


@dataclass(frozen=True)
class EngineSettings:
    """Timings of the parts between holds, all in seconds."""

    switch_seconds: float = 8.0  # "slowly switch sides" pause
    transition_seconds: float = 10.0  # "move slowly" between stretches
    page_seconds: float = 7.0  # how long each setup / card page shows before the next
    done_seconds: float = 30.0  # the done screen, then dark
    stopped_seconds: float = 5.0  # the goodbye after a long-hold stop, then dark
    clock_peek_seconds: float = 5.0  # a press in the dark shows the time this long
    last_seconds: float = 5.0  # when the "last seconds" cue comes before a hold ends
    cue_seconds: float = 15.0  # each hold cue line shows this long
    bedtime_seconds: float | None = None  # the bedtime prompt goes dark after this; None: stays
    morning_seconds: float = 30.0  # the morning question goes dark after this without a gesture
    saved_seconds: float = 5.0  # the line after a morning answer is saved, then dark
    show_safety: bool = True  # the safety card before the first stretch
    sleep_position: str = "back"  # "back" | "side" | "stomach": which tips the done screen gives


class Engine:
    """One device's night: dark, bedtime prompt, a routine, done, dark again.

    Not thread-safe: only the daemon's main loop calls it.
    """

    def __init__(self, clock: Clock, cards: Cards, settings: EngineSettings = EngineSettings()):
        """`cards` are the safety card, tips and kind words (`Catalog.cards`)."""
        self._clock = clock
        self._flow = Flow(settings, cards, clock.monotonic())

    # -- inputs ---------------------------------------------------------------------------

    def bedtime(self, routines: Sequence[Routine], now: float | None = None, extras: Sequence[str] = (),
                why: str = "") -> None:
        """Show the bedtime prompt offering `routines` (the first is tonight's), then `extras`,
        then "skip". Pressing on an extra emits an `Event` with `chosen` set and goes dark.
        `why` is one short line saying why the first routine is first tonight
        (`routines.coaching.plan.Plan.line`), shown while it is the one chosen."""
        at = self._advance(now)
        self._flow.show_bedtime(tuple(routines), at, tuple(extras), why)

    def start(self, routine: Routine, now: float | None = None) -> None:
        """Start `routine` straight away (safety card first, when enabled)."""
        at = self._advance(now)
        self._flow.start(routine, at)

    def press(self, now: float | None = None) -> None:
        """The main action: start, continue, pause / resume; on the morning question, +1."""
        at = self._advance(now)
        self._flow.press(at)

    def hold(self, now: float | None = None) -> None:
        """The second action: skip this step; on the bedtime prompt, the next choice; on the
        morning question, save."""
        at = self._advance(now)
        self._flow.hold(at)

    def long_hold(self, now: float | None = None) -> None:
        """Stop the routine (or skip tonight from the bedtime prompt; "not today" on the morning question)."""
        at = self._advance(now)
        self._flow.long_hold(at)

    def offer_morning(self, offer: MorningOffer | None, now: float | None = None) -> None:
        """Make the next press in the dark ask the morning question (None: show the time again).

        The device arms it inside the morning window until today is answered; the engine itself
        withdraws it once the question is answered or declined. It never lights the screen.
        """
        self._advance(now)
        self._flow.morning_offer = offer

    def change_settings(self, settings: EngineSettings) -> None:
        """Use new timings and words from now on (a phase already running keeps its length)."""
        self._flow.settings = settings

    # -- outputs --------------------------------------------------------------------------

    def tick(self, now: float | None = None) -> State:
        """The state at `now` (default: the clock), after every phase due by then has passed."""
        at = self._advance(now)
        return self._flow.state(at)

    def next_deadline(self, now: float | None = None) -> float | None:
        """The monotonic time in seconds when the state next changes by itself, or None.

        Includes the next second of a countdown (`COUNTDOWN_PHASES` only: the bedtime prompt
        changes only when it ends) and the next page flip, so the caller can wait exactly
        that long; animation (the breathing pacer) is the caller's to pace.
        """
        at = self._advance(now)
        flow = self._flow
        candidates = []
        end = flow.phase_end
        if end is not None:
            candidates.append(end)
            remaining = end - at
            if remaining > 1 and flow.phase in COUNTDOWN_PHASES:
                candidates.append(end - (math.ceil(remaining) - 1))
        candidates += flow.extra_deadlines(at)
        future = [t for t in candidates if t > at]
        return min(future) if future else None

    def events(self) -> list[Event]:
        """Events since the last call, oldest first (cues, step records, night outcome)."""
        return self._flow.drain_events()

    @property
    def phase(self) -> Phase:
        return self._flow.phase

    @property
    def routine(self) -> Routine | None:
        return self._flow.routine

    @property
    def current_step(self) -> Step | None:
        """The routine step in progress, or None outside a routine."""
        return self._flow.step if self.in_routine and self._flow.phase is not Phase.SAFETY else None

    @property
    def morning_offer(self) -> MorningOffer | None:
        """The armed morning question, or None (see `offer_morning`)."""
        return self._flow.morning_offer

    @property
    def in_routine(self) -> bool:
        return self._flow.phase in ROUTINE_PHASES

    def _advance(self, now: float | None) -> float:
        at = self._clock.monotonic() if now is None else now
        at = max(at, self._flow.now)  # time never runs backwards inside the engine
        self._flow.advance_to(at)
        return at

