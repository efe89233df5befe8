"""Forgiving streaks, night counts and milestone words, as pure functions over night dates.

A *night* is a calendar date in the person's local time: a routine started in the small
hours (before `ROLLOVER_HOUR`) belongs to the evening before, so 22:15 and 00:40 are the same
night. Dates are plain `datetime.date` values, so daylight-saving changes cannot shift them;
`night_date` is the only function that looks at a wall-clock time.

Streaks forgive: up to `grace_nights` missed nights in a row do not break one. The streak
length counts the nights practised, not the calendar days it spans.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta

ROLLOVER_HOUR = 6  # a routine started before 06:00 belongs to the previous night
DEFAULT_GRACE_NIGHTS = 1


def night_date(moment: datetime, rollover_hour: int = ROLLOVER_HOUR) -> date:
    """The night `moment` belongs to, read on its own (local) wall clock."""
    if moment.hour < rollover_hour:
        return moment.date() - timedelta(days=1)
    return moment.date()


def _runs(nights: Iterable[date], grace_nights: int) -> list[list[date]]:
    """Practised dates, sorted and deduplicated, split where more than `grace_nights` are missed."""
    runs: list[list[date]] = []
    for night in sorted(set(nights)):
        if runs and (night - runs[-1][-1]).days - 1 <= grace_nights:
            runs[-1].append(night)
        else:
            runs.append([night])
    return runs


def _current_run(nights: Iterable[date], today: date, grace_nights: int) -> list[date]:
    """The run still alive on `today` (tonight not practised yet is not a miss), else []."""
    runs = _runs((n for n in nights if n <= today), grace_nights)
    if not runs or (today - runs[-1][-1]).days - 1 > grace_nights:
        return []
    return runs[-1]


def current_streak(
    nights: Iterable[date], today: date, grace_nights: int = DEFAULT_GRACE_NIGHTS
) -> int:
    """Nights practised in the streak that is still alive on `today`; 0 if it has lapsed."""
    return len(_current_run(nights, today, grace_nights))


def longest_streak(nights: Iterable[date], grace_nights: int = DEFAULT_GRACE_NIGHTS) -> int:
    """Nights practised in the longest streak ever."""
    return max((len(run) for run in _runs(nights, grace_nights)), default=0)


def nights_total(nights: Iterable[date], today: date) -> int:
    """Distinct nights practised up to and including `today`."""
    return len({n for n in nights if n <= today})


def nights_this_week(nights: Iterable[date], today: date) -> int:
    """Distinct nights practised in `today`'s week (Monday to Sunday), up to `today`."""
    monday = today - timedelta(days=today.weekday())
    return len({n for n in nights if monday <= n <= today})


def nights_this_month(nights: Iterable[date], today: date) -> int:
    """Distinct nights practised in `today`'s calendar month, up to `today`."""
    first = today.replace(day=1)
    return len({n for n in nights if first <= n <= today})


def total_minutes(held_seconds: Iterable[float]) -> int:
    """Whole minutes held, from hold durations in seconds."""
    return int(sum(max(0.0, s) for s in held_seconds) // 60)


def milestone_stage(nights: Iterable[date], today: date, grace_nights: int = DEFAULT_GRACE_NIGHTS) -> str:
    """Where the current streak stands, after the seed article's weeks.

    "" (no streak going), "first_night", "welcome_back" (a first night after a lapse),
    "first_nights", "week_two" or "week_three_on".
    """
    nights = list(nights)
    run = _current_run(nights, today, grace_nights)
    if not run:
        return ""
    if len(run) == 1:
        return "welcome_back" if any(n < run[0] for n in nights) else "first_night"
    days_in = (today - run[0]).days
    if days_in < 7:
        return "first_nights"
    return "week_two" if days_in < 14 else "week_three_on"


FIXED_WORDS = {"": "Rest well.", "first_night": "First night done. Go gently.",
               "welcome_back": "Welcome back. Go gently."}


def milestone_message(
    nights: Iterable[date], today: date, messages: Mapping[str, Sequence[str]],
    grace_nights: int = DEFAULT_GRACE_NIGHTS,
) -> str:
    """A few kind words for the done screen, chosen by `milestone_stage`.

    `messages` are the what-to-expect lines by stage (`Cards.expect` from
    `routines/data/cards.toml`); successive nights of a stage take turns through them.
    """
    nights = list(nights)
    stage = milestone_stage(nights, today, grace_nights)
    choices = messages.get(stage) or ()
    if not choices:
        return FIXED_WORDS.get(stage, FIXED_WORDS[""])
    return choices[len(nights) % len(choices)]


def done_summary(
    nights: Iterable[date], today: date, grace_nights: int = DEFAULT_GRACE_NIGHTS
) -> str:
    """The done screen's streak line, e.g. "Night 12 · 5-night streak".

    "" when tonight (`today`) does not count yet: nothing to celebrate.
    """
    nights = list(nights)
    total = nights_total(nights, today)
    if today not in nights:
        return ""
    streak = current_streak(nights, today, grace_nights)
    if total == 1:
        return "Night 1 · a good start"
    if streak <= 1:
        return f"Night {total} · fresh start"
    return f"Night {total} · {streak}-night streak"
