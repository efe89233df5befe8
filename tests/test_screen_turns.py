"""Small panels show in turn what does not fit at once (`State.turn`), and the countdown stays still.

Every text must be readable in full at every size: a compact panel shows a done screen's kind
word and tip, a setup's stretch name and a hold's name and cue on turns of their own. The
countdown keeps its place and size through a breath, a pause and a turn, so pausing redraws
only the heading, the icon and one word of the hint.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from PIL import ImageChops

import display
from display.canvas import Canvas
from display.samples import sample_states
from display.screens.timer_layout import draw_big_text
from routines.outcomes import Side
from routines.state import Breath, Phase, State

SAMPLES = sample_states()
COMPACT, REGULAR, TALL = (128, 32), (128, 64), (128, 128)
HOLD = State(Phase.HOLD, title="Leg dangle", side=Side.LEFT, remaining_seconds=25.0, total_seconds=30.0,
             step_number=2, step_count=4, breath=Breath(True, 0.5), cue="Ribs heavy on the bed.",
             hint_press="pause", hint_hold="skip")
LONG_HOLD = replace(HOLD, title="Pillow release", side=Side.BOTH, remaining_seconds=290.0, total_seconds=300.0,
                    step_number=1, cue="Nose in, slow breath out.")  # near the light limit: "4:50"


def shown(state: State, size: tuple[int, int], turn: int) -> frozenset[str]:
    return display.shown_texts(replace(state, turn=turn), size)


def test_a_compact_done_screen_shows_kind_word_and_streak_then_the_tip():
    done = SAMPLES["done"]
    assert {done.title, done.streak_text} <= shown(done, COMPACT, 0)
    assert done.lines[0] in shown(done, COMPACT, 1)
    assert {done.title, done.streak_text, done.lines[0]} <= shown(done, REGULAR, 0)  # room for all
    assert shown(done, COMPACT, 0) == shown(done, COMPACT, 2)  # and so on, turn by turn


def test_a_compact_setup_shows_the_stretch_name_on_its_first_page_first():
    setup = SAMPLES["setup_long_title"]  # page 1 of 4
    assert setup.title in shown(setup, COMPACT, 0)
    assert setup.lines[0] in shown(setup, COMPACT, 1)
    later = replace(setup, page_index=1)
    assert later.lines[0] in shown(later, COMPACT, 0) and setup.title not in shown(later, COMPACT, 0)


def test_a_compact_screen_keeps_heading_and_text_together_when_both_fit():
    stopped = SAMPLES["stopped"]
    assert {stopped.title, stopped.lines[0]} <= shown(stopped, COMPACT, 0)
    assert shown(stopped, COMPACT, 0) == shown(stopped, COMPACT, 1)


@pytest.mark.parametrize("turn, texts", [(0, True), (1, False), (2, False), (3, True)])
def test_a_compact_hold_shows_its_name_and_cue_on_the_first_of_three_turns(turn, texts):
    seen = shown(HOLD, COMPACT, turn)
    assert ({HOLD.title, HOLD.cue} <= seen) is texts
    assert ("25" in seen) is not texts  # the countdown's turns


def test_a_regular_hold_shows_its_cue_in_the_names_place_on_that_turn():
    assert HOLD.cue in shown(HOLD, REGULAR, 0) and HOLD.title not in shown(HOLD, REGULAR, 0)
    assert HOLD.title in shown(HOLD, REGULAR, 1) and HOLD.cue not in shown(HOLD, REGULAR, 1)
    assert {HOLD.title, HOLD.cue} <= shown(HOLD, TALL, 1)  # a tall panel has a line for the cue


# Where the countdown is drawn, (left, top, right, bottom), at each size; nothing else is.
COUNTDOWN_AREA = {COMPACT: (0, 0, 60, 20), REGULAR: (0, 14, 60, 44), TALL: (0, 14, 128, 56)}


@pytest.mark.parametrize("size", display.PANEL_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("hold", [HOLD, LONG_HOLD, replace(LONG_HOLD, remaining_seconds=600.0, total_seconds=600.0)],
                         ids=["seconds", "minutes", "ten-minutes"])
def test_the_countdown_stays_still_through_a_breath_the_bar_a_turn_and_a_pause(size, hold):
    turn = 1  # a turn that shows the countdown at every size
    holding = replace(hold, turn=turn)
    others = [
        replace(holding, breath=Breath(True, 0.0)), replace(holding, breath=Breath(True, 1.0)),
        replace(holding, total_seconds=holding.total_seconds * 10),  # the bar nearly empty
        replace(holding, turn=turn + 1),
        replace(holding, phase=Phase.PAUSED, breath=None, hint_press="resume"),
    ]
    if size == REGULAR:
        others.append(replace(holding, turn=0))  # the cue in the name's place
    area = COUNTDOWN_AREA[size]
    countdown = display.render(holding, size).crop(area)
    assert countdown.getbbox() is not None
    for other in others:
        assert ImageChops.difference(countdown, display.render(other, size).crop(area)).getbbox() is None, other


@pytest.mark.parametrize("size", display.PANEL_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_countdown_keeps_its_baseline_from_second_to_second(size):
    tops = {display.render(replace(HOLD, remaining_seconds=seconds, turn=1), size).crop(COUNTDOWN_AREA[size]).getbbox()[1]
            for seconds in (11, 22, 44, 57, 33, 36, 38, 59)}  # flat-topped 1, 2, 4, 5, 7 and round 3, 6, 8, 9
    assert max(tops) - min(tops) <= 1  # round digits reach a pixel higher, no more


@pytest.mark.parametrize("lit", range(300, 900, 25))
def test_the_countdown_font_does_not_depend_on_its_digits(lit):
    fonts = set()
    for seconds in range(1, 60):
        canvas = Canvas(REGULAR, "hold")
        canvas.draw.point([(x % 126 + 1, 50 + x // 126) for x in range(lit)], fill=255)  # the rest of a frame
        fonts.add(draw_big_text(canvas, 2, 14, 80, 30, f"4:{seconds:02d}", align="left"))
    assert len(fonts) == 1, fonts


def test_pausing_changes_no_more_than_the_heading_the_icon_and_one_word_of_the_hint():
    holding = replace(HOLD, turn=1)
    paused = replace(holding, phase=Phase.PAUSED, breath=None, hint_press="resume")
    before, after = display.render(holding), display.render(paused)
    changed = ImageChops.difference(before, after)
    heading, icon, hint = (0, 0, 128, 13), (100, 13, 128, 44), (0, 52, 70, 64)
    for box in (heading, icon, hint):
        changed.paste(0, box)
    assert changed.getbbox() is None
