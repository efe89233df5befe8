"""The start-up sweep: the program's own leftovers from writes a fault or power cut cut short.

Removed, in the state dir (and temporary files in its folders one level down, e.g. the
phone's own routines):
- temporary files of `write_atomically` (`.<name>.<8 random>.tmp`) and the old writers'
  `bedtime.json.tmp`;
- scratch folders of the phone page's backup, restore and upload (`.backup-`, `.restore-`,
  `.upload-` followed by 8 random characters).

Only when untouched for `STALE_SECONDS` (either way: a clock set back after a power cut must
not make a live file look old or new), so a write another process (the phone page) is making
right now is never disturbed. Nothing else is touched: the journal, its `-wal` / `-shm`, its
kept-aside copies (`.corrupt-*`, `.before-restore-*`), settings, routines. Symbolic links are
never followed or removed.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import stat
import time
from pathlib import Path

from device.storage.atomic import TEMPORARY_SUFFIX

log = logging.getLogger("psoas.storage")

STALE_SECONDS = 600
_RANDOM = r"[a-z0-9_]{8}"  # what tempfile puts in a name
TEMPORARY_FILE = re.compile(rf"^\..+\.{_RANDOM}{re.escape(TEMPORARY_SUFFIX)}$")
OLD_TEMPORARY_FILES = frozenset({"bedtime.json.tmp"})  # written by versions before write_atomically
SCRATCH_FOLDER = re.compile(rf"^\.(backup|restore|upload)-{_RANDOM}$")


def is_leftover(name: str, mode: int) -> bool:
    """True for a name and `lstat` mode this program leaves behind when interrupted."""
    if stat.S_ISREG(mode):
        return bool(TEMPORARY_FILE.match(name)) or name in OLD_TEMPORARY_FILES
    if stat.S_ISDIR(mode):
        return bool(SCRATCH_FOLDER.match(name))
    return False


def _leftovers(folder: Path, now: float, scratch_too: bool):
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if abs(now - info.st_mtime) < STALE_SECONDS:
            continue
        if is_leftover(entry.name, info.st_mode) and (scratch_too or stat.S_ISREG(info.st_mode)):
            yield Path(entry.path), stat.S_ISDIR(info.st_mode)


def sweep(state_dir: Path, now: float | None = None) -> list[Path]:
    """Remove the stale leftovers in `state_dir` (see the module); returns what was removed.

    `now` is the wall-clock time in seconds since the epoch (default: now). Never raises: a
    leftover that cannot be removed (a failing card) is left for the next start, one log line.
    """
    now = time.time() if now is None else now
    state_dir = Path(state_dir)
    found = list(_leftovers(state_dir, now, scratch_too=True))
    try:
        folders = [Path(e.path) for e in os.scandir(state_dir)
                   if e.is_dir(follow_symlinks=False) and not e.name.startswith(".")]
    except OSError:
        folders = []
    for folder in folders:
        found.extend(_leftovers(folder, now, scratch_too=False))
    removed, failed = [], []
    for path, is_folder in found:
        try:
            shutil.rmtree(path) if is_folder else path.unlink()
            removed.append(path)
        except OSError as error:
            failed.append(f"{path} ({error.strerror or error})")
    if removed:
        log.info("storage: removed %d leftover(s) of interrupted writes in %s: %s", len(removed), state_dir,
                 ", ".join(str(p.relative_to(state_dir)) for p in removed))
    if failed:
        log.warning("storage: could not remove leftovers of interrupted writes (tried again at the next "
                    "start): %s", ", ".join(failed))
    return removed
