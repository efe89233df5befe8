"""`psoas run`: the bedside daemon. Always on, or one night (`--nightly`, for the systemd timer).

    psoas run [--config PATH] [--state-dir DIR] [--emulate] [--nightly]

Opens the screen and button from the config (`--emulate`: the terminal and keyboard), the
journal and the bedtime memory in the state dir, tells systemd READY=1 once the hardware is
up, and runs the daemon's one loop on the main thread. The loop's tasks are the screen's
outage retries, the bedtime planner, the systemd watchdog and, with `--nightly`, "exit once
the night is over".

SIGTERM and SIGINT only put a `Quit` on the loop's queue (a `queue.SimpleQueue`, whose `put`
is safe inside a signal handler); the loop ends, and the `finally` turns the panel off,
closes the journal and releases the pins: exit 0, well inside systemd's stop timeout.
"""

from __future__ import annotations

import logging
import queue
import signal
import sys
from pathlib import Path

from device import app
from device.bedtime.clock import SystemWallClock, zone_source
from device.bedtime.memory import PromptedNights
from device.bedtime.plan import BedtimePlan, Window
from device.bedtime.prompt import Bedtime
from device.cli import add_path_options
from device.clocks import RealClock
from device.config import paths
from device.config.checks import routine_name_problems
from device.config.load import Config, ConfigError, load_config
from device.daemon import Hooks
from device.errors import HardwareError
from device.events import Quit
from device.hardware.sd_notify import SystemdNotifier
from device.night import NightHours
from device.parts import (
    Parts,
    close_all,
    haptics_listener,
    open_emulated,
    open_hardware,
)
from routines.state import Phase

log = logging.getLogger("psoas.run")

NIGHTLY_LEAD_SECONDS = 600.0  # --nightly started this long before a bedtime waits for it
IDLE_PHASES = (Phase.DARK, Phase.CLOCK)  # the bedtime prompt may replace these screens


def register(subparsers) -> None:
    parser = subparsers.add_parser("run", help="run the bedside daemon (the OLED and button, or --emulate)")
    add_path_options(parser)
    parser.add_argument("--emulate", action="store_true",
                        help="the terminal as screen and the keyboard as button (no hardware needed)")
    parser.add_argument("--nightly", action="store_true",
                        help="one night: show tonight's prompt when due, exit when the screen is dark again")
    parser.set_defaults(handler=run_command)


def run_command(args) -> int:
    config = load_config(args.config)
    state_dir = paths.state_dir(args, config)
    return Runner(config, state_dir, emulate=args.emulate, nightly=args.nightly).run()


class Runner:
    """One run of the daemon; `run()` returns the exit status. Everything on the main thread."""

    def __init__(self, config: Config, state_dir: Path, *, emulate: bool = False, nightly: bool = False,
                 open_parts=None, wall=None, clock=None, notifier: SystemdNotifier | None = None,
                 stdin=sys.stdin, stdout=sys.stdout):
        self.config = config
        self.state_dir = state_dir
        self.emulate = emulate
        self.nightly = nightly
        self.inputs: queue.SimpleQueue = queue.SimpleQueue()
        self.open_parts = open_parts or self._open_parts
        self.wall = wall or SystemWallClock()
        self.clock = clock or RealClock()  # tests pass a clock they drive
        self.notifier = notifier or SystemdNotifier()
        self.stdin, self.stdout = stdin, stdout
        self.daemon = None
        self.bedtime: Bedtime | None = None
        self._parts: Parts | None = None
        self._journal = None

    def run(self) -> int:
        """Open, loop until quit, close (always, in `finally`); the exit status."""
        catalog = self._catalog()
        _make_state_dir(self.state_dir)
        previous = _catch_signals(self.inputs)
        try:
            self.open(catalog)
            reason = self.daemon.run()
            log.info("stopping (%s)", reason)
        finally:
            self.close()
            _restore_signals(previous)
        return 0

    def open(self, catalog=None) -> None:
        """Open the parts and the journal, build the daemon, tell systemd READY=1.

        `run()` calls it; a test calls it, drives `daemon.step()` on its own clock, then `close()`.
        """
        catalog = catalog or self._catalog()
        self._parts = parts = self.open_parts()
        plan = BedtimePlan.from_config(self.config)
        zone = zone_source(plan.time_zone)
        local_now = lambda: self.wall.now().astimezone(zone()).replace(tzinfo=None)  # noqa: E731
        link = app.open_journal(self.state_dir, catalog.cards.expect)
        self._journal = link.journal
        self.bedtime = Bedtime(plan, PromptedNights(self.state_dir), lambda w: self._prompt(w, catalog),
                               is_idle=lambda: self.daemon.engine.phase in IDLE_PHASES, wall=self.wall,
                               monotonic=self.clock.real_monotonic, zone=zone)
        listeners = []
        if parts.haptics is not None:
            night = NightHours.from_config(self.config)
            is_night = lambda: night.is_night(local_now())  # noqa: E731
            listeners.append(haptics_listener(parts.haptics, self.config.haptics.at_night, is_night))
        observers = [_ScreenLog(self.stdout)] if self.emulate and not self.stdout.isatty() else []
        tasks = [self.bedtime.tick, self.notifier.watchdog_task] + ([self._nightly_task()] if self.nightly else [])
        hooks = link.hooks.plus(Hooks(listeners=listeners, tasks=tasks, observers=observers))
        self.daemon = app.build_daemon(self.config, catalog, self.clock, parts.adapter, self.inputs, hooks,
                                       wall=local_now, engine_overrides={"bedtime_seconds": plan.prompt_seconds})
        log.info("running: %s; state in %s", parts.description, self.state_dir)
        self.notifier.ready(f"running: {parts.description}")

    def close(self) -> None:
        """Leave the panel off, release the pins, close the journal; safe after a failed open."""
        self.notifier.stopping()
        parts = self._parts
        closers = list(parts.closers) if parts is not None else []
        if self.daemon is not None:
            closers.append(self.daemon.screen.close)  # panel off, then the bus released
        elif parts is not None:
            closers.append(parts.adapter.close)
        if self._journal is not None:
            closers.append(self._journal.close)
        close_all(closers)

    # -- helpers ---------------------------------------------------------------------------

    def _catalog(self):

        catalog = app.catalog(self.config)  # logs each skipped routine file
        problems = routine_name_problems(self.config, set(catalog.routines))
        if problems:
            raise ConfigError(problems)
        return catalog

    def _open_parts(self) -> Parts:
        if self.emulate:
            return open_emulated(self.inputs, self.stdin, self.stdout)
        return open_hardware(self.config, self.inputs)

    def _prompt(self, window: Window, catalog) -> None:
        """Show tonight's prompt (called by `Bedtime` on the loop thread)."""
        self.daemon.engine.bedtime(app.routines_first(catalog, window.plan.routine))

    def _nightly_task(self):
        """A task that ends a --nightly run: nothing due now, or the night is over."""
        state = {"checked": False}

        def task() -> float | None:
            bedtime = self.bedtime
            if bedtime.shown:
                if self.daemon.engine.phase is Phase.DARK:
                    self.inputs.put(Quit("night over"))
                return None
            if bedtime.pending is not None:
                return None
            upcoming = bedtime.next_window()
            now = self.wall.now()
            if upcoming is None or (upcoming.start - now).total_seconds() > NIGHTLY_LEAD_SECONDS:
                if not state["checked"]:
                    when = upcoming.start.astimezone(bedtime.zone()).strftime("%a %H:%M") if upcoming else "none"
                    log.info("nightly: no bedtime prompt due now (next: %s); exiting", when)
                self.inputs.put(Quit("nothing due"))
            state["checked"] = True
            return None

        return task


class _ScreenLog:
    """Emulated without a terminal: one line per new screen on stdout (loop thread)."""

    def __init__(self, out):
        self.out = out
        self.last = None

    def __call__(self, state) -> None:
        key = (state.phase, state.title, state.side)
        if key != self.last:
            self.last = key
            side = f" ({state.side.value})" if state.side else ""
            print(f"screen: {state.phase.value} {state.title or state.routine_title}{side}".rstrip(),
                  file=self.out, flush=True)


def _make_state_dir(state_dir: Path) -> None:
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise HardwareError(f"state dir {state_dir}: cannot create it ({error.strerror or error}); "
                            f"pass --state-dir DIR or set $PSOAS_STATE_DIR to a writable directory") from None


def _catch_signals(inputs) -> dict:
    """SIGTERM and SIGINT put a `Quit` on the queue (the handler runs on the main thread)."""

    def on_signal(number, frame) -> None:
        inputs.put(Quit(signal.Signals(number).name))

    previous = {}
    for number in (signal.SIGTERM, signal.SIGINT):
        previous[number] = signal.signal(number, on_signal)
    return previous


def _restore_signals(previous: dict) -> None:
    for number, handler in previous.items():
        signal.signal(number, handler)
