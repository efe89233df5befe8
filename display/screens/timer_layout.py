"""The layout shared by the timed screens (hold, paused, get ready, switch sides).

    heading              2/4     <- regular weight; dropped on compact panels
     0:25    LEFT   ( o )        <- big outlined countdown, side, pacer or icon
    caption line                 <- dropped on compact panels
    [=======-----------------]   <- progress: outline with a thin fill line
    press: pause · hold: skip

On tall panels the countdown sits alone on its row, with the side and icon under it.
"""

from __future__ import annotations

from collections.abc import Callable

from display import fonts
from display.canvas import NIGHT_LIT_LIMIT, Canvas, PanelClass
from display.layout import Font, line_height, text_width
from display.widgets import draw_hint, draw_progress_bar, format_remaining
from routines.state import State

Icon = Callable[[Canvas, int, int, int], None]  # draws into canvas at centre (x, y) within a radius
SMALLEST_COUNTDOWN_PX = 12  # em size in pixels
OUTLINE_FROM_PX = 18  # smaller digits are drawn solid


def draw_timer_screen(canvas: Canvas, state: State, *, heading: str, corner: str = "",
                      caption: str = "", label: str = "", icon: Icon | None = None) -> None:
    """Draw a timed screen: `heading` and `corner` on top, the countdown of
    `state.remaining_seconds` with `label` and `icon` beside it, `caption` under it."""
    style = canvas.style
    if style.kind is not PanelClass.COMPACT:
        _draw_header(canvas, heading, corner)
    draw_hint(canvas, state)
    draw_progress_bar(canvas, canvas.take_bottom(style.bar_rows), state.progress)
    if caption and style.kind is not PanelClass.COMPACT:
        max_lines = 2 if style.kind is PanelClass.TALL else 1
        rows = max_lines * line_height(style.text) + (max_lines - 1) * style.line_gap
        lines = len(canvas.wrapped((caption,), style.text, canvas.inner_width))
        if lines < max_lines:
            rows = line_height(style.text)
        y = canvas.take_bottom(rows)
        canvas.paragraphs(canvas.left, y, canvas.inner_width, max_lines, (caption,), style.text,
                          what="caption", align="center")
    canvas.check_fits()
    countdown = format_remaining(state.remaining_seconds)
    if style.kind is PanelClass.TALL:
        _draw_stacked(canvas, countdown, label, icon)
    else:
        _draw_row(canvas, countdown, label, icon)


def _draw_header(canvas: Canvas, heading: str, corner: str) -> None:
    style = canvas.style
    y = canvas.take_top(line_height(style.text))
    corner_width = 0
    if corner:
        corner_width = canvas.text(canvas.right, y, corner, style.text, align="right") + 4
    canvas.text(canvas.left, y, heading, style.text, max_width=canvas.inner_width - corner_width,
                what="title")


def _draw_row(canvas: Canvas, countdown: str, label: str, icon: Icon | None) -> None:
    """Countdown at the left, then the side label, then the icon at the right edge."""
    rows = canvas.free_rows
    middle = canvas.top + rows // 2
    right = canvas.right
    if icon is not None:
        radius = min(canvas.style.pacer_radius[1], (rows - 1) // 2)
        icon(canvas, right - radius - 1, middle, radius)
        right -= 2 * radius + 5
    if label:
        font = canvas.style.label
        y = middle - line_height(font) // 2 + 1
        right -= canvas.text(right, y, label, font, align="right", what="side") + 4
    draw_big_text(canvas, canvas.left + 1, canvas.top, right - canvas.left - 1, rows, countdown,
                  align="left")


def _draw_stacked(canvas: Canvas, countdown: str, label: str, icon: Icon | None) -> None:
    """Countdown centred on its own row; label and icon side by side under it."""
    radius = canvas.style.pacer_radius[1]
    lower_rows = 2 * radius + 1 if icon is not None else line_height(canvas.style.label)
    middle = canvas.bottom - 1 - lower_rows // 2
    centre = canvas.width // 2
    font = canvas.style.label
    label_y = middle - line_height(font) // 2 + 1
    if icon is not None and label:
        icon(canvas, centre + 4 + radius, middle, radius)
        canvas.text(centre - 4, label_y, label, font, align="right", what="side")
    elif icon is not None:
        icon(canvas, centre, middle, radius)
    elif label:
        canvas.text(centre, label_y, label, font, align="center", what="side")
    draw_big_text(canvas, canvas.left, canvas.top, canvas.inner_width,
                  canvas.free_rows - lower_rows - 2, countdown, align="center")


def draw_big_text(canvas: Canvas, x: int, top: int, width: int, rows: int, text: str,
                  *, align: str, largest_px: int | None = None) -> None:
    """`text` as large as fits `width` × `rows` pixels, centred vertically in the rows.

    Outlined bold letters from `largest_px` (default: the style's countdown size) down to
    OUTLINE_FROM_PX, then solid ones (an outline of small letters is a blur), taking the
    first that keeps the frame within the night limit. Draw it last, when the rest of the
    frame is there. `x` is the left edge or, with `align` "center", the centre.
    """
    before = canvas.image.copy()
    anchor = x + width // 2 if align == "center" else x
    sizes = range(largest_px or canvas.style.countdown_px, SMALLEST_COUNTDOWN_PX - 1, -2)
    choices = [(size, True) for size in sizes if size >= OUTLINE_FROM_PX] + [(size, False) for size in sizes]
    fitting = [(size, outline) for size, outline in choices if _fits(fonts.bold(size), text, width, rows)]
    for size, outline in fitting or [(SMALLEST_COUNTDOWN_PX, False)]:
        canvas.image.paste(before)
        font = fonts.bold(size)
        ink_top, ink_bottom = font.getbbox(text, stroke_width=1)[1::2]
        y = top + max(0, (rows - (ink_bottom - ink_top)) // 2)
        canvas.text(anchor, y, text, font, max_width=width, what="countdown", align=align,
                    outline=outline)
        if canvas.lit_fraction() <= NIGHT_LIT_LIMIT:
            return


def _fits(font: Font, text: str, width: int, rows: int) -> bool:
    ink_top, ink_bottom = font.getbbox(text, stroke_width=1)[1::2]
    return text_width(text, font) + 2 <= width and ink_bottom - ink_top <= rows
