"""Shared by the bench scripts: result lines, the machine, and test doubles for the real daemon.

Every script's header names the machine, its architecture first ("x86_64"; under qemu-user,
e.g. "aarch64, emulated (qemu-user) on x86_64": figures from emulation are not a Pi's).

Every script measures the real `device.daemon.Daemon` (built by `device.assemble`);
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
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from device import assemble  # noqa: E402 - after the path is set
from device.clocks.wall import LocalWallClock  # noqa: E402
from device.config.schema import DisplaySettings  # noqa: E402
from device.daemon import Hooks  # noqa: E402
from device.hardware.luma_display import LumaDisplay  # noqa: E402
from device.hardware.luma_panel import build_panel  # noqa: E402
from device.night import PanelLevels  # noqa: E402
from device.screen import LumaDeviceScreen, Screen  # noqa: E402
from device.screen_output import ScreenOutput  # noqa: E402
from routines.walk import ManualClock  # noqa: E402

FRAME_BYTES = 128 * 64 // 8  # one 128×64 1-bit frame, as an SSD1306 driver sends it
I2C_FRAME_SECONDS = 0.090  # a full frame over I2C at 100 kHz, about
I2C_BYTE_SECONDS = 90e-6  # one byte on an I2C bus at 100 kHz: 8 bits and the acknowledge
SPIN_SECONDS = 0.001  # a simulated bus transfer spins through its last millisecond


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


FAMILIES = {"x86": ("x86_64", "amd64", "i386", "i486", "i586", "i686"), "arm": ("aarch64", "arm64", "arm")}


def family(machine_name: str) -> str:
    """'x86', 'arm', or the name itself: a 64-bit kernel runs its 32-bit programs natively."""
    return next((name for name, members in FAMILIES.items() if machine_name.startswith(members)), machine_name)


def architecture(kernel_arch: Path = Path("/proc/sys/kernel/arch"), machine_name: str | None = None) -> str:
    """This Python's architecture (`uname -m`), e.g. "aarch64"; when the kernel is of another
    family, the programs are emulated: ARM programs on an x86 kernel are qemu-user's (binfmt_misc),
    "aarch64, emulated (qemu-user) on x86_64". The kernel's word is read from /proc, which
    qemu-user passes through (inside a container too, where binfmt_misc is not to be seen)."""
    machine_name = machine_name or platform.machine()
    try:
        kernel = kernel_arch.read_text().strip()
    except OSError:
        return machine_name
    if not kernel or family(kernel) == family(machine_name):
        return machine_name
    by = " (qemu-user)" if (family(kernel), family(machine_name)) == ("x86", "arm") else ""
    return f"{machine_name}, emulated{by} on {kernel}"


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
    return (f"{architecture()}, {os.cpu_count()} cores, {model}, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


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


def build(config, catalog, clock, adapter, inputs, hooks=None, *, wall=None, engine_overrides=None, **options):
    """The daemon exactly as `psoas run` and `psoas demo` build it (`device.assemble`): the engine
    first, then the daemon over `adapter`, at the config's day and night levels. `wall`: the
    local wall clock (default: the system's)."""
    engine = assemble.engine(config, catalog, clock, **(engine_overrides or {}))
    return assemble.daemon(config, engine, ScreenOutput(adapter), inputs, clock, wall=wall or LocalWallClock(),
                           levels=PanelLevels.from_config(config).at,
                           offer_routines=lambda: assemble.routines_first(catalog, config.routine.default),
                           hooks=hooks or Hooks(), **options)


# -- display adapters -------------------------------------------------------------------------

class RecordingDisplay(Screen):
    """A display adapter (`display(image)`) that records every frame handed to it.

    `frame_seconds`: how long each frame takes to send (0: none); `sleep` does the waiting
    (time.sleep in real time, `VirtualTime.sleep` in simulated time). `now` stamps frames.
    `observe` (a daemon observer) names the state the daemon rendered for the frame.
    Records (arrived_at, sent_at, state, nbytes) per frame. With a `panel` (an adapter
    such as `panel_on_bus(bus)`) each frame is passed on to it instead, sent_at is when its
    last byte is on the wire and nbytes counts the bus's bytes. `keep_images` also keeps
    each image, in `images`.
    """

    def __init__(self, frame_seconds: float = 0.0, now=time.monotonic, sleep=time.sleep,
                 panel=None, bus: SimulatedI2C | None = None, keep_images: bool = False):
        self.frame_seconds = frame_seconds
        self.now = now
        self.sleep = sleep
        self.panel, self.bus = panel, bus
        self.frames: list[tuple[float, float, object, int]] = []
        self.images: list | None = [] if keep_images else None
        self.commands = 0  # panel_on / panel_off / set_contrast calls
        self.dark_at: list[float] = []  # when panel_off was called
        self.on_frame = None  # called with (arrived_at, state) before the frame is "sent"
        self.on_sent = None  # called with (sent_at, state) once it is
        self._state = None

    def observe(self, state) -> None:
        """A daemon observer (pass it in `Hooks.observers`): names the state of the next frame."""
        self._state = state

    def display(self, image) -> None:
        arrived = self.now()
        if self.on_frame is not None:
            self.on_frame(arrived, self._state)
        if self.panel is not None:
            before = self.bus.bytes
            self.panel.display(image)
            nbytes = self.bus.bytes - before
        else:
            nbytes = len(image.tobytes())
            if self.frame_seconds:
                self.sleep(self.frame_seconds)
        sent = self.now()
        self.frames.append((arrived, sent, self._state, nbytes))
        if self.images is not None:
            self.images.append(image)
        if self.on_sent is not None:
            self.on_sent(sent, self._state)

    def panel_on(self) -> None:
        self.commands += 1
        if self.panel is not None:
            self.panel.panel_on()

    def panel_off(self) -> None:
        self.commands += 1
        self.dark_at.append(self.now())
        if self.panel is not None:
            self.panel.panel_off()

    def set_contrast(self, level: int) -> None:
        self.commands += 1
        if self.panel is not None:
            self.panel.set_contrast(level)


# -- the panel over a simulated I2C bus --------------------------------------------------------

class SimulatedI2C:
    """Stands in for `smbus2.SMBus`: an I2C bus at 100 kHz, for luma's real `i2c` interface.

    Counts the bytes each transaction puts on the wire (the address byte, luma's control
    byte, the payload) and, when `byte_seconds` is set, takes that long per byte: the call
    returns when the transaction's last byte would be on the wire (with `time.sleep`, the
    last millisecond is spun, not slept, so the figure is the bus's and not the sleep's).
    Consecutive transactions queue behind each other, as on a real bus. Any address answers.
    """

    def __init__(self, byte_seconds: float = 0.0, now=time.monotonic, sleep=time.sleep):
        self.byte_seconds = byte_seconds
        self.now = now
        self.sleep = sleep
        self.bytes = 0  # on the wire so far
        self._free_at = 0.0

    def write_i2c_block_data(self, address: int, register: int, data, force=None) -> None:
        self._send(2 + len(data))  # commands, and data blocks when luma does not manage the bus

    def i2c_rdwr(self, *messages) -> None:
        for message in messages:  # display data, as luma sends it over smbus2 on a Pi
            self._send(1 + message.len)

    def close(self) -> None:
        pass

    def _send(self, nbytes: int) -> None:
        self.bytes += nbytes
        if self.byte_seconds:
            now = self.now()
            self._free_at = max(self._free_at, now) + nbytes * self.byte_seconds
            if self.sleep is time.sleep:  # sleep most of it, then spin: sleep() overshoots
                self.sleep(max(0.0, self._free_at - now - SPIN_SECONDS))
                while self.now() < self._free_at:
                    pass
            else:
                self.sleep(self._free_at - now)


def luma_serial(bus: SimulatedI2C):
    """luma's real I2C interface on `bus`, managed by luma as on a Pi (`smbus2` transfers)."""
    import smbus2
    from luma.core.interface.serial import i2c

    real_bus = smbus2.SMBus
    smbus2.SMBus = lambda port: bus
    try:
        return i2c(port=1, address=0x3C)
    finally:
        smbus2.SMBus = real_bus


def panel_on_bus(bus: SimulatedI2C, driver: str = "ssd1306", clock=time) -> LumaDisplay:
    """The panel as the program drives it (`LumaDisplay`: partial updates) over `bus`."""
    return LumaDisplay(DisplaySettings(driver=driver), serial_opener=lambda: luma_serial(bus), clock=clock)


def luma_full_frames(bus: SimulatedI2C, driver: str = "ssd1306") -> LumaDeviceScreen:
    """The panel as it was driven before partial updates: luma.oled's own `display()`, the
    whole picture packed pixel by pixel, on every change."""
    device = build_panel(DisplaySettings(driver=driver), luma_serial(bus))
    device.persist = True  # its atexit hook stays quiet
    return LumaDeviceScreen(device)


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


class VirtualWall:
    """An aware wall clock (`device.clocks.wall.WallClock`) moving with the simulated monotonic clock."""

    def __init__(self, time_source: VirtualTime, start: datetime):
        self.time = time_source
        self.origin = time_source.now
        self.start = start.astimezone(timezone.utc)

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.time.now - self.origin)


def virtual_clock(time_source: VirtualTime):
    """The daemon's own `ScaledClock` at speed 1, reading simulated time."""
    from device.clocks.monotonic import ScaledClock

    return ScaledClock(1.0, real_monotonic=time_source.monotonic)
