"""The hold screen and the paused hold: countdown, side, step, progress, breathing pacer."""

from __future__ import annotations

from display.canvas import Canvas, PanelClass
from display.screens.timer_layout import draw_timer_screen
from display.widgets import draw_pacer, draw_pause_icon, side_text, step_text
from routines import wording
from routines.state import State


def draw_hold(canvas: Canvas, state: State) -> None:
    """HOLD: stretch name and step on top, big countdown, side and pacer; the cue line
    only on tall panels."""
    breath = state.breath
    pacer = None
    if breath is not None:
        def pacer(c: Canvas, x: int, y: int, radius: int) -> None:
            draw_pacer(c, x, y, breath, radius)
    cue = state.cue if canvas.style.kind is PanelClass.TALL else ""  # no room, nor light, for it below
    draw_timer_screen(canvas, state, heading=state.title, corner=step_text(state),
                      caption=cue, label=side_text(state.side), icon=pacer)


def draw_paused(canvas: Canvas, state: State) -> None:
    """PAUSED: "Paused" on top, the frozen countdown with a pause sign (and, on tall
    panels, the stretch name)."""
    name = state.title if canvas.style.kind is PanelClass.TALL else ""
    draw_timer_screen(canvas, state, heading=wording.PAUSED_TITLE, corner=step_text(state), caption=name,
                      label=side_text(state.side), icon=draw_pause_icon)
