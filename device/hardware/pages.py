"""A 1-bit picture the way an OLED controller's memory holds it, and what changed in it.

SSD1306, SSD1309, SH1106 and SH1107 controllers keep a monochrome picture in pages: a page
is a band of 8 rows, one byte per column, the top row of the band in the lowest bit (the
layout luma.oled's drivers send). `pack` turns a picture into that layout with Pillow's C
code; `changes` finds, for each page, the span of columns that differ from what the panel
holds; `windows` groups those spans into the rectangles worth one address command each.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image


@dataclass(frozen=True)
class Window:
    """A rectangle of panel memory: pages `first_page`..`last_page`, columns `first`..`last`
    (both ends included), sent row of pages by row of pages."""

    first_page: int
    last_page: int
    first: int
    last: int

    @property
    def nbytes(self) -> int:
        return (self.last_page - self.first_page + 1) * (self.last - self.first + 1)


def pack(image: Image.Image) -> list[bytes]:
    """The pages of a mode-"1" `image` (height a multiple of 8), top page first.

    Rotating a quarter turn clockwise makes each column of the picture a row, bottom pixel
    first; `tobytes` then packs 8 pixels a byte, the first in the highest bit, so every byte
    already holds 8 rows of one column with the top row in the lowest bit. Row x of the
    rotated picture gives column x of every page, the bottom page first.
    """
    if image.mode != "1":
        image = image.convert("1")
    width, height = image.size
    pages = height // 8
    columns = image.transpose(Image.Transpose.ROTATE_270).tobytes()
    return [columns[pages - 1 - page::pages] for page in range(pages)]


def changed_span(old: bytes, new: bytes) -> tuple[int, int] | None:
    """The first and last column where two pages differ, or None when they are the same."""
    if old == new:
        return None
    diff = int.from_bytes(old, "big") ^ int.from_bytes(new, "big")
    last_byte = len(new) - 1
    first = last_byte - (diff.bit_length() - 1) // 8
    last = last_byte - ((diff & -diff).bit_length() - 1) // 8
    return first, last


def changes(old: list[bytes] | None, new: list[bytes]) -> list[tuple[int, int, int]]:
    """(page, first column, last column) of every page of `new` that differs from `old`.

    `old` None (the panel's memory is unknown) gives every page in full.
    """
    if old is None:
        return [(page, 0, len(data) - 1) for page, data in enumerate(new)]
    spans = []
    for page, (was, now) in enumerate(zip(old, new)):
        span = changed_span(was, now)
        if span is not None:
            spans.append((page, *span))
    return spans


def windows(spans: list[tuple[int, int, int]], window_cost: int | None) -> list[Window]:
    """Group the changed spans of pages into windows.

    `window_cost` is what one more window costs on the bus, in bytes (its address command
    and the framing of its data); a span joins the window of the page above it when the
    columns this adds cost less than a window of its own. None: one window per page (a
    controller in page addressing mode, whose column address stays within its page).
    """
    result: list[Window] = []
    for page, first, last in spans:
        if result and window_cost is not None and result[-1].last_page == page - 1:
            above = result[-1]
            merged = Window(above.first_page, page, min(above.first, first), max(above.last, last))
            if merged.nbytes < above.nbytes + (last - first + 1) + window_cost:
                result[-1] = merged
                continue
        result.append(Window(page, page, first, last))
    return result


def window_data(pages: list[bytes], window: Window) -> bytes:
    """The bytes of `window`, in the order the controller fills it: each page's columns in turn."""
    return b"".join(pages[page][window.first:window.last + 1]
                    for page in range(window.first_page, window.last_page + 1))
