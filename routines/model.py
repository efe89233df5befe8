"""Routine data: stretches, steps and routines, as frozen dataclasses.

These are plain values built by `routines.loading.loader` from TOML files; the engine only reads
them. Every duration is in seconds.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Sides(str, enum.Enum):
    """How a stretch uses the body's sides."""

    BOTH = "both"  # both sides at once, one hold
    EACH = "each"  # left, then "slowly switch sides", then right


class StepKind(str, enum.Enum):
    STRETCH = "stretch"
    REST = "rest"  # a timed "move slowly" / rest card
    INFO = "info"  # a paged card that waits for a press


class HoldStart(str, enum.Enum):
    PRESS = "press"  # the hold starts when the person presses
    COUNTDOWN = "countdown"  # the hold starts after a get-ready countdown


@dataclass(frozen=True)
class Breathing:
    """A slow-breathing pattern: inhale then exhale, in seconds."""

    inhale_seconds: float
    exhale_seconds: float

    @property
    def cycle_seconds(self) -> float:
        return self.inhale_seconds + self.exhale_seconds


@dataclass(frozen=True)
class Stretch:
    """One stretch as described by the seed article.

    `hold_seconds` is the default hold per side; `hold_range` the seed's (min, max) in
    seconds. `setup_pages` are short pages of setup steps; `cues` short lines shown during
    the hold, one at a time.
    """

    id: str
    name: str
    short_name: str
    setup_pages: tuple[str, ...]
    cues: tuple[str, ...]
    caution: str
    hold_seconds: float
    hold_range: tuple[float, float]
    sides: Sides
    note: str = ""


@dataclass(frozen=True)
class Step:
    """One step of a routine, already resolved (a stretch step carries its stretch).

    For STRETCH: `stretch`, `pages` (its setup pages), `hold_seconds` (per side), `sides`,
    `cues`, `breathing`, `fade_out`. For REST: `title`, `pages`, `seconds`. For INFO: `title`, `pages`.
    `breathing` None means no pacer for this step. A `fade_out` hold that runs to its end ends the
    routine (the person is asleep): later sides and steps are not reached.
    """

    kind: StepKind
    title: str
    pages: tuple[str, ...] = ()
    stretch: Stretch | None = None
    hold_seconds: float = 0.0
    sides: Sides = Sides.BOTH
    cues: tuple[str, ...] = ()
    breathing: Breathing | None = None
    seconds: float = 0.0  # REST only
    fade_out: bool = False  # STRETCH: fade to dark during the hold; held to its end, the routine ends in the dark
    right_first: bool = False  # STRETCH, each side: the right side first (the tighter side, `routines.coaching.sides`)

    @property
    def side_count(self) -> int:
        return 2 if self.sides is Sides.EACH else 1


@dataclass(frozen=True)
class Routine:
    """A named routine: its steps and how holds start.

    `source` says where it came from ("built-in" or a file path). `get_ready_seconds` is
    used when `hold_start` is COUNTDOWN.
    """

    name: str
    title: str
    description: str
    steps: tuple[Step, ...]
    hold_start: HoldStart = HoldStart.PRESS
    get_ready_seconds: float = 10.0
    source: str = "built-in"

    @property
    def stretch_steps(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.kind is StepKind.STRETCH)

    def planned_seconds(self, switch_seconds: float = 0.0, transition_seconds: float = 0.0) -> float:
        """Total planned time in seconds: holds, rests, switches and transitions."""
        total = 0.0
        for index, step in enumerate(self.steps):
            if step.kind is StepKind.STRETCH:
                total += step.hold_seconds * step.side_count
                total += switch_seconds * (step.side_count - 1)
            elif step.kind is StepKind.REST:
                total += step.seconds
            if index and self.steps[index - 1].kind is StepKind.STRETCH and step.kind is StepKind.STRETCH:
                total += transition_seconds
        return total
