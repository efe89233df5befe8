"""Opening the journal for writing, whatever state the SD card is in.

A damaged file, in whatever form SQLite or Python reports the damage, or something that is
not a file in the journal's place (a FIFO, a directory, a link that loops) is moved aside
(kept, never deleted) and a fresh journal created. A state dir that cannot be written, or a
file from a newer program, gives no journal at all. Either way exactly one line is logged
and nothing is raised: the routine must run regardless.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from device.errors import JournalCorruptError, JournalNotAFileError
from device.journal.schema import connect, ensure_file, move_aside
from routines.errors import PsoasError

log = logging.getLogger("psoas.journal")


def reason(error: BaseException) -> str:
    """The short human part of an error: the OS's words, or SQLite's."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def _unusable(path: Path, error: BaseException) -> None:
    if isinstance(error, PsoasError):
        remedy = ""
    elif isinstance(error, (OSError, sqlite3.Error)):
        remedy = f"; make {path.parent} writable by this user and free some disk space"
    else:
        remedy = " (a bug: please report it)"
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
        except Exception as error:  # noqa: BLE001 - the routine must run
            _unusable(path, error)
            return None
        what = "is not a journal" if isinstance(damage, JournalNotAFileError) else "was damaged"
        log.warning("journal: %s %s (%s); kept it as %s and started a fresh journal",
                    path, what, damage, kept)
        return conn
    except Exception as error:  # noqa: BLE001 - the routine must run
        _unusable(path, error)
        return None
