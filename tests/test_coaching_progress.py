"""`psoas stats` and its picture say what the coaching rules see, in full sentences with numbers."""

from __future__ import annotations

from datetime import timedelta

from coaching_rows import START, nights

from device.journal.heatmap import COACHING_ROW, PNG_SIZE, render_stats_png
from device.journal.reader import History, MorningRow
from device.journal.report import build_report, format_report
from routines.coaching.rules import CoachRules
from routines.outcomes import Side


def history(values, marks=()) -> History:
    mornings = tuple(MorningRow(START + timedelta(days=n), v, "2026-03-02T07:00:00+01:00", "button")
                     for n, v in enumerate(values))
    return History(tuple(nights(len(values), marks=marks)), mornings)


WORSE = history([3] * 21 + [6] * 6, marks=(Side.LEFT,))
TODAY = START + timedelta(days=26)


def test_stats_say_stiffer_mornings_and_the_tighter_side_in_full_sentences():
    report = build_report(WORSE, TODAY)
    assert len(report.coaching) == 2
    lines = format_report(report).splitlines()
    assert lines[-2].startswith("Coaching   Mornings have been stiffer for 4 mornings in a row: the last 7 "
                                "average 5.6, against 3.0 the same week 2 weeks before (+2.6 points, +86 %).")
    assert lines[-2].endswith("a suggestion, not a diagnosis.")
    assert lines[-1].startswith("           The left side was marked tighter on 7 of the last 7 nights")


def test_the_rules_can_be_turned_off_for_stats_too():
    report = build_report(WORSE, TODAY, rules=CoachRules(see_someone=False, sides=False))
    assert report.coaching == () and not format_report(report).splitlines()[-1].startswith(" " * 11)


def test_nothing_to_say_adds_nothing():
    report = build_report(history([3] * 27), TODAY)
    assert report.coaching == ()
    assert render_stats_png(report).size == PNG_SIZE


def test_the_picture_grows_by_the_rows_of_its_sentences():
    image = render_stats_png(build_report(WORSE, TODAY))
    extra = image.size[1] - PNG_SIZE[1]
    assert image.size[0] == PNG_SIZE[0] and extra > 2 * COACHING_ROW and (extra - 12) % COACHING_ROW == 0
    assert image.crop((0, PNG_SIZE[1], PNG_SIZE[0], image.size[1])).getbbox() is not None  # drawn
