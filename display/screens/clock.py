"""The clock peek (a press in the dark) and the bedtime prompt."""

from __future__ import annotations

from display.canvas import Canvas, PanelClass
from display.layout import line_height, text_width
from display.screens.timer_layout import draw_big_text
from display.widgets import dot_size, dots_extent, draw_dots, draw_hint
from routines.state import State


def draw_clock(canvas: Canvas, state: State) -> None:
    """CLOCK: the time, large and outlined, centred."""
    draw_hint(canvas, state)
    canvas.check_fits()
    draw_big_text(canvas, canvas.left, canvas.top, canvas.inner_width, canvas.free_rows,
                  state.clock_text, align="center", largest_px=canvas.style.countdown_px + 8)


def minutes_text(minutes: float) -> str:
    """"25 min" for a routine length in minutes, or "" when there is none (skip tonight)."""
    return f"{max(1, round(minutes))} min" if minutes > 0 else ""


def draw_bedtime(canvas: Canvas, state: State) -> None:
    """BEDTIME: the time, tonight's routine and its length, dots for the choices, and the line
    why tonight's routine is first (`state.lines`) when there is one.

        22:15          16 min      (tall panels: length under the routine;
        First week: two stretches   compact ones: small time and length on top,
        Quick           o ● o       and the line why alone, in turn with the rest)
        press: start    hold: change
    """
    style = canvas.style
    length = minutes_text(state.routine_minutes)
    why = state.lines[0] if state.lines else ""
    draw_hint(canvas, state)
    if why and style.kind is PanelClass.COMPACT and state.turn % 2 == 1:
        canvas.check_fits()
        y = canvas.top + max(0, (canvas.free_rows - line_height(style.title)) // 2)
        canvas.text(canvas.width // 2, y, why, style.title, align="center", what="why")
        return
    spare_row = None  # tall panels: the length's row, where the dots go when the title needs their room
    if style.kind is PanelClass.TALL and (length or _crowded(canvas, state)):
        spare_row = canvas.take_bottom(line_height(style.text))
        if length:
            canvas.text(canvas.left, spare_row, length, style.text)
    _draw_choice(canvas, state, spare_row)
    if why and style.kind is not PanelClass.COMPACT:
        canvas.text(canvas.left, canvas.take_bottom(line_height(style.text), gap=2), why, style.text, what="why")
    canvas.check_fits()
    if style.kind is PanelClass.COMPACT:
        text = " · ".join(part for part in (state.clock_text, length) if part)
        canvas.text(canvas.left, canvas.top, text, style.text, what="time")
        return
    if length and style.kind is not PanelClass.TALL:
        y = canvas.top + (canvas.free_rows - line_height(style.text)) // 2
        length_width = canvas.text(canvas.right, y, length, style.text, align="right") + 6
        draw_big_text(canvas, canvas.left + 1, canvas.top, canvas.inner_width - length_width - 1,
                      canvas.free_rows, state.clock_text, align="left")
    else:
        draw_big_text(canvas, canvas.left, canvas.top, canvas.inner_width, canvas.free_rows,
                      state.clock_text, align="center")


def _crowded(canvas: Canvas, state: State) -> bool:
    """Whether the chosen routine's title needs the room of the dots beside it."""
    if len(state.options) < 2:
        return False
    room = canvas.inner_width - dots_extent(canvas, len(state.options)) - 4
    return text_width(state.routine_title, canvas.style.title) > room


def _draw_choice(canvas: Canvas, state: State, spare_row: int | None = None) -> None:
    """The chosen routine's title above the hint, with one dot per choice at the right; on
    `spare_row` (a text row below) instead when the title would not fit beside them."""
    style = canvas.style
    title_y = canvas.take_bottom(line_height(style.title), gap=2)
    dots_width = 0
    if len(state.options) > 1:
        dots_width = dots_extent(canvas, len(state.options))
        dots_y = title_y + (line_height(style.title) - dot_size(canvas)) // 2 + 1
        if spare_row is not None and _crowded(canvas, state):
            dots_y, dots_width = spare_row + (line_height(style.text) - dot_size(canvas)) // 2 + 1, -4
        draw_dots(canvas, canvas.right - dots_width, dots_y, len(state.options), state.option_index,
                  vertical=False)
        dots_width += 4
    canvas.text(canvas.left, title_y, state.routine_title, style.title,
                max_width=canvas.inner_width - dots_width, what="routine title")
