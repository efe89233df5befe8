"""Restoring a backup: the journal, the settings and the own routines replaced together, or not at all.

- One restore at a time: an exclusive `flock` on `.restore.lock` in the state dir, held from
  the check to the end (two taps, two phones, two processes wait for each other).
- The backup is checked whole first (`backup.read_backup`), its settings and routines staged
  as fsynced files in a scratch folder `.restore-<random>` in the state dir.
- What is there now is kept aside in a new folder of its own (`kept.new_folder`: a unique
  name even within one second): a copy of the journal, the settings file, the routines folder.
- Then the swap: settings (a rename), routines (two renames), the folder fsynced, and last the
  journal, whose rows are replaced in one SQLite transaction on the live file (the daemon's
  open connection stays valid). A live journal too damaged to open is moved aside first
  (`journal.sqlite3.corrupt-<time>`, as the daemon does): the restore is what mends it.
  If any step fails, the steps done are undone in reverse, the keeping is removed, and the
  error is raised: the old state is left as it was, byte for byte.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from contextlib import closing, contextmanager, nullcontext, suppress
from datetime import datetime
from pathlib import Path

from device.config import phone_settings
from device.errors import JournalCorruptError
from device.journal.schema import FILE_NAME as JOURNAL
from device.journal.schema import connect, ensure_file, move_aside
from device.storage.atomic import fsync_folder, write_atomically
from device.web import kept
from device.web.backup import Backup, journal_image, make_backup, read_backup
from routines.wording import counted

log = logging.getLogger("psoas.web")
LOCK_NAME = ".restore.lock"
SCRATCH_PREFIX = ".restore-"


@contextmanager
def locked(state_dir: Path):
    """Hold the state dir's restore lock (blocks until the other restore is done)."""
    with open(Path(state_dir) / LOCK_NAME, "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def check(state_dir: Path, data: bytes) -> Backup:
    """Check the backup `data` without changing anything (for the confirmation); `BackupError` if bad."""
    with tempfile.TemporaryDirectory(dir=state_dir, prefix=SCRATCH_PREFIX, ignore_cleanup_errors=True) as scratch:
        return read_backup(data, Path(scratch))


def restore(state_dir: Path, data: bytes, now: datetime) -> list[str]:
    """Check the backup `data`, then put it in place all or nothing; what was done, one line each.

    Raises `BackupError` (nothing changed) for a bad backup, `OSError` / `sqlite3.Error` (nothing
    changed either) when the device's storage fails.
    """
    state_dir = Path(state_dir)
    with locked(state_dir), tempfile.TemporaryDirectory(dir=state_dir, prefix=SCRATCH_PREFIX,
                                                        ignore_cleanup_errors=True) as scratch:
        checked = read_backup(data, Path(scratch))
        return _swap(state_dir, checked, Path(scratch), now)


def put_back(state_dir: Path, keeping: kept.Kept, now: datetime) -> list[str]:
    """Restore what a restore kept aside (which keeps what is there now aside in turn)."""
    done = restore(state_dir, make_backup(keeping.path, now), now)
    try:
        kept.remove(keeping)
    except OSError as error:  # put back all the same; it stays listed, to be removed by hand
        log.warning("put back %s, but it could not be removed from the kept-aside list (%s)",
                    keeping.id, error.strerror or error)
    return done


def _swap(state_dir: Path, checked: Backup, scratch: Path, now: datetime) -> list[str]:
    live = state_dir / JOURNAL
    journal = None if checked.rows is None else _open_live(live, now)
    with closing(journal) if journal is not None else nullcontext():
        return _swap_all(state_dir, checked, scratch, journal, now)


def _open_live(live: Path, now: datetime) -> sqlite3.Connection:
    """The live journal, open for writing; a damaged one is moved aside whole (`schema.move_aside`:
    nothing deleted) and a fresh one made, since restoring is what mends it."""
    ensure_file(live)
    try:
        return connect(live)
    except JournalCorruptError as error:
        moved = move_aside(live, now)
        log.warning("restore: the journal was damaged (%s); kept as %s", error, moved.name)
        ensure_file(live)
        return connect(live)


def _swap_all(state_dir: Path, checked: Backup, scratch: Path, journal: sqlite3.Connection | None,
              now: datetime) -> list[str]:
    keeping = kept.new_folder(state_dir, kept.RESTORE, now)
    undo: list[Callable[[], None]] = []
    try:
        done = [f"kept what you had aside ({keeping.name})"]
        live = state_dir / JOURNAL
        if journal is not None:
            write_atomically(keeping / JOURNAL, journal_image(live))
        if checked.settings is not None:
            _swap_settings(state_dir, checked.settings, keeping, undo)
            done.append("restored the phone settings")
        own = phone_settings.own_routines_dir(state_dir)
        if checked.routines or own.exists():
            _swap_routines(own, scratch / phone_settings.OWN_ROUTINES, keeping, undo)
            done.append(f"restored {counted(len(checked.routines), 'own routine')}")
        fsync_folder(state_dir)
        if journal is not None:
            _replace_rows(journal, checked.rows)
            done.insert(1, f"restored the journal ({counted(checked.nights, 'night')})")
        return done
    except BaseException:
        for step in reversed(undo):
            try:
                step()
            except OSError as error:  # the storage failed twice: say so in the log, keep going
                log.error("restore: undoing a step failed too (%s)", error.strerror or error)
        with suppress(OSError):
            fsync_folder(state_dir)
        shutil.rmtree(keeping, ignore_errors=True)
        raise


def _swap_settings(state_dir: Path, staged: Path, keeping: Path, undo: list) -> None:
    live = phone_settings.path_in(state_dir)
    if live.exists():
        os.link(live, keeping / phone_settings.FILE_NAME)
        os.replace(staged, live)
        undo.append(lambda: os.replace(keeping / phone_settings.FILE_NAME, live))
    else:
        os.replace(staged, live)
        undo.append(lambda: os.unlink(live))


def _swap_routines(own: Path, staged: Path, keeping: Path, undo: list) -> None:
    aside = keeping / phone_settings.OWN_ROUTINES
    if own.exists():
        os.replace(own, aside)
        undo.append(lambda: os.replace(aside, own))
    os.replace(staged, own)
    undo.append(lambda: os.replace(own, staged))


def _replace_rows(conn: sqlite3.Connection, rows: dict[str, tuple[list[str], list[tuple]]]) -> None:
    """Replace every row of the live journal (`conn`) with `rows`, in one transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        for table in reversed(list(rows)):  # rows that point at others go first
            conn.execute(f"DELETE FROM {table}")
        for table, (columns, values) in rows.items():
            marks = ", ".join("?" * len(columns))
            conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values)
        conn.execute("COMMIT")
    except BaseException:
        with suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
