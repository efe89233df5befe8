"""Shared by the bench scripts: result lines, the machine, and test doubles for the real daemon.

Every script measures the real `device.daemon.Daemon` (built by `device.app.build_daemon`);
only the edges are doubles: a display adapter that records (and optionally takes time per
frame, like I2C at 100 kHz), and, for the runs in simulated time, a clock and a queue that
move time forward instead of sleeping.

Result lines look like `[met]    label: figure   (goal: ...)`; `bench/run_all.py` collects
every line that starts with `[met]`, `[MISSED]` or `[info]` into its summary.
"""

from __future__ import annotations

import heapq
import os
import platform
import queue
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from device import app  # noqa: E402 - after the path is set
from device.daemon import Hooks  # noqa: E402
from device.screen import Screen  # noqa: E402
from routines.walk import ManualClock  # noqa: E402

FRAME_BYTES = 128 * 64 // 8  # one 128×64 1-bit frame, as an SSD1306 driver sends it
I2C_FRAME_SECONDS = 0.090  # a full frame over I2C at 100 kHz, about


# -- printing ---------------------------------------------------------------------------------

def result(label: str, figure: str, goal: str | None = None, met: bool | None = None) -> bool | None:
    """Print one result line; `met` None means a figure without a goal."""
    tag = "[info]  " if met is None else ("[met]   " if met else "[MISSED]")
    line = f"{tag} {label}: {figure}"
    if goal:
        line += f"   (goal: {goal})"
    print(line, flush=True)
    return met


def note(text: str) -> None:
    print(f"         {text}", flush=True)


def header(title: str) -> None:
    print(f"== {title} ==", flush=True)
    print(f"         machine: {machine()}", flush=True)


def machine() -> str:
    fields = {}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if ":" in line:
                name, value = (part.strip() for part in line.split(":", 1))
                fields.setdefault(name.lower(), value)
    except OSError:
        pass
    model = fields.get("model name") or fields.get("hardware") or fields.get("model") or ""
    model = model or platform.processor() or platform.machine()
    return f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def percentile(values, fraction: float) -> float:
    """Nearest-rank percentile (fraction 0–1) of `values`."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def median(values) -> float:
    return statistics.median(values) if values else float("nan")


# -- process figures --------------------------------------------------------------------------

def rss_kib(pid: str | int = "self") -> int:
    """Resident set size now, in KiB (Linux)."""
    return _status_field(pid, "VmRSS")


def peak_rss_kib(pid: str | int = "self") -> int:
    return _status_field(pid, "VmHWM")


def _status_field(pid, name: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1])
    return 0


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def thread_switches(native_id: int) -> tuple[int, int]:
    """(voluntary, involuntary) context switches of one thread of this process so far."""
    voluntary = involuntary = 0
    for line in Path(f"/proc/self/task/{native_id}/status").read_text().splitlines():
        if line.startswith("voluntary_ctxt_switches:"):
            voluntary = int(line.split()[1])
        elif line.startswith("nonvoluntary_ctxt_switches:"):
            involuntary = int(line.split()[1])
    return voluntary, involuntary


# -- the real daemon, built the way the program builds it -------------------------------------

def defaults_config():
    """The shipped defaults only: a config file on this machine must not change the figures."""
    from device.config.load import load_config

    with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as empty:
        path = empty.name
    try:
        return load_config(path)
    finally:
        os.unlink(path)


def config_with(config, section: str, **values):
    """A copy of `config` with `values` set in `section`."""
    return config.replace(section, **values)


def build(config, catalog, clock, adapter, inputs, hooks=None, **options):
    """The daemon exactly as `psoas run` and `psoas demo` build it (`device.app.build_daemon`)."""
    return app.build_daemon(config, catalog, clock, adapter, inputs, hooks or Hooks(), **options)


# -- display adapters -------------------------------------------------------------------------

class RecordingDisplay(Screen):
    """A display adapter (`display(image)`) that records every frame handed to it.

    `frame_seconds`: how long each frame takes to send (0: none); `sleep` does the waiting
    (time.sleep in real time, `VirtualTime.sleep` in simulated time). `now` stamps frames.
    `observe` (a daemon observer) names the state the daemon rendered for the frame.
    Records (arrived_at, sent_at, state, nbytes) per frame.
    """

    def __init__(self, frame_seconds: float = 0.0, now=time.monotonic, sleep=time.sleep):
        self.frame_seconds = frame_seconds
        self.now = now
        self.sleep = sleep
        self.frames: list[tuple[float, float, object, int]] = []
        self.commands = 0  # panel_on / panel_off / set_contrast calls
        self.dark_at: list[float] = []  # when panel_off was called
        self.on_frame = None  # called with (arrived_at, state) before the frame is "sent"
        self._state = None

    def observe(self, state) -> None:
        """A daemon observer (pass it in `Hooks.observers`): names the state of the next frame."""
        self._state = state

    def display(self, image) -> None:
        arrived = self.now()
        if self.on_frame is not None:
            self.on_frame(arrived, self._state)
        nbytes = len(image.tobytes())
        if self.frame_seconds:
            self.sleep(self.frame_seconds)
        self.frames.append((arrived, self.now(), self._state, nbytes))

    def panel_on(self) -> None:
        self.commands += 1

    def panel_off(self) -> None:
        self.commands += 1
        self.dark_at.append(self.now())

    def set_contrast(self, level: int) -> None:
        self.commands += 1


# -- simulated time ---------------------------------------------------------------------------

class VirtualTime(ManualClock):
    """A monotonic clock that moves only when something waits on it, in seconds."""

    def __init__(self, start: float = 1000.0):
        super().__init__(start)

    def sleep(self, seconds: float) -> None:
        self.now += max(0.0, seconds)


class VirtualQueue:
    """The daemon's input queue in simulated time.

    `get(timeout=t)` does not sleep: it moves the clock to the next input planned with
    `put_at`, or by `t` and raises `queue.Empty`. `wakeups` counts every `get` with a timeout
    that had to wait (what would be a sleep of the loop thread).
    """

    def __init__(self, time_source: VirtualTime):
        self.time = time_source
        self._ready: list = []
        self._planned: list = []
        self._seq = 0
        self.wakeups = 0

    def put(self, item) -> None:
        self._ready.append(item)

    def put_at(self, at: float, item) -> None:
        self._seq += 1
        heapq.heappush(self._planned, (at, self._seq, item))

    def get_nowait(self):
        if self._ready:
            return self._ready.pop(0)
        if self._planned and self._planned[0][0] <= self.time.now:
            return heapq.heappop(self._planned)[2]
        raise queue.Empty

    def get(self, block: bool = True, timeout: float | None = None):
        try:
            return self.get_nowait()
        except queue.Empty:
            pass
        self.wakeups += 1
        until = None if timeout is None else self.time.now + timeout
        if self._planned and (until is None or self._planned[0][0] <= until):
            at, _, item = heapq.heappop(self._planned)
            self.time.now = max(self.time.now, at)
            return item
        if until is None:
            raise RuntimeError("the daemon waits forever with nothing planned")
        self.time.now = until
        raise queue.Empty


def virtual_clock(time_source: VirtualTime):
    """The daemon's own `ScaledClock` at speed 1, reading simulated time."""
    from device.clocks import ScaledClock

    return ScaledClock(1.0, real_monotonic=time_source.monotonic)
