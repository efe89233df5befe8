"""Display traffic: frames and bytes the real daemon sends a minute, during a hold and while dark.

The full routine runs hands-free on a simulated clock (`VirtualTime`: exact, a 5-minute hold
takes a fraction of a second), and the frames handed to a recording adapter are counted
during the first hold (5 minutes, both sides, breathing pacer on) and during 10 minutes of
dark after the routine. Then `--seconds` of the same hold at real speed check the simulated
count.

The hold's frames are then sent, in order and at their times, to a panel over a simulated
I2C bus (`SimulatedI2C` under luma's real I2C interface, as on a Pi): once through
`LumaDisplay` (partial updates) and once through luma.oled's own full-frame `display()` (how
frames went out before). Bytes on the bus include every address and control byte and the
window commands; at 100 kHz each byte takes 90 µs. CPU is the time the loop thread spends
turning each picture into bus writes (the bus itself taking no time).

Last, the bedtime prompt: the daemon shows it for its whole window (`prompt_minutes`) on the
simulated clock, and the loop's wake-ups and frames are counted.
"""

from __future__ import annotations

import argparse
import queue
import threading
import time
from datetime import datetime, timezone

import _common
from _common import (
    RecordingDisplay,
    SimulatedI2C,
    VirtualQueue,
    VirtualTime,
    header,
    luma_full_frames,
    note,
    panel_on_bus,
    result,
)

from device.cli.demo import HandsFree
from device.clocks.monotonic import ScaledClock
from device.clocks.wall import LocalWallClock
from device.daemon import Hooks
from device.inputs import Quit
from routines.loading.catalog import load_catalog
from routines.state import Phase
from routines.walk import ManualClock
from routines.wording import counted

DARK_MINUTES = 10.0
GOAL_HOLD_KIB_PER_MINUTE = 15.0
GOAL_CPU_MS_PER_FRAME = 0.25
GOAL_PROMPT_WAKEUPS = 2.0  # a minute, besides one when the minute turns


def per_minute(frames: list, seconds: float) -> tuple[float, float]:
    count = len(frames)
    nbytes = sum(f[3] for f in frames)
    return count * 60 / seconds, nbytes * 60 / seconds


def simulated() -> dict:
    config = _common.config_with(_common.defaults_config(), "routine", show_safety=False)
    catalog = load_catalog()
    vt = VirtualTime()
    inputs = VirtualQueue(vt)
    adapter = RecordingDisplay(now=vt.monotonic, sleep=vt.sleep, keep_images=True)
    clock = ScaledClock(1.0, real_monotonic=vt.monotonic)
    routine = catalog.routine("full")
    marks: dict = {}

    def watch() -> None:
        if daemon.engine.phase is Phase.DARK:
            if "dark" not in marks:
                marks.update(dark=vt.now, frames=len(adapter.frames), commands=adapter.commands,
                             wakeups=inputs.wakeups)
            elif vt.now - marks["dark"] >= DARK_MINUTES * 60:
                marks.update(dark_end=vt.now, dark_commands=adapter.commands - marks["commands"],
                             dark_wakeups=inputs.wakeups - marks["wakeups"])
                inputs.put(Quit("bench over"))

    hooks = Hooks(tasks=[watch], observers=[adapter.observe]).plus(HandsFree(inputs, clock, quit_when_dark=False).hooks)
    daemon = _common.build(config, catalog, clock, adapter, inputs, hooks)
    daemon.engine.start(routine, vt.now)
    daemon.run()
    in_hold = [i for i, f in enumerate(adapter.frames) if f[2].phase is Phase.HOLD and f[2].step_number == 1]
    hold = [adapter.frames[i] for i in in_hold]
    hold_seconds = routine.steps[0].hold_seconds
    dark_frames = adapter.frames[marks["frames"]:]
    replay = [(adapter.frames[i][0], adapter.images[i]) for i in range(in_hold[0] - 1, in_hold[-1] + 1)]
    return dict(hold=per_minute(hold, hold_seconds), hold_seconds=hold_seconds, replay=replay,
                dark=per_minute(dark_frames, marks["dark_end"] - marks["dark"]),
                dark_commands=marks["dark_commands"] * 60 / (marks["dark_end"] - marks["dark"]),
                dark_wakeups=marks["dark_wakeups"] * 60 / (marks["dark_end"] - marks["dark"]))


def on_the_bus(replay: list, seconds: float, make_panel) -> dict:
    """Send the replayed frames (the first only sets the panel up) to the panel `make_panel`
    builds on a counting bus: bytes a minute on the bus, CPU ms a frame."""
    bus = SimulatedI2C()
    clock = ManualClock(replay[0][0])
    panel = make_panel(bus, clock)
    panel.display(replay[0][1])
    before, cpu = bus.bytes, 0.0
    for at, image in replay[1:]:
        clock.now = at
        started = time.thread_time()
        panel.display(image)
        cpu += time.thread_time() - started
    nbytes = bus.bytes - before
    return dict(kib=nbytes * 60 / seconds / 1024, busy=nbytes * _common.I2C_BYTE_SECONDS * 60 / seconds,
                cpu_ms=cpu * 1000 / (len(replay) - 1), frames=len(replay) - 1)


def prompt() -> dict:
    """The bedtime prompt for its whole window on the simulated clock: wake-ups and frames."""
    config = _common.defaults_config()
    minutes = float(config.bedtime.prompt_minutes)
    catalog = load_catalog()
    vt = VirtualTime()
    inputs = VirtualQueue(vt)
    adapter = RecordingDisplay(now=vt.monotonic, sleep=vt.sleep)
    start = vt.now
    evening = _common.VirtualWall(vt, datetime(2025, 1, 31, 22, 0, 17, tzinfo=timezone.utc))

    def over() -> None:
        if daemon.engine.phase is Phase.DARK:
            inputs.put(Quit("prompt over"))

    daemon = _common.build(config, catalog, ScaledClock(1.0, real_monotonic=vt.monotonic), adapter, inputs,
                           Hooks(tasks=[over]), engine_overrides={"bedtime_seconds": minutes * 60},
                           wall=LocalWallClock(evening, lambda: timezone.utc))
    daemon.engine.bedtime([catalog.routine("full")], vt.now)
    daemon.run()
    elapsed = (vt.now - start) / 60
    return dict(minutes=elapsed, wakeups=inputs.wakeups / elapsed, frames=len(adapter.frames),
                minute_turns=int(elapsed))


def real_speed(seconds: float) -> tuple[float, float]:
    config = _common.config_with(_common.defaults_config(), "routine", show_safety=False)
    catalog = load_catalog()
    inputs: queue.Queue = queue.Queue()
    adapter = RecordingDisplay()
    clock = ScaledClock(1.0)
    hooks = Hooks(observers=[adapter.observe]).plus(HandsFree(inputs, clock, quit_when_dark=False).hooks)
    daemon = _common.build(config, catalog, clock, adapter, inputs, hooks)
    daemon.engine.start(catalog.routine("full"), daemon.clock.monotonic())
    loop = threading.Thread(target=daemon.run, name="daemon loop")
    loop.start()
    time.sleep(1.0)
    first = len(adapter.frames)
    time.sleep(seconds)
    frames = [f for f in adapter.frames[first:] if f[2].phase is Phase.HOLD]
    inputs.put(Quit("bench over"))
    loop.join(5)
    return per_minute(frames, seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="real-speed check of the hold (0: skip)")
    args = parser.parse_args()
    header("display traffic: frames and bytes a minute")
    figures = simulated()
    frames, nbytes = figures["hold"]
    result(f"during a hold ({figures['hold_seconds'] / 60:g}-minute hold, pacer on, simulated clock)",
           f"{frames:.0f} frames a minute; sent whole, {nbytes / 1024:.0f} KiB, keeping I2C at 100 kHz busy "
           f"{frames * _common.I2C_FRAME_SECONDS:.1f} s a minute")
    frames, nbytes = figures["dark"]
    result(f"while dark ({DARK_MINUTES:g} minutes after the routine, simulated clock)",
           f"{frames:.1f} frames, {nbytes:.0f} bytes, {figures['dark_commands']:.1f} panel commands a minute; "
           f"{figures['dark_wakeups']:.1f} loop wake-ups a minute")
    if args.seconds:
        frames, nbytes = real_speed(args.seconds)
        result(f"during the same hold at real speed ({args.seconds:g} s)",
               f"{frames:.0f} frames a minute")
    note("ScreenOutput sends only changed frames and nothing while the panel is off")

    seconds = figures["hold_seconds"]
    replay = figures["replay"]
    for driver in ("ssd1306", "sh1106"):
        new = on_the_bus(replay, seconds, lambda bus, clock: panel_on_bus(bus, driver, clock=clock))
        old = on_the_bus(replay, seconds, lambda bus, clock: luma_full_frames(bus, driver))
        result(f"the hold's frames on a simulated 100 kHz I2C bus ({driver}), partial updates",
               f"{new['kib']:.1f} KiB a minute, the bus busy {new['busy']:.2f} s a minute "
               f"(luma.oled's full frames: {old['kib']:.0f} KiB, {old['busy']:.1f} s)",
               f"≤ {GOAL_HOLD_KIB_PER_MINUTE:g} KiB a minute", new["kib"] <= GOAL_HOLD_KIB_PER_MINUTE)
        if driver == "ssd1306":
            cpu = new["cpu_ms"], old["cpu_ms"], new["frames"]
    result("CPU to turn a picture into bus bytes (ssd1306)",
           f"{cpu[0]:.3f} ms a frame over {counted(cpu[2], 'frame')} (luma.oled's full frames: {cpu[1]:.2f} ms)",
           f"≤ {GOAL_CPU_MS_PER_FRAME:g} ms", cpu[0] <= GOAL_CPU_MS_PER_FRAME)

    figures = prompt()
    extra = figures["wakeups"] - figures["minute_turns"] / figures["minutes"]
    result(f"the bedtime prompt ({figures['minutes']:.0f} minutes, simulated clock)",
           f"{figures['wakeups']:.1f} loop wake-ups a minute ({extra:.1f} besides the minute turning), "
           f"{counted(figures['frames'], 'frame')}",
           f"≤ {GOAL_PROMPT_WAKEUPS:g} a minute besides the minute turning", extra <= GOAL_PROMPT_WAKEUPS)


if __name__ == "__main__":
    main()
