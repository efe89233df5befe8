"""The one-time pairing code: made by the daemon when the person chooses "Pair a phone", used
once by the phone page.

Being at the bedside is the proof: the code only ever appears on the device's own screen. It is
6 random digits (`secrets`), stored only as a salted SHA-256 in `pairing.json` in the state dir
(0600), valid for `CODE_SECONDS`, used up by the first right answer, and locked (used up too)
by the `MAX_TRIES`th wrong one: a new code must then be shown on the device. Every read and
change holds an exclusive `flock`, so two tries at once (two waitress threads, two phones)
cannot both pass or both count as the same try. Times are wall-clock seconds (`time.time`),
which both processes share.
"""

from __future__ import annotations

import enum
import fcntl
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from device.storage.atomic import write_atomically

FILE_NAME = "pairing.json"
LOCK_NAME = ".pairing.lock"
CODE_SECONDS = 120.0
MAX_TRIES = 5
DIGITS = 6


class CodeCheck(enum.Enum):
    """What trying a pairing code found."""

    PAIRED = "paired"
    WRONG = "wrong"  # tries left
    LOCKED = "locked"  # that was the last try: the code is gone
    EXPIRED = "expired"
    NO_CODE = "no code"


def _digest(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


@contextmanager
def _locked(state_dir: Path):
    state_dir = Path(state_dir)
    with open(state_dir / LOCK_NAME, "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield state_dir / FILE_NAME
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def new_code(state_dir: Path, now: Callable[[], float] = time.time) -> str:
    """Make a fresh code (replacing any earlier one) and return it, for the device's screen."""
    code = f"{secrets.randbelow(10 ** DIGITS):0{DIGITS}d}"
    salt = secrets.token_hex(16)
    record = {"salt": salt, "sha256": _digest(salt, code), "expires": now() + CODE_SECONDS, "tries": 0}
    with _locked(state_dir) as path:
        write_atomically(path, json.dumps(record))
    return code


def cancel(state_dir: Path) -> None:
    """Forget the code (the pairing screen was closed on the device)."""
    with _locked(state_dir) as path:
        path.unlink(missing_ok=True)


def try_code(state_dir: Path, code: str, now: Callable[[], float] = time.time) -> tuple[CodeCheck, int]:
    """Check `code` against the current one: (what it found, tries left)."""
    with _locked(state_dir) as path:
        try:
            record = json.loads(path.read_text())
            salt, digest, expires, tries = record["salt"], record["sha256"], float(record["expires"]), int(record["tries"])
        except (OSError, ValueError, KeyError, TypeError):
            return CodeCheck.NO_CODE, 0
        if now() >= expires:
            path.unlink(missing_ok=True)
            return CodeCheck.EXPIRED, 0
        given = code.strip() if isinstance(code, str) else ""
        if hmac.compare_digest(_digest(salt, given), digest):
            path.unlink(missing_ok=True)
            return CodeCheck.PAIRED, 0
        tries += 1
        if tries >= MAX_TRIES:
            path.unlink(missing_ok=True)
            return CodeCheck.LOCKED, 0
        record["tries"] = tries
        write_atomically(path, json.dumps(record))
        return CodeCheck.WRONG, MAX_TRIES - tries
