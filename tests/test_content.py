"""The built-in content is complete and faithful to the seed article's facts."""

from __future__ import annotations

import pytest

from routines.loading.catalog import load_catalog
from routines.loading.loader import EXPECT_STAGES, SLEEP_POSITIONS
from routines.model import Sides, StepKind

CATALOG = load_catalog(strict=True)

# The seed's table: hold range in seconds and sides, per stretch.
SEED = {
    "pillow-release": ((300, 600), Sides.BOTH),
    "leg-dangle": ((20, 40), Sides.EACH),
    "knee-hug": ((20, 30), Sides.EACH),
    "ninety-ninety": ((300, 600), Sides.BOTH),
}


@pytest.mark.parametrize("stretch_id", SEED)
def test_each_seed_stretch_is_complete_with_the_seed_range_and_sides(stretch_id):
    stretch = CATALOG.stretches[stretch_id]
    hold_range, sides = SEED[stretch_id]
    assert stretch.hold_range == hold_range and stretch.sides is sides
    assert hold_range[0] <= stretch.hold_seconds <= hold_range[1]
    assert len(stretch.setup_pages) >= 4 and len(stretch.cues) >= 3
    assert stretch.caution and stretch.note and stretch.short_name


def test_the_setup_steps_keep_the_seed_facts():
    pages = {sid: " ".join(s.setup_pages).lower() for sid, s in CATALOG.stretches.items()}
    assert all(word in pages["pillow-release"] for word in ("back", "pillow", "blanket", "knees", "hip-width", "belly"))
    assert all(word in pages["leg-dangle"] for word in ("edge", "hug", "both hands", "floor", "ribs heavy"))
    assert all(word in pages["knee-hug"] for word in ("edge", "foot flat", "straight", "hug the bent knee"))
    assert all(word in pages["ninety-ninety"] for word in ("chair", "ottoman", "calves", "90 degrees", "neutral",
                                                           "palms up"))
    assert "ease off" in " ".join(CATALOG.stretches["knee-hug"].cues).lower()
    assert "5-10 min" in CATALOG.stretches["pillow-release"].note


def test_the_safety_card_covers_the_seed_safety_tips():
    text = " ".join(CATALOG.cards.safety_pages).lower()
    for fact in ("gentle", "sharp", "slowly", "mattress", "surgery", "herniated disc", "arthritis", "tingling"):
        assert fact in text, fact


def test_sleep_tips_say_what_to_try_and_what_to_avoid_for_each_position():
    tips = CATALOG.cards.sleep_tips
    assert set(tips) == set(SLEEP_POSITIONS)
    for position in SLEEP_POSITIONS:
        assert len(tips[position]) >= 2
        assert all(tip.lower().startswith(position) for tip in tips[position])
    assert "knees" in " ".join(tips["back"]) and "curl" in " ".join(tips["side"])
    assert "hip" in " ".join(tips["stomach"])


def test_what_to_expect_has_every_stage():
    assert set(CATALOG.cards.expect) == set(EXPECT_STAGES)
    assert all(CATALOG.cards.expect[stage] for stage in EXPECT_STAGES)


def test_full_routine_runs_all_four_in_the_seed_order():
    steps = CATALOG.routine("full").stretch_steps
    assert [s.stretch.id for s in steps] == list(SEED)


def test_quick_routine_has_one_or_two_stretches_and_is_short():
    quick = CATALOG.routine("quick")
    assert 1 <= len(quick.stretch_steps) <= 2
    assert quick.planned_seconds(8, 10) < 5 * 60


def test_high_pain_day_has_two_pillows_sixty_second_dangles_and_the_90_90_rest():
    routine = CATALOG.routine("high-pain-day")
    by_id = {s.stretch.id: s for s in routine.stretch_steps}
    assert "two pillows" in " ".join(by_id["pillow-release"].pages).lower()
    dangle = by_id["leg-dangle"]
    assert dangle.hold_seconds == 60 and dangle.sides is Sides.EACH
    assert "ninety-ninety" in by_id
    assert routine.steps[0].kind is StepKind.INFO


def test_fall_asleep_is_the_pillow_release_fading_out():
    (step,) = CATALOG.routine("fall-asleep").steps
    assert step.stretch.id == "pillow-release" and step.fade_out
    assert 300 <= step.hold_seconds <= 600
