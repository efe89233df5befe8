"""Packing a picture into controller pages and finding what changed, against plain loops."""

import random

import pytest
from PIL import Image

from device.panel.pages import Window, changed_runs, changes, pack, window_data, windows


def packed_by_hand(image: Image.Image) -> list[bytes]:
    """Each page: per column, the 8 rows of the page, the top row in the lowest bit."""
    width, height = image.size
    pixels = image.load()
    return [bytes(sum(1 << bit for bit in range(8) if pixels[x, page * 8 + bit]) for x in range(width))
            for page in range(height // 8)]


def noise(size: tuple[int, int], rng: random.Random) -> Image.Image:
    return Image.frombytes("1", size, rng.randbytes(size[0] * size[1] // 8))


@pytest.mark.parametrize("size", [(128, 64), (64, 128), (128, 32), (128, 128)])
def test_pack_matches_the_controller_layout(size):
    rng = random.Random(size[1])
    for _ in range(5):
        image = noise(size, rng)
        assert pack(image) == packed_by_hand(image)
    one = Image.new("1", size)
    one.putpixel((3, 9), 1)  # page 1, column 3, second row of the page
    pages = pack(one)
    assert pages[1][3] == 0b10 and sum(map(sum, pages)) == 0b10


def runs_by_hand(old: bytes, new: bytes, gap: int) -> list[tuple[int, int]]:
    differ = [i for i in range(len(new)) if old[i] != new[i]]
    runs: list[list[int]] = []
    for column in differ:
        if runs and column - runs[-1][1] - 1 < max(gap, 1):
            runs[-1][1] = column
        else:
            runs.append([column, column])
    return [tuple(run) for run in runs]


@pytest.mark.parametrize("gap", [0, 1, 10])
def test_changed_runs_are_the_differing_columns_joined_across_small_gaps(gap):
    rng = random.Random(gap)
    for _ in range(300):
        old = bytearray(rng.randbytes(128))
        new = bytearray(old)
        for column in rng.sample(range(128), rng.randint(0, 12)):
            new[column] ^= 1 << rng.randrange(8)
        assert changed_runs(bytes(old), bytes(new), gap) == runs_by_hand(old, new, gap)


def test_changes_lists_only_changed_runs_and_everything_when_memory_is_unknown():
    old = [bytes(128)] * 8
    new = list(old)
    new[0] = bytes(10) + b"\x01" + bytes(30) + b"\x02" + bytes(86)
    new[7] = bytes(127) + b"\x80"
    assert changes(old, new) == [(0, 10, 10), (0, 41, 41), (7, 127, 127)]
    assert changes(old, new, gap=40) == [(0, 10, 41), (7, 127, 127)]
    assert changes(None, new) == [(page, 0, 127) for page in range(8)]
    assert changes(new, new) == []


def test_neighbouring_pages_share_a_window_only_when_that_costs_less():
    spans = [(2, 40, 60), (3, 42, 58), (4, 0, 127), (6, 5, 9)]
    assert windows(spans, 10) == [Window(2, 3, 40, 60), Window(4, 4, 0, 127), Window(6, 6, 5, 9)]
    assert windows(spans, None) == [Window(p, p, f, l) for p, f, l in spans]
    # a countdown and a pacer side by side: each keeps its own column of windows
    spans = [(2, 5, 40), (2, 108, 120), (3, 6, 41), (3, 107, 121)]
    assert windows(spans, 10) == [Window(2, 3, 5, 41), Window(2, 3, 107, 121)]


def test_window_data_runs_page_by_page():
    pages = [bytes([page * 16 + column for column in range(16)]) for page in range(4)]
    assert window_data(pages, Window(1, 2, 3, 4)) == bytes([0x13, 0x14, 0x23, 0x24])
