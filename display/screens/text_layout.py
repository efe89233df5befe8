"""The layout shared by the text screens (safety and info cards, setup, transition, done).

    Heading that may wrap      2/4   <- corner text: step number or time left
    paragraph text, wrapped to   o   <- page dots, one per page, current filled
    the width of the panel       ●
    [=======-----------------]       <- only on timed screens
    press: next · hold: skip

Compact panels keep either the heading or the paragraphs, whichever the screen says
matters more.
"""

from __future__ import annotations

from display.canvas import Canvas, PanelClass
from display.layout import line_height, text_width
from display.widgets import dot_size, dots_extent, draw_dots, draw_hint, draw_progress_bar
from routines.state import State


def draw_text_screen(canvas: Canvas, state: State, *, heading: str, paragraphs: tuple[str, ...],
                     corner: str = "", subheading: str = "", timed: bool = False,
                     centred: bool = False, compact_keeps_heading: bool = False) -> None:
    """Draw `heading`, an optional `subheading` line, then `paragraphs` wrapped into the
    rows left; page dots come from `state.page_index` / `state.page_count`, and `timed`
    adds a progress bar for `state.progress`."""
    style = canvas.style
    compact = style.kind is PanelClass.COMPACT
    keep_heading = not compact or compact_keeps_heading or not paragraphs
    if heading and keep_heading:
        _draw_heading(canvas, heading, corner, centred=centred, max_lines=style.title_lines)
    if subheading and not compact:
        y = canvas.take_top(line_height(style.text))
        canvas.text(canvas.width // 2 if centred else canvas.left, y, subheading, style.text,
                    align="center" if centred else "left", what="subheading")
    draw_hint(canvas, state)
    if timed:
        draw_progress_bar(canvas, canvas.take_bottom(style.bar_rows), state.progress)
    canvas.check_fits()
    if compact and heading and keep_heading and paragraphs:
        return  # no room: the heading is what matters here
    _draw_paragraphs(canvas, state, paragraphs, centred=centred)


def _draw_heading(canvas: Canvas, heading: str, corner: str, *, centred: bool, max_lines: int) -> None:
    """The heading, wrapped to `max_lines`; `corner` goes top right only when the heading
    still fits on one line beside it (it is the less important of the two)."""
    style = canvas.style
    reserved = text_width(corner, style.text) + 4 if corner else 0
    if centred:
        reserved *= 2  # keep the heading centred on the panel
    if text_width(heading, style.title) > canvas.inner_width - reserved:
        corner, reserved = "", 0
    if corner:
        canvas.text(canvas.right, canvas.top, corner, style.text, align="right")
    width = canvas.inner_width - reserved
    lines = min(max_lines, max(1, len(canvas.wrapped((heading,), style.title, width))))
    rows = lines * line_height(style.title)
    y = canvas.take_top(rows, gap=2)
    x = canvas.width // 2 if centred else canvas.left
    canvas.paragraphs(x - width // 2 if centred else x, y, width, lines, (heading,), style.title,
                      what="title", align="center" if centred else "left")


def _draw_paragraphs(canvas: Canvas, state: State, paragraphs: tuple[str, ...], *, centred: bool) -> None:
    style = canvas.style
    rows = canvas.free_rows
    width = canvas.inner_width
    pages = state.page_count
    if pages > 1:
        width -= _draw_page_marks(canvas, rows, pages, state.page_index) + 3
    max_lines = canvas.lines_that_fit(rows, style.text)
    lines = min(max_lines, len(canvas.wrapped(paragraphs, style.text, width)))
    pitch = line_height(style.text) + style.line_gap
    used = lines * pitch - style.line_gap
    y = canvas.top + max(0, (rows - used) // 2) if centred else canvas.top
    canvas.paragraphs(canvas.left, y, width, max_lines, paragraphs, style.text, what="text",
                      align="center" if centred else "left", within_night_limit=True)


def _draw_page_marks(canvas: Canvas, rows: int, pages: int, index: int) -> int:
    """Page dots down the right edge of the text area, or "3/7" at its top right when
    they would not fit in `rows`; returns the width taken, in pixels."""
    size = dot_size(canvas)
    for gap in (2, 1):
        extent = dots_extent(canvas, pages, gap)
        if extent <= rows:
            draw_dots(canvas, canvas.right - size, canvas.top + (rows - extent) // 2, pages, index,
                      vertical=True, gap=gap)
            return size
    return canvas.text(canvas.right, canvas.top, f"{index + 1}/{pages}", canvas.style.text,
                       align="right", what="page number")
