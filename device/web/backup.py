"""One backup file for everything the person made: the journal, the phone settings, own routines.

A backup is a ZIP file (stored, not compressed) holding `manifest.json` (format, version,
when), `journal.sqlite3` (a consistent copy taken with SQLite's online backup into memory,
beside the daemon writing; nothing is written to the SD card to make it), `settings.toml` and
`routines/*.toml` (the phone's own routines), when there are any.

`read_backup` checks a backup whole before anything is replaced, in memory and in a scratch
folder it is given, never in the live files:
- the archive's own directory first: at most `MEMBER_COUNT_LIMIT` members, each member no
  bigger than its limit (`ROUTINE_LIMIT` for a routine, the settings and the manifest) and all
  of them together at most `TOTAL_LIMIT`, before a byte is unpacked; only members it knows by
  name are read (never a path from the archive);
- the journal: opened in memory, SQLite's integrity check, its schema version, and nothing in
  `sqlite_master` that the program's own schema does not make (no trigger, view or extra
  table); then migrated in memory and read row by row (`Backup.rows`), so a restore copies
  rows into the live journal's own schema, never the file itself;
- the settings with the config declarations, each routine like `psoas routines check`, and no
  direction-control characters in a routine (`bidi.problems`).
Putting a checked backup in place is `device.web.restore`.
"""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from device.config import phone_settings
from device.errors import BackupError
from device.journal.reader import load_history
from device.journal.schema import FILE_NAME as JOURNAL
from device.journal.schema import check_version, migrate
from device.storage.atomic import fsync_folder, write_atomically
from device.web import bidi, security
from routines.errors import PsoasError
from routines.loading.catalog import check_files, routine_files

FORMAT = "psoas-companion backup"
VERSION = 1
MANIFEST = "manifest.json"
ROUTINES_DIR = phone_settings.OWN_ROUTINES  # in the state dir and in the archive: the phone's own routines
SMALL_MEMBER_LIMIT = security.ROUTINE_LIMIT  # bytes: a routine, the settings, the manifest
TOTAL_LIMIT = 2 * security.BODY_LIMIT  # bytes unpacked, all members together (the journal included)
MEMBER_COUNT_LIMIT = 200
NOTHING_CHANGED = "nothing was changed"


@dataclass
class Backup:
    """A checked backup: what `device.web.restore` puts in place, and what the confirmation says."""

    made_at: str
    rows: dict[str, tuple[list[str], list[tuple]]] | None  # table -> (columns, rows); None: no journal
    nights: int
    mornings: int
    settings: Path | None  # the staged settings file, checked; None: the backup has none
    routines: list[Path] = field(default_factory=list)  # the staged routine files, checked


def make_backup(state_dir: Path, now: datetime) -> bytes:
    """The backup of `state_dir` as bytes (a ZIP), made in memory."""
    state_dir = Path(state_dir)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        manifest = {"format": FORMAT, "version": VERSION, "made_at": now.isoformat(timespec="seconds")}
        archive.writestr(MANIFEST, json.dumps(manifest, indent=1))
        journal = state_dir / JOURNAL
        if journal.exists():
            archive.writestr(JOURNAL, journal_image(journal))
        settings = phone_settings.path_in(state_dir)  # always there: restoring replaces the settings too
        archive.writestr(phone_settings.FILE_NAME, settings.read_bytes() if settings.is_file() else b"")
        for path in routine_files(phone_settings.own_routines_dir(state_dir)):
            archive.writestr(f"{ROUTINES_DIR}/{path.name}", path.read_bytes())
    return out.getvalue()


def journal_image(path: Path) -> bytes:
    """A consistent copy of the SQLite file `path` as bytes (read-only, beside a writer), marked
    as an ordinary (not WAL) database so that it opens anywhere, in memory too."""
    with closing(sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)) as source, \
            closing(sqlite3.connect(":memory:")) as copy:
        source.backup(copy)
        return _not_wal(copy.serialize())


def _not_wal(image: bytes) -> bytes:
    """The database image with its header's read/write versions set to 1 (rollback journal):
    SQLite cannot open a WAL-mode image in memory."""
    if len(image) < 100 or not image.startswith(b"SQLite format 3\0"):
        return image
    return image[:18] + b"\x01\x01" + image[20:]


def read_backup(data: bytes, scratch: Path) -> Backup:
    """Check the backup `data` whole; stage its settings and routines as files in `scratch`.

    Raises `BackupError` (saying nothing was changed) when any part does not pass its check;
    `OSError` when `scratch` cannot be written (the device's storage, not the backup).
    """
    archive = _open(data)
    with archive:
        manifest = _manifest(archive)
        if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
            raise BackupError(f"not a psoas-companion backup (its manifest says otherwise); {NOTHING_CHANGED}")
        rows, nights, mornings = _checked_journal(archive)
        settings = _checked_settings(archive, scratch)
        routines = _checked_routines(archive, scratch)
    return Backup(str(manifest.get("made_at", "")), rows, nights, mornings, settings, routines)


def _open(data: bytes) -> zipfile.ZipFile:
    """The archive, after its directory passed the count and size limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise BackupError(f"not a psoas-companion backup (not a ZIP file); {NOTHING_CHANGED}") from None
    if len(infos) > MEMBER_COUNT_LIMIT:
        raise BackupError(f"not a psoas-companion backup (too many files in it); {NOTHING_CHANGED}")
    if sum(info.file_size for info in infos) > TOTAL_LIMIT:
        raise BackupError(f"the backup unpacks to more than {TOTAL_LIMIT // 2 ** 20} MiB, more than a "
                          f"psoas-companion backup can hold; {NOTHING_CHANGED}")
    for info in infos:
        limit = _limit(info.filename)
        if info.file_size > limit:
            raise BackupError(f"{info.filename} in the backup is too big ({info.file_size} bytes, the limit "
                              f"is {limit // 1024} KiB); {NOTHING_CHANGED}")
    return archive


def _limit(name: str) -> int:
    """The most bytes a member named `name` may unpack to."""
    return TOTAL_LIMIT if name == JOURNAL else SMALL_MEMBER_LIMIT


def _member(archive: zipfile.ZipFile, name: str) -> bytes | None:
    """The member `name`, read no further than its limit (the directory may lie)."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    try:
        with archive.open(info) as stream:
            data = stream.read(_limit(name) + 1)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as error:
        raise BackupError(f"{name} in the backup cannot be unpacked ({error}); {NOTHING_CHANGED}") from None
    if len(data) > _limit(name):
        raise BackupError(f"{name} in the backup is too big; {NOTHING_CHANGED}")
    return data


def _manifest(archive: zipfile.ZipFile) -> dict:
    raw = _member(archive, MANIFEST)
    try:
        manifest = json.loads(raw) if raw is not None else None
    except ValueError:
        manifest = None
    if not isinstance(manifest, dict):
        raise BackupError(f"not a psoas-companion backup (no manifest); {NOTHING_CHANGED}")
    return manifest


def _checked_journal(archive: zipfile.ZipFile) -> tuple[dict | None, int, int]:
    """(table -> (columns, rows), nights, mornings) of the backup's journal, checked in memory."""
    raw = _member(archive, JOURNAL)
    if raw is None:
        return None, 0, 0
    try:
        with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
            conn.deserialize(_not_wal(raw))
            if conn.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
                raise BackupError(f"the journal in the backup is damaged; {NOTHING_CHANGED}")
            check_version(conn)
            _check_objects(conn)
            migrate(conn)
            history = load_history(conn)
            return _rows(conn), len(history.nights), len(history.mornings)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"the journal in the backup cannot be read ({error}); {NOTHING_CHANGED}") from None
    except PsoasError as error:
        if isinstance(error, BackupError):
            raise
        raise BackupError(f"the journal in the backup: {error}; {NOTHING_CHANGED}") from None


def expected_objects() -> dict[str, set[str]]:
    """What the program's own schema puts in `sqlite_master`: type -> names, tables by their columns."""
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as fresh:
        migrate(fresh)
        found: dict[str, set[str]] = {}
        for kind, name in fresh.execute("SELECT type, name FROM sqlite_master"):
            found.setdefault(kind, set()).add(name)
        return found


def _check_objects(conn: sqlite3.Connection) -> None:
    """`BackupError` when the journal holds anything the schema does not make."""
    expected = expected_objects()
    for kind, name in conn.execute("SELECT type, name FROM sqlite_master ORDER BY type, name"):
        if name not in expected.get(kind, set()):
            raise BackupError(f"the journal in the backup holds a {kind} named {name!r}, which a psoas-companion "
                              f"journal never has; {NOTHING_CHANGED}")


def table_columns(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """Each table of the schema (in the order rows may be inserted) and its columns."""
    tables = [name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid")]
    return {table: [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')] for table in tables}


def _rows(conn: sqlite3.Connection) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every row of every table of the (migrated) journal, with the schema's own columns."""
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as fresh:
        migrate(fresh)
        layout = table_columns(fresh)
    return {table: (columns, conn.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY rowid").fetchall())
            for table, columns in layout.items()}


def _checked_settings(archive: zipfile.ZipFile, scratch: Path) -> Path | None:
    raw = _member(archive, phone_settings.FILE_NAME)
    if raw is None:
        return None
    path = scratch / phone_settings.FILE_NAME
    write_atomically(path, raw)
    _, problems = phone_settings.read(scratch)
    if problems:
        first = problems[0].replace(str(path), phone_settings.FILE_NAME)
        raise BackupError(f"the settings in the backup: {first.removesuffix('; left out')}; {NOTHING_CHANGED}")
    return path


def _checked_routines(archive: zipfile.ZipFile, scratch: Path) -> list[Path]:
    folder = scratch / ROUTINES_DIR
    folder.mkdir(mode=0o700)
    files = []
    for name in archive.namelist():
        if not name.startswith(f"{ROUTINES_DIR}/") or name.endswith("/"):
            continue
        file_name = name.removeprefix(f"{ROUTINES_DIR}/")
        if not is_routine_file_name(file_name):
            raise BackupError(f"the backup holds a routine file named {file_name!r}, which is not allowed; "
                              f"{NOTHING_CHANGED}")
        data = _member(archive, name) or b""
        found = bidi.problems(file_name, data)
        if found:
            raise BackupError(f"a routine in the backup: {found[0]}; {NOTHING_CHANGED}")
        write_atomically(folder / file_name, data)
        files.append(folder / file_name)
    fsync_folder(folder)
    problems, _ = check_files(files)
    if problems:
        first = problems[0].replace(f"{folder}/", "")
        raise BackupError(f"a routine in the backup: {first}; {NOTHING_CHANGED}")
    return files


def is_routine_file_name(name: str) -> bool:
    """A plain `name.toml`: letters, digits, - and _ only; no folders, no dot files."""
    stem, dot, suffix = name.rpartition(".")
    return (dot == "." and suffix == "toml" and 0 < len(stem) <= 40
            and all(c.isascii() and (c.isalnum() or c in "-_") for c in stem))
