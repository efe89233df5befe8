"""Text measuring, wrapping and the overflow report used by content checks."""

from __future__ import annotations

from dataclasses import replace

import pytest

import display
from display import fonts
from display.layout import ellipsize, text_width, wrap
from display.samples import sample_states
from routines.state import Phase, State

FONT = fonts.regular(10)
SAMPLES = sample_states()


@pytest.mark.parametrize("width", [40, 80, 126])
def test_wrap_keeps_every_word_and_fits_the_width(width):
    text = "Let the outer leg slide off the edge toward the floor, slowly and gently."
    lines = wrap(text, FONT, width)
    assert " ".join(lines).split() == text.split()
    assert all(text_width(line, FONT) <= width for line in lines)
    assert len(lines) > 1


def test_wrap_fills_a_line_before_starting_the_next():
    lines = wrap("one two three four five six seven", FONT, 60)
    for line, following in zip(lines, lines[1:]):
        assert text_width(f"{line} {following.split()[0]}", FONT) > 60


def test_wrap_breaks_a_word_too_long_for_any_line():
    lines = wrap("Supercalifragilisticexpialidocious", FONT, 50)
    assert "".join(lines) == "Supercalifragilisticexpialidocious"
    assert len(lines) > 1 and all(text_width(line, FONT) <= 50 for line in lines)


def test_wrap_starts_a_new_line_at_newlines_and_ignores_blank_text():
    assert wrap("Rest.\nBreathe.", FONT, 120) == ["Rest.", "Breathe."]
    assert wrap("   ", FONT, 120) == []


def test_ellipsize_shortens_only_what_does_not_fit():
    assert ellipsize("Knee hug", FONT, 120) == "Knee hug"
    short = ellipsize("Hip flexor stretch with knee hug", FONT, 60)
    assert short.endswith("…") and text_width(short, FONT) <= 60


def test_samples_fit_every_panel_except_the_deliberately_long_ones():
    deliberately_long = {"hold_long_title", "setup_too_long"}
    for name, state in SAMPLES.items():
        problems = [line for size in display.PANEL_SIZES for line in display.overflows(state, size)]
        assert bool(problems) == (name in deliberately_long), (name, problems)


def test_overflow_names_the_screen_the_text_and_the_room():
    (problem,) = display.overflows(SAMPLES["hold_long_title"], (128, 64))
    assert problem.startswith("hold title at 128x64: 'Hip flexor stretch with knee hug'")
    assert "px wide" in problem and "px fit" in problem


def test_a_page_too_long_for_the_screen_is_reported_with_its_start():
    state = replace(SAMPLES["safety"], lines=("word " * 60,))
    (problem,) = display.overflows(state, (128, 64))
    assert problem.startswith("safety text at 128x64: needs ") and "'word word" in problem


def test_a_page_that_would_light_too_much_is_cut_to_stay_dim():
    state = replace(SAMPLES["setup"], lines=("Drop only as far as is comfy: a gentle pull at the front of the hip.",))
    (problem,) = display.overflows(state, (128, 64))
    assert "fit under 12% lit" in problem
    assert display.lit_fraction(display.render(state)) <= display.NIGHT_LIT_LIMIT


def test_a_long_title_wraps_to_two_lines_on_text_screens():
    state = replace(SAMPLES["setup"], title="Hip flexor stretch with knee hug")
    assert display.overflows(state, (128, 64)) == []


def test_hint_falls_back_to_shorter_wording_when_needed():
    state = State(Phase.CLOCK, clock_text="22:15", hint_press="close", hint_hold="routine")
    assert display.overflows(state, (128, 64)) == []
    assert display.overflows(State(Phase.CLOCK, clock_text="22:15", hint_press="x" * 40), (128, 64))


def test_dark_has_nothing_to_overflow():
    assert display.overflows(State(Phase.DARK, title="x" * 200)) == []


def test_more_pages_than_dots_fit_shows_the_page_number_instead():
    state = replace(SAMPLES["safety"], page_count=12, page_index=2)
    assert display.overflows(state, (128, 64)) == []
    other_page = display.render(replace(state, page_index=3))
    assert display.render(state).tobytes() != other_page.tobytes()
