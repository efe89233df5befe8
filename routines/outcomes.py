"""What the journal keeps of a hold and a night: the side a hold worked on and how a night's
routine ended. Plain enums in a module of their own, so that reading the journal (`psoas
morning`, `psoas stats`) loads nothing else of the engine.
"""

from __future__ import annotations

import enum


class Side(str, enum.Enum):
    """Which side a hold works on."""

    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"


class Outcome(str, enum.Enum):
    """How a night's routine ended."""

    FINISHED = "finished"
    STOPPED = "stopped"
    SKIPPED = "skipped"  # "skip tonight" from the bedtime prompt
