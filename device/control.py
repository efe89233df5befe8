"""The daemon's control socket: another process on the device tells the daemon something changed.

A UNIX datagram socket, `control.sock` in the state dir (mode 0600, so only the daemon's own
user, which the phone page's unit also runs as, can write to it). One message is one short
word: `settings` (the phone saved settings or routines: reload them), `paired` (the pairing
code was used: close the pairing screen), `watch` (a page shows the screen: publish it for a
while, `device.live`), `start` (start tonight's routine now), `skip` (skip tonight). The listener thread blocks in `recv()` and only puts
a `ControlMessage` on the daemon's queue, so while nothing is sent it costs no wake-up at all.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("psoas.control")

SOCKET_NAME = "control.sock"
SETTINGS = "settings"
PAIRED = "paired"
WATCH = "watch"
START = "start"
SKIP = "skip"
MESSAGES = (SETTINGS, PAIRED, WATCH, START, SKIP)
WATCH_SECONDS = 20.0  # real seconds one `watch` keeps the daemon publishing the screen


@dataclass(frozen=True)
class ControlMessage:
    """A word from another process (one of `MESSAGES`), put on the daemon's queue."""

    word: str


def socket_path(state_dir: Path) -> Path:
    return Path(state_dir) / SOCKET_NAME


def send(state_dir: Path, word: str) -> bool:
    """Tell the daemon `word`; False when no daemon listens (it reads everything when it starts)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        try:
            sock.sendto(word.encode("ascii"), str(socket_path(state_dir)))
        except OSError:
            return False
    return True


def listening(state_dir: Path) -> bool:
    """True when a daemon is listening on the control socket now (a leftover file, or a socket
    nobody reads any more, is not one). Connects without sending anything."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(str(socket_path(state_dir)))
        except OSError:
            return False
    return True


class ControlListener:
    """Receives control words on a daemon thread and puts each on `inputs` (`queue.put` only)."""

    def __init__(self, state_dir: Path, inputs):
        self.path = socket_path(state_dir)
        self.inputs = inputs
        self._closed = False
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        try:
            self.path.unlink(missing_ok=True)  # left over from a run that was killed
            old = os.umask(0o177)
            try:
                self._sock.bind(str(self.path))
            finally:
                os.umask(old)
        except OSError:
            self._sock.close()
            raise
        self._thread = threading.Thread(target=self._receive, name="psoas-control", daemon=True)
        self._thread.start()

    def _receive(self) -> None:
        while True:
            try:
                data = self._sock.recv(64)
            except OSError:
                return  # closed
            if self._closed:
                return
            word = data.decode("ascii", "replace").strip()
            if word in MESSAGES:
                self.inputs.put(ControlMessage(word))
            else:
                log.warning("control socket: unknown message %r ignored", word[:20])

    def close(self) -> None:
        self._closed = True
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._sock.close()
        self.path.unlink(missing_ok=True)
