"""Is it working? The morning stiffness trend, as pure functions over answers by date.

One morning's 0–10 answer is noisy, so what is watched is the average of seven mornings (a
date and the six before it), and only when at least `MIN_ANSWERS` of them were answered.
Studies of 0–10 pain ratings count a change of about 2 points, or about 30 %, as one that
matters to people (Farrar et al., Pain 2001); `is_meaningful` is that rule (written once, in
`routines.coaching.farrar`, which the coaching rules share), and nothing here calls a change
easier or stiffer before it holds. Answers are `{date: stiffness}` with "not
today" left out (`History.stiffness_by_date`); nights are the dates of practised nights.
The mornings of dates D-6 … D follow the nights D-7 … D-1: those are a week's nights.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import NamedTuple

from routines.coaching.farrar import (  # noqa: F401 - the trend's names for stats and the device
    MEANINGFUL_FRACTION,
    MEANINGFUL_POINTS,
    MIN_ANSWERS,
    SMALLEST_POINTS,
    WEEK_DAYS,
    WeekAverage,
    is_meaningful,
    week_average,
)
from routines.morning import average_text

COMPARE_WEEKS = 4  # `psoas stats` compares the last 7 mornings with the same 7 this many weeks before
EXPECT_AFTER_MORNINGS = 14  # the done screen uses the person's own numbers from this many answers


class MorningTrend(NamedTuple):
    """The last 7 mornings (`now`) against the same 7 `COMPARE_WEEKS` weeks before (`before`)."""

    now: WeekAverage
    before: WeekAverage
    answers_total: int  # answered mornings up to today, in all

    @property
    def change_points(self) -> float | None:
        """Now minus before, in points (negative: easier); None without both averages."""
        if self.now.average is None or self.before.average is None:
            return None
        return self.now.average - self.before.average

    @property
    def change_percent(self) -> float | None:
        """The change as a percentage of before; None without it or from an average of 0."""
        change = self.change_points
        if change is None or not self.before.average:
            return None
        return 100.0 * change / self.before.average

    @property
    def verdict(self) -> str:
        """"easier" or "stiffer" once the change is meaningful (`is_meaningful`), else ""."""
        change = self.change_points
        if change is None or not is_meaningful(self.before.average, self.now.average):
            return ""
        return "easier" if change < 0 else "stiffer"


def morning_trend(answers: Mapping[date, int], nights: Iterable[date], today: date) -> MorningTrend:
    """The trend as of `today`: its 7 mornings against the 7 ending `COMPARE_WEEKS` weeks earlier."""
    nights = set(nights)
    return MorningTrend(
        now=week_average(answers, today, nights),
        before=week_average(answers, today - timedelta(weeks=COMPARE_WEEKS), nights),
        answers_total=sum(1 for day in answers if day <= today),
    )


def last_week_average(answers: Mapping[date, int], today: date) -> float | None:
    """The average of the 7 mornings before `today` (today left out): what today's answer is
    compared with on the device ("Saved: 3 · last week 4.6")."""
    return week_average(answers, today - timedelta(days=1)).average


def points_text(points: float) -> str:
    """"2" or "1.4": a number of points, whole when it is."""
    text = average_text(points)
    return text[:-2] if text.endswith(".0") else text


def own_expect_line(answers: Mapping[date, int], today: date) -> str:
    """The done screen's what-to-expect line from the person's own mornings, or "".

    From `EXPECT_AFTER_MORNINGS` answers on, when the last 7 mornings average at least
    `SMALLEST_POINTS` lower than the first 7 (from the first answer): e.g. "Mornings 2 pts
    easier" (than week 1: no more fits a compact panel's heading). Stiffer mornings are left
    to the usual words.
    """
    answered = sorted(day for day in answers if day <= today)
    if len(answered) < EXPECT_AFTER_MORNINGS:
        return ""
    first = week_average(answers, answered[0] + timedelta(days=WEEK_DAYS - 1)).average
    now = week_average(answers, today).average
    if first is None or now is None or first - now < SMALLEST_POINTS - 1e-9:
        return ""
    easier = first - now
    unit = "pt" if points_text(easier) == "1" else "pts"
    return f"Mornings {points_text(easier)} {unit} easier"
