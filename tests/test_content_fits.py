"""Every page, cue and tip of the built-in routines fits a 128x64 panel with the shipped font.

The states come from `tests/content_states.py`; `display.overflows` reports any text that
would be cut off or that would light more of a night screen than allowed.
"""

from __future__ import annotations

from dataclasses import replace

from content_states import content_states, hold_states

from display import overflows
from routines.catalog import load_catalog

CATALOG = load_catalog(strict=True)
SIZE = (128, 64)
TALL = (128, 128)  # SH1107 panels: the only ones that show the hold cue


def test_every_built_in_page_fits_128x64():
    states = list(content_states(CATALOG))
    assert len(states) > 150  # every routine, stretch, page and tip is in there
    problems = [f"{label}: {line}" for label, state in states for line in overflows(state, SIZE)]
    assert problems == [], "\n".join(problems)


def test_every_hold_cue_fits_where_it_is_shown():
    problems = [
        f"{label}: {line}"
        for label, state in hold_states(CATALOG)
        for size in (SIZE, TALL)
        for line in overflows(state, size)
    ]
    assert problems == [], "\n".join(problems)


def test_a_page_that_is_too_long_is_caught():
    label, state = next(content_states(CATALOG))
    longer = replace(state, lines=(" ".join(["Much too long for the screen."] * 4),))
    assert overflows(longer, SIZE), label
