"""Opening the journal for writing, whatever state the SD card is in.

A journal is moved aside (kept, never deleted) only when it is really damaged: SQLite or
Python reports damage on two reads in a row (`connect_checked`), or something that is not a
file is in its place (a FIFO, a directory, a link that loops). A read that fails because the
storage failed (an I/O error, a full or read-only card: `device.storage.faults`) is never
damage: the file is left exactly where it is, one line names the file, its device and the fix,
and the journal is tried again later (`Journal` retries at its next write). A file from a
newer program gives no journal at all. Either way one line is logged and nothing is raised:
the routine must run regardless. Every rename is logged with the new name.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from device.errors import JournalCorruptError, JournalNotAFileError, JournalTooNewError
from device.journal.schema import connect, ensure_file, move_aside
from device.storage import faults
from routines.errors import PsoasError

log = logging.getLogger("psoas.journal")


def reason(error: BaseException) -> str:
    """The short human part of an error: the OS's words, or SQLite's."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def connect_checked(path: Path) -> sqlite3.Connection:
    """`schema.connect(path)`, with damage confirmed by a second, independent read.

    A first read that reports damage is repeated on a fresh connection: if that one is clean
    (the first was a transient read error the storage did not report as one), its connection
    is returned. Raises `JournalCorruptError` only when both reads say damaged, and what
    `connect` raises otherwise (OSError / sqlite3.Error for the storage's troubles).
    """
    try:
        return connect(path)
    except JournalNotAFileError:
        raise  # not a file: no read to repeat
    except JournalCorruptError as first:
        try:
            conn = connect(path)
        except JournalCorruptError:
            raise
        log.warning("journal: a read of %s reported damage (%s) but a second read was clean; "
                    "the card may be failing: keep a copy (psoas export)", path, first)
        return conn


def unusable_line(path: Path, error: BaseException) -> str:
    """The one line for a journal that cannot be used now (storage, newer file, or a bug)."""
    if isinstance(error, JournalTooNewError):
        return f"journal: cannot use {path} ({error}): routines still run but are not saved"
    if isinstance(error, (OSError, sqlite3.Error)):
        return f"journal: {faults.explain(error, path)}; routines still run but are not saved"
    if isinstance(error, PsoasError):
        return f"journal: cannot use {path} ({reason(error)}): routines still run but are not saved"
    return (f"journal: cannot use {path} ({reason(error)}): routines still run but are not saved "
            "(a bug: please report it)")


def open_for_writing(path: Path, now: Callable[[], datetime],
                     quiet: bool = False) -> sqlite3.Connection | None:
    """A checked, migrated connection to `path`, or None (logged) if there can be none now.

    `now()` is read only to name a damaged file moved aside:
    `journal.sqlite3.corrupt-20260105T221500`. `quiet`: a retry; a failure again is logged at
    debug level only (the first line said it), a damaged file moved aside still at warning.
    """
    try:
        ensure_file(path)
        return connect_checked(path)
    except JournalCorruptError as damage:
        try:
            kept = move_aside(path, now())
        except Exception as error:  # noqa: BLE001 - the routine must run
            log.warning("journal: %s is damaged (%s) and could not be moved aside: %s", path, damage,
                        unusable_line(path, error).removeprefix("journal: "))
            return None
        what = "is not a journal" if isinstance(damage, JournalNotAFileError) else "was damaged"
        try:
            ensure_file(path)
            conn = connect(path)
        except Exception as error:  # noqa: BLE001 - the routine must run
            log.warning("journal: %s %s (%s); kept it as %s; %s", path, what, damage, kept,
                        unusable_line(path, error).removeprefix("journal: "))
            return None
        log.warning("journal: %s %s (%s); kept it as %s and started a fresh journal",
                    path, what, damage, kept)
        return conn
    except Exception as error:  # noqa: BLE001 - the routine must run
        (log.debug if quiet else log.warning)("%s", unusable_line(path, error))
        return None

