"""The morning trend: 7-day averages, the 4-weeks-before comparison, and when a change counts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

import display
from device.journal import trend
from device.journal.trend import (
    is_meaningful,
    last_week_average,
    morning_trend,
    own_expect_line,
    week_average,
)
from display.preview import GALLERY_SIZES
from display.samples import sample_states

TODAY = date(2026, 3, 4)


def days_back(*values: int | None, last: date = TODAY) -> dict[date, int]:
    """Answers for the mornings ending with `last`, oldest first; None: not answered."""
    start = last - timedelta(days=len(values) - 1)
    return {start + timedelta(days=n): v for n, v in enumerate(values) if v is not None}


def test_a_week_average_needs_three_answers_among_its_seven_mornings():
    assert week_average(days_back(4, None, None, None, None, 6, 5), TODAY).average == 5.0
    two = week_average(days_back(None, None, None, None, None, 6, 5), TODAY)
    assert (two.answers, two.average) == (2, None)
    assert week_average(days_back(9, 9, 9, 1, 1, 1, 1, 1), TODAY).average == pytest.approx(23 / 7)  # the oldest 9 is 8 days back


def test_a_weeks_nights_are_the_nights_before_its_mornings():
    nights = [TODAY - timedelta(days=n) for n in range(0, 10)]  # tonight … 9 nights ago
    week = week_average({}, TODAY, nights)
    assert (week.first, week.last) == (TODAY - timedelta(days=6), TODAY)
    assert week.nights == 7  # the nights of 25 Feb … 3 Mar; tonight has no morning yet


@pytest.mark.parametrize(("before", "now", "meaningful"), [
    (6.0, 4.0, True),  # 2 points
    (6.0, 4.1, True),  # 1.9 points, but 32 %
    (3.0, 2.0, True),  # 1 point, 33 %
    (5.0, 4.0, False),  # 1 point, 20 %
    (2.0, 1.2, False),  # 40 %, but under a point: too small to call
    (0.0, 1.5, False),  # from 0: only the points count
    (0.0, 2.0, True),
    (4.0, 6.0, True),  # stiffer counts the same way
])
def test_a_change_is_meaningful_from_about_2_points_or_30_percent(before, now, meaningful):
    assert is_meaningful(before, now) is meaningful


def test_the_trend_compares_the_last_seven_mornings_with_four_weeks_before():
    answers = days_back(*[6, 7, 6, 5, 6, 6, 7], last=TODAY - timedelta(weeks=4))
    answers |= days_back(4, 3, None, 4, 3, 4, 3)
    result = morning_trend(answers, [TODAY - timedelta(days=2)], TODAY)
    assert result.before.average == pytest.approx(43 / 7)
    assert result.now.average == pytest.approx(3.5)
    assert result.change_points == pytest.approx(3.5 - 43 / 7)
    assert result.change_percent == pytest.approx(100 * (3.5 - 43 / 7) / (43 / 7))
    assert result.verdict == "easier" and result.answers_total == 13
    assert (result.now.nights, result.before.nights) == (1, 0)


def test_no_words_before_the_change_is_meaningful():
    answers = days_back(5, 5, 5, 5, 5, 5, 5, last=TODAY - timedelta(weeks=4)) | days_back(4, 4, 4, 5, 4, 4, 4)
    result = morning_trend(answers, [], TODAY)
    assert result.change_points == pytest.approx(-6 / 7) and result.verdict == ""
    assert morning_trend(days_back(4, 4, 4), [], TODAY).change_points is None  # no week before


def test_last_week_leaves_today_out():
    answers = days_back(2, 2, 2, 2, 2, 2, 2, 9)
    assert last_week_average(answers, TODAY) == 2.0
    assert week_average(answers, TODAY).average == pytest.approx(21 / 7)


def test_the_done_screen_uses_own_numbers_from_fourteen_mornings_when_easier():
    first_week = days_back(6, 6, 7, 6, 6, 5, 6, last=TODAY - timedelta(days=7))
    assert own_expect_line(first_week | days_back(4, 4, 4, 4, 4, 4), TODAY) == ""  # 13 mornings
    fourteen = first_week | days_back(4, 4, 4, 4, 4, 4, 4)
    assert own_expect_line(fourteen, TODAY) == "Mornings 2 pts easier"
    assert own_expect_line(first_week | days_back(5, 5, 5, 5, 5, 5, 5), TODAY) == "Mornings 1 pt easier"
    assert own_expect_line(first_week | days_back(6, 6, 5, 6, 6, 6, 6), TODAY) == ""  # not easier: usual words
    assert own_expect_line(first_week | days_back(4, 5, 4, 4, 4, 5, 5), TODAY) == "Mornings 1.6 pts easier"


def test_points_are_whole_when_they_are():
    assert [trend.points_text(p) for p in (2.0, 1.96, 1.44, 0.0)] == ["2", "2", "1.4", "0"]


def test_the_own_words_fit_the_done_screen_at_every_size():
    first_week = days_back(10, 10, 10, 10, 10, 10, 10, last=TODAY - timedelta(days=7))
    words = own_expect_line(first_week | days_back(0, 1, 0, 0, 0, 0, 0), TODAY)
    assert words == "Mornings 9.9 pts easier"  # about the longest it gets
    done = replace(sample_states()["done"], title=words, lines=("Side: pillow between knees.",))
    assert all(display.overflows(done, size) == [] for size in GALLERY_SIZES)
