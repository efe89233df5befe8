"""Reading the journal back: nights with their steps and tighter marks, and the morning
check-ins, for stats and export.

`read_history(state_dir)` opens the file read-only and never creates or changes anything, so
`psoas stats` is safe to run while the daemon is writing. A night *counts* (for streaks and
night numbers) when its routine finished or at least one hold was completed, not skipped.

A row with an impossible value (a date that is not a date, a duration stored as text or
beyond a day, an unknown side, text that is not UTF-8) is left out and counted in
`History.skipped_rows`, together with the holds and marks of a night left out.
"""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

from device.config.paths import expanded
from device.errors import JournalCorruptError, JournalTooNewError, JournalUnreadableError
from device.journal.schema import (
    COLUMNS,
    FILE_NAME,
    MORNINGS_VERSION,
    check_integrity,
    check_kind,
    check_version,
    describe,
    is_damage,
)
from device.storage import faults
from routines.outcomes import Outcome, Side
from routines.loading.files import has_control

_PRACTISED = (  # `NightRow.practised`, in SQL
    f"n.outcome = '{Outcome.FINISHED.value}' OR EXISTS "
    "(SELECT 1 FROM steps s WHERE s.night_id = n.id AND s.skipped = 0)"
)
MARK_SIDES = (Side.LEFT, Side.RIGHT)  # a tighter mark names one side


class StepRow(NamedTuple):
    """One completed hold. Durations in seconds; `recorded_at` ISO 8601 with offset."""

    recorded_at: str
    stretch_id: str
    side: Side
    planned_seconds: float
    held_seconds: float
    paused_seconds: float
    skipped: bool


class MarkRow(NamedTuple):
    """A "this side felt tighter" mark."""

    marked_at: str
    side: Side  # one of MARK_SIDES
    stretch_id: str


class NightRow(NamedTuple):
    """One night: when and what was started, how it ended (None: cut off), its holds."""

    id: int
    night_date: date
    started_at: str
    routine: str
    ended_at: str | None
    outcome: Outcome | None
    summary: dict
    steps: tuple[StepRow, ...] = ()
    marks: tuple[MarkRow, ...] = ()

    @property
    def practised(self) -> bool:
        return self.outcome is Outcome.FINISHED or any(not s.skipped for s in self.steps)

    @property
    def held_seconds(self) -> float:
        return sum(s.held_seconds for s in self.steps)


class MorningRow(NamedTuple):
    """One morning check-in: `stiffness` 0–10, or None for "not today"."""

    morning_date: date
    stiffness: int | None
    answered_at: str  # ISO 8601 with offset
    source: str  # "button" | "command"


class History(NamedTuple):
    """Every night and every morning check-in in the journal, oldest first; `skipped_rows`
    rows had impossible values and were left out."""

    nights: tuple[NightRow, ...] = ()
    mornings: tuple[MorningRow, ...] = ()
    skipped_rows: int = 0

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
    """Dates of the nights that count, oldest first, straight from SQL (impossible dates left out)."""
    rows = conn.execute(
        f"SELECT DISTINCT CAST(n.night_date AS BLOB) FROM nights n WHERE {_PRACTISED}"
    ).fetchall()
    dates = set()
    for (value,) in rows:
        try:
            dates.add(_date(value))
        except ValueError:
            continue
    return sorted(dates)


# -- one value each: the value as stored, or ValueError when it is impossible ----------------

MAX_SECONDS = 24 * 3600.0  # no plan, hold or pause is longer than a day


def _text(value) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8")  # UnicodeDecodeError is a ValueError
    if not isinstance(value, str) or has_control(value):  # nothing we write holds control characters
        raise ValueError(f"not a text: {value!r}")
    return value


def _date(value) -> date:
    return date.fromisoformat(_text(value))


def _moment(value) -> str:
    text = _text(value)
    datetime.fromisoformat(text)
    return text


def _seconds(value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= MAX_SECONDS:
        raise ValueError(f"not a duration: {value!r}")
    return float(value)


def _one_of(value, options):
    """The member of `options` (enum members) whose value is the stored text."""
    text = _text(value)
    for option in options:
        if option.value == text:
            return option
    raise ValueError(f"not one of {[option.value for option in options]}: {text!r}")


def _row_id(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"not a row id: {value!r}")
    return value


def _summary(value) -> dict:
    if value is None:
        return {}
    text = _text(value)
    try:
        parsed = json.loads(text or "{}", parse_constant=_no_constant)  # NaN would make export invalid JSON
    except (ValueError, RecursionError):
        return {"unreadable": text}
    return parsed if isinstance(parsed, dict) else {"value": parsed}


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _step(recorded_at, stretch_id, side, planned, held, paused, skipped) -> StepRow:
    if isinstance(skipped, bool) or not isinstance(skipped, (int, float)) or skipped not in (0, 1):
        raise ValueError(f"not 0 or 1: {skipped!r}")
    return StepRow(_moment(recorded_at), _text(stretch_id), _one_of(side, tuple(Side)), _seconds(planned),
                   _seconds(held), _seconds(paused), bool(skipped))


def _mark(marked_at, side, stretch_id) -> MarkRow:
    return MarkRow(_moment(marked_at), _one_of(side, MARK_SIDES), _text(stretch_id))


def load_mornings(conn: sqlite3.Connection) -> tuple[MorningRow, ...]:
    """Every morning check-in, oldest first; () for a journal from before they existed."""
    return _mornings(conn)[0]


def _mornings(conn: sqlite3.Connection) -> tuple[tuple[MorningRow, ...], int]:
    """The morning check-ins, and how many rows had impossible values (left out)."""
    if conn.execute("PRAGMA user_version").fetchone()[0] < MORNINGS_VERSION:
        return (), 0
    found, skipped = [], 0
    for day, stiffness, answered_at, source in conn.execute(
            "SELECT morning_date, stiffness, answered_at, source FROM mornings ORDER BY morning_date"):
        try:
            found.append(MorningRow(_date(day), _stiffness(stiffness), _moment(answered_at), _text(source)))
        except ValueError:
            skipped += 1
    return tuple(found), skipped


def _stiffness(value) -> int | None:
    if value is None:
        return None  # "not today"
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise ValueError(f"not a stiffness 0-10: {value!r}")
    return value


def load_morning(conn: sqlite3.Connection, day: date) -> MorningRow | None:
    """`day`'s check-in (an answer or "not today"), or None."""
    row = conn.execute("SELECT stiffness, answered_at, source FROM mornings WHERE morning_date = ?",
                       (day.isoformat(),)).fetchone()
    return MorningRow(day, *row) if row else None


def load_history(conn: sqlite3.Connection) -> History:
    """Every night with its steps and marks, and every morning, from an open journal connection.

    A journal of an older schema (not migrated yet: the daemon migrates it at its next start)
    reads as far as it goes. Rows with impossible values are left out and counted
    (`History.skipped_rows`).
    """
    if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
        return History()
    skipped = 0

    def rows(table: str):
        return conn.execute(f"SELECT {', '.join(COLUMNS[table])} FROM {table} ORDER BY rowid")

    steps: dict[int, list[StepRow]] = {}
    marks: dict[int, list[MarkRow]] = {}
    for table, build, found in (("steps", _step, steps), ("tighter_marks", _mark, marks)):
        for night_id, *fields in rows(table):
            try:
                found.setdefault(_row_id(night_id), []).append(build(*fields))
            except ValueError:
                skipped += 1
    nights = []
    for id_, started_at, night, routine, ended_at, outcome, summary in rows("nights"):
        try:
            nights.append(NightRow(
                id=_row_id(id_), night_date=_date(night), started_at=_moment(started_at),
                routine=_text(routine), ended_at=None if ended_at is None else _moment(ended_at),
                outcome=None if outcome is None else _one_of(outcome, tuple(Outcome)), summary=_summary(summary),
                steps=tuple(steps.pop(id_, ())), marks=tuple(marks.pop(id_, ())),
            ))
        except ValueError:
            skipped += 1
    skipped += sum(map(len, steps.values())) + sum(map(len, marks.values()))  # of nights left out
    mornings, skipped_mornings = _mornings(conn)
    return History(tuple(nights), mornings, skipped + skipped_mornings)


def _read(path: Path, options: str) -> History:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?{options}", uri=True)
    try:
        conn.text_factory = bytes  # text that is not UTF-8 is one impossible value, not a crash
        check_integrity(conn)  # what the daemon moves aside, the reader calls damaged
        check_version(conn)
        return load_history(conn)
    finally:
        conn.close()


def read_history(state_dir: Path) -> History:
    """The history in `<state_dir>/journal.sqlite3`; empty if there is no journal yet.

    Opens read-only; in a read-only directory (no room for SQLite's shared-memory file) it
    reads the main file as it stands, and on a full card too (the shared-memory file could
    not grow there: holds saved since the last checkpoint show once there is room). Damage
    must be seen on two reads in a row; a read the storage failed (I/O error) is never called
    damage. Raises `JournalUnreadableError`, one line naming the file, the cause and the fix.
    """
    path = expanded(state_dir) / FILE_NAME
    remedy = "check its permissions or run as the user the daemon runs as"
    aside = "the daemon moves it aside and starts a fresh one at its next start"
    try:
        if not os.path.lexists(path):
            return History()
        check_kind(path)  # a FIFO would block SQLite's open for ever
    except JournalCorruptError as error:
        raise JournalUnreadableError(f"{path}: {error}; {aside}") from None
    except OSError as error:
        raise JournalUnreadableError(f"{path}: {error.strerror or error}; {remedy}") from None
    attempts = ["mode=ro", "mode=ro", "mode=ro&immutable=1"]
    if faults.filesystem_state(path.parent) is faults.Fault.FULL:
        attempts = attempts[-1:]  # SQLite's -shm file on a full card: SIGBUS (see faults.check_room)
    problem: BaseException | None = None
    damage: BaseException | None = None
    for options in attempts:
        try:
            return _read(path, options)
        except JournalTooNewError as error:
            raise JournalUnreadableError(f"{path}: {error}") from None
        except (sqlite3.Error, UnicodeError, JournalCorruptError, OSError) as error:
            if is_damage(error):
                if damage is not None:  # the second read agrees: damaged
                    raise JournalUnreadableError(f"{path} is damaged ({describe(error)}); {aside}") from None
                damage = error
            else:
                problem = error
    if problem is None:
        raise JournalUnreadableError(f"{path} is damaged ({describe(damage)}); {aside}")
    raise JournalUnreadableError(faults.explain(problem, path, "read"))
