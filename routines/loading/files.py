"""A person's files, handled safely: read without hanging, their names and text shown safely.

Reading: a FIFO where a file is expected would block `open()` or `read()` for ever, a device
such as `/dev/zero` never ends, a directory or a symbolic link that loops cannot be read.
`read_bytes` opens with `O_NONBLOCK`, checks the kind of file before reading anything and
reads at most `limit` bytes; `reason` and `not_a_file` word the refusal and the fix.

Writing: `not_a_file` is the one rule for a path a command writes (export, stats picture,
preview GIF): missing or a regular file is fine; anything else there (a FIFO, a device such as
`/dev/null`, a directory, a symbolic link) is refused, never replaced or written through.

Showing: text from outside (config values, routine text, file names) must not carry control
characters: sent raw to a terminal they move the cursor, change colours or retitle the
window. Files refuse them (`has_control`, the one rule); anything shown that came from
outside (paths, arguments, names) goes through `shown`, which writes them, and bytes that are
not UTF-8, as escapes like `\\x1b`. Tabs and line breaks are allowed in text (on the screen
they are only white space), never in a name.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

MAX_BYTES = 1 << 20  # 1 MiB: far more than any config or routine file needs

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISLNK, "a symbolic link"),
)


CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # in text: C0 (but tab and line feed), DEL, C1
NAME_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # in a name: every C0, DEL, C1
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")  # also surrogates: undecodable bytes


def has_control(text: str, *, name: bool = False) -> bool:
    """True when `text` holds a control character: in a `name` (a file or routine name) any,
    in other text any but tab and line feed."""
    return (NAME_CONTROL if name else CONTROL).search(text) is not None


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (os.fsdecode's surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def shown(value: str | os.PathLike) -> str:
    """`value` (a text or a path) with control characters and undecodable bytes as escapes."""
    text = os.fspath(value)
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    return _UNSAFE.sub(_escape, text)


def is_utf8_name(name: str) -> bool:
    """True when a file name read from the disk was valid UTF-8 (no surrogate escapes)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class UnreadableFileError(OSError):
    """A path that is not a regular file, or too big; `str()` is the reason, e.g. "is a FIFO"."""

    def __init__(self, reason: str):
        super().__init__(errno.EINVAL, reason)


class NotAFileError(OSError):
    """Something that is not a regular file is where a file is to be written; `strerror` is
    `not_a_file`'s reason, e.g. "is a FIFO (named pipe), not a regular file; give ..."."""

    def __init__(self, reason: str):
        super().__init__(errno.EEXIST, reason)


def kind(mode: int) -> str:
    """What a non-regular file is, from `st_mode`: "a directory", "a FIFO (named pipe)", …"""
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def reason(error: OSError) -> str:
    """Why a path cannot be read and the fix, said plainly, e.g. "is a FIFO (named pipe), ..."."""
    if isinstance(error, (UnreadableFileError, NotAFileError)):
        return error.strerror
    if error.errno == errno.ELOOP:
        return "is a symbolic link that loops; fix or remove the link"
    if error.errno == errno.ENOENT:
        return "not found"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied; make it readable by this user"
    return error.strerror or str(error)


def not_a_file(path: str | os.PathLike) -> str | None:
    """Why a command must not write `path`, with the fix; None when it is missing or a regular file.

    Anything else that is there is refused, a symbolic link too (`lstat`): writing would
    replace it (a FIFO, `/dev/null`) or write through it. A path that cannot even be looked
    at is None: the write itself says why.
    """
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode):
        return None
    return f"is {kind(mode)}, not a regular file; give the name of a new or regular file"


def _not_regular(mode: int) -> str:
    return f"is {kind(mode)}, not a file; move it away or put a text file there"


def read_bytes(path: str | os.PathLike, limit: int = MAX_BYTES) -> bytes:
    """The whole content of the regular file `path`, at most `limit` bytes.

    Raises `OSError`: `UnreadableFileError` for a FIFO, directory, device or a file over
    `limit`; the OS's error otherwise (see `reason`). Never blocks on a FIFO.
    """
    fd = os.open(Path(path), os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFileError(_not_regular(info.st_mode))
        os.set_blocking(fd, True)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 16, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise UnreadableFileError(f"is over {limit // 1024} KiB, far too big: is it the right file?")
        return b"".join(chunks)
    finally:
        os.close(fd)
