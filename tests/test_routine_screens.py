"""Every distinct screen of the built-in `full` routine, walked by the engine, against reference PNGs."""

from __future__ import annotations

from datetime import time
from pathlib import Path

from golden import assert_matches_golden

import display
from routines.loading.catalog import load_catalog
from routines.state import CLOCK_PHASES, Phase
from routines.walk import walk

GOLDENS = Path(__file__).parent / "goldens-routines"


def distinct_screens(name: str):
    """(file stem, state) for the first state of each phase / title / side / page on the walk."""
    catalog = load_catalog()
    seen = set()
    for _, state in walk(catalog.routine(name), catalog.cards):
        key = (state.phase, state.title, state.side, state.page_index)
        if key in seen:
            continue
        seen.add(key)
        yield f"{len(seen):02d}-{state.phase.value}", state


def test_full_routine_screens_match_their_references():
    screens = list(distinct_screens("full"))
    phases = {state.phase for _, state in screens}
    assert phases >= {Phase.BEDTIME, Phase.SAFETY, Phase.SETUP, Phase.HOLD, Phase.SWITCH,
                      Phase.TRANSITION, Phase.DONE, Phase.DARK}
    for stem, state in screens:
        image = display.render(state)
        assert_matches_golden(image, GOLDENS / "full" / f"{stem}.png", what=f"{stem} ({state.title})")
        assert display.lit_fraction(image) <= display.NIGHT_LIT_LIMIT, f"{stem} lights too many pixels"
    expected = {GOLDENS / "full" / f"{stem}.png" for stem, _ in screens}
    assert set((GOLDENS / "full").glob("*.png")) == expected, "delete reference images of removed screens"


def test_the_walk_puts_the_time_on_the_bedtime_prompt_like_the_daemon():
    catalog = load_catalog()
    states = [state for _, state in walk(catalog.routine("quick"), catalog.cards, bedtime=time(23, 59))]
    assert states[0].phase is Phase.BEDTIME and states[0].clock_text == "23:59"
    assert all(not state.clock_text for state in states if state.phase not in CLOCK_PHASES)
    assert [state.clock_text for _, state in walk(catalog.routine("quick"), catalog.cards)][0] == "22:15"
