"""Display traffic: frames and bytes the real daemon sends a minute, during a hold and while dark.

The full routine runs hands-free on a simulated clock (`VirtualTime`: exact, a 5-minute hold
takes a fraction of a second), and the frames handed to a recording adapter are counted
during the first hold (5 minutes, both sides, breathing pacer on) and during 10 minutes of
dark after the routine. Then `--seconds` of the same hold at real speed check the simulated
count. A frame is one 128×64 1-bit image, 1 KiB as an SSD1306 driver sends it; "bus time" is
what those frames would keep an I2C bus at 100 kHz busy (90 ms each).
"""

from __future__ import annotations

import argparse
import queue
import threading
import time

import _common
from _common import RecordingDisplay, VirtualQueue, VirtualTime, header, note, result

from device.cli.demo import HandsFree
from device.clocks import ScaledClock
from device.daemon import Hooks
from device.events import Quit
from routines.catalog import load_catalog
from routines.state import Phase

DARK_MINUTES = 10.0


def per_minute(frames: list, seconds: float) -> tuple[float, float]:
    count = len(frames)
    nbytes = sum(f[3] for f in frames)
    return count * 60 / seconds, nbytes * 60 / seconds


def simulated() -> dict:
    config = _common.config_with(_common.defaults_config(), "routine", show_safety=False)
    catalog = load_catalog()
    vt = VirtualTime()
    inputs = VirtualQueue(vt)
    adapter = RecordingDisplay(now=vt.monotonic, sleep=vt.sleep)
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
    hold = [f for f in adapter.frames if f[2].phase is Phase.HOLD and f[2].step_number == 1]
    hold_seconds = routine.steps[0].hold_seconds
    dark_frames = adapter.frames[marks["frames"]:]
    return dict(hold=per_minute(hold, hold_seconds), hold_seconds=hold_seconds,
                dark=per_minute(dark_frames, marks["dark_end"] - marks["dark"]),
                dark_commands=marks["dark_commands"] * 60 / (marks["dark_end"] - marks["dark"]),
                dark_wakeups=marks["dark_wakeups"] * 60 / (marks["dark_end"] - marks["dark"]))


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
           f"{frames:.0f} frames, {nbytes / 1024:.0f} KiB a minute; I2C at 100 kHz busy "
           f"{frames * _common.I2C_FRAME_SECONDS:.1f} s a minute")
    frames, nbytes = figures["dark"]
    result(f"while dark ({DARK_MINUTES:g} minutes after the routine, simulated clock)",
           f"{frames:.1f} frames, {nbytes:.0f} bytes, {figures['dark_commands']:.1f} panel commands a minute; "
           f"{figures['dark_wakeups']:.1f} loop wake-ups a minute")
    if args.seconds:
        frames, nbytes = real_speed(args.seconds)
        result(f"during the same hold at real speed ({args.seconds:g} s)",
               f"{frames:.0f} frames, {nbytes / 1024:.0f} KiB a minute")
    note("ScreenOutput sends only changed frames and nothing while the panel is off")


if __name__ == "__main__":
    main()
