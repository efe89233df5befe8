"""Burn-in care: the whole frame moves by a pixel every few minutes.

`offset_for` walks a 3 × 3 square around the home position, one pixel per move, so
no lit pixel stays on the same OLED cell for more than one interval in nine.
"""

from __future__ import annotations

SHIFT_INTERVAL_SECONDS = 180.0  # how long the frame stays at one offset, in seconds

# Every move goes to a neighbouring pixel, the last one back to the start.
PATTERN: tuple[tuple[int, int], ...] = (
    (0, 0), (1, 0), (1, 1), (0, 1), (-1, 1), (-1, 0), (-1, -1), (0, -1), (1, -1),
)


def offset_for(monotonic_seconds: float, interval_seconds: float = SHIFT_INTERVAL_SECONDS) -> tuple[int, int]:
    """(dx, dy) in pixels to shift the frame by at `monotonic_seconds`, each in -1 … 1.

    The offset changes every `interval_seconds` and cycles through PATTERN.
    """
    step = int(monotonic_seconds // interval_seconds)
    return PATTERN[step % len(PATTERN)]
