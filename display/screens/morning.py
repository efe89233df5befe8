"""The morning check-in: the 0–10 question, and the one line after saving.

    Morning stiffness?
    0 ' ' ' ' ' ' ' ' ' 10    3     <- the scale with a pointer, the answer large
            ^
    long hold: not today            <- not on compact panels (the warning says it there)
    press: +1    hold: save

Tall panels put the answer above the scale; compact ones put it beside the question.
"""

from __future__ import annotations

from display import fonts
from display.canvas import LIT, Canvas, PanelClass
from display.layout import line_height, text_width
from display.screens.timer_layout import draw_big_text
from display.widgets import draw_hint, draw_long_hint
from routines.state import State

POINTER_ROWS = 3  # the pointer under the scale, in pixels


def draw_morning(canvas: Canvas, state: State) -> None:
    """MORNING: the question, the scale (`options`) with the pointer at `option_index`, the answer."""
    style = canvas.style
    value = state.options[state.option_index] if state.options else ""
    title_y = canvas.take_top(line_height(style.title), gap=1 if style.kind is PanelClass.COMPACT else 2)
    draw_hint(canvas, state)
    draw_long_hint(canvas, state)
    canvas.check_fits()
    if style.kind is PanelClass.COMPACT:
        width = canvas.text(canvas.right, title_y, value, fonts.bold(style.title.size), align="right",
                            what="answer")
        canvas.text(canvas.left, title_y, state.title, style.title, max_width=canvas.inner_width - width - 4,
                    what="question")
        _draw_scale(canvas, canvas.left + 2, canvas.right - 3, canvas.top, state, numbers=False)
        return
    canvas.text(canvas.left, title_y, state.title, style.title, what="question")
    scale_rows = _scale_rows(canvas)
    if style.kind is PanelClass.TALL:
        _draw_scale(canvas, canvas.left, canvas.right, canvas.bottom - scale_rows, state)
        draw_big_text(canvas, canvas.left, canvas.top, canvas.inner_width, canvas.free_rows - scale_rows - 2,
                      value, align="center")
        return
    answer_width = text_width("10", fonts.bold(style.countdown_px)) + 4
    scale_right = canvas.right - answer_width - 4
    _draw_scale(canvas, canvas.left, scale_right, canvas.top + (canvas.free_rows - scale_rows) // 2, state)
    draw_big_text(canvas, scale_right + 4, canvas.top, canvas.right - scale_right - 4, canvas.free_rows, value,
                  align="center")


def _scale_rows(canvas: Canvas) -> int:
    """Rows the scale takes: its end numbers, or the ticks and the pointer under them."""
    return max(line_height(canvas.style.text), POINTER_ROWS + 4)


def _draw_scale(canvas: Canvas, left: int, right: int, top: int, state: State, *, numbers: bool = True) -> None:
    """A tick per answer on a dotted track, a pointer under the chosen one, and (`numbers`) the
    end numbers ("0", "10") beside it; compact panels leave out the track and the numbers, for light.

    `left` … `right` are the columns it may use, `top` its first row.
    """
    font = canvas.style.text
    if not state.options:
        return
    start, end = left, right
    track = top + max(2, (_scale_rows(canvas) - POINTER_ROWS - 1) // 2)
    if numbers:
        y = top + (_scale_rows(canvas) - line_height(font)) // 2
        start = left + canvas.text(left, y, state.options[0], font, what="scale") + 3
        end = right - canvas.text(right, y, state.options[-1], font, align="right", what="scale") - 3
        canvas.draw.point([(x, track) for x in range(start, end + 1, 2)], fill=LIT)
    steps = len(state.options) - 1
    for index in range(len(state.options)):
        x = start + round((end - start) * index / max(1, steps))
        canvas.draw.line((x, track - 2, x, track), fill=LIT)
        if index == state.option_index:
            for row in range(POINTER_ROWS):  # a small arrow pointing up at the tick
                canvas.draw.line((x - row, track + 2 + row, x + row, track + 2 + row), fill=LIT)


def draw_morning_saved(canvas: Canvas, state: State) -> None:
    """MORNING_SAVED: one short line ("Saved: 3 · last week 4.6") in the middle, then dark; a
    coaching line (`state.lines`, e.g. "Stiffer 2 weeks: a physio?") under it when there is
    one; compact panels show the two in turn (`state.turn`)."""
    style = canvas.style
    draw_hint(canvas, state)
    note = state.lines[0] if state.lines else ""
    if note and style.kind is PanelClass.COMPACT and state.turn % 2 == 1:
        canvas.check_fits()
        y = canvas.top + max(0, (canvas.free_rows - line_height(style.title)) // 2)
        canvas.text(canvas.width // 2, y, note, style.title, align="center", what="coaching line")
        return
    if note and style.kind is not PanelClass.COMPACT:
        canvas.text(canvas.width // 2, canvas.take_bottom(line_height(style.text), gap=2), note, style.text,
                    align="center", what="coaching line")
    canvas.check_fits()
    width = canvas.inner_width
    parts = (state.title,)
    if text_width(state.title, style.title) > width:
        parts = tuple(state.title.split(" · "))  # "Saved: 3" over "last week 4.6"
    lines = min(style.title_lines, len(canvas.wrapped(parts, style.title, width)))
    rows = lines * line_height(style.title)
    y = canvas.top + max(0, (canvas.free_rows - rows) // 2)
    canvas.paragraphs(canvas.left, y, width, style.title_lines, parts, style.title, what="saved line",
                      align="center")
