"""The one-time pairing code: made by the daemon when the person chooses "Pair a phone", used
once by the phone page.

Being at the bedside is the proof: the code only ever appears on the device's own screen. It is
6 random digits (`secrets`; the screen shows them as "123 456", so every space typed is dropped),
stored only as a salted SHA-256 in `pairing.json` in the state dir
(0600), valid for `CODE_SECONDS`, used up by the first right answer, and locked (used up too)
by the `MAX_TRIES`th wrong one: a new code must then be shown on the device. Every read and
change holds an exclusive `flock`, so two tries at once (two waitress threads, two phones)
cannot both pass or both count as the same try. Times are wall-clock seconds (`time.time`),
which both processes share.

`TryDelay` makes each client (by address) wait after a wrong try before its next one, so a code
cannot be guessed quickly or burned in a burst; and the page gives one answer for "no code" and
"not the code", so trying does not tell whether a code is live.
"""

from __future__ import annotations

import enum
import fcntl
import hashlib
import hmac
import json
import secrets
import threading
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
        given = "".join(code.split()) if isinstance(code, str) else ""
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


class TryDelay:
    """After a wrong try, the same client waits `FIRST_WAIT` seconds before the next one, then
    twice as long after each further wrong try (at most `LONGEST_WAIT`; after that long without
    a try, from `FIRST_WAIT` again). Thread-safe; kept in
    memory only (a restart forgets it, and the code's own `MAX_TRIES` still holds)."""

    FIRST_WAIT = 2.0  # seconds
    LONGEST_WAIT = 60.0  # seconds
    REMEMBERED = 256  # clients; the oldest are forgotten first

    def __init__(self, now: Callable[[], float] = time.time):
        self.now = now
        self._lock = threading.Lock()
        self._clients: dict[str, tuple[float, float]] = {}  # address -> (may try again at, last wait)

    def wait_left(self, client: str) -> float:
        """Seconds until `client` may try again (0 if now)."""
        with self._lock:
            until, _ = self._clients.get(client, (0.0, 0.0))
        return max(0.0, until - self.now())

    def wrong(self, client: str) -> None:
        """`client` just tried a code that did not work."""
        with self._lock:
            until, last = self._clients.pop(client, (0.0, 0.0))
            calm = self.now() - until > self.LONGEST_WAIT  # a while since: start again from the first wait
            wait = self.FIRST_WAIT if calm or not last else min(self.LONGEST_WAIT, last * 2)
            self._clients[client] = (self.now() + wait, wait)
            while len(self._clients) > self.REMEMBERED:
                self._clients.pop(next(iter(self._clients)))

    def right(self, client: str) -> None:
        with self._lock:
            self._clients.pop(client, None)
