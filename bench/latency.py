"""Latency: button edge to the new frame reaching the display adapter, through the real daemon.

A `GpioButton` on gpiozero's `MockFactory` feeds the daemon's queue, exactly as on the Pi;
the real `Daemon.run()` loops on a thread of its own. During the first (5-minute) hold of
the full routine each press pauses or resumes it, so each press must bring a new frame
(paused / holding) while the breathing pacer keeps drawing 4 frames a second. A press is
`drive_low()`, 40 ms, `drive_high()`: the gesture is decided on release, so the latency runs
from the release edge to the first frame showing the new phase handed to the adapter. The
gap between presses is random (35–80 ms after the frame), so presses land anywhere in the
pacer's cycle.
"""

from __future__ import annotations

import argparse
import queue
import random
import threading
import time

import _common
from _common import RecordingDisplay, header, median, note, percentile, result

from device.clocks import ScaledClock
from device.daemon import Hooks
from device.events import Quit
from device.hardware.gpio_button import GpioButton
from routines.catalog import load_catalog
from routines.state import Phase
from routines.wording import counted

GOAL_P99_MS = 15.0
PRESS_DOWN_SECONDS = 0.040  # longer than the 30 ms debounce


def measure(presses: int, frame_seconds: float, seed: int = 8) -> list[float]:
    """Latencies in ms of `presses` presses with an adapter taking `frame_seconds` per frame."""
    from gpiozero.pins.mock import MockFactory

    config = _common.config_with(_common.defaults_config(), "routine", show_safety=False)
    catalog = load_catalog()
    inputs: queue.Queue = queue.Queue()
    adapter = RecordingDisplay(frame_seconds)
    clock = ScaledClock(1.0)
    daemon = _common.build(config, catalog, clock, adapter, inputs, Hooks(observers=[adapter.observe]))
    factory = MockFactory()
    button = GpioButton(config.button.pin, inputs, pin_factory=factory)
    pin = factory.pin(config.button.pin)

    arrived = threading.Event()
    wanted: dict = {"phase": None, "at": None}

    def on_frame(at: float, state) -> None:  # on the loop thread, as the frame reaches the adapter
        if wanted["phase"] is not None and state is not None and state.phase is wanted["phase"]:
            wanted["phase"], wanted["at"] = None, at
            arrived.set()

    adapter.on_frame = on_frame
    daemon.engine.start(catalog.routine("full"), clock.monotonic())
    loop = threading.Thread(target=daemon.run, name="daemon loop")
    loop.start()
    rng = random.Random(seed)

    def press(expect: Phase) -> float | None:
        pin.drive_low()
        time.sleep(PRESS_DOWN_SECONDS)
        arrived.clear()
        wanted["phase"] = expect
        edge = time.monotonic()
        pin.drive_high()
        if not arrived.wait(2.0):
            wanted["phase"] = None
            return None
        return (wanted["at"] - edge) * 1000.0

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
    parser.add_argument("--slow-presses", type=int, default=100,
                        help="presses with a display taking 90 ms a frame (0: skip)")
    args = parser.parse_args()
    header(f"latency: button release edge → new frame at the display adapter, {counted(args.presses, 'press')}")
    latencies = measure(args.presses, 0.0)
    p50, p99 = median(latencies), percentile(latencies, 0.99)
    result("edge to frame, display taking no time",
           f"p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {max(latencies):.2f} ms over {counted(len(latencies), 'press')}",
           f"p99 ≤ {GOAL_P99_MS:g} ms", p99 <= GOAL_P99_MS and len(latencies) == args.presses)
    if args.slow_presses:
        slow = measure(args.slow_presses, _common.I2C_FRAME_SECONDS)
        result("edge to frame, display taking 90 ms a frame (a pacer frame may be on the bus)",
               f"p50 {median(slow):.2f} ms, p99 {percentile(slow, 0.99):.2f} ms, max {max(slow):.2f} ms "
               f"over {counted(len(slow), 'press')}")
        note("add the 90 ms of the new frame itself for the time until it is on the glass")


if __name__ == "__main__":
    main()
