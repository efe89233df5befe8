"""Tell systemd how the daemon is doing: READY, the watchdog, STOPPING. No dependency.

systemd's notify protocol is one datagram of `KEY=value` lines to the AF_UNIX socket named in
`$NOTIFY_SOCKET` (a path, or `@name` for the abstract namespace). Outside systemd the variable
is unset and every call is a no-op. `WATCHDOG_USEC` (and `WATCHDOG_PID`, when set, naming this
process) turn on the watchdog: `watchdog_task()` is a daemon task, called on the loop thread,
that pings whenever a quarter of the interval has passed, so a stuck loop gets restarted.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable, Mapping

log = logging.getLogger(__name__)


class SystemdNotifier:
    """Sends notifications for this process; `environ` and `monotonic` are injectable for tests."""

    def __init__(self, environ: Mapping[str, str] = os.environ, monotonic: Callable[[], float] = time.monotonic):
        self.address = _address(environ.get("NOTIFY_SOCKET", ""))
        self.watchdog_seconds = _watchdog_seconds(environ)
        self._monotonic = monotonic
        self._last_ping: float | None = None
        self._failed = False

    @property
    def enabled(self) -> bool:
        return self.address is not None

    def notify(self, *lines: str) -> bool:
        """Send `lines` (e.g. "READY=1") as one datagram; False when not under systemd or it failed."""
        if self.address is None:
            return False
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
                sock.sendto("\n".join(lines).encode(), self.address)
        except OSError as error:
            if not self._failed:
                log.warning("cannot notify systemd at %s: %s", os.environ.get("NOTIFY_SOCKET"), error)
            self._failed = True
            return False
        return True

    def ready(self, status: str = "") -> bool:
        """The hardware is up and the loop is about to run."""
        return self.notify("READY=1", *([f"STATUS={status}"] if status else []))

    def stopping(self) -> bool:
        return self.notify("STOPPING=1")

    def watchdog_task(self) -> float | None:
        """Ping the watchdog when due; return the real seconds until the next ping (None: off)."""
        if self.watchdog_seconds is None or self.address is None:
            return None
        every = self.watchdog_seconds / 4
        now = self._monotonic()
        if self._last_ping is None or now - self._last_ping >= every:
            self.notify("WATCHDOG=1")
            self._last_ping = now
        return max(0.0, self._last_ping + every - now)


def _address(value: str) -> str | bytes | None:
    if not value:
        return None
    if value.startswith("@"):
        return b"\0" + value[1:].encode()
    if value.startswith("/"):
        return value
    return None  # systemd also knows vsock addresses; a bedside Pi never needs them


def _watchdog_seconds(environ: Mapping[str, str]) -> float | None:
    try:
        usec = int(environ.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    pid = environ.get("WATCHDOG_PID")
    if usec <= 0 or (pid and pid != str(os.getpid())):
        return None
    return usec / 1e6
