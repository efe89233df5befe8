"""Opening the journal for writing, whatever state the SD card is in.

A damaged file is moved aside (kept, never deleted) and a fresh journal created; a state dir
that cannot be written, or a file from a newer program, gives no journal at all. Either way
exactly one line is logged and nothing is raised: the routine must run regardless.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from device.journal.schema import JournalCorruptError, connect, ensure_file, move_aside
from routines.errors import PsoasError

log = logging.getLogger("psoas.journal")


def reason(error: BaseException) -> str:
    """The short human part of an error: the OS's words, or SQLite's."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def _unusable(path: Path, error: BaseException) -> None:
    remedy = (
        "" if isinstance(error, PsoasError)
        else f"; make {path.parent} writable by this user and free some disk space"
    )
    log.warning(
        "journal: cannot use %s (%s): routines still run but are not saved%s",
        path, reason(error), remedy,
    )


def open_for_writing(path: Path, now: Callable[[], datetime]) -> sqlite3.Connection | None:
    """A checked, migrated connection to `path`, or None (logged) if there can be none.

    `now()` is read only to name a damaged file moved aside:
    `journal.sqlite3.corrupt-20260105T221500`.
    """
    try:
        ensure_file(path)
        return connect(path)
    except JournalCorruptError as damage:
        try:
            kept = move_aside(path, now())
            ensure_file(path)
            conn = connect(path)
        except (OSError, sqlite3.Error, PsoasError) as error:
            _unusable(path, error)
            return None
        log.warning(
            "journal: %s was damaged (%s); kept it as %s and started a fresh journal",
            path, damage.__cause__ or damage, kept.name,
        )
        return conn
    except (OSError, sqlite3.Error, PsoasError) as error:
        _unusable(path, error)
        return None
