"""Pieces of the screens: countdown text, hints, pacer, progress bar, burn-in, gallery."""

from __future__ import annotations

import pytest
from PIL import Image, ImageChops

import display
from display import burn_in
from display.canvas import Canvas, style_for
from display.layout import text_width
from display.preview import ENLARGEMENT, write_gallery
from display.samples import sample_states
from display.widgets import (
    PACER_LEVELS,
    draw_progress_bar,
    format_remaining,
    hint_texts,
    pacer_radius,
)
from routines.state import Breath, ButtonFeedback, Phase, State


@pytest.mark.parametrize("seconds, text", [
    (0, "0"), (0.2, "1"), (9, "9"), (9.01, "10"), (59.5, "1:00"), (60, "1:00"), (61, "1:01"),
    (600, "10:00"), (599.9, "10:00"), (-3, "0"),
])
def test_remaining_time_is_rounded_up(seconds, text):
    assert format_remaining(seconds) == text


def test_hint_says_what_press_and_hold_do_and_what_release_will_do():
    state = State(Phase.HOLD, hint_press="pause", hint_hold="skip")
    assert hint_texts(state)[0] == ("press: pause", "hold: skip")
    assert hint_texts(State(Phase.SAFETY, hint_press="next")) == [("press: next", "")]
    assert hint_texts(State(Phase.DONE)) == []
    held = State(Phase.HOLD, hint_press="pause", hint_hold="skip", button_feedback=ButtonFeedback.HOLD)
    assert hint_texts(held) == [("release: skip", "")]


@pytest.mark.parametrize("size", display.PANEL_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_hold_part_of_the_hint_stays_put_when_the_press_part_changes(size):
    before = display.render(State(Phase.SETUP, hint_press="pause", hint_hold="skip"), size)
    after = display.render(State(Phase.SETUP, hint_press="resume", hint_hold="skip"), size)
    changed = ImageChops.difference(before, after).getbbox()
    hold_part = size[0] - 1 - text_width("hold skip", style_for(size).hint)  # its shortest form
    assert changed is not None and changed[2] <= hold_part  # "pause" → "resume" only


def test_pacer_grows_on_the_inhale_and_shrinks_on_the_exhale():
    fractions = [i / 100 for i in range(101)]
    inhale = [pacer_radius(Breath(True, f), 3, 10) for f in fractions]
    exhale = [pacer_radius(Breath(False, f), 3, 10) for f in fractions]
    assert inhale == sorted(inhale) and inhale[0] == 3 and inhale[-1] == 10
    assert exhale == sorted(exhale, reverse=True) and exhale[0] == 10 and exhale[-1] == 3


@pytest.mark.parametrize("smallest, largest", [(3, 10), (5, 18), (2, 6)])
def test_pacer_takes_at_most_eight_sizes_per_breath(smallest, largest):
    sizes = {pacer_radius(Breath(True, i / 1000), smallest, largest) for i in range(1001)}
    assert len(sizes) <= PACER_LEVELS
    # so a one-second inhale changes the picture at most 8 times a second


def test_progress_bar_fill_grows_with_progress():
    lit = []
    for fraction in (0.0, 0.25, 0.5, 1.0):
        canvas = Canvas((128, 64), "test")
        draw_progress_bar(canvas, 10, fraction)
        lit.append(canvas.lit_fraction())
    assert lit == sorted(lit) and lit[0] < lit[-1]


def test_burn_in_offset_moves_one_pixel_at_a_time_and_cycles():
    interval = burn_in.SHIFT_INTERVAL_SECONDS
    offsets = [burn_in.offset_for(step * interval + 1.0) for step in range(len(burn_in.PATTERN) + 1)]
    assert offsets[0] == (0, 0) and offsets[-1] == offsets[0]
    assert len(set(offsets)) == len(burn_in.PATTERN) == 9
    for (x1, y1), (x2, y2) in zip(offsets, offsets[1:]):
        assert max(abs(x1 - x2), abs(y1 - y2)) == 1
    assert all(abs(dx) <= 1 and abs(dy) <= 1 for dx, dy in offsets)


def test_burn_in_offset_holds_still_within_an_interval():
    assert burn_in.offset_for(0.0) == burn_in.offset_for(burn_in.SHIFT_INTERVAL_SECONDS - 0.01)
    assert burn_in.offset_for(0.0) != burn_in.offset_for(burn_in.SHIFT_INTERVAL_SECONDS)
    assert burn_in.offset_for(100.0, interval_seconds=60.0) == burn_in.PATTERN[1]


def test_lit_fraction_counts_lit_pixels():
    image = Image.new("1", (10, 10))
    assert display.lit_fraction(image) == 0.0
    image.paste(255, (0, 0, 5, 2))
    assert display.lit_fraction(image) == pytest.approx(0.1)


def test_gallery_writes_each_screen_at_real_size_and_enlarged(tmp_path):
    written = write_gallery(tmp_path / "gallery", [(128, 64), (128, 32)])
    assert len(written) == 2 * 2 * len(sample_states())
    real = Image.open(tmp_path / "gallery" / "hold-128x64.png")
    big = Image.open(tmp_path / "gallery" / f"hold-128x64@{ENLARGEMENT}x.png")
    assert real.mode == "1" and real.size == (128, 64)
    assert big.size == (128 * ENLARGEMENT, 64 * ENLARGEMENT)
    assert big.resize(real.size, Image.NEAREST).tobytes() == real.tobytes()
    assert (tmp_path / "gallery" / "dark-128x32.png").exists()
