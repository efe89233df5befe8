"""A frame being drawn: the 1-bit image, the free rows left, and what did not fit.

Screens draw through a `Canvas` so that every text that is cut off is also recorded in
`overflows` (see `display.overflows`), and every text drawn in full in `shown`. Rows are claimed from the top and from the bottom
(`take_top`, `take_bottom`); what is left in between is the screen's main area. A one-pixel
margin stays blank on every side so the burn-in shift never pushes ink off the panel.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageDraw

from display import fonts
from display.layout import ELLIPSIS, Font, ellipsize, line_box, line_height, text_width, wrap

LIT = 255
MARGIN = 1  # blank pixels kept on every side, in pixels
NIGHT_LIT_LIMIT = 0.12  # the largest fraction of its pixels a night screen may light


class PanelClass(enum.Enum):
    """Panels by height: what fits on them decides which parts a screen shows."""

    COMPACT = "compact"  # 32 rows
    REGULAR = "regular"  # 64 rows
    TALL = "tall"  # 128 rows


@dataclass(frozen=True)
class Style:
    """Fonts and sizes for one class of panel height. Sizes are in pixels."""

    kind: PanelClass
    text: Font  # paragraphs, captions
    hint: Font  # the bottom "press: …    hold: …" line
    title: Font  # headings of text screens (bold)
    label: Font  # the side label next to a countdown (bold, but regular on compact panels)
    countdown_px: int  # em size of the big countdown digits
    pacer_radius: tuple[int, int]  # breathing pacer radius: (exhaled, inhaled)
    bar_rows: int  # height of the progress bar outline
    title_lines: int  # how many lines a heading may wrap to
    line_gap: int  # blank rows between lines of a paragraph


def lit_fraction(image: Image.Image) -> float:
    """Fraction 0 … 1 of the image's pixels that are lit."""
    pixels = image.width * image.height
    return 1.0 - image.convert("1").histogram()[0] / pixels if pixels else 0.0


@functools.lru_cache(maxsize=2048)
def text_ink(text: str, font: Font) -> tuple[Image.Image, tuple[int, int]]:
    """`text` in `font` as Pillow draws it, once: (the letters as a mode-"1" mask, where the
    mask's corner goes, in pixels from the point the text is drawn at). Pasting the mask
    there lights exactly the pixels `ImageDraw.text` would."""
    ink_left, ink_top, ink_right, ink_bottom = font.getbbox(text)
    dx, dy = min(ink_left, 0), min(ink_top, 0)
    letters = Image.new("1", (max(ink_right, 1) - dx, max(ink_bottom, 1) - dy), 0)
    ImageDraw.Draw(letters).text((-dx, -dy), text, font=font, fill=LIT)
    return letters, (dx, dy)


@functools.lru_cache(maxsize=256)
def outline_ink(text: str, font: Font) -> tuple[Image.Image, int]:
    """`text` in `font` as a one-pixel outline around its letters, once: (the outline as a
    mode-"1" mask, the letters' left ink column). The mask's top row is the ink's first row.

    Pillow's own stroke blends grey into a mode-"1" image, so the letters are drawn into a
    mask, grown by one pixel and the letters taken out again.
    """
    ink_left, ink_top, ink_right, ink_bottom = font.getbbox(text)
    letters = Image.new("L", (ink_right - ink_left + 2, ink_bottom - ink_top + 2), 0)
    draw = ImageDraw.Draw(letters)
    draw.fontmode = "1"
    draw.text((1 - ink_left, 1 - ink_top), text, font=font, fill=LIT)
    grown = letters
    for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):  # grow by one pixel, corners left out
        grown = ImageChops.lighter(grown, ImageChops.offset(letters, dx, dy))
    ring = ImageChops.subtract(grown, letters)
    return ring.point(lambda v: LIT if v else 0, "1"), ink_left


def style_for(size: tuple[int, int]) -> Style:
    """The style for a panel of `size` (width, height) in pixels."""
    height = size[1]
    if height < 48:
        return Style(PanelClass.COMPACT, fonts.regular(9), fonts.regular(9), fonts.bold(9), fonts.regular(9),
                     countdown_px=20, pacer_radius=(2, 7), bar_rows=1, title_lines=1, line_gap=0)
    if height < 96:
        return Style(PanelClass.REGULAR, fonts.regular(10), fonts.regular(10), fonts.bold(9), fonts.bold(11),
                     countdown_px=30, pacer_radius=(3, 10), bar_rows=5, title_lines=2, line_gap=0)
    return Style(PanelClass.TALL, fonts.regular(11), fonts.regular(10), fonts.bold(12), fonts.bold(14),
                 countdown_px=40, pacer_radius=(5, 18), bar_rows=7, title_lines=2, line_gap=2)


class Canvas:
    """A black 1-bit frame of `size` pixels plus the layout bookkeeping of one render."""

    def __init__(self, size: tuple[int, int], screen: str) -> None:
        self.width, self.height = size
        self.screen = screen  # names the screen in overflow reports, e.g. "hold"
        self.image = Image.new("1", size, 0)
        self.draw = ImageDraw.Draw(self.image)
        self.style = style_for(size)
        self.overflows: list[str] = []
        self.shown: set[str] = set()  # every text drawn in full (a line, or a whole paragraph)
        self.left, self.right = MARGIN, self.width - MARGIN  # columns [left, right)
        self.top, self.bottom = MARGIN, self.height - MARGIN  # free rows [top, bottom)

    @property
    def inner_width(self) -> int:
        return self.right - self.left

    @property
    def free_rows(self) -> int:
        return self.bottom - self.top

    def take_top(self, rows: int, gap: int = 1) -> int:
        """Claim `rows` rows under the previous top claim; returns their first row."""
        y = self.top
        self.top += rows + gap
        return y

    def take_bottom(self, rows: int, gap: int = 1) -> int:
        """Claim `rows` rows above the previous bottom claim; returns their first row."""
        self.bottom -= rows
        y = self.bottom
        self.bottom -= gap
        return y

    def report(self, what: str, problem: str) -> None:
        """Record that something on this screen did not fit."""
        self.overflows.append(f"{self.screen} {what} at {self.width}x{self.height}: {problem}")

    def text(self, x: int, y: int, text: str, font: Font, *, max_width: int | None = None,
             what: str = "text", align: str = "left", outline: bool = False) -> int:
        """Draw one line whose ink starts at row `y`; returns its width in pixels.

        `x` is the left edge, the centre or the right edge for `align` "left", "center"
        or "right". Text wider than `max_width` is cut with "…" and reported. `outline`
        draws the letters as 1-pixel outlines (for big digits that would be too bright).
        """
        limit = self.inner_width if max_width is None else max_width
        stroke = 1 if outline else 0
        width = text_width(text, font) + 2 * stroke
        if width > limit:
            self.report(what, f"{text!r} is {width} px wide, {limit} px fit")
            text = ellipsize(text, font, limit - 2 * stroke)
            width = text_width(text, font) + 2 * stroke
        else:
            self.shown.add(text)
        left = {"left": x, "center": x - width // 2, "right": x - width}[align] + stroke
        if outline:
            self._outlined_text(left, y, text, font)
        else:
            letters, (dx, dy) = text_ink(text, font)
            self.image.paste(LIT, (left + dx, y - line_box(font)[0] + dy), letters)
        return width

    def _outlined_text(self, left: int, y: int, text: str, font: Font) -> None:
        """`text` as a one-pixel outline around its letters, ink starting at row `y`."""
        ring, ink_left = outline_ink(text, font)
        self.image.paste(LIT, (left - 1 + ink_left, y), ring)

    def wrapped(self, paragraphs: tuple[str, ...] | list[str], font: Font, width: int) -> list[str]:
        """All `paragraphs` wrapped to `width` pixels, one list of lines."""
        return [line for paragraph in paragraphs for line in wrap(paragraph, font, width)]

    def paragraphs(self, x: int, y: int, width: int, max_lines: int, paragraphs: tuple[str, ...],
                   font: Font, *, what: str = "text", align: str = "left",
                   within_night_limit: bool = False) -> int:
        """Wrap and draw `paragraphs` in at most `max_lines` lines; returns rows used.

        With `within_night_limit`, lines are dropped from the end while the frame would
        light more than NIGHT_LIT_LIMIT of the panel. Lines left out are reported, and the
        last line shown ends with "…".
        """
        lines = self.wrapped(paragraphs, font, width)
        shown = min(len(lines), max(max_lines, 0))
        before = self.image.copy() if within_night_limit else None
        while True:
            rows = self._draw_lines(x, y, width, lines, shown, font, what=what, align=align)
            if before is None or shown <= 1 or self.lit_fraction() <= NIGHT_LIT_LIMIT:
                break
            self.image.paste(before)
            shown -= 1
        if shown < len(lines):
            why = "fit" if shown == max(max_lines, 0) else f"fit under {NIGHT_LIT_LIMIT:.0%} lit"
            self.report(what, f"needs {len(lines)} lines, {shown} {why}: {' '.join(paragraphs)[:40]!r}")
        else:
            self.shown.update(paragraphs)
        return rows

    def _draw_lines(self, x: int, y: int, width: int, lines: list[str], shown: int, font: Font,
                    *, what: str, align: str) -> int:
        """Draw the first `shown` of `lines` ("…" ending the last if some are left out)."""
        drawn = lines[:shown]
        if drawn and shown < len(lines):
            drawn[-1] = ellipsize(drawn[-1] + ELLIPSIS, font, width)
        pitch = line_height(font) + self.style.line_gap
        anchor_x = x + width // 2 if align == "center" else x
        for index, line in enumerate(drawn):
            self.text(anchor_x, y + index * pitch, line, font, max_width=width, what=what, align=align)
        return len(drawn) * pitch - (self.style.line_gap if drawn else 0)

    def lit_fraction(self) -> float:
        """Fraction 0 … 1 of the frame's pixels lit so far."""
        return lit_fraction(self.image)

    def lit_pixels(self) -> int:
        """How many of the frame's pixels are lit so far."""
        return self.width * self.height - self.image.convert("1").histogram()[0]

    def lines_that_fit(self, rows: int, font: Font) -> int:
        """How many lines of `font` fit in `rows` rows."""
        pitch = line_height(font) + self.style.line_gap
        return max(0, (rows + self.style.line_gap) // pitch)

    def check_fits(self) -> None:
        """Report when the claimed rows overlap (the layout itself is too tall)."""
        if self.top > self.bottom + 1:  # the two blank gap rows may coincide, ink may not
            self.report("layout", f"needs {self.top - self.bottom - 1} more rows")
