"""The daemon's inputs: what hardware callbacks, the keyboard and signals put on its queue
(called `inputs` wherever it is passed).

Callbacks run on foreign threads (gpiozero's pin thread, the keyboard reader thread); they
only build one of these small values and `queue.put` it. The daemon's loop, on the main
thread, is the only one that decides what an input means.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Gesture(str, enum.Enum):
    """What one button gesture means, decided on release."""

    PRESS = "press"  # shorter than the hold threshold
    DOUBLE_PRESS = "double_press"  # a second press right after a press (the first was a PRESS)
    HOLD = "hold"  # about 1 s
    LONG_HOLD = "long_hold"  # about 3 s: stop


@dataclass(frozen=True)
class ButtonEdge:
    """The button went down (`pressed=True`) or up, at monotonic time `at` in seconds."""

    pressed: bool
    at: float


@dataclass(frozen=True)
class GestureInput:
    """A whole gesture from an input that has no edges (the keyboard), at `at` seconds."""

    gesture: Gesture
    at: float


@dataclass(frozen=True)
class Quit:
    """Stop the daemon (q on the keyboard, SIGTERM, SIGINT)."""

    reason: str = ""

