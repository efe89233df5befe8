"""The long-hold warning that replaces any screen: "Release to stop" (or, where a long hold
does something else, what: "Release: not today")."""

from __future__ import annotations

from display.canvas import LIT, Canvas, PanelClass
from display.layout import line_height, text_width
from routines.state import State

STOP_TEXT = "Release to stop"


def draw_stop_warning(canvas: Canvas, state: State) -> None:
    """"Release to stop" (or "Release: " and `state.hint_long`) in an outlined box in the middle
    of an otherwise black frame."""
    text = f"Release: {state.hint_long}" if state.hint_long else STOP_TEXT
    font = canvas.style.title
    padding = 4 if canvas.style.kind is PanelClass.COMPACT else 6
    rows = line_height(font) + 2 * padding
    width = min(canvas.inner_width, text_width(text, font) + 4 * padding)
    left = (canvas.width - width) // 2
    top = (canvas.height - rows) // 2
    canvas.draw.rounded_rectangle((left, top, left + width - 1, top + rows - 1), radius=3, outline=LIT)
    canvas.text(canvas.width // 2, top + padding, text, font, align="center",
                max_width=width - 2 * padding, what="stop warning")
