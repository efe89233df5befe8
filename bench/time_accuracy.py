"""Time accuracy: how far from its ideal time each step transition reaches the display.

The real daemon runs a routine with a display adapter that takes 90 ms per frame (a full
SSD1306 frame over I2C at 100 kHz) and with one that takes none; beside it, the plain
`while True: run_pending(); redraw(); sleep(1)` loop (`bench/naive_loop.py`) runs the same
phases on the same adapters. A transition's time is when the first frame of the new phase
(or page, or side) is handed to the adapter, and for the end, when the panel is switched
off; its ideal time comes from `routines.walk` on a hand-driven clock.

Holds start by a get-ready countdown and the safety card is off, so after the start no
press (simulated or real) sets the timeline: every transition has an exact ideal time.

Runs:
  real speed   a custom session of `--minutes` (default 3; `--minutes 10` for the full
               10-minute session) built from the built-in stretches, 4 runs at once;
  accelerated  the built-in full routine at `--speed` (default 10) with `ScaledClock`: the
               90 ms frame is scaled to 9 ms and every figure is given in routine time
               (real ms × speed), so the loop's own work and the OS's wake-up jitter are
               magnified 10 times too: these runs judge drift (the end), not the worst case;
  simulated    the full routine on a simulated clock (`VirtualTime`): waits take no real
               time and each frame advances the clock by exactly 90 ms or 0 ms, so the
               figure is the daemon's own scheduling error, free of any noise.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import queue
import subprocess
import sys
import time

import _common
from _common import RecordingDisplay, VirtualQueue, VirtualTime, header, note, result

from device import assemble
from device.clocks.monotonic import ScaledClock
from device.daemon import Hooks
from device.inputs import Quit
from routines.loading.catalog import load_catalog
from routines.model import HoldStart, Routine
from routines.state import Phase
from routines.walk import walk
from routines.wording import counted

GOAL_MS = 20.0


# -- routines and their ideal timeline --------------------------------------------------------

def bench_config():
    return _common.config_with(_common.defaults_config(), "routine", show_safety=False)


def session_routine(catalog, settings, minutes: float) -> Routine:
    """A session of `minutes` from start to dark: a one-sided stretch, then a long both-sides hold."""
    dangle = catalog.routine("quick").steps[0]
    pillow = catalog.routine("full").steps[0]
    one_side = 20.0 if minutes < 5 else 30.0

    def make(both: float) -> Routine:
        steps = (dataclasses.replace(dangle, pages=dangle.pages[:2], hold_seconds=one_side),
                 dataclasses.replace(pillow, pages=pillow.pages[:2], hold_seconds=both))
        return Routine("bench-session", f"{minutes:g}-minute session", "bench", steps,
                       hold_start=HoldStart.COUNTDOWN, get_ready_seconds=10.0, source="bench")

    probe = 60.0
    both = probe + minutes * 60 - ideal_transitions(make(probe), catalog.cards, settings)[-1][0]
    if both < 10:
        raise SystemExit(f"--minutes {minutes:g} is too short: at least {(minutes * 60 - both + 10) / 60:.1f}")
    return make(both)


def full_routine(catalog) -> Routine:
    return dataclasses.replace(catalog.routine("full"), hold_start=HoldStart.COUNTDOWN)


def key_of(state):
    return (state.phase.value, state.step_number, state.side and state.side.value, state.page_index)


def ideal_transitions(routine, cards, settings):
    """[(seconds after the start, key, state)] for every change of phase, page or side."""
    out, last = [], None
    for at, state in walk(routine, cards, settings):
        if state.phase is Phase.BEDTIME:
            continue  # walk() starts from the prompt; the bench starts the routine directly
        key = key_of(state)
        if key != last:
            out.append((at, key, state))
            last = key
    return out


def observed_transitions(adapter, started_at: float, to_routine):
    """[(routine seconds after the start, key)]: frames an adapter got, then the panel going off.

    `to_routine(t)` maps a stamp of the adapter's clock to routine seconds.
    """
    out, last = [], None
    for arrived, _sent, state, _n in adapter.frames:
        key = key_of(state)
        if key != last:
            out.append((to_routine(arrived) - started_at, key))
            last = key
    if adapter.dark_at:
        out.append((to_routine(adapter.dark_at[-1]) - started_at, ("dark", 0, None, 0)))
    return out


def deviations_ms(ideal, observed):
    """Match each ideal transition with the first observed one of the same key; return ms lists."""
    devs, missing, j = [], 0, 0
    for at, key, _state in ideal:
        k = j
        while k < len(observed) and observed[k][1] != key:
            k += 1
        if k == len(observed):
            missing += 1
            continue
        devs.append((at, (observed[k][0] - at) * 1000.0))
        j = k + 1
    return devs, missing


# -- one run ----------------------------------------------------------------------------------

def run_daemon(routine_name: str, minutes: float, delay: float, speed: float, simulated: bool) -> dict:
    config = bench_config()
    catalog = load_catalog()
    settings = assemble.engine_settings(config)
    routine = session_routine(catalog, settings, minutes) if routine_name == "session" else full_routine(catalog)
    ideal = ideal_transitions(routine, catalog.cards, settings)
    if simulated:
        vt = VirtualTime()
        clock = ScaledClock(1.0, real_monotonic=vt.monotonic)
        inputs = VirtualQueue(vt)
        adapter = RecordingDisplay(delay, now=vt.monotonic, sleep=vt.sleep)
    else:
        clock = ScaledClock(speed)
        inputs = queue.Queue()
        adapter = RecordingDisplay(delay / speed)
    def quit_when_dark(state) -> None:  # an observer: called in the pass that shows the state
        if state.phase is Phase.DARK:
            inputs.put(Quit("routine over"))

    daemon = _common.build(config, catalog, clock, adapter, inputs, Hooks(observers=[adapter.observe, quit_when_dark]))
    cpu0 = time.process_time()
    started = clock.monotonic()
    daemon.engine.start(routine, started)
    daemon.run()
    devs, missing = deviations_ms(ideal, observed_transitions(adapter, started, clock.from_real))
    return dict(devs=devs, missing=missing, frames=len(adapter.frames), cpu=time.process_time() - cpu0,
                length=ideal[-1][0], routine=routine.title)


def run_naive(routine_name: str, minutes: float, delay: float, speed: float) -> dict:
    from naive_loop import NaiveLoop, segments_from

    config = bench_config()
    catalog = load_catalog()
    settings = assemble.engine_settings(config)
    routine = session_routine(catalog, settings, minutes) if routine_name == "session" else full_routine(catalog)
    ideal = ideal_transitions(routine, catalog.cards, settings)
    adapter = RecordingDisplay(delay / speed)
    loop = NaiveLoop(segments_from(ideal, ideal[-1][0]), adapter, speed=speed)
    original_redraw = loop.redraw

    def redraw() -> None:  # tell the recording adapter which state this frame shows
        adapter._state = loop.segments[loop.index][0]
        original_redraw()

    loop.redraw = redraw
    cpu0 = time.process_time()
    started = time.monotonic()
    loop.run()
    devs, missing = deviations_ms(ideal, observed_transitions(adapter, 0.0, lambda t: (t - started) * speed))
    return dict(devs=devs, missing=missing, frames=len(adapter.frames), cpu=time.process_time() - cpu0,
                length=ideal[-1][0], routine=routine.title)


def run_variant(spec: dict) -> dict:
    if spec["loop"] == "naive":
        return run_naive(spec["routine"], spec["minutes"], spec["delay"], spec["speed"])
    return run_daemon(spec["routine"], spec["minutes"], spec["delay"], spec["speed"], spec.get("simulated", False))


# -- reporting --------------------------------------------------------------------------------

def describe(spec: dict, outcome: dict) -> bool:
    devs = [d for _, d in outcome["devs"]]
    worst = max(devs, key=abs)
    mean = sum(devs) / len(devs)
    end = devs[-1]
    loop = "daemon" if spec["loop"] == "daemon" else "plain loop"
    frame = f"{spec['delay'] * 1000:.0f} ms frames"
    how = ("simulated clock" if spec.get("simulated") else
           "real speed" if spec["speed"] == 1 else f"{spec['speed']:g}x speed")
    accelerated = spec["speed"] != 1 and not spec.get("simulated")
    if accelerated:  # the loop's own real time (render, wake-up) counts `speed` times here
        met = abs(end) / spec["speed"] <= GOAL_MS and not outcome["missing"]
        goal = f"no drift: the end within {GOAL_MS:g} ms of real time"
    else:
        met, goal = abs(worst) <= GOAL_MS and abs(end) <= GOAL_MS and not outcome["missing"], \
            f"worst ≤ {GOAL_MS:g} ms, no drift"
    figure = f"worst {_ms(worst)}, mean {_ms(mean)}, the end (drift) {_ms(end)}, {counted(len(devs), 'transition')}"
    if accelerated:
        figure += f" (the end: {_ms(end / spec['speed'])} of real time)"
    if outcome["missing"]:
        figure += f", {outcome['missing']} never shown"
    result(f"{loop:<10} {frame:<13} {how:<15} {outcome['routine']} ({outcome['length'] / 60:.1f} min)",
           figure, goal, met)
    note(f"{outcome['frames']} frames, {outcome['cpu']:.2f} s CPU")
    return met


def _ms(value: float) -> str:
    return f"{value:+.1f} ms" if abs(value) < 1000 else f"{value / 1000:+.1f} s"


def run_group(title: str, specs: list[dict], parallel: bool) -> None:
    print(f"-- {title}", flush=True)
    outcomes: list[dict | None] = []
    if parallel and len(specs) > 1:
        procs = [subprocess.Popen([sys.executable, __file__, "--variant", json.dumps(s)], stdout=subprocess.PIPE,
                                  text=True) for s in specs]
        for proc in procs:
            out, _ = proc.communicate()
            outcomes.append(json.loads(out.strip().splitlines()[-1]) if proc.returncode == 0 else None)
    else:
        outcomes = [run_variant(s) for s in specs]
    for spec, outcome in zip(specs, outcomes):
        if outcome is None:
            result(f"{spec}", "the run failed", None, False)
        else:
            describe(spec, outcome)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=3.0, help="real-speed session length (10: the full session)")
    parser.add_argument("--speed", type=float, default=10.0, help="speed of the accelerated full-routine runs")
    parser.add_argument("--serial", action="store_true", help="one run at a time (less noise, takes longer)")
    parser.add_argument("--skip", action="append", default=[], choices=["real", "accelerated", "simulated"])
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant:
        print(json.dumps(run_variant(json.loads(args.variant))))
        return
    header("time accuracy: step transitions vs their ideal times")
    note("a transition = the first frame of a new phase, page or side handed to the display adapter")
    note("(for the end: the panel switched off); holds start by countdown, no presses after the start")
    parallel = not args.serial
    if parallel:
        note("the four runs of each group run at once, in separate processes (--serial: one by one)")
    grid = [(loop, delay) for delay in (_common.I2C_FRAME_SECONDS, 0.0) for loop in ("daemon", "naive")]
    if "simulated" not in args.skip:
        run_group("full routine on a simulated clock (the daemon's own error, no OS noise)",
                  [dict(loop="daemon", routine="full", minutes=0, delay=d, speed=1, simulated=True)
                   for d in (_common.I2C_FRAME_SECONDS, 0.0)], parallel=False)
    if "real" not in args.skip:
        if args.minutes < 10:
            note(f"real speed runs a {args.minutes:g}-minute session to keep `make bench` short; "
                 f"`python bench/time_accuracy.py --minutes 10` runs the 10-minute one")
        run_group(f"real speed, a {args.minutes:g}-minute session",
                  [dict(loop=loop, routine="session", minutes=args.minutes, delay=d, speed=1) for loop, d in grid],
                  parallel)
    if "accelerated" not in args.skip:
        note(f"accelerated: {args.speed:g}x with ScaledClock, frames take {90 / args.speed:g} ms; figures in routine "
             f"time (real × {args.speed:g}), so each ms of the loop's own work or wake-up")
        note(f"counts {args.speed:g} ms: the worst case is judged at real speed and on the simulated clock, "
             f"the accelerated runs judge drift")
        run_group(f"full routine at {args.speed:g}x speed",
                  [dict(loop=loop, routine="full", minutes=0, delay=d, speed=args.speed) for loop, d in grid],
                  parallel)


if __name__ == "__main__":
    main()
