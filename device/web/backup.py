"""One backup file for everything the person made: the journal, the phone settings, own routines.

A backup is a ZIP file (stored, not compressed) holding `manifest.json` (format, version,
when), `journal.sqlite3` (a consistent copy taken with SQLite's online backup, beside the
daemon writing), `settings.toml` and `routines/*.toml` (the phone's own routines), when there
are any. Restoring reads the members it knows by name only (never a path from the archive),
caps each one's size, and checks everything first: the journal with SQLite's integrity check
and schema version, the settings with the config declarations, each routine like
`psoas routines check`. Only then is anything replaced: the current journal is copied aside as
`journal.sqlite3.before-restore-<time>` and the backup is copied into the live file through
SQLite (so the daemon's open connection stays valid), then the settings and routines are
replaced (the old routines folder kept aside too). A corrupt or foreign file changes nothing.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import tempfile
import zipfile
from contextlib import closing
from datetime import datetime
from pathlib import Path

from device.config import phone_settings
from device.errors import BackupError
from device.storage.atomic import write_atomically
from device.journal.reader import load_history
from device.journal.schema import FILE_NAME as JOURNAL
from device.journal.schema import check_version, connect, ensure_file
from routines.errors import PsoasError
from routines.loading.catalog import check_files, routine_files
from routines.wording import counted

FORMAT = "psoas-companion backup"
VERSION = 1
MANIFEST = "manifest.json"
ROUTINES_DIR = phone_settings.OWN_ROUTINES  # in the state dir and in the archive: the phone's own routines
MEMBER_LIMIT = 32 * 1024 * 1024  # bytes: a bigger member is refused before it is read
MEMBER_COUNT_LIMIT = 200


def make_backup(state_dir: Path, now: datetime) -> bytes:
    """The backup of `state_dir` as bytes (a ZIP)."""
    state_dir = Path(state_dir)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        manifest = {"format": FORMAT, "version": VERSION, "made_at": now.isoformat(timespec="seconds")}
        archive.writestr(MANIFEST, json.dumps(manifest, indent=1))
        journal = state_dir / JOURNAL
        if journal.exists():
            with tempfile.TemporaryDirectory(dir=state_dir, prefix=".backup-") as scratch:
                copy = Path(scratch) / JOURNAL
                _copy_database(journal, copy, source_read_only=True)
                archive.write(copy, JOURNAL)
        settings = phone_settings.path_in(state_dir)  # always there: restoring replaces the settings too
        archive.writestr(phone_settings.FILE_NAME, settings.read_bytes() if settings.is_file() else b"")
        for path in routine_files(phone_settings.own_routines_dir(state_dir)):
            archive.write(path, f"{ROUTINES_DIR}/{path.name}")
    return out.getvalue()


def _copy_database(source: Path, target: Path | sqlite3.Connection, source_read_only: bool = False) -> None:
    """Copy the SQLite database `source` into `target` (a file, or an open connection, left open)
    with SQLite's online backup, so the copy is consistent while the daemon writes."""
    uri = f"{source.resolve().as_uri()}?mode=ro" if source_read_only else str(source)
    with closing(sqlite3.connect(uri, uri=source_read_only)) as src:
        if isinstance(target, sqlite3.Connection):
            src.backup(target)
            return
        with closing(sqlite3.connect(target)) as dst:
            src.backup(dst)


def _member(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MEMBER_LIMIT:
        raise BackupError(f"{name} in the backup is too big ({info.file_size} bytes)")
    with archive.open(info) as stream:
        data = stream.read(MEMBER_LIMIT + 1)
    if len(data) > MEMBER_LIMIT:
        raise BackupError(f"{name} in the backup is too big")
    return data


def restore(state_dir: Path, data: bytes, now: datetime) -> list[str]:
    """Check the backup `data`, then replace the journal, settings and own routines with it.

    Returns what was done, one line each. Raises `BackupError` (nothing changed) when any part
    of the backup does not pass its check.
    """
    state_dir = Path(state_dir)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise BackupError("not a psoas-companion backup (not a ZIP file); nothing was changed") from None
    with archive, tempfile.TemporaryDirectory(dir=state_dir, prefix=".restore-") as scratch:
        if len(names) > MEMBER_COUNT_LIMIT:
            raise BackupError("not a psoas-companion backup (too many files in it); nothing was changed")
        manifest = _manifest(archive)
        if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
            raise BackupError("not a psoas-companion backup (its manifest says otherwise); nothing was changed")
        scratch = Path(scratch)
        journal = _checked_journal(archive, scratch)
        settings = _checked_settings(archive, scratch)
        routines = _checked_routines(archive, names, scratch)
        return _replace(state_dir, journal, settings, routines, now)


def _manifest(archive: zipfile.ZipFile) -> dict:
    raw = _member(archive, MANIFEST)
    try:
        manifest = json.loads(raw) if raw is not None else None
    except ValueError:
        manifest = None
    if not isinstance(manifest, dict):
        raise BackupError("not a psoas-companion backup (no manifest); nothing was changed")
    return manifest


def _checked_journal(archive: zipfile.ZipFile, scratch: Path) -> Path | None:
    raw = _member(archive, JOURNAL)
    if raw is None:
        return None
    path = scratch / JOURNAL
    path.write_bytes(raw)
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            if conn.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
                raise BackupError("the journal in the backup is damaged; nothing was changed")
            check_version(conn)
            load_history(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"the journal in the backup cannot be read ({error}); nothing was changed") from None
    except PsoasError as error:
        if isinstance(error, BackupError):
            raise
        raise BackupError(f"the journal in the backup: {error}; nothing was changed") from None
    return path


def _checked_settings(archive: zipfile.ZipFile, scratch: Path) -> dict | None:
    raw = _member(archive, phone_settings.FILE_NAME)
    if raw is None:
        return None
    (scratch / phone_settings.FILE_NAME).write_bytes(raw)
    values, problems = phone_settings.read(scratch)
    if problems:
        first = problems[0].replace(str(scratch / phone_settings.FILE_NAME), phone_settings.FILE_NAME)
        raise BackupError(f"the settings in the backup: {first.removesuffix('; left out')}; nothing was changed")
    return values


def _checked_routines(archive: zipfile.ZipFile, names: list[str], scratch: Path) -> list[Path]:
    folder = scratch / ROUTINES_DIR
    folder.mkdir()
    files = []
    for name in names:
        if not name.startswith(f"{ROUTINES_DIR}/") or name.endswith("/"):
            continue
        file_name = name.removeprefix(f"{ROUTINES_DIR}/")
        if not is_routine_file_name(file_name):
            raise BackupError(f"the backup holds a routine file named {file_name!r}, which is not allowed; "
                              "nothing was changed")
        path = folder / file_name
        path.write_bytes(_member(archive, name) or b"")
        files.append(path)
    problems, _ = check_files(files)
    if problems:
        first = problems[0].replace(f"{folder}/", "")
        raise BackupError(f"a routine in the backup: {first}; nothing was changed")
    return files


def is_routine_file_name(name: str) -> bool:
    """A plain `name.toml`: letters, digits, - and _ only; no folders, no dot files."""
    stem, dot, suffix = name.rpartition(".")
    return (dot == "." and suffix == "toml" and 0 < len(stem) <= 40
            and all(c.isascii() and (c.isalnum() or c in "-_") for c in stem))


def _replace(state_dir: Path, journal: Path | None, settings: dict | None, routines: list[Path],
             now: datetime) -> list[str]:
    done = []
    stamp = now.strftime("%Y%m%dT%H%M%S")
    live = state_dir / JOURNAL
    if journal is not None:
        if live.exists():
            kept = live.with_name(f"{JOURNAL}.before-restore-{stamp}")
            _copy_database(live, kept)
            os.chmod(kept, 0o600)
            done.append(f"kept the journal you had as {kept.name}")
        ensure_file(live)
        with closing(connect(live)) as target:  # migrated and in WAL, as the daemon has it
            _copy_database(journal, target)
            target.execute("PRAGMA journal_mode = WAL")
        done.append("restored the journal")
    if settings is not None:
        phone_settings.write(state_dir, settings)
        done.append("restored the phone settings")
    own = phone_settings.own_routines_dir(state_dir)
    if routines or own.exists():
        if own.exists():
            aside = own.with_name(f"{ROUTINES_DIR}.before-restore-{stamp}")
            os.replace(own, aside)
        own.mkdir(mode=0o700)
        for path in routines:
            write_atomically(own / path.name, path.read_bytes())
        done.append(f"restored {counted(len(routines), 'own routine')}")
    return done
