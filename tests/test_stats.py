"""`psoas stats`: the report, its terminal heatmap and its picture."""

from datetime import date, timedelta

import pytest
from PIL import Image, ImageDraw
from stats_example import EXAMPLE_TODAY, example_history

from device.journal.heatmap import (
    BACKGROUND,
    LEVEL_COLOURS,
    MORNING_COLOUR,
    PANEL_X,
    PNG_SIZE,
    _draw_legend,
    cell_box,
    day_x,
    render_stats_png,
    stiffness_y,
)
from device.journal.reader import History, MarkRow, MorningRow, NightRow, StepRow
from device.journal.report import build_report, format_report, heat_level
from routines.outcomes import Outcome, Side

TODAY = date(2026, 3, 3)  # a Tuesday, tonight not practised yet


def night(day: date, held_minutes: float, outcome: str = "finished", skipped: bool = False,
          marks: tuple[str, ...] = ()) -> NightRow:
    step = StepRow(f"{day}T22:20:00+01:00", "supine_release", Side.BOTH, 600.0,
                   held_minutes * 60, 0.0, skipped)
    return NightRow(
        id=day.toordinal(), night_date=day, started_at=f"{day}T22:15:00+01:00", routine="full",
        ended_at=None, outcome=Outcome(outcome), summary={}, steps=(step,),
        marks=tuple(MarkRow(f"{day}T22:18:00+01:00", Side(side), "leg_dangle") for side in marks),
    )


HISTORY = History((
    night(date(2026, 1, 5), 3.0, marks=("left",)),  # before the 8 weeks: totals only
    night(date(2026, 2, 25), 12.0, marks=("left", "left")),
    night(date(2026, 2, 26), 4.0, outcome="stopped", marks=("right",)),
    night(date(2026, 2, 28), 25.0),  # 27 Feb missed, forgiven
    night(date(2026, 3, 1), 8.0),
    night(date(2026, 3, 2), 7.0, outcome="stopped", skipped=True),  # does not count: missed
))


def test_heat_levels_follow_minutes_held():
    assert [heat_level(m, True) for m in (0.5, 4.9, 5, 9.9, 10, 19.9, 20, 90)] == [1, 1, 2, 2, 3, 3, 4, 4]
    assert heat_level(30, practised=False) == 0


def test_the_report_covers_eight_weeks_ending_with_this_week():
    report = build_report(HISTORY, TODAY)
    assert len(report.weeks) == 8
    assert report.weeks[0].monday == date(2026, 1, 12)
    assert report.weeks[-1].monday == date(2026, 3, 2)
    this_week = report.weeks[-1].days
    assert [d.level for d in this_week] == [0, 0, None, None, None, None, None]  # Wed on: ahead
    last_week = {d.day: d for d in report.weeks[-2].days}
    assert last_week[date(2026, 2, 25)].level == 3
    assert last_week[date(2026, 2, 26)].level == 1
    assert last_week[date(2026, 2, 27)].level == 0
    assert last_week[date(2026, 2, 28)].level == 4
    assert last_week[date(2026, 3, 1)].level == 2
    assert (report.weeks[-2].tighter_left, report.weeks[-2].tighter_right) == (2, 1)


def test_the_report_totals_streak_and_tighter_sides():
    report = build_report(HISTORY, TODAY)
    assert report.nights_total == 5
    assert report.current_streak == 4  # 25, 26, 28 Feb, 1 Mar: one-night gaps forgiven
    assert build_report(HISTORY, TODAY, grace_nights=0).current_streak == 0  # 2 Mar missed
    assert build_report(HISTORY, TODAY, grace_nights=0).longest_streak == 2
    assert (report.nights_this_week, report.nights_this_month) == (0, 1)
    assert report.total_minutes == 59  # held time counts even on a skipped hold
    assert (report.tighter_left, report.tighter_right) == (3, 1)


def test_terminal_heatmap_has_a_row_per_week_and_the_totals():
    text = format_report(build_report(HISTORY, TODAY))
    lines = text.splitlines()
    assert lines[1].split()[:7] == ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
    assert lines[2].startswith("  12 Jan")
    assert lines[8] == "  23 Feb  ·  ·  ▓  ░  ·  █  ▒    49  2/1"
    assert lines[9] == "   2 Mar  ·  ·                    7"  # a skipped hold is not shaded
    assert "Streak     4 nights (best 4; forgives 1 missed night)" in lines
    assert "Nights     5 in all · 0 this week · 1 this month" in lines
    assert "Time held  59 min" in lines
    assert "Tighter    left 3 · right 1 (left more often)" in lines


def test_terminal_heatmap_falls_back_to_ascii():
    text = format_report(build_report(HISTORY, TODAY), unicode=False)
    text.encode("ascii")
    assert "  23 Feb  .  .  *  -  .  #  +" in text


def test_the_picture_has_the_expected_size_and_shades_practised_nights():
    image = render_stats_png(build_report(HISTORY, TODAY))
    assert image.size == PNG_SIZE and image.mode == "RGB"

    def centre(week: int, weekday: int) -> tuple[int, int, int]:
        x0, y0, x1, y1 = cell_box(week, weekday)
        return image.getpixel(((x0 + x1) // 2, (y0 + y1) // 2))

    assert centre(6, 2) == LEVEL_COLOURS[3]  # Wed 25 Feb, 12 min
    assert centre(6, 5) == LEVEL_COLOURS[4]  # Sat 28 Feb, 25 min
    assert centre(6, 4) == BACKGROUND  # Fri 27 Feb missed: an outline, not a block
    assert centre(6, 6) == LEVEL_COLOURS[2]  # Sun 1 Mar, 8 min
    assert centre(7, 0) == BACKGROUND  # Mon 2 Mar, only a skipped hold
    assert centre(7, 6) == BACKGROUND  # Sun 8 Mar is still ahead


def test_the_picture_of_an_empty_journal_is_drawn_too():
    image = render_stats_png(build_report(History(), TODAY))
    assert image.size == PNG_SIZE
    assert image.getbbox() is not None


def test_the_legend_stays_clear_of_the_panel():
    draw = ImageDraw.Draw(Image.new("RGB", PNG_SIZE))
    assert _draw_legend(draw) < PANEL_X


def test_the_example_history_is_plausible_and_fixed():
    history = example_history()
    assert history == example_history()
    report = build_report(history, EXAMPLE_TODAY)
    assert 25 <= report.nights_total <= 56
    assert report.tighter_left > report.tighter_right


def mornings(first: date, *values: int | None) -> tuple[MorningRow, ...]:
    return tuple(MorningRow(first + timedelta(days=n), v, f"{first + timedelta(days=n)}T07:00:00+01:00", "button")
                 for n, v in enumerate(values) if v is not None)


EASIER = History(HISTORY.nights, mornings(date(2026, 1, 28), 6, 7, 6, 6, 5, 7, 6)
                 + mornings(date(2026, 2, 25), 4, 3, None, 4, 3, 4, 3))


def test_the_report_has_the_morning_trend_and_each_days_answer():
    report = build_report(EASIER, TODAY)
    assert report.mornings.now.average == 3.5 and report.mornings.verdict == "easier"
    days = {d.day: d for week in report.weeks for d in week.days}
    assert days[date(2026, 2, 25)].stiffness == 4 and days[date(2026, 2, 27)].stiffness is None
    assert days[date(2026, 2, 27)].stiffness_average is None  # only 2 answers so far
    assert days[date(2026, 2, 28)].stiffness_average == pytest.approx(11 / 3)
    assert days[date(2026, 3, 4)].stiffness_average is None  # still ahead


def test_terminal_report_names_a_meaningful_change_in_plain_words():
    lines = format_report(build_report(EASIER, TODAY)).splitlines()
    assert lines[-4:] == [
        "Mornings   stiffness 0–10, average of 7 mornings · 13 answers in all",
        "  now       3.5  25 Feb–3 Mar · 6 answers · 4 of 7 nights with a routine",
        "  4 wk ago  6.1  28 Jan–3 Feb · 7 answers · 0 of 7 nights with a routine",
        "  change   -2.6 points (-43 %): mornings are clearly easier",
    ]


def test_terminal_report_says_when_a_change_is_not_clear_yet_or_cannot_be_told():
    small = History(HISTORY.nights, mornings(date(2026, 1, 28), 5, 5, 5, 5, 5, 5, 5)
                    + mornings(date(2026, 2, 25), 4, 5, 4, 4, 5, 4, 4))
    assert format_report(build_report(small, TODAY)).splitlines()[-1] == (
        "  change   -0.7 points (-14 %): not a clear change yet (about 2 points or 30 % would be)")
    few = History(HISTORY.nights, mornings(date(2026, 3, 2), 4, 3))
    lines = format_report(build_report(few, TODAY), unicode=False).splitlines()
    assert lines[-3].startswith("  now         -  25 Feb-3 Mar | 2 answers (a 7-day average needs 3)")
    assert lines[-1] == "  change   needs a 7-day average in both weeks"
    assert format_report(build_report(HISTORY, TODAY)).splitlines()[-1] == (
        "Mornings   no answers yet: press the button in the morning, or `psoas morning 3`")


def test_the_picture_draws_the_seven_day_average_above_the_same_dates():
    image = render_stats_png(build_report(EASIER, TODAY))
    week, weekday = 6, 6  # Sun 1 Mar: average of 4, 3, 4, 3
    x = round(day_x(week, weekday))
    assert cell_box(week, weekday)[0] <= x <= cell_box(week, weekday)[2]  # inside the night's column
    line = [image.getpixel((x, y)) for y in range(round(stiffness_y(3.5)) - 1, round(stiffness_y(3.5)) + 2)]
    assert MORNING_COLOUR in line
    empty = render_stats_png(build_report(HISTORY, TODAY))
    assert all(MORNING_COLOUR not in [empty.getpixel((x, y)) for y in range(60, 160)] for x in range(64, 330))


def test_a_morning_answered_before_six_counts_though_the_night_is_still_yesterday():
    early = History(HISTORY.nights, mornings(date(2026, 3, 2), 4, 3, 5))  # the 4th answered at 05:30
    report = build_report(early, TODAY)  # the night of the 3rd: it is 05:30 on the 4th
    assert report.mornings.now.last == date(2026, 3, 4) and report.mornings.now.average == 4.0
    days = {d.day: d for week in report.weeks for d in week.days}
    assert days[date(2026, 3, 4)].stiffness == 5 and days[date(2026, 3, 4)].level is None
