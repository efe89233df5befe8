"""`psoas stats`: the report, its terminal heatmap and its picture."""

from datetime import date

from PIL import Image, ImageDraw
from stats_example import EXAMPLE_TODAY, example_history

from device.journal.heatmap import (
    BACKGROUND,
    LEVEL_COLOURS,
    PANEL_X,
    PNG_SIZE,
    _draw_legend,
    cell_box,
    render_stats_png,
)
from device.journal.reader import History, MarkRow, NightRow, StepRow
from device.journal.report import build_report, format_report, heat_level

TODAY = date(2026, 3, 3)  # a Tuesday, tonight not practised yet


def night(day: date, held_minutes: float, outcome: str = "finished", skipped: bool = False,
          marks: tuple[str, ...] = ()) -> NightRow:
    step = StepRow(f"{day}T22:20:00+01:00", "supine_release", "both", 600.0,
                   held_minutes * 60, 0.0, skipped)
    return NightRow(
        id=day.toordinal(), night_date=day, started_at=f"{day}T22:15:00+01:00", routine="full",
        ended_at=None, outcome=outcome, summary={}, steps=(step,),
        marks=tuple(MarkRow(f"{day}T22:18:00+01:00", side, "leg_dangle") for side in marks),
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
    assert "Streak     4 nights (best 4; one missed night forgiven)" in lines
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
