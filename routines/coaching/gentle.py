"""Rule 2, a stiff morning: a gentle night.

Source, the article's small tweaks: "Adding a second pillow under your knees on high-pain days",
"Doing just 60 seconds of leg dangle on each side instead of forcing a long hold", "Using the
90–90 chair-supported position on days when your lower back feels overloaded": the built-in
high-pain-day routine (`gentle_routine`). When this morning's answer is `stiff_morning_at` or
more, or at least `stiff_morning_above_average` points above the person's own last 7 mornings
(Farrar's 2 points, `routines.coaching.farrar`), it is offered first. Never more than the
person chose: it is not put first when it would take longer than the routine first already.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from routines.coaching import farrar
from routines.coaching.rules import CoachRules, Finding, turned_off
from routines.model import Routine
from routines.morning import average_text

RULE = "stiff_morning"
SOURCE = ("Adding a second pillow under your knees on high-pain days; doing just 60 seconds of leg "
          "dangle on each side instead of forcing a long hold; using the 90–90 chair-supported "
          "position on days when your lower back feels overloaded.")
LINE = "Stiff morning: go gently"


def minutes(routine: Routine, pauses: tuple[float, float]) -> float:
    """Planned minutes of `routine` with the (switch, transition) pauses in seconds."""
    return routine.planned_seconds(*pauses) / 60


def stiff_reason(answers: Mapping[date, int], night: date, rules: CoachRules) -> str:
    """Why the morning of `night` (its date) was stiff, e.g. "8, 7 or more"; "" when it was not
    (or was not answered)."""
    answer = answers.get(night)
    if answer is None:
        return ""
    if answer >= rules.stiff_morning_at:
        return f"{answer}, {rules.stiff_morning_at} or more"
    average = farrar.week_average(answers, night - timedelta(days=1)).average
    if average is not None and answer - average >= rules.stiff_morning_above_average - 1e-9:
        return f"{answer}, {answer - average:.1f} points above your last 7 mornings ({average_text(average)})"
    return ""


def stiff_morning(answers: Mapping[date, int], night: date, first: Routine, gentle: Routine | None,
                  rules: CoachRules, pauses: tuple[float, float]) -> Finding:
    """The finding for the night `night`, whose morning answer is `answers[night]`; `first` is
    the routine offered first so far, `gentle` the one called `rules.gentle_routine`."""
    if not rules.stiff_morning:
        return turned_off(RULE, SOURCE)
    if night not in answers:
        return Finding(RULE, False, "no answer this morning.", SOURCE)
    reason = stiff_reason(answers, night, rules)
    if not reason:
        return Finding(RULE, False, f"this morning {answers[night]}: not a stiff morning "
                                    f"({rules.stiff_morning_at} or more, or "
                                    f"{rules.stiff_morning_above_average:g} points above your last 7).", SOURCE)
    if gentle is None:
        return Finding(RULE, False, f"this morning {reason}, but there is no routine called "
                                    f"{rules.gentle_routine!r}.", SOURCE)
    if gentle.name != first.name and minutes(gentle, pauses) > minutes(first, pauses):
        return Finding(RULE, False, f"this morning {reason}, but {gentle.title} "
                                    f"({minutes(gentle, pauses):.0f} min) would take longer than "
                                    f"{first.title} ({minutes(first, pauses):.0f} min): never a longer "
                                    "routine first.", SOURCE)
    return Finding(RULE, True, f"this morning {reason}: {gentle.title} first, with a second pillow "
                               "under your knees.", SOURCE, line=LINE)
