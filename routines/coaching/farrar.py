"""When a change in morning stiffness matters: 7-day averages and the Farrar rule.

One morning's 0–10 answer is noisy, so what is watched is the average of seven mornings (a
date and the six before it), and only when at least `MIN_ANSWERS` of them were answered.
Studies of 0–10 pain ratings count a change of about 2 points, or about 30 %, as one that
matters to people (Farrar et al., Pain 2001); `is_meaningful` is that rule, written once here
for the stats trend (`device.journal.trend`) and the coaching rules alike. Answers are
`{morning date: stiffness}` with "not today" left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import NamedTuple

WEEK_DAYS = 7
MIN_ANSWERS = 3  # a 7-day average needs at least this many answers among its 7 mornings
MEANINGFUL_POINTS = 2.0  # Farrar et al. 2001: about 2 points on a 0–10 scale …
MEANINGFUL_FRACTION = 0.30  # … or about 30 % of where it started
SMALLEST_POINTS = 1.0  # a change below this is not called meaningful by the percent alone
_EPSILON = 1e-9  # averages are floats: 2.0 points is 2.0 points


class WeekAverage(NamedTuple):
    """The mornings `first` … `last` (7 dates): how many were answered, their average (None:
    fewer than `MIN_ANSWERS`), and the practised nights before them."""

    first: date
    last: date
    answers: int
    average: float | None
    nights: int


def is_meaningful(before: float, now: float, points: float = MEANINGFUL_POINTS,
                  fraction: float = MEANINGFUL_FRACTION) -> bool:
    """True when going from `before` to `now` (7-day averages) is a change that matters:
    at least `points`, or `fraction` of `before` and at least `SMALLEST_POINTS`."""
    change = abs(now - before)
    if change >= points - _EPSILON:
        return True
    return before > 0 and change >= SMALLEST_POINTS - _EPSILON and change / before >= fraction - _EPSILON


def week_average(answers: Mapping[date, int], last: date, nights: Iterable[date] = ()) -> WeekAverage:
    """The 7 mornings ending with `last` (included), and the practised `nights` before them."""
    first = last - timedelta(days=WEEK_DAYS - 1)
    days = (first + timedelta(days=offset) for offset in range(WEEK_DAYS))
    values = [answers[day] for day in days if day in answers]  # 7 look-ups, however long the history
    average = sum(values) / len(values) if len(values) >= MIN_ANSWERS else None
    night_count = len({n for n in nights if first - timedelta(days=1) <= n <= last - timedelta(days=1)})
    return WeekAverage(first, last, len(values), average, night_count)
