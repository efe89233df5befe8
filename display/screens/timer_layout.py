"""The layout shared by the timed screens (hold, paused, get ready, switch sides).

    heading              2/4     <- regular weight
     0:25    LEFT   ( o )        <- big outlined countdown, side, pacer or icon
    caption line
    |. . . . . . . . . . . . |   <- progress: a dotted track, denser where done
    press: pause    hold: skip

On tall panels the countdown sits alone on its row, with the side and icon under it.
Compact panels have no rows for the heading and the caption beside the countdown: they
show them in turn (`State.turn`), on the first of every three turns, in the countdown's place.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from display import fonts
from display.canvas import NIGHT_LIT_LIMIT, Canvas, PanelClass
from display.layout import Font, line_height, text_width
from display.widgets import (
    brightest_icon_pixels,
    draw_hint,
    draw_progress_bar,
    format_remaining,
    progress_bar_growth,
)
from routines.state import State

Icon = Callable[[Canvas, int, int, int], None]  # draws into canvas at centre (x, y) within a radius
BigFont = tuple[int, bool]  # how big text is drawn: bold at this em size in pixels, outlined or not
SMALLEST_COUNTDOWN_PX = 12  # em size in pixels
OUTLINE_FROM_PX = 18  # smaller digits are drawn solid
_DIGIT = re.compile(r"[0-9]")
_NO_COUNTDOWN: BigFont = (0, False)  # what a frame without a countdown returns


def draw_timer_screen(canvas: Canvas, state: State, *, heading: str, corner: str = "",
                      caption: str = "", label: str = "", icon: Icon | None = None,
                      big: BigFont | None = None, reserve_px: int = 0, heading_part: str = "title") -> BigFont:
    """Draw a timed screen: `heading` and `corner` on top, the countdown of
    `state.remaining_seconds` with `label` and `icon` beside it, `caption` under it.

    The countdown's font is chosen for the brightest frame of the timed phase (the bar full,
    the icon at its brightest, every digit an 8), so it stays as it is through the phase but
    where the shape of the time changes ("1:00" → "59"); `reserve_px` is what the rest of the
    frame lights more on another turn. Returns that font; `big` asks for it (see `draw_big_text`).
    `heading_part` names the heading in overflow reports ("title", or "cue" when a cue stands there)."""
    style = canvas.style
    if style.kind is PanelClass.COMPACT and texts_turn(state) and (heading or caption):
        _draw_texts(canvas, state, heading, caption)
        return big or _NO_COUNTDOWN
    if style.kind is not PanelClass.COMPACT:
        _draw_header(canvas, heading, corner, heading_part)
    draw_hint(canvas, state)
    draw_progress_bar(canvas, canvas.take_bottom(style.bar_rows), state.progress)
    reserve = reserve_px + progress_bar_growth(canvas, state.progress)
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
        return _draw_stacked(canvas, countdown, label, icon, big, reserve)
    return _draw_row(canvas, countdown, label, icon, big, reserve)


def _draw_texts(canvas: Canvas, state: State, heading: str, caption: str) -> None:
    """A compact panel's turn for the texts: `heading` over `caption`, a line each (or the one
    there is, on two lines), in the middle of the rows above the hint."""
    font = canvas.style.text
    draw_hint(canvas, state)
    canvas.check_fits()
    texts = tuple(text for text in (heading, caption) if text)
    lines = min(2, len(canvas.wrapped(texts, font, canvas.inner_width)))
    y = canvas.top + max(0, (canvas.free_rows - lines * line_height(font)) // 2)
    canvas.paragraphs(canvas.left, y, canvas.inner_width, 2, texts, font, what="caption", align="center",
                      within_night_limit=True)


def texts_turn(state: State) -> bool:
    """Whether a compact panel shows a timed screen's heading and caption now, in place of
    its countdown: on the first of every three turns (a hold's cue line has three)."""
    return state.turn % 3 == 0


def header_pixels(canvas: Canvas, heading: str, corner: str) -> int:
    """How many pixels the heading line lights with `heading` and `corner` on this panel."""
    return _header_pixels((canvas.width, canvas.height), heading, corner)


@functools.lru_cache(maxsize=64)
def _header_pixels(size: tuple[int, int], heading: str, corner: str) -> int:
    scratch = Canvas(size, "header")
    _draw_header(scratch, heading, corner)
    return scratch.lit_pixels()


def _draw_header(canvas: Canvas, heading: str, corner: str, part: str = "title") -> None:
    style = canvas.style
    y = canvas.take_top(line_height(style.text))
    corner_width = 0
    if corner:
        corner_width = canvas.text(canvas.right, y, corner, style.text, align="right") + 4
    canvas.text(canvas.left, y, heading, style.text, max_width=canvas.inner_width - corner_width,
                what=part)


def _draw_row(canvas: Canvas, countdown: str, label: str, icon: Icon | None, big: BigFont | None,
              reserve: int) -> BigFont:
    """Countdown at the left, then the side label, then the icon at the right edge."""
    rows = canvas.free_rows
    middle = canvas.top + rows // 2
    right = canvas.right
    radius = min(canvas.style.pacer_radius[1], (rows - 1) // 2)
    if icon is not None:
        right -= 2 * radius + 5
    if label:
        font = canvas.style.label
        y = middle - line_height(font) // 2 + 1
        right -= canvas.text(right, y, label, font, align="right", what="side") + 4
    drawn = draw_big_text(canvas, canvas.left + 1, canvas.top, right - canvas.left - 1, rows, countdown,
                          align="left", reserve_px=reserve + (brightest_icon_pixels(radius) if icon is not None else 0),
                          big=big)
    if icon is not None:
        icon(canvas, canvas.right - radius - 1, middle, radius)
    return drawn


def _draw_stacked(canvas: Canvas, countdown: str, label: str, icon: Icon | None, big: BigFont | None,
                  reserve: int) -> BigFont:
    """Countdown centred on its own row; label and icon side by side under it."""
    radius = canvas.style.pacer_radius[1]
    lower_rows = 2 * radius + 1 if icon is not None else line_height(canvas.style.label)
    middle = canvas.bottom - 1 - lower_rows // 2
    centre = canvas.width // 2
    font = canvas.style.label
    label_y = middle - line_height(font) // 2 + 1
    if label:
        x, align = (centre - 4, "right") if icon is not None else (centre, "center")
        canvas.text(x, label_y, label, font, align=align, what="side")
    drawn = draw_big_text(canvas, canvas.left, canvas.top, canvas.inner_width,
                          canvas.free_rows - lower_rows - 2, countdown, align="center",
                          reserve_px=reserve + (brightest_icon_pixels(radius) if icon is not None else 0), big=big)
    if icon is not None:
        icon(canvas, centre + 4 + radius if label else centre, middle, radius)
    return drawn


def draw_big_text(canvas: Canvas, x: int, top: int, width: int, rows: int, text: str,
                  *, align: str, largest_px: int | None = None, reserve_px: int = 0,
                  big: BigFont | None = None) -> BigFont:
    """`text` as large as fits `width` × `rows` pixels, centred vertically in the rows.

    Outlined bold letters from `largest_px` (default: the style's countdown size) down to
    OUTLINE_FROM_PX, then solid ones (an outline of small letters is a blur): the first size
    that keeps the frame within the night limit with `reserve_px` more pixels lit (what is drawn
    beside it afterwards, at its brightest), both with every digit the brightest one and with the
    real ones. So a countdown keeps its size while its digits and the pacer beside it change.
    Draw it after the rest of the frame (but for what `reserve_px` stands for). `x` is the left
    edge or, with `align` "center", the centre.

    `big` starts the search at that font instead (smaller ones only when it would light too
    much), to match a countdown on another screen. Returns the font drawn in.
    """
    before = canvas.image.copy()
    lit_before = canvas.lit_pixels()
    anchor = x + width // 2 if align == "center" else x
    limit = NIGHT_LIT_LIMIT * canvas.width * canvas.height - reserve_px
    sizes = range(largest_px or canvas.style.countdown_px, SMALLEST_COUNTDOWN_PX - 1, -2)
    choices = [(size, True) for size in sizes if size >= OUTLINE_FROM_PX] + [(size, False) for size in sizes]
    if big in choices:
        choices = choices[choices.index(big):]
    fitting = (choice for choice in choices
               if all(_fits(fonts.bold(choice[0]), shown, width, rows) for shown in (_DIGIT.sub("8", text), text)))
    for size, outline in fitting:
        steady = _DIGIT.sub(_brightest_digit(size, outline), text)
        if lit_before + _text_pixels(steady, size, outline) > limit:  # an upper bound: ink may overlap
            continue
        _draw_big(canvas, anchor, top, rows, text, size, outline, width, align)
        if canvas.lit_pixels() <= limit:
            return size, outline
        canvas.image.paste(before)
    _draw_big(canvas, anchor, top, rows, text, SMALLEST_COUNTDOWN_PX, False, width, align)
    return SMALLEST_COUNTDOWN_PX, False


def _draw_big(canvas: Canvas, anchor: int, top: int, rows: int, text: str, size: int, outline: bool,
              width: int, align: str) -> None:
    """`text` centred in `rows` by the ink of all 8s, so digits keep their baseline."""
    font = fonts.bold(size)
    ink_top, ink_bottom = font.getbbox(_DIGIT.sub("8", text), stroke_width=1)[1::2]
    y = top + max(0, (rows - (ink_bottom - ink_top)) // 2)
    canvas.text(anchor, y, text, font, max_width=width, what="countdown", align=align, outline=outline)


@functools.lru_cache(maxsize=128)
def _text_pixels(text: str, size: int, outline: bool) -> int:
    """Pixels `text` lights on its own in bold at `size` px (outlined or solid)."""
    font = fonts.bold(size)
    canvas = Canvas((text_width(text, font) + 4, size * 2), "text")
    canvas.text(1, 1, text, font, max_width=canvas.width, outline=outline)
    return canvas.lit_pixels()


@functools.cache
def _brightest_digit(size: int, outline: bool) -> str:
    """The digit that lights the most pixels in bold at `size` px (outlined or solid)."""
    return max("0123456789", key=lambda digit: _text_pixels(digit, size, outline))


def _fits(font: Font, text: str, width: int, rows: int) -> bool:
    ink_top, ink_bottom = font.getbbox(text, stroke_width=1)[1::2]
    return text_width(text, font) + 2 <= width and ink_bottom - ink_top <= rows
