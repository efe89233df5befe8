"""The short timed screens around holds: get ready, switch sides, move slowly."""

from __future__ import annotations

from display.canvas import Canvas
from display.screens.text_layout import draw_text_screen
from display.screens.timer_layout import draw_timer_screen
from display.widgets import format_remaining, side_text, step_text
from routines import wording
from routines.state import State


def draw_get_ready(canvas: Canvas, state: State) -> None:
    """GET_READY: "Get ready" with the countdown to the hold, its side and stretch name.

    The stretch name is `lines` under a "Get ready" `title`, or else the `title` itself.
    """
    if state.lines:
        heading, name = state.title, " ".join(state.lines)
    else:
        heading, name = wording.GET_READY_TITLE, state.title
    draw_timer_screen(canvas, state, heading=heading, corner=step_text(state), caption=name,
                      label=side_text(state.side))


def draw_switch(canvas: Canvas, state: State) -> None:
    """SWITCH: "Switch sides", the countdown and the side that comes next (→ RIGHT), and how
    (`lines`)."""
    label = f"→ {side_text(state.side)}" if state.side is not None else ""
    draw_timer_screen(canvas, state, heading=state.title, corner=step_text(state), caption=" ".join(state.lines),
                      label=label)


def draw_transition(canvas: Canvas, state: State) -> None:
    """TRANSITION: a calm heading ("Move slowly"), its text, time left and a progress bar."""
    draw_text_screen(canvas, state, heading=state.title, paragraphs=state.lines,
                     corner=format_remaining(state.remaining_seconds), timed=True)
