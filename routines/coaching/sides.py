"""Rule 4, one side tighter.

Source, the article's first nights: "It's normal to notice that one side is tighter than the
other, especially if you always cross the same leg or tend to favor one hip when you stand."
When one side was marked tighter (two quick presses during a hold) on `sides_nights` of the
last `sides_of_nights` practised nights, the done screen and stats say so. A night's side is
the one marked more often that night.

One-sided holds may start on the tighter side (`tighter_side_first`). The article names no
order, so the default keeps left first: the order the person learned, the screens show
("left 2/4") and the stretch's setup pages describe; the tighter side then has the other
side's hold behind it as a warm-up. Someone who prefers to meet the tighter side fresh turns it on.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from routines.coaching.history import NightLike, practised_until
from routines.coaching.rules import CoachRules, Finding, turned_off
from routines.model import Routine, Sides
from routines.outcomes import Side

RULE = "sides"
SOURCE = "It's normal to notice that one side is tighter than the other."


@dataclass(frozen=True)
class TighterSide:
    """`side` was marked tighter on `nights` of the last `of_nights` practised nights."""

    side: Side
    nights: int
    of_nights: int

    @property
    def line(self) -> str:
        """E.g. "Left tighter 5 of 7 nights"."""
        return f"{self.side.value.capitalize()} tighter {self.nights} of {self.of_nights} nights"


def night_side(rows: Iterable[NightLike]) -> Side | None:
    """The side marked more often in the rows of one night, or None (no marks, or as many on each)."""
    marks = [mark.side for row in rows for mark in row.marks]
    left, right = marks.count(Side.LEFT), marks.count(Side.RIGHT)
    return None if left == right else Side.LEFT if left > right else Side.RIGHT


def tighter_side(nights: Iterable[NightLike], night: date, rules: CoachRules) -> TighterSide | None:
    """The tighter side over the last practised nights up to `night` (included), or None."""
    if not rules.sides:
        return None
    recent: dict[date, list[NightLike]] = {}
    for row in practised_until(nights, night):
        recent.setdefault(row.night_date, []).append(row)
    days = sorted(recent)[-rules.sides_of_nights:]
    for side in (Side.LEFT, Side.RIGHT):
        count = sum(1 for day in days if night_side(recent[day]) is side)
        if count >= rules.sides_nights:
            return TighterSide(side, count, len(days))
    return None


def sides(nights: Iterable[NightLike], night: date, rules: CoachRules) -> Finding:
    """The finding before the night `night`: applies when one side is tighter (its `line`)."""
    if not rules.sides:
        return turned_off(RULE, SOURCE)
    from_date = [row for row in nights if row.night_date < night]
    found = tighter_side(from_date, night, rules)
    if found is None:
        return Finding(RULE, False, f"no side marked tighter on {rules.sides_nights} of the last "
                                    f"{rules.sides_of_nights} nights.", SOURCE)
    order = (f"one-sided holds start on the {found.side.value}" if rules.tighter_side_first
             else "holds keep left first ([coaching] tighter_side_first = false)")
    return Finding(RULE, True, f"{found.line}; {order}.", SOURCE, line=found.line)


def order_sides(routine: Routine, nights: Iterable[NightLike], night: date, rules: CoachRules) -> Routine:
    """`routine` with its one-sided holds starting on the tighter side, when the person turned
    `tighter_side_first` on and the right side is the tighter one; else `routine` as it is."""
    if not rules.tighter_side_first:
        return routine
    found = tighter_side([row for row in nights if row.night_date < night], night, rules)
    if found is None or found.side is not Side.RIGHT:
        return routine
    steps = tuple(dataclasses.replace(step, right_first=True) if step.sides is Sides.EACH else step
                  for step in routine.steps)
    return dataclasses.replace(routine, steps=steps)
