"""The layout shared by the text screens (safety and info cards, setup, transition, done).

    Heading that may wrap      2/4   <- corner text: step number or time left
    paragraph text, wrapped to   o   <- page dots, one per page, current filled
    the width of the panel       ●
    |. . . . . . . . . . . . |       <- only on timed screens
    press: next     hold: skip

Compact panels show the heading, the subheading and the paragraphs together when they fit
(in rows and in light); otherwise they show them in turn (`State.turn`), see `draw_text_screen`.
"""

from __future__ import annotations

from display.canvas import NIGHT_LIT_LIMIT, Canvas, PanelClass
from display.layout import line_height, text_width
from display.widgets import dot_size, dots_extent, draw_dots, draw_hint, draw_progress_bar
from routines.state import State

HEADING_VIEW_LINES = 2  # lines a heading may take on a compact panel when it is shown alone


def draw_text_screen(canvas: Canvas, state: State, *, heading: str, paragraphs: tuple[str, ...],
                     corner: str = "", subheading: str = "", timed: bool = False,
                     centred: bool = False) -> None:
    """Draw `heading`, an optional `subheading` line, then `paragraphs` wrapped into the
    rows left; page dots come from `state.page_index` / `state.page_count`, and `timed`
    adds a progress bar for `state.progress`.

    On a compact panel where they do not fit together, one turn shows the heading (with the
    subheading when the two fit, else each has a turn) and the next the paragraphs; after the
    first page, only the paragraphs. A heading shown alone may take two lines.
    """
    draw = (canvas, state, corner, timed, centred)
    if canvas.style.kind is not PanelClass.COMPACT or _fits(*draw, heading, subheading, paragraphs):
        _draw(*draw, heading, subheading, paragraphs)
        return
    views = [(heading, subheading, ())] if _fits(*draw, heading, subheading, ()) else [
        (heading, "", ()), ("", subheading, ())]
    views = [view for view in views if view[0] or view[1]] + [("", "", paragraphs)]
    heading, subheading, paragraphs = views[-1] if state.page_index else views[state.turn % len(views)]
    _draw(*draw, heading, subheading, paragraphs)


def _fits(canvas: Canvas, state: State, corner: str, timed: bool, centred: bool, heading: str,
          subheading: str, paragraphs: tuple[str, ...]) -> bool:
    """Whether these parts fit a frame together, within the night limit."""
    trial = Canvas((canvas.width, canvas.height), canvas.screen)
    _draw(trial, state, corner, timed, centred, heading, subheading, paragraphs)
    return not trial.overflows and trial.lit_fraction() <= NIGHT_LIT_LIMIT


def _draw(canvas: Canvas, state: State, corner: str, timed: bool, centred: bool, heading: str,
          subheading: str, paragraphs: tuple[str, ...]) -> None:
    style = canvas.style
    heading_lines = style.title_lines
    if style.kind is PanelClass.COMPACT and not paragraphs:  # a heading view, in the middle of its rows
        heading_lines = HEADING_VIEW_LINES
        hint_rows = line_height(style.hint) + 1 + (style.bar_rows + 1 if timed else 0)
        lines = min(heading_lines, len(canvas.wrapped((heading,), style.title, canvas.inner_width))) if heading else 0
        block = lines * line_height(style.title) + (line_height(style.text) + 2 if subheading else 0)
        canvas.top += max(0, (canvas.free_rows - hint_rows - block) // 2)
    if heading:
        _draw_heading(canvas, heading, corner, centred=centred, max_lines=heading_lines)
    if subheading:
        y = canvas.take_top(line_height(style.text))
        canvas.text(canvas.width // 2 if centred else canvas.left, y, subheading, style.text,
                    align="center" if centred else "left", what="subheading")
    draw_hint(canvas, state)
    if timed:
        draw_progress_bar(canvas, canvas.take_bottom(style.bar_rows), state.progress)
    canvas.check_fits()
    if paragraphs:
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
