"""The engine shows what the coaching rules decided: the prompt's line why, the line under the
morning answer, and holds that start on the right side when asked."""

from __future__ import annotations

import dataclasses

from fakes import FakeClock

from routines.engine import Engine, EngineSettings
from routines.loading.catalog import load_catalog
from routines.morning import MorningOffer
from routines.outcomes import Side
from routines.state import Phase

CATALOG = load_catalog()
ROUTINES = [CATALOG.routines[name] for name in ("high-pain-day", "full", "quick")]
SETTINGS = EngineSettings(page_seconds=8, saved_seconds=5, morning_seconds=30, show_safety=False)


def make_engine() -> tuple[Engine, FakeClock]:
    clock = FakeClock()
    return Engine(clock, CATALOG.cards, SETTINGS), clock


def test_the_line_why_shows_while_the_rules_routine_is_chosen_and_turns():
    engine, clock = make_engine()
    engine.bedtime(ROUTINES, why="Stiff morning: go gently")
    state = engine.tick()
    assert (state.routine_title, state.lines, state.turn) == ("High-pain day", ("Stiff morning: go gently",), 0)
    assert engine.next_deadline() == clock.monotonic() + 4  # a turn every half page, for compact panels
    clock.advance(4)
    assert engine.tick().turn == 1
    engine.hold()  # the next choice: what the person set, one hold away
    state = engine.tick()
    assert (state.routine_title, state.lines) == ("Full routine", ())


def test_a_prompt_without_a_line_why_does_not_turn():
    engine, _ = make_engine()
    engine.bedtime(ROUTINES)
    assert engine.tick().lines == () and engine.next_deadline() is None


def test_the_coaching_line_under_the_morning_answer_doubles_the_saved_screen():
    engine, clock = make_engine()
    notes = ("",) * 8 + ("Stiffer 2 weeks: a physio?",) * 3
    engine.offer_morning(MorningOffer(last_answer=7, last_week=5.0, notes=notes))
    engine.press()
    engine.hold()  # saves 7: no line
    state = engine.tick()
    assert (state.title, state.lines, state.total_seconds) == ("Saved: 7 · last week 5.0", (), 5)
    engine.offer_morning(MorningOffer(last_answer=8, last_week=5.0, notes=notes))
    clock.advance(10)
    engine.press()
    engine.hold()  # saves 8: the line, and twice the time so a compact panel shows both in turn
    state = engine.tick()
    assert (state.lines, state.total_seconds) == (("Stiffer 2 weeks: a physio?",), 10)
    clock.advance(5)
    assert engine.tick().turn == 1


def test_a_step_that_says_right_first_holds_the_right_side_first():
    quick = CATALOG.routines["quick"]
    steps = tuple(dataclasses.replace(step, right_first=True) for step in quick.steps)
    engine, clock = make_engine()
    engine.start(dataclasses.replace(quick, steps=steps))
    assert engine.tick().side is Side.RIGHT  # the setup names the first side
    engine.press()
    state = engine.tick()
    assert (state.phase, state.side) == (Phase.HOLD, Side.RIGHT)
    clock.advance(state.total_seconds)
    state = engine.tick()
    assert (state.phase, state.side) == (Phase.SWITCH, Side.LEFT)
