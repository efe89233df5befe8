"""Paired phones and their sessions, in `phones.json` in the state dir (0600).

A session token is 32 random bytes (`secrets.token_urlsafe`), sent once in the cookie and
stored only as its SHA-256, so the file alone signs nobody in. Each phone has a short public
id (for "forget this phone"), a label from its browser, when it was paired and last seen
(written at most once an hour, to spare the SD card, and only if the card takes it: a
read-only or full state dir never stops a page). A file that cannot be read (EIO) raises
OSError, a storage problem the page names; only a missing or garbled file means "nobody". `forget_all()` is
`psoas web --forget-all`. A lock serialises the waitress threads; the file is replaced whole.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path

from device.storage.atomic import write_atomically

log = logging.getLogger("psoas.web")
FILE_NAME = "phones.json"
SEEN_EVERY_SECONDS = 3600.0


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


@dataclass(frozen=True)
class Phone:
    id: str  # public, short: names the phone on the Device page
    token_sha256: str
    label: str
    paired_at: str  # ISO 8601 with offset
    last_seen: str


def _now() -> datetime:
    return datetime.now().astimezone()


class Phones:
    """The paired phones of one state dir. Thread-safe."""

    def __init__(self, state_dir: Path, now: Callable[[], datetime] = _now):
        self.path = Path(state_dir) / FILE_NAME
        self.now = now
        self._lock = threading.Lock()

    def _read(self) -> list[Phone]:
        try:
            rows = json.loads(self.path.read_text())
            return [Phone(**row) for row in rows]
        except (FileNotFoundError, NotADirectoryError):
            return []  # no file, or no state dir at all: nobody is paired
        except (ValueError, TypeError):
            return []  # garbled: nobody is signed in; pairing again writes a good file

    def _write(self, phones: list[Phone]) -> None:
        write_atomically(self.path, json.dumps([asdict(p) for p in phones], indent=1))

    def all(self) -> list[Phone]:
        with self._lock:
            return self._read()

    def add(self, label: str) -> tuple[str, Phone]:
        """Pair a phone: (its new session token, for the cookie only; the stored record)."""
        token = secrets.token_urlsafe(32)
        stamp = self.now().isoformat(timespec="seconds")
        phone = Phone(secrets.token_hex(4), token_digest(token), label[:60], stamp, stamp)
        with self._lock:
            self._write(self._read() + [phone])
        return token, phone

    def find(self, token: str | None) -> Phone | None:
        """The phone whose session `token` is, or None; notes when it was last seen."""
        if not token:
            return None
        digest = token_digest(token)
        with self._lock:
            phones = self._read()
            for index, phone in enumerate(phones):
                if secrets.compare_digest(phone.token_sha256, digest):
                    moment = self.now()
                    try:
                        seen = datetime.fromisoformat(phone.last_seen)
                        stale = (moment - seen).total_seconds() > SEEN_EVERY_SECONDS
                    except (ValueError, TypeError):
                        stale = True
                    if stale:
                        phones[index] = phone = replace(phone, last_seen=moment.isoformat(timespec="seconds"))
                        self._note_seen(phones)
                    return phone
        return None

    def _note_seen(self, phones: list[Phone]) -> None:
        try:
            self._write(phones)
        except OSError as error:  # best-effort: the page works on a read-only or full card
            log.warning("cannot note when a phone was last seen (%s)", error.strerror or error)

    def forget(self, phone_id: str) -> bool:
        with self._lock:
            phones = self._read()
            kept = [p for p in phones if p.id != phone_id]
            if len(kept) == len(phones):
                return False
            self._write(kept)
            return True

    def forget_all(self) -> int:
        with self._lock:
            count = len(self._read())
            if self.path.exists():
                self._write([])
            return count
