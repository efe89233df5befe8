"""Reading the journal back: nights with their steps and tighter marks, and the morning
check-ins, for stats and export.

`read_history(state_dir)` opens the file read-only and never creates or changes anything, so
`psoas stats` is safe to run while the daemon is writing. A night *counts* (for streaks and
night numbers) when its routine finished or at least one hold was completed, not skipped.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from device.journal.schema import (
    FILE_NAME,
    MORNINGS_VERSION,
    JournalTooNewError,
    check_version,
    is_corruption,
)
from routines.errors import PsoasError

_PRACTISED = (
    "n.outcome = 'finished' OR EXISTS "
    "(SELECT 1 FROM steps s WHERE s.night_id = n.id AND s.skipped = 0)"
)


class JournalUnreadableError(PsoasError, OSError):
    """The journal exists but cannot be read (damaged, newer schema, no permission)."""


@dataclass(frozen=True)
class StepRow:
    """One completed hold. Durations in seconds; `recorded_at` ISO 8601 with offset."""

    recorded_at: str
    stretch_id: str
    side: str
    planned_seconds: float
    held_seconds: float
    paused_seconds: float
    skipped: bool


@dataclass(frozen=True)
class MarkRow:
    """A "this side felt tighter" mark."""

    marked_at: str
    side: str  # "left" | "right"
    stretch_id: str


@dataclass(frozen=True)
class NightRow:
    """One night: when and what was started, how it ended (None: cut off), its holds."""

    id: int
    night_date: date
    started_at: str
    routine: str
    ended_at: str | None
    outcome: str | None
    summary: dict
    steps: tuple[StepRow, ...] = ()
    marks: tuple[MarkRow, ...] = ()

    @property
    def practised(self) -> bool:
        return self.outcome == "finished" or any(not s.skipped for s in self.steps)

    @property
    def held_seconds(self) -> float:
        return sum(s.held_seconds for s in self.steps)


@dataclass(frozen=True)
class MorningRow:
    """One morning check-in: `stiffness` 0–10, or None for "not today"."""

    morning_date: date
    stiffness: int | None
    answered_at: str  # ISO 8601 with offset
    source: str  # "button" | "command"


@dataclass(frozen=True)
class History:
    """Every night and every morning check-in in the journal, oldest first."""

    nights: tuple[NightRow, ...] = ()
    mornings: tuple[MorningRow, ...] = ()

    def stiffness_by_date(self) -> dict[date, int]:
        """The answered mornings ("not today" left out): date -> stiffness 0–10."""
        return stiffness_by_date(self.mornings)

    def practised_dates(self) -> list[date]:
        return sorted({n.night_date for n in self.nights if n.practised})

    def held_seconds_by_date(self) -> dict[date, float]:
        totals: dict[date, float] = {}
        for night in self.nights:
            totals[night.night_date] = totals.get(night.night_date, 0.0) + night.held_seconds
        return totals


def stiffness_by_date(mornings) -> dict[date, int]:
    """Answered `MorningRow`s as date -> stiffness 0–10 ("not today" left out)."""
    return {m.morning_date: m.stiffness for m in mornings if m.stiffness is not None}


def practised_dates(conn: sqlite3.Connection) -> list[date]:
    """Dates of the nights that count, oldest first, straight from SQL."""
    rows = conn.execute(
        f"SELECT DISTINCT n.night_date FROM nights n WHERE {_PRACTISED} ORDER BY 1"
    ).fetchall()
    return [date.fromisoformat(r[0]) for r in rows]


def _summary(text: str | None) -> dict:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {"unreadable": text}
    return value if isinstance(value, dict) else {"value": value}


def load_mornings(conn: sqlite3.Connection) -> tuple[MorningRow, ...]:
    """Every morning check-in, oldest first; () for a journal from before they existed."""
    if conn.execute("PRAGMA user_version").fetchone()[0] < MORNINGS_VERSION:
        return ()
    return tuple(
        MorningRow(date.fromisoformat(day), stiffness, answered_at, source)
        for day, stiffness, answered_at, source in conn.execute(
            "SELECT morning_date, stiffness, answered_at, source FROM mornings ORDER BY morning_date"
        )
    )


def load_morning(conn: sqlite3.Connection, day: date) -> MorningRow | None:
    """`day`'s check-in (an answer or "not today"), or None."""
    row = conn.execute("SELECT stiffness, answered_at, source FROM mornings WHERE morning_date = ?",
                       (day.isoformat(),)).fetchone()
    return MorningRow(day, *row) if row else None


def load_history(conn: sqlite3.Connection) -> History:
    """Every night with its steps and marks, and every morning, from an open journal connection.

    A journal of an older schema (not migrated yet: the daemon migrates it at its next start)
    reads as far as it goes.
    """
    if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
        return History()
    steps: dict[int, list[StepRow]] = {}
    for night_id, *fields in conn.execute(
        "SELECT night_id, recorded_at, stretch_id, side, planned_seconds, held_seconds,"
        " paused_seconds, skipped FROM steps ORDER BY id"
    ):
        fields[-1] = bool(fields[-1])
        steps.setdefault(night_id, []).append(StepRow(*fields))
    marks: dict[int, list[MarkRow]] = {}
    for night_id, *fields in conn.execute(
        "SELECT night_id, marked_at, side, stretch_id FROM tighter_marks ORDER BY id"
    ):
        marks.setdefault(night_id, []).append(MarkRow(*fields))
    nights = []
    for id_, started_at, night, routine, ended_at, outcome, summary in conn.execute(
        "SELECT id, started_at, night_date, routine, ended_at, outcome, summary"
        " FROM nights ORDER BY id"
    ):
        nights.append(NightRow(
            id=id_, night_date=date.fromisoformat(night), started_at=started_at,
            routine=routine, ended_at=ended_at, outcome=outcome, summary=_summary(summary),
            steps=tuple(steps.get(id_, ())), marks=tuple(marks.get(id_, ())),
        ))
    return History(tuple(nights), load_mornings(conn))


def _read(path: Path, options: str) -> History:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?{options}", uri=True)
    try:
        check_version(conn)
        return load_history(conn)
    finally:
        conn.close()


def read_history(state_dir: Path) -> History:
    """The history in `<state_dir>/journal.sqlite3`; empty if there is no journal yet.

    Opens read-only; in a read-only directory (no room for SQLite's shared-memory file) it
    reads the main file as it stands. Raises `JournalUnreadableError`, one line naming the
    file and the fix.
    """
    path = Path(state_dir).expanduser() / FILE_NAME
    remedy = "check its permissions or run as the user the daemon runs as"
    try:
        if not path.exists():
            return History()
    except OSError as error:
        raise JournalUnreadableError(f"{path}: {error.strerror}; {remedy}") from None
    problem: sqlite3.Error | None = None
    for options in ("mode=ro", "mode=ro&immutable=1"):
        try:
            return _read(path, options)
        except JournalTooNewError as error:
            raise JournalUnreadableError(f"{path}: {error}") from None
        except sqlite3.DatabaseError as error:
            if is_corruption(error):
                raise JournalUnreadableError(
                    f"{path} is damaged ({error}); the daemon moves it aside and starts a "
                    "fresh one at its next start"
                ) from None
            problem = error
    raise JournalUnreadableError(f"{path}: cannot read ({problem}); {remedy}")
