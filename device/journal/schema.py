"""The journal's SQLite file: its schema, migrations, and what to do with a damaged file.

The schema version lives in `PRAGMA user_version`. `MIGRATIONS[i]` takes a database from
version i to i + 1 inside one transaction, so a power cut mid-migration leaves the old
version intact. Never edit a released migration: append a new one.

Times are stored as ISO 8601 text with the UTC offset of the moment (`2026-01-05T22:15:00+01:00`);
`night_date` is the local date of the night (`device.journal.streaks.night_date`), fixed when written;
`morning_date` the local date of a morning check-in. Durations are in seconds, stiffness 0–10.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from routines.errors import PsoasError

FILE_NAME = "journal.sqlite3"
FILE_MODE = 0o600
DIR_MODE = 0o700
BUSY_TIMEOUT_MS = 5000

MIGRATIONS: tuple[str, ...] = (
    # 0 -> 1: nights, their steps, and "this side felt tighter" marks.
    """
    CREATE TABLE nights (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        night_date TEXT NOT NULL,
        routine TEXT NOT NULL DEFAULT '',
        ended_at TEXT,
        outcome TEXT,                 -- finished, stopped, skipped, or NULL if cut off
        summary TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX nights_by_date ON nights (night_date);
    CREATE TABLE steps (
        id INTEGER PRIMARY KEY,
        night_id INTEGER NOT NULL REFERENCES nights (id),
        recorded_at TEXT NOT NULL,
        stretch_id TEXT NOT NULL,
        side TEXT NOT NULL,           -- left | right | both
        planned_seconds REAL NOT NULL,
        held_seconds REAL NOT NULL,
        paused_seconds REAL NOT NULL,
        skipped INTEGER NOT NULL
    );
    CREATE INDEX steps_by_night ON steps (night_id);
    CREATE TABLE tighter_marks (
        id INTEGER PRIMARY KEY,
        night_id INTEGER NOT NULL REFERENCES nights (id),
        marked_at TEXT NOT NULL,
        side TEXT NOT NULL,           -- left | right
        stretch_id TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX marks_by_night ON tighter_marks (night_id);
    """,
    # 1 -> 2: the morning check-in, one row per morning (a second answer replaces the first).
    """
    CREATE TABLE mornings (
        morning_date TEXT PRIMARY KEY,  -- the local date of the morning
        stiffness INTEGER CHECK (stiffness BETWEEN 0 AND 10),  -- NULL: "not today"
        answered_at TEXT NOT NULL,
        source TEXT NOT NULL DEFAULT 'button'  -- button | command
    );
    """,
)
LATEST_VERSION = len(MIGRATIONS)
MORNINGS_VERSION = 2  # the first version with the `mornings` table

_CORRUPTION_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB (primary result codes)


class JournalTooNewError(PsoasError, RuntimeError):
    """The journal was written by a newer psoas-companion; it is left untouched."""


class JournalCorruptError(PsoasError, RuntimeError):
    """The journal file is damaged."""


def is_corruption(error: sqlite3.Error) -> bool:
    """True if SQLite says the file itself is damaged (not locked, full or unwritable)."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _CORRUPTION_CODES
    text = str(error).lower()
    return "malformed" in text or "not a database" in text


def ensure_file(path: Path) -> None:
    """Create the state dir (0700) and an empty journal file (0600) if missing; fix its mode."""
    path.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    os.close(fd)
    if path.stat().st_mode & 0o777 != FILE_MODE:
        os.chmod(path, FILE_MODE)


def connect(path: Path) -> sqlite3.Connection:
    """Open the journal for writing: checked, WAL, FULL sync, migrated to `LATEST_VERSION`.

    Raises `JournalCorruptError` for a damaged file, `JournalTooNewError` for a newer schema,
    and `sqlite3.Error` / `OSError` for anything else (locked, read-only, full).
    """
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
        if rows != [("ok",)]:
            raise JournalCorruptError(f"{path}: integrity check failed: {rows[0][0]}")
        check_version(conn)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn)
    except sqlite3.DatabaseError as error:
        conn.close()
        if is_corruption(error):
            raise JournalCorruptError(f"{path}: {error}") from error
        raise
    except BaseException:
        conn.close()
        raise
    return conn


def check_version(conn: sqlite3.Connection) -> int:
    """The schema version; `JournalTooNewError` if a newer program wrote the file."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > LATEST_VERSION:
        raise JournalTooNewError(
            f"schema version {version} is newer than this program knows ({LATEST_VERSION}): "
            "update psoas-companion, the file is left untouched"
        )
    return version


def migrate(conn: sqlite3.Connection) -> None:
    """Apply every missing migration, each in its own transaction."""
    version = check_version(conn)
    for target in range(version + 1, LATEST_VERSION + 1):
        statements = [s for s in MIGRATIONS[target - 1].split(";") if s.strip()]
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in statements:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {target}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def move_aside(path: Path, when: datetime) -> Path:
    """Rename a damaged journal (and its -wal / -shm files) to `<name>.corrupt-<timestamp>`.

    Nothing is deleted. Returns the new path of the main file.
    """
    stamp = when.strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            os.replace(companion, target.with_name(target.name + suffix))
    os.replace(path, target)
    return target
