"""What went wrong with the storage, in plain words, with the fix.

An SD card fails in a few ways a person can act on: it is full, the kernel has made it
read-only (what Linux does to a card that reports errors), it returns I/O errors (bad sectors),
or the files belong to another user. `fault_of` turns an OSError or an sqlite3 error into one
of these (`Fault`), `explain` into one line naming the file, the device it is on and the fix.

SQLite reports a full disk met while growing its shared-memory file as an I/O error, and
Python does not expose SQLite's errno, so an I/O error on a filesystem with no free space
left, or one mounted read-only, is told as what it is: full, read-only.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from enum import Enum
from pathlib import Path


class Fault(Enum):
    """A storage problem the person can do something about (not a damaged file)."""

    FULL = "full"
    READ_ONLY = "read-only"
    IO_ERROR = "I/O error"
    PERMISSION = "permission"
    BUSY = "busy"


# SQLite's primary result codes (the low byte of the extended code).
SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY = 3, 5, 6, 8
SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_AUTH = 10, 13, 14, 23

_BY_ERRNO = {
    errno.ENOSPC: Fault.FULL, errno.EDQUOT: Fault.FULL, errno.EFBIG: Fault.FULL,
    errno.EROFS: Fault.READ_ONLY,
    errno.EIO: Fault.IO_ERROR, errno.ENXIO: Fault.IO_ERROR, errno.ENODEV: Fault.IO_ERROR,
    errno.EUCLEAN: Fault.IO_ERROR,
    errno.EACCES: Fault.PERMISSION, errno.EPERM: Fault.PERMISSION,
    errno.EBUSY: Fault.BUSY, errno.EAGAIN: Fault.BUSY,
}
_BY_SQLITE_CODE = {
    SQLITE_FULL: Fault.FULL, SQLITE_READONLY: Fault.READ_ONLY, SQLITE_IOERR: Fault.IO_ERROR,
    SQLITE_CANTOPEN: Fault.IO_ERROR, SQLITE_PERM: Fault.PERMISSION, SQLITE_AUTH: Fault.PERMISSION,
    SQLITE_BUSY: Fault.BUSY, SQLITE_LOCKED: Fault.BUSY,
}
# The same, for an sqlite3 error without a code (older Pythons): SQLite's own words.
_BY_SQLITE_TEXT = (
    ("disk is full", Fault.FULL), ("readonly", Fault.READ_ONLY), ("read-only", Fault.READ_ONLY),
    ("disk i/o error", Fault.IO_ERROR), ("unable to open", Fault.IO_ERROR),
    ("locked", Fault.BUSY), ("busy", Fault.BUSY),
)
LOW_SPACE_BYTES = 64 * 1024  # less free space than this on the state dir's filesystem counts as full


def sqlite_code(error: BaseException) -> int | None:
    """SQLite's primary result code of `error` (e.g. 10 for any I/O error), or None."""
    code = getattr(error, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def fault_of(error: BaseException, folder: Path | None = None) -> Fault | None:
    """The storage problem behind `error`, or None when it is not one (damage, a bug...).

    `folder` (the state dir) lets an I/O error on a full or read-only filesystem be named as that.
    """
    fault = None
    if isinstance(error, OSError) and error.errno in _BY_ERRNO:
        fault = _BY_ERRNO[error.errno]
    elif isinstance(error, sqlite3.Error):
        code = sqlite_code(error)
        if code is not None:
            fault = _BY_SQLITE_CODE.get(code)
        else:
            text = str(error).lower()
            fault = next((f for words, f in _BY_SQLITE_TEXT if words in text), None)
    if folder is not None and fault in (Fault.IO_ERROR, Fault.READ_ONLY) and not _is_errno(error, errno.EROFS):
        state = filesystem_state(folder)
        if fault is Fault.IO_ERROR and state is not None:
            fault = state  # SQLite's "disk I/O error" on a full or read-only card
        elif fault is Fault.READ_ONLY and state is not Fault.READ_ONLY:
            fault = Fault.PERMISSION  # SQLite's "readonly database": the file, not the card
    return fault


def _is_errno(error: BaseException, number: int) -> bool:
    return isinstance(error, OSError) and error.errno == number


def filesystem_state(folder: Path) -> Fault | None:
    """READ_ONLY when `folder`'s filesystem is mounted read-only, FULL when less than
    `LOW_SPACE_BYTES` is free for users (`f_bavail`: root's reserve and ext4's own reserve
    left out; the daemon runs as a user), else None (also when it cannot be told)."""
    try:
        info = os.statvfs(folder)
    except OSError:
        return None
    if info.f_flag & os.ST_RDONLY:
        return Fault.READ_ONLY
    if info.f_bavail * info.f_frsize < LOW_SPACE_BYTES:  # what users may still allocate
        return Fault.FULL
    return None


def check_room(folder: Path) -> None:
    """Raise OSError(ENOSPC) when `folder`'s filesystem is (nearly) full, OSError(EROFS) when it
    is mounted read-only; else nothing.

    Called before the journal is opened or written. SQLite memory-maps the WAL's `-shm` file
    and grows it by writing one byte per 4 KiB page; on a filesystem with 1 KiB blocks the rest
    of each page stays unallocated, and touching it on a full disk kills the process with
    SIGBUS instead of returning an error. Refusing the write while less than
    `LOW_SPACE_BYTES` (twice the 32 KiB -shm region) is free turns that into "the storage is
    full", told like any other full disk.
    """
    state = filesystem_state(folder)
    if state is Fault.FULL:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(folder))
    if state is Fault.READ_ONLY:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(folder))


def device_of(path: Path) -> str:
    """The device `path` (or the nearest folder above it that exists) is on, e.g.
    "/dev/mmcblk0p2" or "tmpfs at /run"; "" when it cannot be told."""
    path = Path(path)
    for candidate in (path, *path.parents):
        try:
            dev = os.stat(candidate).st_dev
            break
        except OSError:
            continue
    else:
        return ""
    wanted = f"{os.major(dev)}:{os.minor(dev)}"
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as mounts:
            for line in mounts:
                fields = line.split()
                if len(fields) > 4 and fields[2] == wanted and " - " in line:
                    kind, source = line.split(" - ", 1)[1].split()[:2]
                    return source if source.startswith("/dev/") else f"{kind} at {fields[4]}"
    except OSError:
        pass
    return ""


def words(fault: Fault | None, error: BaseException) -> str:
    """The cause in plain words, e.g. "the card is full" or "read error (disk I/O error)"."""
    detail = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    detail = detail or type(error).__name__
    if fault is Fault.FULL:
        return "the storage is full"
    if fault is Fault.READ_ONLY:
        return "the storage is read-only"
    if fault is Fault.IO_ERROR:
        return f"the storage reported an I/O error ({detail})"
    if fault is Fault.PERMISSION:
        return f"no permission ({detail})"
    if fault is Fault.BUSY:
        return f"another program holds it ({detail})"
    return detail


def fix(fault: Fault | None, folder: Path) -> str:
    """What the person can do about `fault` for files in `folder`."""
    if fault is Fault.FULL:
        return f"free some space on the card (e.g. sudo journalctl --vacuum-size=20M); {folder} is kept as it is"
    if fault is Fault.READ_ONLY:
        return ("the card may be failing (Linux makes a failing card read-only): copy "
                f"{folder} somewhere safe, check the card and reboot")
    if fault is Fault.IO_ERROR:
        return (f"the card may be failing: copy {folder} somewhere safe (psoas export) and replace "
                "the card; nothing was moved or deleted and it is tried again later")
    if fault is Fault.PERMISSION:
        return f"run it as the user the daemon runs as, or make {folder} writable by this user"
    if fault is Fault.BUSY:
        return "try again in a moment"
    return f"check {folder}"


def explain(error: BaseException, path: Path, doing: str = "use") -> str:
    """One line: "cannot <doing> <path> on <device>: <cause>; <fix>"."""
    path = Path(path)
    fault = fault_of(error, path.parent)
    device = device_of(path)
    where = f"{path} on {device}" if device else str(path)
    return f"cannot {doing} {where}: {words(fault, error)}; {fix(fault, path.parent)}"
