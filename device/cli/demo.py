"""`psoas demo`: the real daemon with the terminal as screen and the keyboard as button.

When standard input is not a terminal it runs hands-free: it presses wherever the routine
waits for a press, runs to the end, and prints a last line starting with `finished:`.
When standard output is not a terminal, frames go to luma's `dummy` device and each new
screen is logged as one line instead.
"""

from __future__ import annotations

import contextlib
import queue
import sys
from pathlib import Path

from device import assemble
from device.cli import add_config_option, number_in
from device.clocks.monotonic import SPEED_RANGE, ScaledClock
from device.clocks.wall import LocalWallClock
from device.config.checks import check_routine_names, routine_argument
from device.config.load import Config, load_config
from device.config.paths import expanded
from device.daemon import Hooks
from device.emulated.keyboard import LEGEND
from device.inputs import Gesture, GestureInput, Quit
from device.journal.link import open_journal
from device.night import PanelLevels
from device.parts import close_all, open_emulated
from device.screen_output import ScreenOutput
from routines.events import Event
from routines.outcomes import Outcome
from routines.state import Phase, State
from routines.wording import counted


def add_arguments(demo) -> None:
    """`psoas demo [--routine NAME] [--speed FACTOR] [--state-dir DIR] [--window]`."""
    add_config_option(demo)
    demo.add_argument("--routine", metavar="NAME", help="routine to run (default: the config's routine/default)")
    demo.add_argument("--speed", metavar="FACTOR", type=number_in(*SPEED_RANGE), default=1.0,
                      help="time runs this many times faster (60: a minute a second), "
                           f"from {SPEED_RANGE[0]:g} to {SPEED_RANGE[1]:g}")
    demo.add_argument("--state-dir", metavar="DIR", help="keep the demo night in this directory's journal "
                      "(without it the demo leaves no history)")
    demo.add_argument("--window", action="store_true",
                      help="draw in a desktop window (luma.emulator) instead of the terminal")


def run(args) -> int:
    """A wrong routine name fails as `run` does: in the config a config error naming its line,
    as `--routine` a usage error naming the known ones (both exit 2)."""
    config = load_config(args.config)
    catalog = assemble.catalog(config)
    check_routine_names(config, catalog)
    name = routine_argument(catalog, args.routine, "--routine").name if args.routine else config.routine.default
    state_dir = expanded(args.state_dir) if args.state_dir else None
    return run_demo(config, name, args.speed, stdin=sys.stdin, stdout=sys.stdout, window=args.window,
                    state_dir=state_dir, catalog=catalog)


class HandsFree:
    """Presses wherever the routine waits for a press, and quits once the night is dark.

    For a demo whose standard input is not a terminal (scripts, CI, the README's figures).
    Its hooks run on the daemon's loop thread; a press goes on the queue like the keyboard's.
    """

    def __init__(self, inputs: queue.Queue, clock, quit_when_dark: bool = True):
        self.inputs = inputs
        self.clock = clock
        self.quit_when_dark = quit_when_dark  # False: stay in the dark (a bench measuring it)
        self.night_over = False

    @property
    def hooks(self) -> Hooks:
        return Hooks(listeners=[self.on_event], observers=[self.on_state])

    def on_event(self, event: Event) -> None:
        if event.outcome is not None:
            self.night_over = True

    def on_state(self, state: State) -> None:
        if state.phase is Phase.DARK and self.night_over and self.quit_when_dark:
            self.inputs.put(Quit("night over"))
        elif state.awaits_press:
            self.inputs.put(GestureInput(Gesture.PRESS, self.clock.real_monotonic()))


class NightWatch:
    """Listens to the engine: remembers the night's outcome and logs each new screen."""

    def __init__(self, clock, out, log_screens: bool):
        self.clock = clock
        self.out = out
        self.log_screens = log_screens
        self.outcome: Event | None = None
        self.started_at = clock.monotonic()
        self._last_key = None

    def on_event(self, event: Event) -> None:
        if event.outcome is not None:
            self.outcome = event

    def on_state(self, state: State) -> None:
        key = (state.phase, state.title, state.side)
        if not self.log_screens or key == self._last_key:
            return
        self._last_key = key
        elapsed = int(self.clock.monotonic() - self.started_at)
        detail = " · ".join(x for x in (state.title or state.routine_title, state.side and state.side.value) if x)
        if state.total_seconds and state.phase in (Phase.HOLD, Phase.SWITCH, Phase.TRANSITION):
            detail += f" · {state.total_seconds:g} s"
        print(f"{elapsed // 60:3d}:{elapsed % 60:02d}  {state.phase.value:<10} {detail}", file=self.out, flush=True)

    def finished_line(self, routine_title: str) -> str:
        if self.outcome is None:
            return f"finished: {routine_title}: quit before the end"
        summary = self.outcome.summary
        minutes = (self.outcome.at - self.started_at) / 60
        verb = {Outcome.FINISHED: "done", Outcome.STOPPED: "stopped", Outcome.SKIPPED: "skipped"}[self.outcome.outcome]
        return (
            f"finished: {routine_title} {verb}: {counted(summary['stretches'], 'stretch')}, "
            f"{counted(summary['holds'], 'hold')}, {summary['held_seconds'] / 60:.1f} min held, {minutes:.1f} min in all"
        )


def run_demo(config: Config, routine_name: str, speed: float, stdin=sys.stdin, stdout=sys.stdout,
             window: bool = False, state_dir: Path | None = None, catalog=None) -> int:
    """Run one night of `routine_name` at `speed` times real time; return the exit status.

    `window`: draw in a luma.emulator window instead of the terminal. `state_dir`: keep the
    night in that directory's journal (without it, a demo leaves no history). `catalog`: the
    routines (default: the config's).
    """
    catalog = catalog or assemble.catalog(config)
    routine = catalog.routine(routine_name)
    interactive = stdin.isatty()
    on_terminal = stdout.isatty()
    clock = ScaledClock(speed)
    engine = assemble.engine(config, catalog, clock)
    inputs: queue.Queue = queue.Queue()
    with contextlib.ExitStack() as stops:  # each part's stop, run in reverse when the night is over
        link = open_journal(state_dir, catalog.cards.expect) if state_dir else None
        if link is not None:
            stops.callback(link.journal.close)
        parts = open_emulated(inputs, stdin, stdout, keys=interactive, window=window,
                              legend=LEGEND if interactive else "hands-free demo (stdin is not a terminal)")
        output = ScreenOutput(parts.adapter)
        stops.callback(output.close)
        stops.callback(close_all, parts.closers)
        if not window and not on_terminal:
            print(f"demo: {routine.title} at {speed:g}x speed, hands-free" if not interactive
                  else f"demo: {routine.title} at {speed:g}x speed", file=stdout, flush=True)
        watch = NightWatch(clock, stdout, log_screens=not on_terminal or window)  # its minutes start now
        hooks = Hooks(listeners=[watch.on_event], observers=[watch.on_state])
        if not interactive:
            hooks = hooks.plus(HandsFree(inputs, clock).hooks)
        daemon = assemble.daemon(config, engine, output, inputs, clock, wall=LocalWallClock(),
                                 levels=PanelLevels.from_config(config).at,
                                 offer_routines=lambda: assemble.routines_first(catalog, config.routine.default),
                                 hooks=link.hooks.plus(hooks) if link else hooks)
        try:
            engine.bedtime(assemble.routines_first(catalog, routine.name))
            daemon.run()
        except KeyboardInterrupt:
            pass
    print(watch.finished_line(routine.title), file=stdout, flush=True)
    return 0
