"""One drawing function per phase: `SCREENS[phase](canvas, state)`."""

from __future__ import annotations

from collections.abc import Callable

from display.canvas import Canvas
from display.screens.cards import draw_card, draw_done, draw_setup, draw_stopped
from display.screens.clock import draw_bedtime, draw_clock
from display.screens.countdowns import draw_get_ready, draw_switch, draw_transition
from display.screens.hold import draw_hold, draw_paused
from display.screens.morning import draw_morning, draw_morning_saved
from routines.state import Phase, State


def draw_dark(canvas: Canvas, state: State) -> None:
    """DARK: nothing at all."""


SCREENS: dict[Phase, Callable[[Canvas, State], None]] = {
    Phase.DARK: draw_dark,
    Phase.CLOCK: draw_clock,
    Phase.BEDTIME: draw_bedtime,
    Phase.SAFETY: draw_card,
    Phase.INFO: draw_card,
    Phase.SETUP: draw_setup,
    Phase.GET_READY: draw_get_ready,
    Phase.HOLD: draw_hold,
    Phase.PAUSED: draw_paused,
    Phase.SWITCH: draw_switch,
    Phase.TRANSITION: draw_transition,
    Phase.DONE: draw_done,
    Phase.STOPPED: draw_stopped,
    Phase.MORNING: draw_morning,
    Phase.MORNING_SAVED: draw_morning_saved,
}
