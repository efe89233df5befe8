"""Every coaching line fits in full, under the night light limit, on every panel size: the
bedtime prompt's line why, the done screen's heading and the morning's line under the answer,
with their longest numbers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from display import fit
from display.render import PANEL_SIZES
from routines.coaching import gentle
from routines.coaching.rules import CoachRules, number_word
from routines.coaching.see_someone import Stiffer
from routines.coaching.sides import TighterSide
from routines.loading.catalog import load_catalog
from routines.outcomes import Side
from routines.state import Phase, State
from routines.wording import plural

CARDS = load_catalog([]).cards
ROUTINES = load_catalog([]).routines
LIMITS = CoachRules()


def first_week_lines() -> list[str]:
    return [f"First week: {number_word(n)} {plural(n, 'stretch')}" for n in range(1, 12)]


def stiffer_lines() -> list[str]:
    return [Stiffer(date(2026, 3, 2), 6.0, 3.0, weeks, 3, True).line for weeks in range(1, 9)]


def tighter_lines() -> list[str]:
    return [TighterSide(side, n, 9).line for side in (Side.LEFT, Side.RIGHT) for n in (1, 5, 9)]  # [coaching] allows up to 9


def source(text: str) -> fit.Source:
    return fit.Source(("coaching",), 0, f"coaching line {text!r}", text)


def bedtime(line: str) -> list[fit.Screen]:
    titles = tuple(routine.title for routine in ROUTINES.values())
    return [fit.Screen(State(Phase.BEDTIME, clock_text="22:15", routine_title=title, routine_minutes=99.0,
                             options=(title,) + tuple(t for t in titles if t != title) + ("Skip tonight",),
                             lines=(line,), hint_press="start", hint_hold="change", awaits_press=True),
                       source(line)) for title in titles]


def done(line: str) -> list[fit.Screen]:
    return [fit.Screen(State(Phase.DONE, title=line, lines=(tip,), streak_text=fit.STREAK, hint_press="close"),
                       fit.Source(("tip",), 0, tip, tip), source(line))
            for tips in CARDS.sleep_tips.values() for tip in tips]


def saved(line: str) -> list[fit.Screen]:
    state = State(Phase.MORNING_SAVED, title="Saved: 10 · last week 10.0", lines=(line,),
                  remaining_seconds=10.0, total_seconds=10.0, hint_press="close")
    return [fit.Screen(state, source(line))]


@pytest.mark.parametrize("line", first_week_lines() + [gentle.LINE], ids=str)
def test_the_bedtime_line_why_fits(line):
    assert [str(m) for m in fit.misfits(bedtime(line), PANEL_SIZES)] == []


@pytest.mark.parametrize("line", stiffer_lines() + tighter_lines(), ids=str)
def test_the_done_screens_coaching_heading_fits(line):
    assert [str(m) for m in fit.misfits(done(line), PANEL_SIZES)] == []


@pytest.mark.parametrize("line", stiffer_lines(), ids=str)
def test_the_line_under_the_morning_answer_fits(line):
    assert [str(m) for m in fit.misfits(saved(line), PANEL_SIZES)] == []


def test_a_compact_panel_shows_the_line_why_in_turn_with_the_time():
    state = bedtime(gentle.LINE)[0].state
    from display.render import shown_texts
    assert gentle.LINE not in shown_texts(state, (128, 32))
    assert gentle.LINE in shown_texts(replace(state, turn=1), (128, 32))
    assert gentle.LINE in shown_texts(state, (128, 64))
