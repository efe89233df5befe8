"""The engine over a fake clock: whole routines in milliseconds, no sleeps."""

from __future__ import annotations

import dataclasses

import pytest
from fakes import FakeClock
from hypothesis import given, settings
from hypothesis import strategies as st

from routines.engine import Engine, EngineSettings
from routines.loading.catalog import load_catalog
from routines.morning import MorningOffer
from routines.events import Cue
from routines.outcomes import Outcome, Side
from routines.state import Phase
from routines.view import setup_pages

CATALOG = load_catalog()
FULL = CATALOG.routine("full")


def make_engine(**settings) -> tuple[Engine, FakeClock]:
    clock = FakeClock()
    return Engine(clock, CATALOG.cards, EngineSettings(**settings)), clock


def run_to_dark(engine: Engine, clock: FakeClock, limit: int = 10_000) -> list[tuple[float, Phase]]:
    """Press wherever the routine waits, jump to each deadline; return (time, phase) changes."""
    seen = [(clock.now, engine.phase)]
    for _ in range(limit):
        state = engine.tick()
        if state.phase is not seen[-1][1]:
            seen.append((clock.now, state.phase))
        if state.phase is Phase.DARK:
            return seen
        if state.awaits_press:
            engine.press()
        else:
            clock.now = engine.next_deadline()
    raise AssertionError("routine did not end")


def test_full_routine_runs_every_stretch_and_side_with_exact_timing():
    engine, clock = make_engine()
    start = clock.now
    engine.bedtime([FULL])
    run_to_dark(engine, clock)
    events = engine.events()
    records = [e.record for e in events if e.record]
    assert [(r.stretch_id, r.side) for r in records] == [
        ("pillow-release", Side.BOTH),
        ("leg-dangle", Side.LEFT), ("leg-dangle", Side.RIGHT),
        ("knee-hug", Side.LEFT), ("knee-hug", Side.RIGHT),
        ("ninety-ninety", Side.BOTH),
    ]
    assert all(r.held_seconds == r.planned_seconds and not r.skipped for r in records)
    outcome = [e for e in events if e.outcome][0]
    assert outcome.outcome is Outcome.FINISHED
    assert outcome.summary == {"routine": "full", "stretches": 4, "holds": 6, "held_seconds": 710.0}
    # holds 710 s + two switches of 8 s + three transitions of 10 s, no drift
    assert outcome.at - start == pytest.approx(710 + 2 * 8 + 3 * 10)
    cues = [e.cue for e in events if e.cue]
    assert cues.count(Cue.HOLD_START) == 6
    assert cues.count(Cue.SWITCH_SIDES) == 2
    assert cues.count(Cue.LAST_SECONDS) == 6
    assert cues[-1] is Cue.ROUTINE_DONE


def test_phases_follow_the_night_in_order():
    engine, clock = make_engine()
    engine.bedtime([FULL])
    phases = [p for _, p in run_to_dark(engine, clock)]
    assert phases[:5] == [Phase.BEDTIME, Phase.SAFETY, Phase.SETUP, Phase.HOLD, Phase.TRANSITION]
    assert phases.count(Phase.SWITCH) == 2
    assert phases[-2:] == [Phase.DONE, Phase.DARK]


def test_a_late_tick_skips_ahead_instead_of_replaying():
    engine, clock = make_engine()
    engine.start(FULL)
    engine.press()  # past the safety card
    engine.press()  # start the first hold (300 s)
    clock.advance(300 + 10 + 5)  # one tick, long after: hold over, transition over, 5 s into setup
    state = engine.tick()
    assert state.phase is Phase.SETUP and state.title == FULL.steps[1].title
    events = engine.events()
    record = [e.record for e in events if e.record][0]
    assert record.held_seconds == 300
    done = [e for e in events if e.cue is Cue.STRETCH_DONE][0]
    assert done.at == 1000 + 300  # stamped with its ideal time, not the tick's


def test_pause_and_resume_keep_the_remaining_time():
    engine, clock = make_engine()
    engine.start(FULL)
    engine.press()
    engine.press()
    clock.advance(100)
    engine.press()  # pause
    assert engine.tick().phase is Phase.PAUSED
    clock.advance(500)
    paused = engine.tick()
    assert paused.remaining_seconds == pytest.approx(200)
    assert engine.next_deadline() is None  # nothing happens by itself while paused
    engine.press()  # resume
    clock.advance(199)
    assert engine.tick().phase is Phase.HOLD
    clock.advance(1)
    assert engine.tick().phase is Phase.TRANSITION
    record = [e.record for e in engine.events() if e.record][0]
    assert record.held_seconds == 300 and record.paused_seconds == 500


def test_hold_skips_a_side_and_long_hold_stops():
    engine, clock = make_engine(show_safety=False)
    engine.start(FULL)
    engine.hold()  # skip the whole first stretch from its setup
    clock.advance(10)
    assert engine.tick().title == FULL.steps[1].title
    engine.press()
    clock.advance(12)
    engine.hold()  # skip the left side after 12 s
    state = engine.tick()
    assert state.phase is Phase.SWITCH and state.side is Side.RIGHT
    engine.press()  # straight to the right side
    clock.advance(3)
    engine.long_hold()
    assert engine.tick().phase is Phase.STOPPED
    events = engine.events()
    records = [e.record for e in events if e.record]
    assert [(r.stretch_id, r.side, r.held_seconds, r.skipped) for r in records] == [
        ("pillow-release", Side.BOTH, 0.0, True),
        ("leg-dangle", Side.LEFT, 12.0, True),
        ("leg-dangle", Side.RIGHT, 3.0, True),
    ]
    assert [e.outcome for e in events if e.outcome] == [Outcome.STOPPED]
    clock.advance(5)
    assert engine.tick().phase is Phase.DARK


def test_bedtime_hold_cycles_choices_and_long_hold_skips_tonight():
    engine, clock = make_engine()
    quick = CATALOG.routines.get("quick", FULL)
    engine.bedtime([FULL, quick])
    state = engine.tick()
    assert state.options[-1] == "Skip tonight" and state.option_index == 0
    engine.hold()
    engine.hold()
    assert engine.tick().routine_title == "Skip tonight"
    engine.press()
    assert engine.tick().phase is Phase.DARK
    assert [e.outcome for e in engine.events() if e.outcome] == [Outcome.SKIPPED]


def test_countdown_routines_start_holds_by_themselves():
    from dataclasses import replace

    from routines.model import HoldStart

    routine = replace(FULL, hold_start=HoldStart.COUNTDOWN, get_ready_seconds=10)
    engine, clock = make_engine(show_safety=False)
    engine.start(routine)
    pages = len(setup_pages(routine.steps[0]))
    clock.advance(pages * 7)
    assert engine.tick().phase is Phase.GET_READY
    clock.advance(10)
    assert engine.tick().phase is Phase.HOLD


def test_hold_state_counts_down_with_breathing_and_deadlines_on_whole_seconds():
    engine, clock = make_engine(show_safety=False)
    engine.start(FULL)
    engine.press()
    clock.advance(2.5)
    state = engine.tick()
    assert state.remaining_seconds == pytest.approx(297.5)
    assert state.breath.inhaling and state.breath.fraction == pytest.approx(2.5 / 4)
    assert state.step_number == 1 and state.step_count == 4
    assert engine.next_deadline() == pytest.approx(clock.now + 0.5)
    clock.advance(2)
    assert not engine.tick().breath.inhaling


def test_dark_press_peeks_at_the_clock():
    engine, clock = make_engine()
    engine.press()
    assert engine.tick().phase is Phase.CLOCK
    clock.advance(5)
    assert engine.tick().phase is Phase.DARK


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["press", "hold", "long_hold", "tick", "bedtime", "morning"]),
                          st.floats(min_value=0, max_value=400, allow_nan=False)), max_size=60))
def test_no_sequence_of_gestures_and_ticks_crashes_or_goes_back_in_time(actions):
    engine, clock = make_engine()
    last_event_at = 0.0
    for action, wait in actions:
        clock.advance(wait)
        if action == "bedtime":
            engine.bedtime([FULL])
        elif action == "morning":
            engine.offer_morning(MorningOffer(int(wait) % 11, wait / 40))
        elif action == "tick":
            engine.tick()
        else:
            getattr(engine, action)()
        state = engine.tick()
        assert 0 <= state.remaining_seconds <= max(state.total_seconds, 0)
        if state.phase is Phase.MORNING:
            assert state.options[state.option_index] in {str(n) for n in range(11)}
        deadline = engine.next_deadline()
        assert deadline is None or deadline > clock.now
        for event in engine.events():
            assert event.at <= clock.now
            assert event.at >= last_event_at
            last_event_at = event.at


def test_a_fade_out_hold_held_to_its_end_ends_the_night_in_the_dark():
    engine, clock = make_engine()
    engine.bedtime([CATALOG.routine("fall-asleep")])
    phases = [p for _, p in run_to_dark(engine, clock)]
    assert phases == [Phase.BEDTIME, Phase.SAFETY, Phase.SETUP, Phase.HOLD, Phase.DARK]  # no done screen
    events = engine.events()
    (record,) = [e.record for e in events if e.record]
    assert record.held_seconds == 600 and not record.skipped
    (outcome,) = [e for e in events if e.outcome]
    assert outcome.outcome is Outcome.FINISHED
    assert outcome.summary == {"routine": "fall-asleep", "stretches": 1, "holds": 1, "held_seconds": 600.0}
    engine.press()
    assert engine.phase is Phase.CLOCK  # the next press shows the time, as after any night


def test_skipping_a_fade_out_hold_still_shows_the_done_screen():
    engine, clock = make_engine(show_safety=False)
    engine.start(CATALOG.routine("fall-asleep"))
    engine.press()  # start the hold
    clock.advance(300)
    engine.hold()  # awake and skipping: the person sees the done screen
    assert engine.phase is Phase.DONE


def test_a_two_sided_fade_out_hold_ends_the_routine_after_the_first_side():
    step = dataclasses.replace(FULL.steps[1], fade_out=True)  # leg dangle: each side
    routine = dataclasses.replace(FULL, steps=(step,) + FULL.steps[2:])
    engine, clock = make_engine(show_safety=False)
    engine.start(routine)
    engine.press()
    clock.advance(step.hold_seconds)
    assert engine.tick().phase is Phase.DARK  # no "switch sides" screen lighting up
    records = [e.record for e in engine.events() if e.record]
    assert [(r.side, r.skipped) for r in records] == [(Side.LEFT, False)]


def test_turns_are_half_pages_and_thirds_of_a_cue_line_and_stand_still_while_paused():
    engine, clock = make_engine(show_safety=False)  # 7 s pages, 15 s cue lines
    engine.start(FULL)
    seen = []
    for _ in range(4):
        state = engine.tick()
        seen.append((clock.now, state.page_index, state.turn))
        clock.now = engine.next_deadline()
    start = seen[0][0]
    assert [(at - start, page, turn) for at, page, turn in seen] == [
        (0.0, 0, 0), (3.5, 0, 1), (7.0, 1, 0), (10.5, 1, 1)]
    engine.press()  # the hold starts
    assert engine.next_deadline() == pytest.approx(clock.now + 1.0)  # its countdown's next second
    clock.advance(5.1)
    assert engine.tick().turn == 1
    clock.advance(10)
    state = engine.tick()
    assert state.turn == 3 and state.cue == FULL.steps[0].cues[1]  # a new cue line starts a turn
    engine.press()  # pause
    clock.advance(100)
    assert engine.tick().turn == 3 and engine.next_deadline() is None


def test_the_done_screen_turns_every_half_page_until_it_goes_dark():
    engine, clock = make_engine()
    engine.start(FULL)
    turns = []
    while (state := engine.tick()).phase is not Phase.DARK:
        if state.phase is Phase.DONE:
            turns.append(state.turn)
        if state.awaits_press:
            engine.press()
        else:
            clock.now = engine.next_deadline()
    assert turns == list(range(9))  # 30 s in turns of 3.5 s
