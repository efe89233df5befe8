"""`psoas run`: the bedside daemon. Always on, or one night (`--nightly`, for the systemd timer).

    psoas run [--config PATH] [--state-dir DIR] [--emulate] [--nightly]

Opens the screen and button from the config (`--emulate`: the terminal and keyboard), the
journal and the bedtime memory in the state dir, tells systemd READY=1 once the hardware is
up, and runs the daemon's one loop on the main thread. The loop's tasks are the screen's
outage retries, the bedtime planner, the morning check-in, the systemd watchdog and, with
`--nightly`, "exit once the night is over".

A `settings` word on the control socket (`device.control`, sent by the phone page) reloads
the config and routines without a restart; "Pair a phone" in the menu a hold in the dark opens
shows a one-time code (`device.phone_link`).

SIGTERM and SIGINT only put a `Quit` on the loop's queue (a `queue.SimpleQueue`, whose `put`
is safe inside a signal handler); the loop ends, and the `finally` turns the panel off,
closes the journal and releases the pins: exit 0, well inside systemd's stop timeout.
"""

from __future__ import annotations

import logging
import queue
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from device import app
from device.bedtime.clock import SystemWallClock, zone_source
from device.bedtime.memory import PromptedNights
from device.bedtime.plan import BedtimePlan, Window
from device.bedtime.prompt import Bedtime
from device.cli import add_path_options
from device.clocks import RealClock
from device.config import phone
from device.config.checks import check_routine_names
from device.config.load import Config
from device.config.paths import make_state_dir
from device.control import SETTINGS, ControlListener, ControlMessage, socket_path
from device.daemon import Hooks
from device.events import Quit
from device.hardware.sd_notify import SystemdNotifier
from device.morning.checkin import MorningCheckin
from device.morning.window import MorningWindow
from device.night import NightHours, PanelLevels
from device.parts import (
    Parts,
    close_all,
    cues_silent,
    haptics_listener,
    open_emulated,
    open_hardware,
)
from device.phone_link import PairingScreen, page_address
from device.storage.sweep import sweep
from routines.errors import PsoasError
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
    config, state_dir = phone.load(args)
    return Runner(config, state_dir, emulate=args.emulate, nightly=args.nightly,
                  reload_config=lambda: phone.load(args)[0], stdin=sys.stdin, stdout=sys.stdout).run()


class Runner:
    """One run of the daemon; `run()` returns the exit status. Everything on the main thread."""

    def __init__(self, config: Config, state_dir: Path, *, emulate: bool = False, nightly: bool = False,
                 open_parts=None, wall=None, clock=None, notifier: SystemdNotifier | None = None,
                 stdin=sys.stdin, stdout=sys.stdout, reload_config: Callable[[], Config] | None = None):
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
        self.morning: MorningCheckin | None = None
        self._parts: Parts | None = None
        self._journal = None
        self.reload_config = reload_config  # the config again, when the phone page changed it
        self.catalog = None
        self.pairing: PairingScreen | None = None
        self._control: ControlListener | None = None
        self._panel = PanelLevels.from_config(config)
        self._night = NightHours.from_config(config)

    def run(self) -> int:
        """Open, loop until quit, close (always, in `finally`); the exit status."""
        catalog = self._catalog()
        make_state_dir(self.state_dir)
        sweep(self.state_dir)  # leftovers of writes a fault or power cut cut short
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
        self.catalog = catalog or self._catalog()
        self._parts = parts = self.open_parts()
        plan = BedtimePlan.from_config(self.config)
        zone = zone_source(plan.time_zone)
        local_now = lambda: self.wall.now().astimezone(zone()).replace(tzinfo=None)  # noqa: E731
        link = app.open_journal(self.state_dir, self.catalog.cards.expect,
                                now=lambda: self.wall.now().astimezone(zone()))
        self._journal = link.journal
        self.bedtime = Bedtime(plan, PromptedNights(self.state_dir), self._prompt,
                               is_idle=lambda: self.daemon.engine.phase in IDLE_PHASES, wall=self.wall,
                               monotonic=self.clock.real_monotonic, zone=zone)
        listeners = []
        if parts.haptics is not None:  # the config and night hours in use: a reload changes them
            silent = lambda: cues_silent(self.config.haptics, self._night.is_night(local_now()))  # noqa: E731
            listeners.append(haptics_listener(parts.haptics, silent))
        observers = [_ScreenLog(self.stdout)] if self.emulate and not self.stdout.isatty() else []
        tasks = [self.bedtime.tick, self.notifier.watchdog_task] + ([self._nightly_task()] if self.nightly else [])
        panel = lambda: self._panel  # noqa: E731
        self.pairing = PairingScreen(self.state_dir, page_address(self.config.web.host, self.config.web.port),
                                     self.clock.real_monotonic, levels=lambda: panel().at,
                                     night_level=lambda: (panel().night_contrast, panel().extra_dim_at_night))
        self._control = _listen(self.state_dir, self.inputs)
        offer = lambda: app.routines_first(self.catalog, self.config.routine.default)  # noqa: E731
        hooks = link.hooks.plus(Hooks(listeners=listeners, tasks=tasks, observers=observers, offer_routines=offer,
                                      messages=[self._on_message])).plus(self.pairing.hooks)
        self.morning = MorningCheckin(_morning_window(self.config), link.journal, local_now,
                                      lambda offer: self.daemon.engine.offer_morning(offer))
        hooks = hooks.plus(self.morning.hooks)
        self.daemon = app.build_daemon(self.config, self.catalog, self.clock, parts.adapter, self.inputs, hooks,
                                       wall=local_now, levels=self.pairing.levels_at,
                                       engine_overrides={"bedtime_seconds": plan.prompt_seconds})
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
        if self._control is not None:
            closers.append(self._control.close)
        if self.pairing is not None:
            closers.append(self.pairing.close)
        close_all(closers)

    # -- helpers ---------------------------------------------------------------------------

    def _catalog(self):
        catalog = app.catalog(self.config)  # logs each skipped routine file
        check_routine_names(self.config, catalog)
        return catalog

    def _open_parts(self) -> Parts:
        if self.emulate:
            return open_emulated(self.inputs, self.stdin, self.stdout)
        return open_hardware(self.config, self.inputs)

    def _prompt(self, window: Window) -> None:
        """Show tonight's prompt (called by `Bedtime` on the loop thread)."""
        self.daemon.engine.bedtime(app.routines_first(self.catalog, window.plan.routine))

    def _on_message(self, item) -> None:
        """A control word from the phone page (loop thread): `settings` reloads them."""
        if isinstance(item, ControlMessage) and item.word == SETTINGS:
            self.reload()

    def reload(self) -> None:
        """Use the config and routines as they are now, without a restart (loop thread).

        Bedtimes, night hours, contrasts, extra dim, sleeping position, cues on or off and at
        night, and the routines take effect at once; the screen, pins and cue strength are
        read only when the daemon starts. A config that has become invalid is logged and the
        one in use kept.
        """
        if self.reload_config is None:
            return
        try:
            config = self.reload_config()
            catalog = app.catalog(config)
            check_routine_names(config, catalog)
        except PsoasError as error:
            log.warning("settings not reloaded, keeping the ones in use: %s", str(error).splitlines()[0])
            return
        self.config, self.catalog = config, catalog
        self._panel, self._night = PanelLevels.from_config(config), NightHours.from_config(config)
        plan = BedtimePlan.from_config(config)
        self.bedtime.change_plan(plan)
        self.morning.change_window(_morning_window(config))
        self.daemon.engine.change_settings(app.engine_settings(config, bedtime_seconds=plan.prompt_seconds))
        log.info("settings reloaded")

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


def _listen(state_dir: Path, inputs) -> ControlListener | None:
    """The control socket for the phone page; None (logged) when it cannot be made."""
    try:
        return ControlListener(state_dir, inputs)
    except OSError as error:
        log.warning("control socket %s: cannot listen (%s); changes from the phone page need a restart",
                    socket_path(state_dir), error.strerror or error)
        return None


def _morning_window(config: Config) -> MorningWindow | None:
    """The morning check-in's window, or None when `[morning] enabled` is false."""
    return MorningWindow.from_config(config) if config.morning.enabled else None


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
