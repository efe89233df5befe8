"""Every sample screen at every panel size against its reference PNG, plus night rules.

Regenerate the references after an intended change with
    UPDATE_GOLDENS=1 .venv/bin/python -m pytest tests/test_screens.py
and look at them (`psoas preview --out DIR` writes enlarged copies) before committing.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from golden import assert_matches_golden
from PIL import Image, ImageChops

import display
from display.preview import GALLERY_SIZES
from display.samples import sample_states
from routines.outcomes import Side
from routines.state import Breath, ButtonFeedback, Phase, State

GOLDENS = Path(__file__).parent / "goldens"
SAMPLES = sample_states()
CASES = [(size, name) for size in GALLERY_SIZES for name in SAMPLES]


def golden_path(size: tuple[int, int], name: str) -> Path:
    return GOLDENS / f"{size[0]}x{size[1]}" / f"{name}.png"


def case_id(case) -> str:
    (width, height), name = case
    return f"{width}x{height}-{name}"


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_screen_matches_reference_png(case):
    size, name = case
    image = display.render(SAMPLES[name], size)
    assert image.mode == "1" and image.size == size
    assert_matches_golden(image, golden_path(size, name), what=f"{name} at {size}")


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_reference_image_lights_at_most_twelve_percent(case):
    path = golden_path(*case)
    if not path.exists():
        pytest.skip(f"{path} missing (reported by the reference test)")
    assert display.lit_fraction(Image.open(path)) <= display.NIGHT_LIT_LIMIT


def test_samples_cover_every_phase_side_and_feedback():
    assert {state.phase for state in SAMPLES.values()} == set(Phase)
    assert {state.button_feedback for state in SAMPLES.values()} == set(ButtonFeedback)
    assert {state.side for state in SAMPLES.values() if state.phase is Phase.HOLD} == set(Side)


@pytest.mark.parametrize("size", GALLERY_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_frames_are_pure_black_and_white(size):
    for name, state in SAMPLES.items():
        histogram = display.render(state, size).histogram()
        assert histogram[0] + histogram[255] == sum(histogram), f"{name} has grey pixels"


def test_reference_images_have_no_leftovers():
    expected = {golden_path(size, name) for size, name in CASES}
    assert set(GOLDENS.rglob("*.png")) <= expected, "delete reference images of removed samples"


@pytest.mark.parametrize("size", GALLERY_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_dark_is_all_black(size):
    image = display.render(State(Phase.DARK, title="ignored", hint_press="time"), size)
    assert image.getbbox() is None


def test_render_is_pure():
    state = SAMPLES["hold"]
    first, second = display.render(state), display.render(state)
    assert ImageChops.difference(first, second).getbbox() is None
    assert first is not second


@pytest.mark.parametrize("size", GALLERY_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_nothing_touches_the_one_pixel_margin(size):
    for name, state in SAMPLES.items():
        image = display.render(state, size)
        inner = image.crop((1, 1, size[0] - 1, size[1] - 1))
        assert image.histogram()[-1] == inner.histogram()[-1], f"{name} draws in the margin"


@pytest.mark.parametrize("offset", [(1, 0), (0, 1), (-1, -1), (1, -1)])
def test_offset_shifts_the_whole_frame(offset):
    state = SAMPLES["hold"]
    plain = display.render(state)
    shifted = display.render(state, offset=offset)
    expected = Image.new("1", plain.size)
    expected.paste(plain, offset)
    assert ImageChops.difference(shifted, expected).getbbox() is None
    assert shifted.histogram()[-1] == plain.histogram()[-1]  # nothing pushed off the panel


def test_pacer_changes_with_the_breath():
    inhaled = display.render(SAMPLES["hold"])
    exhaled = display.render(replace(SAMPLES["hold"], breath=Breath(inhaling=False, fraction=1.0)))
    assert ImageChops.difference(inhaled, exhaled).getbbox() is not None
