"""Streak rules: forgiving misses, month and year ends, DST nights, milestone words."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fakes import FakeWallClock
from hypothesis import given
from hypothesis import strategies as st

from device.journal import streaks
from device.journal.writer import Journal
from routines.events import Event, StepRecord
from routines.outcomes import Outcome, Side

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def days(start: date, *offsets: int) -> list[date]:
    return [start + timedelta(days=o) for o in offsets]


# -- which night a moment belongs to ---------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "night"),
    [
        (datetime(2024, 3, 30, 22, 15, tzinfo=BERLIN), date(2024, 3, 30)),
        # spring forward: 02:00 -> 03:00 on 31 March; 01:30 and 03:30 are the night before
        (datetime(2024, 3, 31, 1, 30, tzinfo=BERLIN), date(2024, 3, 30)),
        (datetime(2024, 3, 31, 3, 30, tzinfo=BERLIN), date(2024, 3, 30)),
        # fall back: 02:30 happens twice on 27 October; both belong to the 26th
        (datetime(2024, 10, 27, 2, 30, fold=0, tzinfo=BERLIN), date(2024, 10, 26)),
        (datetime(2024, 10, 27, 2, 30, fold=1, tzinfo=BERLIN), date(2024, 10, 26)),
        (datetime(2024, 10, 27, 6, 0, tzinfo=BERLIN), date(2024, 10, 27)),
        (datetime(2025, 1, 1, 0, 20, tzinfo=NEW_YORK), date(2024, 12, 31)),
        (datetime(2024, 3, 1, 5, 59, tzinfo=NEW_YORK), date(2024, 2, 29)),
    ],
)
def test_night_date_uses_the_local_wall_clock_with_a_small_hours_rollover(moment, night):
    assert streaks.night_date(moment) == night


def test_night_date_is_the_same_instant_read_in_its_own_zone():
    instant = datetime(2024, 3, 31, 0, 30, tzinfo=ZoneInfo("UTC"))  # 01:30 CET, before the switch
    assert streaks.night_date(instant.astimezone(BERLIN)) == date(2024, 3, 30)
    assert streaks.night_date(instant.astimezone(NEW_YORK)) == date(2024, 3, 30)  # 20:30


# -- forgiving streaks ----------------------------------------------------------------------


def test_one_missed_night_is_forgiven_by_default():
    nights = days(date(2024, 5, 1), 0, 1, 3, 4)  # 3 May missed
    assert streaks.current_streak(nights, today=date(2024, 5, 5)) == 4


def test_two_missed_nights_in_a_row_break_the_streak():
    nights = days(date(2024, 5, 1), 0, 1, 4, 5)  # 3 and 4 May missed
    assert streaks.current_streak(nights, today=date(2024, 5, 6)) == 2
    assert streaks.longest_streak(nights) == 2


def test_grace_is_configurable():
    nights = days(date(2024, 5, 1), 0, 1, 4, 5)
    assert streaks.current_streak(nights, date(2024, 5, 6), grace_nights=2) == 4
    assert streaks.current_streak(days(date(2024, 5, 1), 0, 2), date(2024, 5, 3), 0) == 1


def test_tonight_not_done_yet_does_not_break_the_streak():
    nights = days(date(2024, 5, 1), 0, 1, 2)
    assert streaks.current_streak(nights, today=date(2024, 5, 4)) == 3  # tonight still ahead
    assert streaks.current_streak(nights, today=date(2024, 5, 5)) == 3  # one night missed
    assert streaks.current_streak(nights, today=date(2024, 5, 6)) == 0  # two missed: lapsed


def test_streaks_run_across_month_and_year_ends():
    nights = [date(2024, 1, 30), date(2024, 1, 31), date(2024, 2, 1)]
    assert streaks.current_streak(nights, date(2024, 2, 1), grace_nights=0) == 3
    new_year = [date(2024, 12, 30), date(2024, 12, 31), date(2025, 1, 1)]
    assert streaks.current_streak(new_year, date(2025, 1, 1), grace_nights=0) == 3


def test_leap_day_counts_as_a_night():
    nights = [date(2024, 2, 28), date(2024, 3, 1)]  # 29 Feb 2024 missed
    assert streaks.current_streak(nights, date(2024, 3, 1), grace_nights=0) == 1
    assert streaks.current_streak(nights, date(2024, 3, 1), grace_nights=1) == 2
    no_leap = [date(2023, 2, 28), date(2023, 3, 1)]
    assert streaks.current_streak(no_leap, date(2023, 3, 1), grace_nights=0) == 2


def test_the_same_night_twice_counts_once():
    nights = [date(2024, 5, 1), date(2024, 5, 1), date(2024, 5, 2)]
    assert streaks.current_streak(nights, date(2024, 5, 2)) == 2
    assert streaks.nights_total(nights, date(2024, 5, 2)) == 2


def test_week_and_month_counts_start_on_monday_and_the_first():
    nights = days(date(2024, 4, 26), 0, 2, 3, 4, 5, 9)  # 26, 28, 29, 30 Apr, 1, 5 May
    sunday = date(2024, 5, 5)
    assert streaks.nights_this_week(nights, sunday) == 4  # Mon 29 Apr .. Sun 5 May
    assert streaks.nights_this_week(nights, date(2024, 4, 29)) == 1  # Monday: only itself
    assert streaks.nights_this_month(nights, sunday) == 2  # 1 and 5 May
    assert streaks.nights_this_month(nights, date(2024, 4, 30)) == 4


def test_total_minutes_sums_held_seconds():
    assert streaks.total_minutes([30, 30, 600, 59.9]) == 11
    assert streaks.total_minutes([]) == 0


@given(
    st.lists(st.dates(date(2023, 1, 1), date(2025, 12, 31)), max_size=60),
    st.dates(date(2023, 1, 1), date(2025, 12, 31)),
    st.integers(0, 3),
)
def test_streak_invariants(nights, today, grace):
    current = streaks.current_streak(nights, today, grace)
    assert 0 <= current <= streaks.nights_total(nights, today)
    assert current <= streaks.longest_streak(nights, grace)
    assert streaks.current_streak(nights, today, grace + 1) >= current


# -- done screen words ----------------------------------------------------------------------


def test_done_summary_reads_night_number_and_streak():
    nights = days(date(2024, 5, 1), *range(7), *range(8, 13))  # 12 nights, 8 May missed
    assert streaks.done_summary(nights, date(2024, 5, 13), grace_nights=0) == (
        "Night 12 · 5-night streak"
    )
    assert streaks.done_summary(nights, date(2024, 5, 13)) == "Night 12 · 12-night streak"
    assert streaks.done_summary([date(2024, 5, 1)], date(2024, 5, 1)) == "Night 1 · a good start"
    assert streaks.done_summary([], date(2024, 5, 1)) == ""
    assert streaks.done_summary([date(2024, 5, 1)], date(2024, 5, 2)) == ""  # not tonight


EXPECT = {"first_nights": ("Tight at first?", "Sides differ?"), "week_two": ("Mornings ease?",),
          "week_three_on": ("Warnings, not surprises.",)}


@pytest.mark.parametrize(
    ("offsets", "today_offset", "stage", "expected"),
    [
        ((0,), 0, "first_night", "First night done. Go gently."),
        ((0, 20), 20, "welcome_back", "Welcome back. Go gently."),
        ((0, 1, 2), 2, "first_nights", "Sides differ?"),  # successive nights take turns
        ((0, 1), 1, "first_nights", "Tight at first?"),
        (tuple(range(9)), 8, "week_two", "Mornings ease?"),
        (tuple(range(0, 22, 2)), 20, "week_three_on", "Warnings, not surprises."),
        ((0,), 5, "", "Rest well."),
    ],
)
def test_milestones_follow_the_weeks_of_the_current_streak(offsets, today_offset, stage, expected):
    start = date(2024, 1, 29)
    nights, today = days(start, *offsets), start + timedelta(today_offset)
    assert streaks.milestone_stage(nights, today) == stage
    assert streaks.milestone_message(nights, today, EXPECT) == expected


def test_built_in_what_to_expect_lines_cover_every_stage():
    from routines.loading.catalog import load_catalog

    expect = load_catalog().cards.expect
    start = date(2024, 1, 1)
    for stage, last_night in (("first_nights", 3), ("week_two", 9), ("week_three_on", 20)):
        nights = days(start, *range(last_night + 1))
        message = streaks.milestone_message(nights, nights[-1], expect)
        assert message in expect[stage], stage


# -- through the journal, with a fixed time zone ------------------------------------------------


def practise_night(journal: Journal, clock: FakeWallClock, moment: datetime) -> None:
    clock.set(moment)
    journal.record(Event(at=0, started="full"))
    journal.record(Event(at=30, record=StepRecord("leg_dangle", Side.LEFT, 30, 30, 0, False)))
    clock.set(moment + timedelta(minutes=20))
    journal.record(Event(at=1200, outcome=Outcome.FINISHED))


def test_nights_either_side_of_spring_forward_make_a_streak(tmp_path):
    clock = FakeWallClock(datetime(2024, 3, 29, 22, 15, tzinfo=BERLIN), zone=BERLIN)
    with Journal(tmp_path, wall=clock) as journal:
        practise_night(journal, clock, datetime(2024, 3, 29, 22, 15, tzinfo=BERLIN))
        practise_night(journal, clock, datetime(2024, 3, 31, 1, 45, tzinfo=BERLIN))  # late
        practise_night(journal, clock, datetime(2024, 3, 31, 22, 15, tzinfo=BERLIN))
        assert journal.practised_nights() == days(date(2024, 3, 29), 0, 1, 2)
        assert journal.done_summary(grace_nights=0) == "Night 3 · 3-night streak"


def test_fall_back_night_and_skipped_nights(tmp_path):
    clock = FakeWallClock(datetime(2024, 10, 26, 22, 0, tzinfo=BERLIN), zone=BERLIN)
    with Journal(tmp_path, wall=clock) as journal:
        practise_night(journal, clock, datetime(2024, 10, 26, 22, 0, tzinfo=BERLIN))
        practise_night(journal, clock, datetime(2024, 10, 27, 2, 30, fold=1, tzinfo=BERLIN))
        assert journal.today() == date(2024, 10, 26)  # 02:50 after the second 02:00
        assert journal.done_summary() == "Night 1 · a good start"
        clock.set(datetime(2024, 10, 27, 22, 0, tzinfo=BERLIN))
        journal.record(Event(at=0, outcome=Outcome.SKIPPED))  # "skip tonight" does not count
        clock.set(datetime(2024, 10, 28, 22, 0, tzinfo=BERLIN))
        journal.record(Event(at=0, started="quick"))
        journal.record(Event(at=5, record=StepRecord("knee_hug", Side.LEFT, 30, 4, 0, True)))
        journal.record(Event(at=6, outcome=Outcome.STOPPED))  # only a skipped hold
        assert journal.practised_nights() == [date(2024, 10, 26)]
        assert journal.done_summary() == ""  # tonight only a skipped hold: nothing to cheer
        clock.set(datetime(2024, 10, 29, 23, 0, tzinfo=BERLIN))
        assert journal.milestone_message(EXPECT) == "Rest well."  # two nights missed: lapsed
