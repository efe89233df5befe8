"""The hold screen and the paused hold: countdown, side, step, progress, breathing pacer."""

from __future__ import annotations

from dataclasses import replace

from display.canvas import Canvas, PanelClass
from display.screens.timer_layout import BigFont, draw_timer_screen, header_pixels, texts_turn
from display.widgets import draw_pacer, draw_pause_icon, side_text, step_text
from routines import wording
from routines.state import Breath, Phase, State


def draw_hold(canvas: Canvas, state: State) -> None:
    """HOLD: stretch name and step on top, big countdown, side and pacer, the cue line.

    Tall panels show the cue under the countdown; on regular ones it takes the name's place on
    its turn (`texts_turn`: no light is left for a line of its own), and compact ones show the
    name over the cue on that turn, in the countdown's place.
    """
    _draw_hold(canvas, state)


def _draw_hold(canvas: Canvas, state: State) -> BigFont:
    """`draw_hold`; returns the countdown's font."""
    breath = state.breath
    pacer = None
    if breath is not None:
        def pacer(c: Canvas, x: int, y: int, radius: int) -> None:
            draw_pacer(c, x, y, breath, radius)
    heading, corner, caption, reserve, part = state.title, step_text(state), state.cue, 0, "title"
    if canvas.style.kind is PanelClass.REGULAR:
        caption = ""
        if state.cue:  # the countdown leaves room for the brighter of the two headings
            name, cue = header_pixels(canvas, heading, corner), header_pixels(canvas, state.cue, "")
            reserve = max(0, cue - name)
            if texts_turn(state):
                heading, corner, reserve, part = state.cue, "", max(0, name - cue), "cue"
    return draw_timer_screen(canvas, state, heading=heading, corner=corner, caption=caption,
                             label=side_text(state.side), icon=pacer, reserve_px=reserve, heading_part=part)


def draw_paused(canvas: Canvas, state: State) -> None:
    """PAUSED: "Paused" on top, the frozen countdown with a pause sign, and the cue as the hold
    shows it (but in the heading's place).

    The countdown keeps the font the hold screen gives it at this time, so a pause or a
    resume redraws only the heading, the icon and one word of the hint.
    """
    holding = replace(state, phase=Phase.HOLD, hint_press=wording.HINT_PAUSE,
                      breath=Breath(inhaling=True, fraction=1.0))
    big = _draw_hold(Canvas((canvas.width, canvas.height), Phase.HOLD.value), holding)
    cue = state.cue if canvas.style.kind is not PanelClass.REGULAR else ""
    draw_timer_screen(canvas, state, heading=wording.PAUSED_TITLE, corner=step_text(state), caption=cue,
                      label=side_text(state.side), icon=draw_pause_icon, big=big)
