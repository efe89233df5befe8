"""State → 1-bit image: pick the phase's screen, add button feedback, shift for burn-in."""

from __future__ import annotations

from PIL import Image

from display.canvas import NIGHT_LIT_LIMIT, Canvas
from display.feedback import draw_stop_warning
from display.screens import SCREENS
from routines.state import ButtonFeedback, Phase, State

DEFAULT_SIZE = (128, 64)
PANEL_SIZES: tuple[tuple[int, int], ...] = ((128, 64), (128, 32), (128, 128))  # every supported (width, height)
# Between them these turns (`State.turn`) show every part of every screen: a compact panel
# shows a screen's texts in turn, at most three views (heading, subheading, text; or a timed
# screen's texts, then its countdown twice).
TURNS = (0, 1, 2)


def render(state: State, size: tuple[int, int] = DEFAULT_SIZE, offset: tuple[int, int] = (0, 0)) -> Image.Image:
    """Draw `state` on a black mode-"1" image of `size` (width, height) pixels.

    A pure function of its arguments: no clock, no files beyond the shipped fonts. The
    whole frame is moved by `offset` (dx, dy) pixels (see `display.burn_in`); the blank
    one-pixel margin keeps everything on the panel for shifts of one pixel.
    """
    image = _draw(state, size).image
    if offset == (0, 0):
        return image
    shifted = Image.new("1", size, 0)
    shifted.paste(image, offset)
    return shifted


def overflows(state: State, size: tuple[int, int] = DEFAULT_SIZE) -> list[str]:
    """Every text of `state` that is cut off or does not fit on a panel of `size`, one
    readable line each, e.g. "setup text at 128x64: needs 5 lines, 3 fit: '…'".

    A frame brighter than the night limit (NIGHT_LIT_LIMIT of the pixels lit) is
    reported too: text that fits but lights too much of the panel must be shortened.
    """
    return check(state, size)[0]


def shown_texts(state: State, size: tuple[int, int] = DEFAULT_SIZE) -> frozenset[str]:
    """Every text of `state` drawn in full on a panel of `size`: each line, and each whole
    paragraph (a screen may leave some of its texts to another `State.turn`, see `TURNS`)."""
    return check(state, size)[1]


def check(state: State, size: tuple[int, int] = DEFAULT_SIZE) -> tuple[list[str], frozenset[str]]:
    """`overflows` and `shown_texts` of `state` at `size`, from one drawing."""
    canvas = _draw(state, size)
    lit = canvas.lit_fraction()
    if lit > NIGHT_LIT_LIMIT:
        canvas.report("frame", f"{lit:.1%} of the pixels are lit, night screens allow "
                               f"{NIGHT_LIT_LIMIT:.0%}: shorten the text")
    return canvas.overflows, frozenset(canvas.shown)


def _draw(state: State, size: tuple[int, int]) -> Canvas:
    canvas = Canvas(size, state.phase.value)
    if state.phase is Phase.DARK:
        return canvas
    if state.button_feedback is ButtonFeedback.STOP:
        draw_stop_warning(canvas, state)  # the only thing to read while a release would stop
    else:
        SCREENS[state.phase](canvas, state)
    return canvas
