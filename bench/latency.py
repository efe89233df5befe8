"""Latency: button edge to the new frame, through the real daemon.

A `GpioButton` on gpiozero's `MockFactory` feeds the daemon's queue, exactly as on the Pi;
the real `Daemon.run()` loops on a thread of its own. During the first (5-minute) hold of
the full routine each press pauses or resumes it, so each press must bring a new frame
(paused / holding) while the breathing pacer keeps drawing 4 frames a second. A press is
`drive_low()`, 40 ms, `drive_high()`: the gesture is decided on release, so the latency runs
from the release edge. The gap between presses is random (35–80 ms after the frame), so
presses land anywhere in the pacer's cycle.

Measured twice: to the first frame showing the new phase handed to an adapter that takes
no time; then to the last byte of that frame on a simulated I2C bus at 100 kHz (90 µs a
byte, `SimulatedI2C` under luma's real I2C interface), once with the panel driven as the
program drives it (`LumaDisplay`, partial updates) and once with luma.oled's own full frames
(how it was driven before), so a pacer frame still on the bus delays the press's frame.
"""

from __future__ import annotations

import argparse
import queue
import random
import threading
import time

import _common
from _common import (
    RecordingDisplay,
    SimulatedI2C,
    header,
    luma_full_frames,
    median,
    note,
    panel_on_bus,
    percentile,
    result,
)

from device.clocks.monotonic import ScaledClock
from device.daemon import Hooks
from device.hardware.gpio_button import GpioButton
from device.inputs import Quit
from display import NIGHT_LIT_LIMIT
from routines.loading.catalog import load_catalog
from routines.state import Phase
from routines.wording import counted

GOAL_P99_MS = 15.0
GOAL_GLASS_P95_MS = 40.0
SMALL_PAUSE_BYTES = 460  # a pause / resume frame that leaves the countdown as it was
PRESS_DOWN_SECONDS = 0.040  # longer than the 30 ms debounce


def measure(presses: int, panel=None, seed: int = 8) -> list[tuple[float, int]]:
    """(latency in ms, bytes of the new frame) of `presses` presses: to the frame handed to
    an adapter taking no time, or with `panel` "partial" or "full" to its last byte on a
    simulated 100 kHz bus."""
    from gpiozero.pins.mock import MockFactory

    config = _common.config_with(_common.defaults_config(), "routine", show_safety=False)
    catalog = load_catalog()
    inputs: queue.Queue = queue.Queue()
    if panel is None:
        adapter = RecordingDisplay()
    else:
        bus = SimulatedI2C(_common.I2C_BYTE_SECONDS)
        driven = panel_on_bus(bus) if panel == "partial" else luma_full_frames(bus)
        adapter = RecordingDisplay(panel=driven, bus=bus)
    clock = ScaledClock(1.0)
    daemon = _common.build(config, catalog, clock, adapter, inputs, Hooks(observers=[adapter.observe]))
    factory = MockFactory()
    button = GpioButton(config.button.pin, inputs, pin_factory=factory)
    pin = factory.pin(config.button.pin)

    arrived = threading.Event()
    wanted: dict = {"phase": None, "at": None, "bytes": 0}

    def on_frame(at: float, state) -> None:  # on the loop thread
        if wanted["phase"] is not None and state is not None and state.phase is wanted["phase"]:
            wanted["phase"], wanted["at"] = None, at
            wanted["bytes"] = adapter.frames[-1][3] if panel is not None else 0
            arrived.set()

    if panel is None:
        adapter.on_frame = on_frame
    else:
        adapter.on_sent = on_frame  # when its last byte is on the wire
    daemon.engine.start(catalog.routine("full"), clock.monotonic())
    loop = threading.Thread(target=daemon.run, name="daemon loop")
    loop.start()
    rng = random.Random(seed)

    def press(expect: Phase) -> tuple[float, int] | None:
        pin.drive_low()
        time.sleep(PRESS_DOWN_SECONDS)
        arrived.clear()
        wanted["phase"] = expect
        edge = time.monotonic()
        pin.drive_high()
        if not arrived.wait(2.0):
            wanted["phase"] = None
            return None
        return (wanted["at"] - edge) * 1000.0, wanted["bytes"]

    latencies, lost = [], 0
    try:
        time.sleep(0.2)
        if press(Phase.HOLD) is None:  # setup page → the hold starts
            raise SystemExit("the first press did not start the hold")
        expect = Phase.PAUSED
        for _ in range(presses):
            time.sleep(rng.uniform(0.035, 0.080))
            latency = press(expect)
            if latency is None:
                lost += 1
                expect = daemon.engine.phase is Phase.HOLD and Phase.PAUSED or Phase.HOLD
                continue
            latencies.append(latency)
            expect = Phase.HOLD if expect is Phase.PAUSED else Phase.PAUSED
    finally:
        inputs.put(Quit("bench over"))
        loop.join(5)
        button.close()
    if lost:
        note(f"{counted(lost, 'press')} brought no new frame within 2 s")
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--presses", type=int, default=500)
    parser.add_argument("--bus-presses", type=int, default=300,
                        help="presses on the simulated 100 kHz bus, for each way of driving the panel (0: skip)")
    args = parser.parse_args()
    header(f"latency: button release edge → new frame, {counted(args.presses, 'press')}")
    latencies = [ms for ms, _ in measure(args.presses)]
    p50, p99 = median(latencies), percentile(latencies, 0.99)
    result("edge to frame at the display adapter, display taking no time",
           f"p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {max(latencies):.2f} ms over {counted(len(latencies), 'press')}",
           f"p99 ≤ {GOAL_P99_MS:g} ms", p99 <= GOAL_P99_MS and len(latencies) == args.presses)
    if args.bus_presses:
        for panel, label in (("partial", "partial updates (LumaDisplay)"), ("full", "luma.oled's full frames")):
            measured = measure(args.bus_presses, panel)
            glass = [ms for ms, _ in measured]
            p95 = percentile(glass, 0.95)
            partial = panel == "partial"
            result(f"release to the new frame's last byte on a 100 kHz I2C bus, {label}",
                   f"p50 {median(glass):.1f} ms, p95 {p95:.1f} ms, p99 {percentile(glass, 0.99):.1f} ms, "
                   f"max {max(glass):.1f} ms over {counted(len(glass), 'press')}",
                   f"p95 ≤ {GOAL_GLASS_P95_MS:g} ms" if partial else None,
                   p95 <= GOAL_GLASS_P95_MS and len(glass) == args.bus_presses if partial else None)
            if partial:
                small = [(ms, nbytes) for ms, nbytes in measured if nbytes <= SMALL_PAUSE_BYTES]
                large = [nbytes for _, nbytes in measured if nbytes > SMALL_PAUSE_BYTES]
                small_bytes = median([nbytes for _, nbytes in small])
                note(f"{len(small)} of {counted(len(measured), 'press')} redrew heading, icon and hint: "
                     f"{small_bytes:.0f} bytes ({small_bytes * _common.I2C_BYTE_SECONDS * 1000:.0f} ms "
                     f"on the wire), release to last byte p95 {percentile([ms for ms, _ in small], 0.95):.1f} ms")
                if large:
                    note(f"{len(large)} came with the pacer past half size, when the countdown is drawn a "
                         f"size smaller (the {NIGHT_LIT_LIMIT:.0%} lit limit), so it was redrawn too: "
                         f"{median(large):.0f} bytes ({median(large) * _common.I2C_BYTE_SECONDS * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
