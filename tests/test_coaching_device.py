"""The device side of the coaching rules: the morning offer carries the see-someone line; the
coach plans tonight and names the done screen's heading from the journal."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from fakes import FakeWallClock
from test_morning_device import WINDOW, Offers
from test_plan_cli import TONIGHT, write_nights
from test_run import BERLIN

from device.clocks.wall import LocalWallClock
from device.config.load import Config
from device.journal.coaching import Coach
from device.journal.writer import Journal
from device.morning.checkin import MorningCheckin
from routines.coaching.rules import CoachRules
from routines.loading.catalog import load_catalog

FIRST = date(2026, 3, 2)


def test_the_morning_offer_carries_the_line_for_the_answers_that_would_make_it_due(tmp_path):
    # Mornings at 3, then 6, 6, 4, 3: the 7-day averages of 23 and 24 March are a point (a
    # third) above the same week two weeks before. Today (25 March) makes three in a row when
    # the answer keeps the week's total at 28 or more: an answer of 3 or more.
    wall = FakeWallClock(datetime(2026, 3, 25, 6, 0, tzinfo=BERLIN))
    local = LocalWallClock(wall, lambda: BERLIN)
    offers = Offers()
    with Journal(tmp_path, wall) as journal:
        for day in range(23):
            journal.save_morning(FIRST + timedelta(days=day), {19: 6, 20: 6, 21: 4}.get(day, 3))
        MorningCheckin(WINDOW, journal, local, offers).tick()
        notes = offers[-1].notes
        assert offers[-1].note(7) == "Stiffer 2 weeks: a physio?" and offers[-1].note(0) == ""
        assert [n for n, line in enumerate(notes) if line] == list(range(3, 11))
        off = Offers()
        MorningCheckin(WINDOW, journal, local, off, CoachRules(see_someone=False)).tick()
        assert off[-1].notes == ()


def test_the_coach_plans_tonight_from_the_journal_and_names_the_tighter_side(tmp_path):
    write_nights(tmp_path, {TONIGHT.date(): 9})
    coach = Coach(Config(), load_catalog([]), tmp_path)
    plan = coach.plan(TONIGHT.date())
    assert [r.name for r in plan.offered[:2]] == ["high-pain-day", "full"] and plan.line == "Stiff morning: go gently"
    full = plan.offered[1]
    assert [s.hold_seconds for s in full.stretch_steps] == [300, 33, 28, 300]  # held to the end 8 nights
    assert coach.done_heading(TONIGHT.date() - timedelta(days=1)) == "Left tighter 7 of 7 nights"
    coach.change(Config().replace("coaching", sides=False, stiff_morning=False), load_catalog([]))
    assert coach.done_heading(TONIGHT.date() - timedelta(days=1)) == ""
    assert coach.plan(TONIGHT.date()).first.name == "full"


def test_a_journal_the_coach_cannot_read_is_no_history(tmp_path, caplog):
    (tmp_path / "journal.sqlite3").write_bytes(b"not a database at all" * 100)
    plan = Coach(Config(), load_catalog([]), tmp_path).plan(date(2026, 3, 4))
    assert plan.first.name == "quick"  # no nights: the first week
    assert "coaching:" in caplog.text and "damaged" in caplog.text
