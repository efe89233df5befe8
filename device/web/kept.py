"""What the phone page keeps aside instead of deleting: `kept-aside/` in the state dir.

Each keeping is one folder, named for what and when, with a random tail so that two in the
same second never share a name (`new_folder`):
- `restore-<YYYYmmddTHHMMSS>-<hex>/`: the journal, settings and own routines as they were
  before a restore (the same layout as the state dir; put back by `device.web.restore`);
- `routine-<YYYYmmddTHHMMSS>-<hex>/<name>.toml`: a deleted routine (put back here).
The Data and Routines pages list them (`listing`), each with a one-tap "put it back"; nothing
here is ever removed except by putting it back or by the person ("Remove" on the Data page).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from device.config import phone_settings
from device.journal.schema import FILE_NAME as JOURNAL
from device.storage.atomic import fsync_folder
from routines.loading.catalog import routine_files

FOLDER = "kept-aside"
RESTORE = "restore"
ROUTINE = "routine"
NAME = re.compile(r"(restore|routine)-(\d{8}T\d{6})-([0-9a-f]{6})")
STAMP = "%Y%m%dT%H%M%S"


@dataclass(frozen=True)
class Kept:
    """One keeping: its folder name (the id the pages use), what kind, when it was kept."""

    id: str
    kind: str  # RESTORE or ROUTINE
    when: datetime
    path: Path

    @property
    def routine_file(self) -> Path | None:
        """The kept routine file (a ROUTINE keeping), if it is still there."""
        files = routine_files(self.path)
        return files[0] if files else None


def folder(state_dir: Path) -> Path:
    return Path(state_dir) / FOLDER


def new_folder(state_dir: Path, kind: str, now: datetime) -> Path:
    """Make a new, empty keeping folder of `kind` (mode 0700) and return it."""
    parent = folder(state_dir)
    parent.mkdir(mode=0o700, exist_ok=True)
    while True:
        path = parent / f"{kind}-{now.strftime(STAMP)}-{secrets.token_hex(3)}"
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            continue
        fsync_folder(parent)
        return path


def listing(state_dir: Path, kind: str) -> list[Kept]:
    """The keepings of `kind`, newest first ([] when there are none)."""
    try:
        names = os.listdir(folder(state_dir))
    except FileNotFoundError:
        return []
    found = []
    for name in names:
        match = NAME.fullmatch(name)
        if match and match.group(1) == kind:
            found.append(Kept(name, kind, datetime.strptime(match.group(2), STAMP), folder(state_dir) / name))
    return sorted(found, key=lambda kept: (kept.when, kept.id), reverse=True)


def find(state_dir: Path, kind: str, kept_id: str) -> Kept | None:
    return next((kept for kept in listing(state_dir, kind) if kept.id == kept_id), None)


def remove(kept: Kept) -> None:
    """Delete a keeping: renamed out of the listing first, so a failure halfway shows nothing half."""
    doomed = kept.path.with_name(f".removing-{kept.id}")
    os.replace(kept.path, doomed)
    fsync_folder(kept.path.parent)
    shutil.rmtree(doomed, ignore_errors=True)


def summary(kept: Kept) -> str:
    """What a RESTORE keeping holds, in a few words: "12 nights, the settings, 2 own routines"."""
    parts = []
    journal = kept.path / JOURNAL
    if journal.is_file():
        try:
            with closing(sqlite3.connect(f"{journal.resolve().as_uri()}?mode=ro", uri=True)) as conn:
                nights = conn.execute("SELECT count(*) FROM nights").fetchone()[0]
            parts.append(f"{nights} night{'s' if nights != 1 else ''}")
        except sqlite3.Error:
            parts.append("a journal")
    if (kept.path / phone_settings.FILE_NAME).is_file():
        parts.append("the settings")
    routines = len(routine_files(kept.path / phone_settings.OWN_ROUTINES))
    if routines:
        parts.append(f"{routines} own routine{'s' if routines != 1 else ''}")
    return ", ".join(parts) or "nothing"


def keep_routine(state_dir: Path, path: Path, now: datetime) -> Kept:
    """Move the own routine file `path` aside (it leaves the catalog at once)."""
    target = new_folder(state_dir, ROUTINE, now)
    os.replace(path, target / path.name)
    fsync_folder(path.parent)
    fsync_folder(target)
    return Kept(target.name, ROUTINE, now.replace(microsecond=0, tzinfo=None), target)


def put_back_routine(state_dir: Path, kept: Kept) -> str | None:
    """Move a kept routine back among the own routines; its file name, or None when one of that
    name is there now (raises FileExistsError)."""
    source = kept.routine_file
    if source is None:
        return None
    own = phone_settings.own_routines_dir(state_dir)
    own.mkdir(mode=0o700, exist_ok=True)
    os.link(source, own / source.name)  # FileExistsError: never over another file
    fsync_folder(own)
    os.unlink(source)
    os.rmdir(kept.path)
    fsync_folder(kept.path.parent)
    return source.name
