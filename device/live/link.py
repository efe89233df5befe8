"""The phone page's side of the live view: ask the daemon to watch, then read what it publishes.

The daemon writes the screen and its status into the runtime folder only while a page
watches (`device.live.view`); a `watch` word keeps it at that for `WATCH_SECONDS`. The page
asks again at most every `RENEW_SECONDS`, so while it refreshes its picture the daemon wakes
for that only every few seconds, and once the page is closed it stops within `WATCH_SECONDS`.
After an ask, a request waits up to `FRESH_SECONDS` for the daemon's fresh status (it answers
within milliseconds unless it is stuck), so the page never shows a picture from an old visit.
Called on waitress's threads; they share `_asked`, where a lost race costs one more `watch`.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from pathlib import Path

from device.control import WATCH, WATCH_SECONDS
from device.live import files

RENEW_SECONDS = WATCH_SECONDS / 4  # real seconds between two asks while the page is open
FRESH_SECONDS = 0.5  # how long a request waits for the daemon's answer, in seconds
POLL_SECONDS = 0.01
CLOCK_SLACK_SECONDS = 0.05  # file times run on the kernel's coarse clock, a tick behind time.time()


class LiveLink:
    """`notify(state_dir, word)` sends a control word (False: no daemon listens); `folder` is
    the runtime folder; `monotonic()` and `wall()` are seconds."""

    def __init__(self, state_dir: Path, folder: Path, notify: Callable[[Path, str], bool],
                 monotonic: Callable[[], float] = time.monotonic, wall: Callable[[], float] = time.time,
                 sleep: Callable[[float], None] = time.sleep):
        self.state_dir = state_dir
        self.folder = Path(folder)
        self.notify = notify
        self.monotonic = monotonic
        self.wall = wall
        self.sleep = sleep
        self._asked = -math.inf  # monotonic seconds of the last `watch` a daemon heard

    def watch(self) -> bool:
        """Keep the daemon publishing; False when no daemon listens (nothing it wrote is current)."""
        now = self.monotonic()
        if now - self._asked < RENEW_SECONDS:
            return True
        sent = self.wall()
        if not self.notify(self.state_dir, WATCH):
            self._asked = -math.inf
            return False
        self._asked = now
        self.wait_for(lambda: self._written_since(sent))
        return True

    def wait_for(self, condition: Callable[[], bool]) -> bool:
        """Wait up to `FRESH_SECONDS` for `condition()`; whether it came."""
        deadline = self.monotonic() + FRESH_SECONDS
        while not condition():
            if self.monotonic() >= deadline:
                return False
            self.sleep(POLL_SECONDS)
        return True

    def status(self) -> dict | None:
        return files.read_status(self.folder)

    def frame(self) -> bytes | None:
        found = files.read_frame(self.folder)
        return None if found is None else found[0]

    def forget(self) -> None:
        """The daemon may have restarted (a command found none): ask again next time."""
        self._asked = -math.inf

    def _written_since(self, moment: float) -> bool:
        try:
            return os.stat(files.status_path(self.folder)).st_mtime >= moment - CLOCK_SLACK_SECONDS
        except OSError:
            return False
