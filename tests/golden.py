"""Reference-image checks: compare pixel by pixel; `UPDATE_GOLDENS=1` writes new references.

The references are drawn with the FreeType inside the Pillow wheel the dev venv installs
(`REFERENCE_FREETYPE`): with it, every pixel must match. Debian / Raspberry Pi OS Bookworm's
python3-pil (Pillow 9.4) uses FreeType 2.12, whose monochrome rasterizer puts a few pixels at
the edge of a glyph differently (0.1-2.2 % of the lit pixels of a screen). With another
FreeType, the layout must still be the same: each differing pixel lies on the edge of a letter
in both pictures (lit in one, and next to ink in the other), and they are at most
`EDGE_PIXELS_LIMIT` of the lit pixels. A line moved or wrapped differently fails that.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageFilter, features

UPDATE = os.environ.get("UPDATE_GOLDENS") == "1"
REFERENCE_FREETYPE = "2.14.3"  # Pillow 13.0's wheels
EDGE_PIXELS_LIMIT = 0.03  # of the reference's lit pixels, under another FreeType


def freetype() -> str:
    return features.version("freetype2") or "none"


def assert_matches_golden(image: Image.Image, path: Path, what: str = "") -> None:
    """Fail unless `image` equals the reference PNG at `path` pixel for pixel (under another
    FreeType: unless it differs only at the letters' edges)."""
    if UPDATE:
        if freetype() != REFERENCE_FREETYPE:
            pytest.fail(f"references are drawn with FreeType {REFERENCE_FREETYPE}, this Pillow has {freetype()}: "
                        f"update them in the dev venv (.venv)")
        path.parent.mkdir(parents=True, exist_ok=True)
        image.save(path)
    if not path.exists():
        pytest.fail(f"no reference image {path}; create it with UPDATE_GOLDENS=1 make test")
    reference = Image.open(path).convert(image.mode)
    assert image.size == reference.size, f"{what or path}: size {image.size} != {reference.size}"
    difference = ImageChops.difference(image, reference).getbbox()
    if difference is None:
        return
    assert freetype() != REFERENCE_FREETYPE, f"{what or path} differs from {path} in box {difference}"
    problem = edge_difference_problem(image.convert("1"), reference.convert("1"))
    assert problem is None, (f"{what or path} differs from {path} in box {difference} beyond FreeType "
                             f"{freetype()}'s glyph edges (the references: {REFERENCE_FREETYPE}): {problem}")


def edge_difference_problem(image: Image.Image, reference: Image.Image) -> str | None:
    """None when every pixel that differs is lit in one picture and next to ink in the other,
    and they are few; else what is wrong."""
    near_image = image.convert("L").filter(ImageFilter.MaxFilter(3))  # ink, grown by one pixel
    near_reference = reference.convert("L").filter(ImageFilter.MaxFilter(3))
    differing, away = 0, []
    for y in range(image.height):
        for x in range(image.width):
            mine, theirs = image.getpixel((x, y)), reference.getpixel((x, y))
            if bool(mine) == bool(theirs):
                continue
            differing += 1
            if not (near_reference.getpixel((x, y)) if mine else near_image.getpixel((x, y))):
                away.append((x, y))
    lit = sum(1 for y in range(reference.height) for x in range(reference.width) if reference.getpixel((x, y)))
    if away:
        return f"{len(away)} pixels away from any letter, e.g. at {away[0]}"
    if differing > EDGE_PIXELS_LIMIT * max(lit, 1):
        return f"{differing} pixels differ, more than {EDGE_PIXELS_LIMIT:.0%} of the {lit} lit"
    return None
