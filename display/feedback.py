"""The long-hold warning that replaces any screen: "Release to stop"."""

from __future__ import annotations

from display.canvas import LIT, Canvas, PanelClass
from display.layout import line_height, text_width

STOP_TEXT = "Release to stop"


def draw_stop_warning(canvas: Canvas) -> None:
    """"Release to stop" in an outlined box in the middle of an otherwise black frame."""
    font = canvas.style.title
    padding = 4 if canvas.style.kind is PanelClass.COMPACT else 6
    rows = line_height(font) + 2 * padding
    width = min(canvas.inner_width, text_width(STOP_TEXT, font) + 4 * padding)
    left = (canvas.width - width) // 2
    top = (canvas.height - rows) // 2
    canvas.draw.rounded_rectangle((left, top, left + width - 1, top + rows - 1), radius=3, outline=LIT)
    canvas.text(canvas.width // 2, top + padding, STOP_TEXT, font, align="center",
                max_width=width - 2 * padding, what="stop warning")
