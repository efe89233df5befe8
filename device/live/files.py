"""The runtime folder's files: the screen now (`live.png`) and the daemon's status (`status.json`).

The daemon writes them (`device.live.view`); the phone page only reads them. The folder is a
tmpfs (`device.config.paths.runtime_dir`), so a write is a private temporary file renamed over
the old one, without fsync: a reader never sees half a file, and nothing there has to outlive
a reboot. Readers take a missing or damaged file as "nothing known".
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from device.storage.atomic import write_atomically

FRAME_NAME = "live.png"
STATUS_NAME = "status.json"
STATUS_VERSION = 1
STATUS_LIMIT = 64 * 1024  # bytes: more is not a status this program wrote


def frame_path(folder: Path) -> Path:
    return Path(folder) / FRAME_NAME


def status_path(folder: Path) -> Path:
    return Path(folder) / STATUS_NAME


def write_file(path: Path, data: bytes) -> None:
    """Replace `path` by `data` (mode 0600) in one rename; raises OSError, leaving no temporary
    file. No fsync: the runtime folder is a tmpfs, rewritten while a page watches."""
    write_atomically(path, data, durable=False)


def write_status(folder: Path, status: dict) -> None:
    write_file(status_path(folder), json.dumps({"version": STATUS_VERSION, **status}, sort_keys=True).encode())


def read_status(folder: Path) -> dict | None:
    """The daemon's last status, or None (no daemon has written one, or it cannot be read)."""
    try:
        with open(status_path(folder), "rb") as file:
            data = json.loads(file.read(STATUS_LIMIT + 1)[:STATUS_LIMIT].decode("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != STATUS_VERSION:
        return None
    return data


def read_frame(folder: Path) -> tuple[bytes, float] | None:
    """The last frame as PNG bytes and when it was written (wall seconds), or None."""
    try:
        with open(frame_path(folder), "rb") as file:
            return file.read(), os.fstat(file.fileno()).st_mtime
    except OSError:
        return None


def remove(folder: Path) -> None:
    """Remove both files (the daemon stops); missing ones are fine."""
    for path in (frame_path(folder), status_path(folder)):
        try:
            path.unlink()
        except OSError:
            pass
