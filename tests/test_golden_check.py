"""The reference check's allowance under another FreeType (Debian Bookworm's Pillow 9.4): glyph
edges may differ, a moved line may not."""

from __future__ import annotations

from pathlib import Path

import pytest
from golden import edge_difference_problem
from PIL import Image

HOLD = Path(__file__).parent / "goldens" / "128x64" / "hold.png"


def moved(image: Image.Image, box: tuple[int, int, int, int], dx: int, dy: int) -> Image.Image:
    copy = image.copy()
    copy.paste(0, box)
    copy.paste(image.crop(box), (box[0] + dx, box[1] + dy))
    return copy


@pytest.mark.parametrize("box", [(100, 0, 128, 12), (0, 0, 128, 12), (0, 52, 128, 64)],
                         ids=["the step count", "the title line", "the hint line"])
@pytest.mark.parametrize("shift", [(1, 0), (0, 1)], ids=["right", "down"])
def test_a_part_moved_by_one_pixel_fails(box, shift):
    reference = Image.open(HOLD).convert("1")
    assert edge_difference_problem(moved(reference, box, *shift), reference) is not None


def test_a_dot_away_from_the_letters_fails_and_a_pixel_at_their_edge_passes():
    reference = Image.open(HOLD).convert("1")
    stray = reference.copy()
    stray.putpixel((64, 44), 1)  # between the big digits' row and the hint line: dark around
    assert edge_difference_problem(stray, reference).startswith("1 pixels away from any letter")
    edge = reference.copy()
    x, y = next((x, y) for y in range(64) for x in range(1, 128) if reference.getpixel((x, y))
                and not reference.getpixel((x - 1, y)))
    edge.putpixel((x - 1, y), 1)  # one more pixel on a letter's left edge
    assert edge_difference_problem(edge, reference) is None
    assert edge_difference_problem(reference, reference) is None
