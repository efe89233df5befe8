"""What `psoas stats` shows: the last weeks as a heatmap, the streak, totals, tighter side, and
the morning stiffness trend (`device.journal.trend`).

`build_report(history, today)` is pure: it turns the journal's history into a `StatsReport`
that both the terminal text (`format_report`) and the picture (`device.journal.heatmap`) draw.
Minutes are minutes held (the sum of completed hold times), not time in bed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from device.journal import streaks, trend
from device.journal.reader import History
from device.journal.trend import MorningTrend, WeekAverage
from routines.coaching.plan import progress_sentences
from routines.coaching.rules import DEFAULTS, CoachRules
from routines.outcomes import Side
from routines.wording import counted

WEEKS_SHOWN = 8
LEVEL_LIMITS_MINUTES = (5.0, 10.0, 20.0)  # level 1 below 5 min, 2 below 10, 3 below 20, 4 above
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
UNICODE_SHADES = ("·", "░", "▒", "▓", "█")
ASCII_SHADES = (".", "-", "+", "*", "#")


@dataclass(frozen=True)
class Day:
    """One night in the heatmap. `level` 0 (not practised) … 4; None for days still ahead.

    `stiffness` is that date's morning answer (0–10) and `stiffness_average` the 7-day
    average ending that morning (None: no answer, too few answers, or still ahead).
    """

    day: date
    minutes: float
    level: int | None
    tighter_left: int = 0
    tighter_right: int = 0
    stiffness: int | None = None
    stiffness_average: float | None = None


@dataclass(frozen=True)
class Week:
    """Monday to Sunday."""

    monday: date
    days: tuple[Day, ...]

    @property
    def minutes(self) -> float:
        return sum(d.minutes for d in self.days)

    @property
    def tighter_left(self) -> int:
        return sum(d.tighter_left for d in self.days)

    @property
    def tighter_right(self) -> int:
        return sum(d.tighter_right for d in self.days)


@dataclass(frozen=True)
class StatsReport:
    today: date
    weeks: tuple[Week, ...]  # oldest first; the last one holds `today`
    nights_total: int
    current_streak: int
    longest_streak: int
    nights_this_week: int
    nights_this_month: int
    total_minutes: int
    tighter_left: int  # all time
    tighter_right: int
    grace_nights: int
    mornings: MorningTrend
    coaching: tuple[str, ...] = ()  # the coaching rules' full sentences (`progress_sentences`)


def heat_level(minutes: float, practised: bool) -> int:
    """0 for a night that does not count, else 1–4 by minutes held."""
    if not practised:
        return 0
    return 1 + sum(minutes >= limit for limit in LEVEL_LIMITS_MINUTES)


def build_report(
    history: History,
    today: date,
    grace_nights: int = streaks.DEFAULT_GRACE_NIGHTS,
    weeks: int = WEEKS_SHOWN,
    rules: CoachRules = DEFAULTS,
) -> StatsReport:
    """The report as of the night `today`, with `weeks` weeks ending with today's week.

    The mornings run up to the morning after the night `today` when it is already answered:
    before 06:00 the night's date is still the evening before (`streaks.night_date`), and a
    check-in at 05:30 belongs to the calendar date.
    """
    practised = history.practised_dates()
    answers = history.stiffness_by_date()
    morning_today = today + timedelta(days=1) if today + timedelta(days=1) in answers else today
    minutes = {d: s / 60 for d, s in history.held_seconds_by_date().items()}
    left: dict[date, int] = {}
    right: dict[date, int] = {}
    for night in history.nights:
        for mark in night.marks:
            tally = left if mark.side is Side.LEFT else right
            tally[night.night_date] = tally.get(night.night_date, 0) + 1
    first_monday = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    rows = []
    for w in range(weeks):
        monday = first_monday + timedelta(weeks=w)
        days = []
        for offset in range(7):
            day = monday + timedelta(days=offset)
            level = None if day > today else heat_level(minutes.get(day, 0.0), day in practised)
            morning = {} if day > morning_today else {
                "stiffness": answers.get(day), "stiffness_average": trend.week_average(answers, day).average}
            days.append(Day(day, minutes.get(day, 0.0), level, left.get(day, 0), right.get(day, 0), **morning))
        rows.append(Week(monday, tuple(days)))
    return StatsReport(
        today=today,
        weeks=tuple(rows),
        nights_total=streaks.nights_total(practised, today),
        current_streak=streaks.current_streak(practised, today, grace_nights),
        longest_streak=streaks.longest_streak(practised, grace_nights),
        nights_this_week=streaks.nights_this_week(practised, today),
        nights_this_month=streaks.nights_this_month(practised, today),
        total_minutes=streaks.total_minutes(s.held_seconds for n in history.nights for s in n.steps),
        tighter_left=sum(left.values()),
        tighter_right=sum(right.values()),
        grace_nights=grace_nights,
        mornings=trend.morning_trend(answers, practised, morning_today),
        coaching=progress_sentences(history.nights, answers, morning_today, rules),
    )


def short_date(day: date) -> str:
    """e.g. "6 Jan", without the locale."""
    return f"{day.day} {MONTHS[day.month - 1]}"


def duration_text(minutes: int) -> str:
    """e.g. "6 h 12 min" or "45 min"."""
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if hours else f"{rest} min"


def forgives_text(grace_nights: int) -> str:
    """The streak's rule, whether or not a night was missed: "forgives no missed night",
    "forgives 1 missed night", "forgives 2 missed nights in a row"."""
    if grace_nights == 0:
        return "forgives no missed night"
    return f"forgives {counted(grace_nights, 'missed night')}" + (" in a row" if grace_nights > 1 else "")


def streak_text(report: StatsReport) -> str:
    """e.g. "4 nights (best 6; forgives 1 missed night)"."""
    rule = forgives_text(report.grace_nights)
    return f"{counted(report.current_streak, 'night')} (best {report.longest_streak}; {rule})"


def tighter_text(report: StatsReport, dot: str = "·") -> str:
    left, right = report.tighter_left, report.tighter_right
    if left == right == 0:
        return "no marks yet"
    verdict = "even" if left == right else ("left" if left > right else "right") + " more often"
    return f"left {left} {dot} right {right} ({verdict})"


def week_text(week: WeekAverage, dash: str = "–", dot: str = "·") -> str:
    """e.g. "26 Feb–4 Mar · 5 answers · 7 of 7 nights with a routine" (the average left out)."""
    answers = counted(week.answers, "answer")
    if week.average is None:
        answers += f" (a 7-day average needs {trend.MIN_ANSWERS})"
    return (f"{short_date(week.first)}{dash}{short_date(week.last)} {dot} {answers} {dot} "
            f"{week.nights} of 7 nights with a routine")


def _week_line(label: str, week: WeekAverage, dash: str, dot: str) -> str:
    value = "-" if week.average is None else trend.average_text(week.average)
    return f"  {label:<8} {value:>4}  {week_text(week, dash, dot)}"


def change_figures(mornings: MorningTrend) -> str:
    """The change in points and percent, e.g. "-2.3 points (-42 %)"; "" without both averages."""
    points, percent = mornings.change_points, mornings.change_percent
    if points is None:
        return ""
    return f"{points:+.1f} points" + ("" if percent is None else f" ({percent:+.0f} %)")


def change_text(mornings: MorningTrend) -> str:
    """The change in points and percent, and in plain words once it is meaningful."""
    figures = change_figures(mornings)
    if not figures:
        return "needs a 7-day average in both weeks"
    if mornings.verdict:
        return f"{figures}: mornings are clearly {mornings.verdict}"
    return (f"{figures}: not a clear change yet (about {trend.MEANINGFUL_POINTS:g} points or "
            f"{trend.MEANINGFUL_FRACTION * 100:.0f} % would be)")


def mornings_lines(report: StatsReport, unicode: bool = True) -> list[str]:
    """The morning stiffness trend as terminal lines (see `device.journal.trend`)."""
    mornings = report.mornings
    dash, dot = ("–", "·") if unicode else ("-", "|")
    if not mornings.answers_total:
        return ["Mornings   no answers yet: press the button in the morning, or `psoas morning 3`"]
    before = f"{trend.COMPARE_WEEKS} wk ago"
    answers = counted(mornings.answers_total, "answer")
    return [
        f"Mornings   stiffness 0{dash}10, average of 7 mornings {dot} {answers} in all",
        _week_line("now", mornings.now, dash, dot),
        _week_line(before, mornings.before, dash, dot),
        f"  {'change':<8} {change_text(mornings)}",
    ]


def format_report(report: StatsReport, unicode: bool = True) -> str:
    """The report as terminal text: a heatmap of weeks (rows) by weekday, then the totals."""
    shades = UNICODE_SHADES if unicode else ASCII_SHADES
    dot = "·" if unicode else "|"
    lines = [
        f"Psoas journal {dot} last {counted(len(report.weeks), 'week')} {dot} minutes held each night",
        "          " + " ".join(WEEKDAYS) + "   min  tighter L/R",
    ]
    for week in report.weeks:
        cells = " ".join(" " + (" " if d.level is None else shades[d.level]) for d in week.days)
        marks = f"{week.tighter_left}/{week.tighter_right}" if week.tighter_left + week.tighter_right else ""
        row = f"  {short_date(week.monday):>6} {cells}  {int(week.minutes):>4}  {marks}"
        lines.append(row.rstrip())
    lower, middle, upper = (f"{limit:g}" for limit in LEVEL_LIMITS_MINUTES)
    lines.append(
        f"  {shades[0]} none  {shades[1]} <{lower}  {shades[2]} {lower}-{middle}  "
        f"{shades[3]} {middle}-{upper}  {shades[4]} {upper}+ min"
    )
    lines += [
        "",
        f"Streak     {streak_text(report)}",
        f"Nights     {report.nights_total} in all {dot} {report.nights_this_week} this week "
        f"{dot} {report.nights_this_month} this month",
        f"Time held  {duration_text(report.total_minutes)}",
        f"Tighter    {tighter_text(report, dot)}",
    ]
    lines += mornings_lines(report, unicode)
    lines += [f"{'Coaching' if n == 0 else '':<10} {sentence}" for n, sentence in enumerate(report.coaching)]
    return "\n".join(lines) + "\n"
