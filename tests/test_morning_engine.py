"""The morning check-in in the engine: armed by the device, asked on the next press in the dark."""

from __future__ import annotations

from fakes import FakeClock

from routines.engine import Engine, EngineSettings
from routines.loading.catalog import load_catalog
from routines.morning import MorningOffer, next_value, saved_text
from routines.events import MorningAnswer
from routines.state import Phase

CATALOG = load_catalog()


def make_engine(offer: MorningOffer | None = None) -> tuple[Engine, FakeClock]:
    clock = FakeClock()
    engine = Engine(clock, CATALOG.cards, EngineSettings(morning_seconds=30, saved_seconds=5))
    engine.offer_morning(offer)
    return engine, clock


def answers(engine: Engine) -> list:
    return [event.morning for event in engine.events() if event.morning is not None]


def test_without_an_offer_a_press_in_the_dark_shows_the_time():
    engine, _ = make_engine(None)
    engine.press()
    assert engine.tick().phase is Phase.CLOCK


def test_the_question_starts_at_the_last_answer_and_a_press_adds_one_up_to_ten_then_zero():
    engine, _ = make_engine(MorningOffer(last_answer=9, last_week=4.6))
    engine.press()
    state = engine.tick()
    assert (state.phase, state.title, state.option_index) == (Phase.MORNING, "Morning stiffness?", 9)
    assert state.options == tuple(str(n) for n in range(11))
    assert (state.hint_press, state.hint_hold, state.hint_long) == ("+1", "save", "not today")
    pointers = []
    for _ in range(3):
        engine.press()
        pointers.append(engine.tick().option_index)
    assert pointers == [10, 0, 1]
    assert [next_value(n) for n in range(11)] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0]


def test_a_hold_saves_shows_one_line_then_dark_and_the_next_press_shows_the_time():
    engine, clock = make_engine(MorningOffer(last_answer=2, last_week=4.6))
    engine.press()
    engine.press()
    engine.hold()
    state = engine.tick()
    assert (state.phase, state.title, state.hint_press) == (Phase.MORNING_SAVED, "Saved: 3 · last week 4.6", "close")
    assert answers(engine) == [MorningAnswer(3)]
    assert engine.morning_offer is None  # answered: no more questions until the device arms one
    clock.advance(5)
    assert engine.tick().phase is Phase.DARK
    engine.press()
    assert engine.tick().phase is Phase.CLOCK


def test_a_long_hold_is_not_today_and_goes_dark():
    engine, _ = make_engine(MorningOffer(last_answer=5))
    engine.press()
    engine.long_hold()
    assert engine.tick().phase is Phase.DARK
    assert answers(engine) == [MorningAnswer(None)] and engine.morning_offer is None


def test_an_unanswered_question_goes_dark_and_is_asked_again_from_the_start():
    engine, clock = make_engine(MorningOffer(last_answer=None))
    engine.press()
    assert engine.tick().option_index == 0  # never answered: the pointer starts at 0
    clock.advance(20)
    engine.press()  # each press gives another 30 s
    clock.advance(29)
    assert engine.tick().phase is Phase.MORNING
    clock.advance(1)
    assert engine.tick().phase is Phase.DARK and answers(engine) == []
    engine.press()
    assert engine.tick().option_index == 0


def test_a_press_or_a_hold_closes_the_saved_line_early():
    for gesture in ("press", "hold", "long_hold"):
        engine, _ = make_engine(MorningOffer(last_answer=1))
        engine.press()
        engine.hold()
        getattr(engine, gesture)()
        assert engine.tick().phase is Phase.DARK, gesture
        assert answers(engine) == [MorningAnswer(1)]


def test_the_saved_line_leaves_out_a_week_with_too_few_answers():
    assert saved_text(0, None) == "Saved: 0"
    assert saved_text(10, 10.0) == "Saved: 10 · last week 10.0"
