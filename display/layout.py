"""Measuring and wrapping text for the tiny screen. Every length is in pixels."""

from __future__ import annotations

import functools
import math

from PIL import ImageFont

Font = ImageFont.FreeTypeFont
ELLIPSIS = "…"


@functools.lru_cache(maxsize=8192)
def text_width(text: str, font: Font) -> int:
    """Width of `text` drawn in `font`, in pixels (the larger of advance and ink); remembered,
    as wrapping and checking measure the same texts again and again."""
    if not text:
        return 0
    return max(math.ceil(font.getlength(text)), font.getbbox(text)[2])


@functools.cache
def line_box(font: Font) -> tuple[int, int]:
    """(blank rows above the tallest letters, rows from there to the lowest descender).

    Draw a line at y - first so its ink starts at y; the next line fits at y + second.
    """
    top = font.getbbox("Hdlk")[1]
    bottom = font.getbbox("Hdlkgjpqy,")[3]
    return top, bottom - top


def line_height(font: Font) -> int:
    """Rows one line of `font` takes, ascender top to descender bottom."""
    return line_box(font)[1]


def wrap(text: str, font: Font, width: int) -> list[str]:
    """Split `text` into lines no wider than `width` pixels, breaking between words.

    Explicit newlines start a new line. A word wider than `width` on its own is broken
    between letters, so every returned line fits.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if text_width(candidate, font) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            for piece in _break_word(word, font, width):
                if line:
                    lines.append(line)
                line = piece
        lines.append(line)
    return [line for line in lines if line]


def _break_word(word: str, font: Font, width: int) -> list[str]:
    """`word` cut into pieces that each fit `width` (the last piece may be short)."""
    pieces, piece = [], ""
    for letter in word:
        if piece and text_width(piece + letter, font) > width:
            pieces.append(piece)
            piece = ""
        piece += letter
    return pieces + [piece]


def ellipsize(text: str, font: Font, width: int) -> str:
    """`text` shortened with a trailing "…" so it fits `width` pixels (unchanged if it fits)."""
    if text_width(text, font) <= width:
        return text
    while text and text_width(text.rstrip() + ELLIPSIS, font) > width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS if text else ""
