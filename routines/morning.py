"""The morning check-in as the engine runs it: the 0–10 scale, the offer, the saved line.

The device decides *whether* to ask (the morning window, not yet answered today) and arms
the engine with a `MorningOffer`; the engine then turns the next press in the dark into the
question instead of the clock. On the question a press moves the pointer up by one (10 wraps
to 0), a hold saves, a long hold says "not today". Pure: no clock, no dates, no journal.
"""

from __future__ import annotations

from typing import NamedTuple

SCALE_MAX = 10  # answers run from 0 (no stiffness) to 10 (the worst imaginable)
QUESTION = "Morning stiffness?"


class MorningOffer(NamedTuple):
    """What the question starts from: the last answer (the pointer's start; None: never
    answered) and the average of the seven mornings before today (None: too few answers).
    `notes[n]` is a coaching line to show under answer n once saved (e.g. "Stiffer 2 weeks:
    a physio?", `routines.coaching.see_someone`); "" or a missing entry: none."""

    last_answer: int | None = None
    last_week: float | None = None
    notes: tuple[str, ...] = ()

    def note(self, answer: int) -> str:
        """The coaching line under `answer` once saved, or ""."""
        return self.notes[answer] if 0 <= answer < len(self.notes) else ""

    @property
    def start(self) -> int:
        return self.last_answer if self.last_answer is not None else 0


def is_stiffness(value: object) -> bool:
    """True for a whole number on the scale, 0 to SCALE_MAX (bools are not numbers here)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= SCALE_MAX


def next_value(value: int) -> int:
    """One press on the question: up by one, and from the top of the scale back to 0."""
    return (value + 1) % (SCALE_MAX + 1)


def average_text(average: float) -> str:
    """A 7-day average as shown everywhere: one decimal ("4.6")."""
    return f"{average:.1f}"


def saved_text(stiffness: int, last_week: float | None) -> str:
    """The one line after saving, e.g. "Saved: 3 · last week 4.6" (just "Saved: 3" without one)."""
    text = f"Saved: {stiffness}"
    return text if last_week is None else f"{text} · last week {average_text(last_week)}"
