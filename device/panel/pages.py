"""A 1-bit picture the way an OLED controller's memory holds it, and what changed in it.

SSD1306, SSD1309, SH1106 and SH1107 controllers keep a monochrome picture in pages: a page
is a band of 8 rows, one byte per column, the top row of the band in the lowest bit (the
layout luma.oled's drivers send). `pack` turns a picture into that layout with Pillow's C
code; `changes` finds, in each page, the runs of columns that differ from what the panel
holds; `windows` groups those runs into the rectangles worth one address command each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PIL import Image

_CHANGED = re.compile(rb"[^\x00]+")  # a run of non-zero bytes: columns that differ


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


def changed_runs(old: bytes, new: bytes, gap: int = 0) -> list[tuple[int, int]]:
    """(first, last) column of each run of columns where two pages differ, left to right.

    Runs fewer than `gap` unchanged columns apart are joined: sending a few unchanged bytes
    costs less than addressing a second window.
    """
    if old == new:
        return []
    diff = (int.from_bytes(old, "big") ^ int.from_bytes(new, "big")).to_bytes(len(new), "big")
    runs: list[tuple[int, int]] = []
    for run in _CHANGED.finditer(diff):
        first, last = run.start(), run.end() - 1
        if runs and first - runs[-1][1] - 1 < gap:
            first = runs.pop()[0]
        runs.append((first, last))
    return runs


def changes(old: list[bytes] | None, new: list[bytes], gap: int = 0) -> list[tuple[int, int, int]]:
    """(page, first column, last column) of every run of changes in `new`, page by page.

    `old` None (the panel's memory is unknown) gives every page in full; `gap` as in
    `changed_runs`.
    """
    if old is None:
        return [(page, 0, len(data) - 1) for page, data in enumerate(new)]
    return [(page, first, last)
            for page, (was, now) in enumerate(zip(old, new))
            for first, last in changed_runs(was, now, gap)]


def windows(spans: list[tuple[int, int, int]], window_cost: int | None) -> list[Window]:
    """Group the changed spans of pages (in page order) into windows.

    `window_cost` is what one more window costs on the bus, in bytes (its address command
    and the framing of its data); a span joins the window reaching down to the page above
    it when the columns that adds cost less than a window of its own. None: one window per
    span (a controller in page addressing mode, whose column address stays in its page).
    """
    result: list[Window] = []
    for page, first, last in spans:
        best, best_saving = None, 0
        for index, above in enumerate(result if window_cost is not None else ()):
            if above.last_page != page - 1:
                continue
            merged = Window(above.first_page, page, min(above.first, first), max(above.last, last))
            saving = above.nbytes + (last - first + 1) + window_cost - merged.nbytes
            if saving > best_saving:
                best, best_saving = index, saving
        if best is None:
            result.append(Window(page, page, first, last))
        else:
            above = result[best]
            result[best] = Window(above.first_page, page, min(above.first, first), max(above.last, last))
    return result


def window_data(pages: list[bytes], window: Window) -> bytes:
    """The bytes of `window`, in the order the controller fills it: each page's columns in turn."""
    return b"".join(pages[page][window.first:window.last + 1]
                    for page in range(window.first_page, window.last_page + 1))
