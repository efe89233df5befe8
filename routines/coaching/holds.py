"""Rule 5, holds that follow the person, inside the article's ranges.

Source, the article's small tweaks: "Doing just 60 seconds of leg dangle on each side instead of
forcing a long hold", and its ranges ("Hold for 20–40 seconds", "Hold 20–30 seconds"). For a
one-sided stretch (the leg dangle, the knee hug):

- skipped early (held under half its time) on `holds_short_nights` of the last
  `holds_short_of_nights` nights it was in: tonight it starts at the low end of its range;
- else held to the end on `holds_grow_nights` nights in a row: it grows by
  `holds_grow_seconds` for each such week, up to the top of its range.

Never outside the stretch's `hold_range` (the routines' own ranges stay the law); a step whose
routine writes a hold outside the range on purpose (the high-pain day's 60 s dangle), a
both-sides rest and a fade-out hold are left as written.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from routines.coaching.history import NightLike
from routines.coaching.rules import CoachRules, Finding, turned_off
from routines.model import Routine, Sides, Step, StepKind

RULE = "holds"
SOURCE = ("Doing just 60 seconds of leg dangle on each side instead of forcing a long hold; "
          "hold for 20–40 seconds; hold 20–30 seconds.")
HELD_TO_THE_END = 0.5  # seconds: a hold ended this close to its time was held to the end
EARLY = 0.5  # a skipped hold held under this fraction of its time was skipped early


@dataclass(frozen=True)
class HoldChange:
    """Tonight's hold of one stretch against the routine's (`written`), in seconds per side."""

    stretch_id: str
    name: str
    written: float
    tonight: float
    why: str  # e.g. "held to the end 7 nights"

    @property
    def text(self) -> str:
        """E.g. "tonight 24 s: held to the end 7 nights"."""
        return f"tonight {self.tonight:g} s: {self.why}"


def adjustable(step: Step) -> bool:
    """A one-sided stretch whose routine keeps it inside the article's range."""
    if step.kind is not StepKind.STRETCH or step.sides is not Sides.EACH or step.fade_out:
        return False
    low, high = step.stretch.hold_range
    return low <= step.hold_seconds <= high


def _nights_with(nights: Iterable[NightLike], stretch_id: str, night: date) -> list[list]:
    """The holds of `stretch_id` on each night before `night` that has any, oldest first."""
    found: dict[date, list] = {}
    for row in nights:
        if row.night_date < night:
            holds = [hold for hold in row.steps if hold.stretch_id == stretch_id]
            if holds:
                found.setdefault(row.night_date, []).extend(holds)
    return [found[day] for day in sorted(found)]


def _early(holds) -> bool:
    return any(hold.skipped and hold.held_seconds < EARLY * hold.planned_seconds for hold in holds)


def _to_the_end(holds) -> bool:
    return all(not hold.skipped and hold.held_seconds >= hold.planned_seconds - HELD_TO_THE_END
               for hold in holds)


def hold_tonight(step: Step, nights: Iterable[NightLike], night: date, rules: CoachRules) -> HoldChange | None:
    """Tonight's hold for `step`, or None when the rule leaves it as written."""
    if not rules.holds or not adjustable(step):
        return None
    stretch = step.stretch
    low, high = stretch.hold_range
    history = _nights_with(nights, stretch.id, night)
    recent = history[-rules.holds_short_of_nights:]
    early = sum(1 for holds in recent if _early(holds))
    if early >= rules.holds_short_nights:
        if low == step.hold_seconds:
            return None
        return HoldChange(stretch.id, stretch.short_name, step.hold_seconds, float(low),
                          f"skipped early on {early} of the last {len(recent)} nights")
    streak = 0
    for holds in reversed(history):
        if not _to_the_end(holds):
            break
        streak += 1
    weeks = streak // rules.holds_grow_nights
    if not weeks:
        return None
    tonight = float(min(high, max(low, step.hold_seconds + weeks * rules.holds_grow_seconds)))
    if tonight == step.hold_seconds:
        return None
    return HoldChange(stretch.id, stretch.short_name, step.hold_seconds, tonight,
                      f"held to the end {streak} nights")


def adjust_holds(routine: Routine, nights: Sequence[NightLike], night: date,
                 rules: CoachRules) -> tuple[Routine, tuple[HoldChange, ...]]:
    """`routine` with tonight's holds, and each change made."""
    steps, changes = [], []
    for step in routine.steps:
        change = hold_tonight(step, nights, night, rules)
        if change is not None:
            step = dataclasses.replace(step, hold_seconds=change.tonight)
            changes.append(change)
        steps.append(step)
    if not changes:
        return routine, ()
    return dataclasses.replace(routine, steps=tuple(steps)), tuple(changes)


def holds(changes: Sequence[HoldChange], rules: CoachRules) -> Finding:
    """The finding for tonight's first routine, whose hold changes are `changes`."""
    if not rules.holds:
        return turned_off(RULE, SOURCE)
    if not changes:
        return Finding(RULE, False, "every hold as the routine writes it.", SOURCE)
    return Finding(RULE, True, "; ".join(f"{change.name} {change.text}" for change in changes) + ".", SOURCE)
