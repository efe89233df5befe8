"""The journal's SQLite file: its schema, migrations, and what to do with a damaged file.

The schema version lives in `PRAGMA user_version`. `MIGRATIONS[i]` takes a database from
version i to i + 1 inside one transaction, so a power cut mid-migration leaves the old
version intact. Never edit a released migration: append a new one.

Times are stored as ISO 8601 text with the UTC offset of the moment (`2026-01-05T22:15:00+01:00`);
`night_date` is the local date of the night (`device.journal.streaks.night_date`), fixed when written;
`morning_date` the local date of a morning check-in. Durations are in seconds, stiffness 0–10.
"""

from __future__ import annotations

import errno
import os
import re
import sqlite3
import stat
from datetime import datetime
from pathlib import Path

from device.errors import JournalCorruptError, JournalNotAFileError, JournalTooNewError
from device.storage.atomic import fsync_folder
from device.storage.faults import check_room, sqlite_code
from routines.loading import files

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
COLUMNS = {  # what the reader selects, in this order; a file without them is damaged
    "nights": ("id", "started_at", "night_date", "routine", "ended_at", "outcome", "summary"),
    "steps": ("night_id", "recorded_at", "stretch_id", "side", "planned_seconds", "held_seconds",
              "paused_seconds", "skipped"),
    "tighter_marks": ("night_id", "marked_at", "side", "stretch_id"),
    "mornings": ("morning_date", "stiffness", "answered_at", "source"),  # from MORNINGS_VERSION on
}
COMPANIONS = ("-wal", "-shm")  # SQLite's files next to the journal

# Primary result codes that say something about the machine, not the file: permission, busy,
# locked, out of memory, read-only, interrupted, I/O error, disk full, cannot open, auth.
_ENVIRONMENT_CODES = {3, 5, 6, 7, 8, 9, 10, 13, 14, 23}


def is_damage(error: BaseException) -> bool:
    """True when an error reading the journal means the file itself is damaged, in whatever form
    SQLite or Python says so: SQLite's corrupt / not-a-database / schema errors, or text in it
    that is not UTF-8. False for the machine's troubles (locked, full, read-only, I/O)."""
    if isinstance(error, JournalCorruptError):
        return True
    if isinstance(error, UnicodeError):
        return True
    if not isinstance(error, sqlite3.DatabaseError):
        return False
    code = sqlite_code(error)
    if code is not None:
        return code not in _ENVIRONMENT_CODES
    text = str(error).lower()
    return "malformed" in text or "not a database" in text or "no such" in text


def describe(error: BaseException) -> str:
    """The damage in a few words, for the log line and messages."""
    if isinstance(error, UnicodeDecodeError):
        return f"text in it is not UTF-8 (byte 0x{error.object[error.start]:02x})"
    return str(error) or type(error).__name__


def check_kind(path: Path) -> None:
    """Raise `JournalCorruptError` when the journal (or its -wal / -shm file) is there but is
    not a regular file: a FIFO, directory, device or a link that loops. Never opens it."""
    for candidate in (path, *(path.with_name(path.name + s) for s in COMPANIONS)):
        which = "it" if candidate == path else f"its {candidate.name[len(path.name):]} file"
        try:
            mode = os.stat(candidate).st_mode
        except FileNotFoundError:
            continue
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise JournalNotAFileError(f"{which} is a symbolic link that loops") from None
            raise
        if not stat.S_ISREG(mode):
            raise JournalNotAFileError(f"{which} is {files.kind(mode)}, not a file")


def ensure_file(path: Path) -> None:
    """Create the state dir (0700) and an empty journal file (0600) if missing; fix its mode.

    Raises `JournalCorruptError` when something other than a file is in the journal's place.
    """
    path.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    check_kind(path)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NONBLOCK, FILE_MODE)
    try:
        info = os.fstat(fd)
    finally:
        os.close(fd)
    if not stat.S_ISREG(info.st_mode):  # swapped in since the check
        raise JournalNotAFileError(f"it is {files.kind(info.st_mode)}, not a file")
    if info.st_mode & 0o777 != FILE_MODE:
        os.chmod(path, FILE_MODE)


def connect(path: Path) -> sqlite3.Connection:
    """Open the journal for writing: checked, WAL, FULL sync, migrated to `LATEST_VERSION`.

    Raises `JournalCorruptError` for a damaged file (see `is_damage`), `JournalTooNewError`
    for a newer schema, and `sqlite3.Error` / `OSError` for anything else (locked, read-only,
    full: also when less than `faults.LOW_SPACE_BYTES` is free, see `check_room`).
    """
    check_kind(path)
    check_room(path.parent)
    conn = None
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        check_integrity(conn)
        check_version(conn)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn)
        probe(conn)
    except BaseException as error:
        if conn is not None:
            conn.close()
        if is_damage(error) and not isinstance(error, JournalCorruptError):
            raise JournalCorruptError(describe(error)) from error
        raise
    return conn


_PAGE_ERROR = re.compile(r"error code=(\d+)")  # quick_check's words for a page it could not read


def check_integrity(conn: sqlite3.Connection) -> None:
    """SQLite's quick check of the whole file; `JournalCorruptError` (one line) if it fails.

    A page the check could not read because the storage failed (SQLite's "unable to get the
    page. error code=<an I/O, full or read-only code>") is not damage: that raises
    OSError(EIO), so the file is never moved aside for it. Run before the schema version is
    read: a damaged header can make any version appear.
    """
    rows = conn.execute("PRAGMA quick_check").fetchall()
    if [tuple(row) for row in rows] in ([("ok",)], [(b"ok",)]):
        return
    texts = [r[0].decode("utf-8", "replace") if isinstance(r[0], bytes) else str(r[0]) for r in rows]
    first = " ".join(texts[0].split()) if texts else "no answer"
    for text in texts:
        for code in _PAGE_ERROR.findall(text):
            if int(code) & 0xFF in _ENVIRONMENT_CODES:
                raise OSError(errno.EIO, f"a read failed during the integrity check ({first})")
    raise JournalCorruptError(f"integrity check failed: {first}")


def probe(conn: sqlite3.Connection) -> None:
    """Compile a query over every table and column the reader uses (reads no rows).

    Raises `sqlite3.OperationalError` ("no such table / column") for a damaged schema.
    """
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    for table, columns in COLUMNS.items():
        if table == "mornings" and isinstance(version, int) and version < MORNINGS_VERSION:
            continue  # an older journal, migrated when the daemon next opens it
        conn.execute(f"SELECT {', '.join(columns)} FROM {table} LIMIT 0").fetchall()


def check_version(conn: sqlite3.Connection) -> int:
    """The schema version; `JournalTooNewError` if a newer program wrote the file."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if not isinstance(version, int) or version < 0:
        raise JournalCorruptError(f"schema version {version} is impossible")
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
            if conn.in_transaction:  # SQLite may have rolled back already (full, I/O error)
                conn.execute("ROLLBACK")
            raise


def move_aside(path: Path, when: datetime) -> Path:
    """Rename a damaged journal (and its -wal / -shm files) to `<name>.corrupt-<timestamp>`.

    Nothing is deleted. The main file goes first, then its companions; if a companion cannot
    follow, the main file is put back (a fresh journal must never meet the old -wal) and the
    OSError is raised. The renames are made durable (folder fsync). Returns the new path.
    """
    stamp = when.strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while any(os.path.lexists(target.with_name(target.name + s)) for s in ("", *COMPANIONS)):
        counter += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
    os.replace(path, target)
    moved = []
    try:
        for suffix in COMPANIONS:
            companion = path.with_name(path.name + suffix)
            if os.path.lexists(companion):
                os.replace(companion, target.with_name(target.name + suffix))
                moved.append(suffix)
    except OSError:
        for suffix in moved:
            os.replace(target.with_name(target.name + suffix), path.with_name(path.name + suffix))
        os.replace(target, path)
        raise
    try:
        fsync_folder(path.parent)
    except OSError:
        pass  # the renames are done; only their surviving a power cut is in doubt
    return target
