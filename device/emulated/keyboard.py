"""The keyboard stands in for the button in `psoas demo`: one key is one whole gesture.

A daemon thread reads single keys (the terminal in cbreak mode, so no Enter is needed) and
puts `GestureInput` / `Quit` items on the daemon's queue, stamped with `time.monotonic()`.
A stream that is not a terminal (a pipe, a file) is read as plain characters, without termios.
"""

from __future__ import annotations

import os
import queue
import select
import sys
import termios
import threading
import time
import tty
from typing import IO

from device.inputs import Gesture, GestureInput, Quit

KEY_GESTURES = {
    " ": Gesture.PRESS,
    "\n": Gesture.PRESS,
    "\r": Gesture.PRESS,
    "h": Gesture.HOLD,
    "l": Gesture.LONG_HOLD,
}
QUIT_KEYS = {"q", "\x04"}  # q, Ctrl-D (cbreak mode turns off the terminal's own EOF)
LEGEND = "space: press  h: hold  l: long hold (stop)  q: quit"


def item_for_key(key: str, at: float) -> GestureInput | Quit | None:
    """What one key means at monotonic time `at` in seconds; None for keys with no meaning."""
    key = key.lower()
    if key in QUIT_KEYS:
        return Quit("keyboard")
    gesture = KEY_GESTURES.get(key)
    return GestureInput(gesture, at) if gesture else None


class KeyboardReader:
    """Read keys from `stream` on a daemon thread and put gestures on `inputs`.

    Starts reading at once. The end of input (EOF) is a `Quit("keyboard")`, like q. Call
    `close()` (from the daemon's thread, in a finally) to stop reading and put the terminal
    settings back; the reader thread restores them too if it ends first.
    """

    def __init__(self, inputs: queue.Queue, stream: IO = sys.stdin):
        self._inputs = inputs
        self._stream = stream
        self._fd = _fileno(stream)
        self._saved_tty = None
        self._tty_lock = threading.Lock()
        self._stopping = threading.Event()
        self._wake_read, self._wake_write = os.pipe() if self._fd is not None else (None, None)
        if self._fd is not None and os.isatty(self._fd):
            self._saved_tty = termios.tcgetattr(self._fd)
            tty.setcbreak(self._fd)
        self._thread = threading.Thread(target=self._run, name="keyboard", daemon=True)
        self._thread.start()

    @property
    def is_running(self) -> bool:
        """True while the reader thread is still reading keys."""
        return self._thread.is_alive()

    def close(self) -> None:
        """Stop the reader thread and restore the terminal; safe to call more than once."""
        self._stopping.set()
        if self._wake_write is not None:
            try:
                os.write(self._wake_write, b"x")
            except OSError:
                pass
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=1)
        self._restore_terminal()
        if not self._thread.is_alive():
            for fd in (self._wake_read, self._wake_write):
                if fd is not None:
                    os.close(fd)
            self._wake_read = self._wake_write = None

    def __enter__(self) -> KeyboardReader:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _run(self) -> None:
        """The reader thread: read keys until q, EOF or `close()`."""
        try:
            while not self._stopping.is_set():
                keys = self._read_keys()
                if keys is None:
                    return
                if keys == "":
                    self._inputs.put(Quit("keyboard"))
                    return
                now = time.monotonic()
                for key in keys:
                    item = item_for_key(key, now)
                    if item is not None:
                        self._inputs.put(item)
                    if isinstance(item, Quit):
                        return
        finally:
            self._restore_terminal()

    def _read_keys(self) -> str | None:
        """Keys typed since the last read; "" at end of input; None when closing."""
        if self._fd is None:
            return self._stream.read(1)
        ready, _, _ = select.select([self._fd, self._wake_read], [], [])
        if self._wake_read in ready or self._stopping.is_set():
            return None
        try:
            data = os.read(self._fd, 64)
        except OSError:
            return ""
        return data.decode("utf-8", errors="replace") if data else ""

    def _restore_terminal(self) -> None:
        with self._tty_lock:
            if self._saved_tty is not None:
                try:
                    termios.tcsetattr(self._fd, termios.TCSADRAIN, self._saved_tty)
                except termios.error:
                    pass
                self._saved_tty = None


def _fileno(stream: IO) -> int | None:
    try:
        return stream.fileno()
    except (AttributeError, OSError, ValueError):
        return None
