"""The one way the program writes a file: whole or not at all, and still there after a power cut.

A temporary file is made in the same folder (so the rename never crosses a filesystem), written,
fsynced, given its mode, renamed over the target, and then the folder itself is fsynced, so the
rename survives a power cut too. On any error the temporary file is removed and the target is
left exactly as it was. Temporary files are named `.<name>.<random>.tmp` (`TEMPORARY_SUFFIX`), so a
start-up sweep can tell its own leftovers from the person's files.

Only a new or regular file is replaced (`routines.loading.files.not_a_file`): never a FIFO, a
device such as `/dev/null`, a directory or a symbolic link; those raise `NotAFileError` before
anything is written.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from routines.loading.files import NotAFileError, not_a_file

PRIVATE_MODE = 0o600  # health data: readable by the owner only
TEMPORARY_SUFFIX = ".tmp"


def write_atomically(path: Path, data: str | bytes, *, mode: int = PRIVATE_MODE,
                     durable: bool = True) -> None:
    """Write `data` (text as UTF-8) to `path` whole or not at all, with file mode `mode`.

    `durable=False` skips both fsyncs, for a file that need not outlive a power cut and is
    rewritten often (the virtual panel's frame, on /run): readers still never see half a file.
    Raises `NotAFileError` when something other than a regular file is at `path` (it is left as
    it is), else OSError as the OS reports it (ENOSPC, EROFS, EIO...); the old file is then
    untouched and no temporary file is left behind.
    """
    path = Path(path)
    refusal = not_a_file(path)
    if refusal:
        raise NotAFileError(refusal)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(payload)
            out.flush()
            if durable:
                os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    if durable:
        fsync_folder(path.parent)


def fsync_folder(folder: Path) -> None:
    """Make a rename, creation or removal inside `folder` durable (fsync the folder itself).

    Raises OSError when the folder cannot be synced (EIO on a failing card): the caller's
    change may then not survive a power cut, and it should say so like any failed write.
    """
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
