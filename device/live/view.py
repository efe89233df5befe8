"""The daemon's side of the live view: the screen and the status, published only while a page watches.

The phone page sends `watch` on the control socket while it shows the screen. For
`WATCH_SECONDS` after each one, every frame the daemon sends to the panel anyway is also
written to the runtime folder (`device.live.files`), and each `watch` writes the frame of the
moment and the status at once. Nothing else is timed: no page, no writes and no wake-ups.
The status (written at the start and on each `watch`) says since when the daemon runs, what
the screen shows, the next bedtime, the phone's last command and the log's last warnings.

Everything runs on the daemon's loop thread, except `WarningMemory.emit` (any thread that logs).
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PIL import Image

from device.control import WATCH, WATCH_SECONDS, ControlMessage
from device.daemon import Hooks
from device.live import files
from display.preview import png_bytes

log = logging.getLogger("psoas.live")

WARNINGS_KEPT = 5  # the log's last warning lines in the status
WARNING_CHARS = 300  # a longer line is cut


class WarningMemory(logging.Handler):
    """Keeps the log's last `WARNINGS_KEPT` warnings and errors, first line of each (in memory)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.lines: deque[dict] = deque(maxlen=WARNINGS_KEPT)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = (record.getMessage().splitlines() or [""])[0][:WARNING_CHARS]
            at = datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="seconds")
            self.lines.append({"at": at, "level": record.levelname.lower(), "text": text})
        except Exception:  # noqa: BLE001 - logging must never fail the caller
            self.handleError(record)

    def recent(self) -> list[dict]:
        """The kept lines, oldest first (`emit` appends under the same lock)."""
        with self.lock:
            return list(self.lines)


class LiveView:
    """Publishes the screen and the status to `folder` (the runtime folder) while watched.

    `size` is the panel's (width, height) in pixels; `monotonic()` real seconds; `now()` the
    aware local wall-clock time; `status()` what the rest of the daemon adds to the status
    (the next bedtime). Pass `frame_shown` to `ScreenOutput.mirror`.
    """

    def __init__(self, folder: Path, size: tuple[int, int], monotonic: Callable[[], float],
                 now: Callable[[], datetime], status: Callable[[], dict] = dict,
                 watch_seconds: float = WATCH_SECONDS):
        self.folder = Path(folder)
        self.size = size
        self.monotonic = monotonic
        self.now = now
        self.status = status
        self.watch_seconds = watch_seconds
        self.warnings = WarningMemory()
        self.since = ""
        self.until = 0.0  # real monotonic seconds: publish frames until then
        self.last_command: dict | None = None
        self._frame: Image.Image | None = None  # what the panel shows; None while it is off
        self._failing = False

    @property
    def hooks(self) -> Hooks:
        return Hooks(messages=[self.on_message])

    @property
    def watching(self) -> bool:
        return self.monotonic() < self.until

    def open(self) -> None:
        """Start keeping warnings; make the folder and write the first status (once, not timed)."""
        self.since = self.now().isoformat(timespec="seconds")
        logging.getLogger().addHandler(self.warnings)
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as error:
            self._failed(error)
            return
        self._write(self._write_status)

    def frame_shown(self, image: Image.Image | None) -> None:
        """The panel shows `image` now (None: it went dark); written only while watched."""
        self._frame = image
        if self.watching:
            self._write(self._write_frame)

    def on_message(self, item) -> None:
        if isinstance(item, ControlMessage) and item.word == WATCH:
            self.until = self.monotonic() + self.watch_seconds
            self._write(self._write_frame)
            self._write(self._write_status)

    def note(self, word: str, text: str) -> None:
        """What the daemon made of a command from the phone (`device.live.remote`), for its page."""
        self.last_command = {"word": word, "text": text, "at": self.now().isoformat(timespec="seconds")}
        log.info("from the phone: %s", text)
        self._write(self._write_status)  # the page waits for this answer

    def close(self) -> None:
        logging.getLogger().removeHandler(self.warnings)
        files.remove(self.folder)

    # -- helpers ---------------------------------------------------------------------------

    def _write_frame(self) -> None:
        image = self._frame if self._frame is not None else Image.new("1", self.size)
        files.write_file(files.frame_path(self.folder), png_bytes(image))

    def _write_status(self) -> None:
        status = {"pid": os.getpid(), "since": self.since, "written_at": self.now().isoformat(timespec="seconds"),
                  "screen": "off" if self._frame is None else "on", "warnings": self.warnings.recent(),
                  "last_command": self.last_command}
        status.update(self.status())
        files.write_status(self.folder, status)

    def _write(self, write: Callable[[], None]) -> None:
        try:
            write()
        except OSError as error:
            self._failed(error)
            return
        self._failing = False

    def _failed(self, error: OSError) -> None:
        if not self._failing:
            log.warning("live view: cannot write in %s (%s); the phone page shows no screen",
                        self.folder, error.strerror or error)
        self._failing = True
