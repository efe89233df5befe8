"""Journal rows for the coaching tests: real `NightRow`s built from a few words each."""

from __future__ import annotations

from datetime import date, timedelta

from device.journal.reader import MarkRow, NightRow, StepRow
from routines.outcomes import Outcome, Side

START = date(2026, 3, 2)  # a Monday: night 1


def hold(stretch: str, planned: float, held: float | None = None, side: Side = Side.LEFT,
         skipped: bool = False) -> StepRow:
    """One hold as the journal records it (`held` defaults to the whole of `planned`)."""
    return StepRow("2026-03-02T22:20:00+01:00", stretch, side, planned, planned if held is None else held,
                   0.0, skipped)


def night(day: date, routine: str = "full", steps=(), marks=(), outcome: Outcome = Outcome.FINISHED,
          number: int = 1) -> NightRow:
    """A night dated `day`; `marks` are the sides marked tighter."""
    return NightRow(number, day, f"{day.isoformat()}T22:15:00+01:00", routine, f"{day.isoformat()}T22:30:00+01:00",
                    outcome, {}, tuple(steps),
                    tuple(MarkRow(f"{day.isoformat()}T22:20:00+01:00", side, "leg-dangle") for side in marks))


def nights(count: int, first: date = START, **fields) -> list[NightRow]:
    """`count` practised nights in a row from `first`, all alike."""
    return [night(first + timedelta(days=n), number=n + 1, **fields) for n in range(count)]


def days_back(*values: int | None, last: date) -> dict[date, int]:
    """Answers for the mornings ending with `last`, oldest first; None: not answered."""
    start = last - timedelta(days=len(values) - 1)
    return {start + timedelta(days=n): v for n, v in enumerate(values) if v is not None}
