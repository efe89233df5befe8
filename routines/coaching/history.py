"""What the rules read: the journal's rows, as the protocols they need, and a few selections.

`device.journal.reader.NightRow` and `StepRow` fit these protocols; so do the plain rows a
test builds. Nights carry their date (the local date of the bedtime), whether they count
(`practised`: finished, or at least one hold done), their holds and their tighter marks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Protocol

from routines.outcomes import Side


class HoldRow(Protocol):
    stretch_id: str
    side: Side
    planned_seconds: float
    held_seconds: float
    skipped: bool


class MarkLike(Protocol):
    side: Side


class NightLike(Protocol):
    night_date: date
    steps: Sequence[HoldRow]
    marks: Sequence[MarkLike]

    @property
    def practised(self) -> bool: ...


def practised_before(nights: Iterable[NightLike], night: date) -> list[NightLike]:
    """The practised nights dated before `night`, oldest first (one per date: the last row)."""
    by_date = {}
    for row in nights:
        if row.practised and row.night_date < night:
            by_date[row.night_date] = row
    return [by_date[day] for day in sorted(by_date)]


def practised_until(nights: Iterable[NightLike], night: date) -> list[NightLike]:
    """The practised nights dated `night` or before, oldest first (all rows of a date)."""
    return sorted((row for row in nights if row.practised and row.night_date <= night),
                  key=lambda row: row.night_date)
