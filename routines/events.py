"""The events of a night: what the engine tells the daemon besides the screen.

`Event` is what the daemon passes on (haptics, journal, log). A module of its own so that the
journal does not load the screen state (`routines.state`); the side of a hold and how a night
ended (`Side`, `Outcome`) are in `routines.outcomes`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from routines.outcomes import Outcome, Side


@dataclass(frozen=True)
class StepRecord:
    """One hold as it ended: what was planned and what was done. Durations in seconds."""

    stretch_id: str
    side: Side
    planned_seconds: float
    held_seconds: float
    paused_seconds: float
    skipped: bool


@dataclass(frozen=True)
class MorningAnswer:
    """The morning check-in's answer: `stiffness` 0–10, or None for "not today"."""

    stiffness: int | None


class Cue(str, enum.Enum):
    """Moments a buzzer or vibration motor can mark."""

    HOLD_START = "hold_start"
    SWITCH_SIDES = "switch_sides"
    LAST_SECONDS = "last_seconds"
    STRETCH_DONE = "stretch_done"
    ROUTINE_DONE = "routine_done"


@dataclass(frozen=True)
class Event:
    """Something that happened, for the daemon to pass on (haptics, journal, log).

    `at` is the monotonic time in seconds at which it happened by the routine's own timeline
    (a late tick still stamps each event with its ideal time). Exactly one of `cue`,
    `record`, `outcome`, `started`, `chosen`, `morning` is set.
    """

    at: float
    cue: Cue | None = None
    record: StepRecord | None = None
    outcome: Outcome | None = None
    started: str | None = None  # routine name, when a routine starts
    chosen: str | None = None  # an extra entry of the prompt's menu was chosen (e.g. "Pair a phone")
    morning: MorningAnswer | None = None  # the morning check-in was answered (or "not today")
    summary: dict = field(default_factory=dict)  # with `outcome`: totals of the night
