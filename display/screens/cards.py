"""The text screens: safety and info cards, stretch setup pages, done and stopped."""

from __future__ import annotations

from display.canvas import Canvas
from display.screens.text_layout import draw_text_screen
from display.widgets import side_text, step_text
from routines.outcomes import Side
from routines.state import State


def draw_card(canvas: Canvas, state: State) -> None:
    """SAFETY and INFO: a heading and the current page, with page dots."""
    draw_text_screen(canvas, state, heading=state.title, paragraphs=state.lines)


def draw_setup(canvas: Canvas, state: State) -> None:
    """SETUP: the stretch name, step n/N and first side, then the current setup page."""
    first_side = side_text(state.side).lower() if state.side in (Side.LEFT, Side.RIGHT) else ""
    corner = " ".join(part for part in (first_side, step_text(state)) if part)
    draw_text_screen(canvas, state, heading=state.title, paragraphs=state.lines, corner=corner)


def draw_done(canvas: Canvas, state: State) -> None:
    """DONE: a kind word, the streak when there is one, a sleeping-position tip."""
    draw_text_screen(canvas, state, heading=state.title, subheading=state.streak_text,
                     paragraphs=state.lines, centred=True)


def draw_stopped(canvas: Canvas, state: State) -> None:
    """STOPPED: a short goodbye before the screen goes dark."""
    draw_text_screen(canvas, state, heading=state.title, paragraphs=state.lines, centred=True)
