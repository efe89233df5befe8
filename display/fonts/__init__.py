"""The shipped DejaVu Sans Condensed fonts, loaded by pixel size and cached.

The TTF files live beside this module so every machine renders the same pixels. Fonts use
Pillow's BASIC layout engine: it spaces 1-bit glyphs evenly and does not depend on whether
libraqm happens to be installed.
"""

from __future__ import annotations

import functools
from pathlib import Path

from PIL import ImageFont

FONT_DIR = Path(__file__).resolve().parent
REGULAR_FILE = FONT_DIR / "DejaVuSansCondensed.ttf"
BOLD_FILE = FONT_DIR / "DejaVuSansCondensed-Bold.ttf"


@functools.cache
def regular(size_px: int) -> ImageFont.FreeTypeFont:
    """DejaVu Sans Condensed at `size_px` pixels (the em size)."""
    return ImageFont.truetype(str(REGULAR_FILE), size_px, layout_engine=ImageFont.Layout.BASIC)


@functools.cache
def bold(size_px: int) -> ImageFont.FreeTypeFont:
    """DejaVu Sans Condensed Bold at `size_px` pixels (the em size)."""
    return ImageFont.truetype(str(BOLD_FILE), size_px, layout_engine=ImageFont.Layout.BASIC)
