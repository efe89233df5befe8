"""The morning screens keep the night rules at every size, and `psoas preview` writes them."""

from __future__ import annotations

from dataclasses import replace

import pytest

import display
from device.cli.main import main
from display.preview import GALLERY_SIZES
from display.samples import sample_states
from routines.state import ButtonFeedback, Phase

SAMPLES = sample_states()
QUESTION = SAMPLES["morning"]


@pytest.mark.parametrize("size", GALLERY_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_pointer_position_fits_and_stays_dim(size):
    frames = set()
    for value in range(11):
        for feedback in (ButtonFeedback.NONE, ButtonFeedback.HOLD):
            state = replace(QUESTION, option_index=value, button_feedback=feedback)
            assert display.overflows(state, size) == [], (value, feedback)
            image = display.render(state, size)
            assert display.lit_fraction(image) <= display.NIGHT_LIT_LIMIT
            frames.add(image.tobytes())
    assert len(frames) == 22  # each answer looks different, and so does the held button


@pytest.mark.parametrize("size", GALLERY_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_saved_line_fits_for_every_answer_and_average(size):
    for text in ("Saved: 0", "Saved: 10 · last week 10.0", "Saved: 7 · last week 0.3"):
        state = replace(SAMPLES["morning_saved"], title=text)
        assert display.overflows(state, size) == [], text


def test_a_long_hold_on_the_question_warns_what_releasing_does():
    warning = display.render(SAMPLES["morning_feedback_not_today"])
    stop = display.render(replace(SAMPLES["morning_feedback_not_today"], hint_long=""))
    assert warning.tobytes() != stop.tobytes()  # "Release: not today", not "Release to stop"
    assert display.overflows(SAMPLES["morning_feedback_not_today"], (128, 32)) == []


def test_the_samples_show_both_morning_screens():
    phases = {state.phase for name, state in SAMPLES.items() if name.startswith("morning")}
    assert phases == {Phase.MORNING, Phase.MORNING_SAVED}


def test_psoas_preview_writes_the_morning_screens_at_every_size(tmp_path, capsys):
    assert main(["preview", "--out", str(tmp_path)]) == 0
    written = {path.name for path in tmp_path.glob("morning*")}
    for width, height in GALLERY_SIZES:
        assert f"morning-{width}x{height}.png" in written
        assert f"morning_saved-{width}x{height}@4x.png" in written
