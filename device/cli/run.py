"""`psoas run`: the bedside daemon. Always on, or one night (`--nightly`, for the systemd timer).

    psoas run [--config PATH] [--state-dir DIR] [--emulate] [--nightly]

Start-up, top to bottom (`Runner.open`): the config and the routines were read once
(`device.config.effective`); the engine is made first and handed to what drives it (the
bedtime prompt, the morning check-in, the routine menu); then the parts start in order: the
screen and button from the config (`--emulate`: the terminal and keyboard), the journal, the
pairing screen, the control socket, the daemon, and systemd hears READY=1. Each part's stop
goes on one stack, and `close()` stops them in reverse, in `run()`'s one `finally`
(mopidy's `server.command()` shape): systemd hears STOPPING=1, the control socket and any
pairing code go, the journal closes, the pins are released and the panel is left off.

The loop's tasks are the screen's outage retries, the bedtime planner, the systemd watchdog,
with `--nightly` "exit once the night is over", the pairing code's expiry and the morning
check-in. A `settings` word on the control socket (`device.control`, sent by the phone page)
reloads the config and routines without a restart.

SIGTERM and SIGINT only put a `Quit` on the loop's queue (a `queue.SimpleQueue`, whose `put`
is safe inside a signal handler); the loop ends and the `finally` stops every part: exit 0,
well inside systemd's stop timeout.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import signal
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from device import assemble
from device.bedtime.memory import PromptedNights
from device.bedtime.plan import BedtimePlan, Window
from device.bedtime.prompt import Bedtime
from device.cli import add_path_options
from device.clocks.monotonic import ScaledClock
from device.clocks.wall import LocalWallClock, SystemWallClock, WallClock
from device.clocks.zones import zone_source
from device.config import effective
from device.config.checks import check_routine_names
from device.config.load import Config
from device.config.paths import make_state_dir
from device.control import SETTINGS, ControlListener, ControlMessage, socket_path
from device.daemon import Hooks
from device.inputs import Quit
from device.journal.link import JournalLink
from device.journal.writer import Journal
from device.morning.checkin import MorningCheckin
from device.morning.window import MorningWindow
from device.night import NightHours, PanelLevels
from device.pairing_screen import PairingScreen, page_address
from device.parts import Parts, close_all, cues_silent, haptics_listener, open_emulated, open_hardware
from device.screen_output import ScreenOutput
from device.sd_notify import SystemdNotifier
from routines.errors import PsoasError
from routines.loading.catalog import Catalog
from routines.state import Phase

log = logging.getLogger("psoas.run")

NIGHTLY_LEAD_SECONDS = 600.0  # --nightly started this long before a bedtime waits for it
IDLE_PHASES = (Phase.DARK, Phase.CLOCK)  # the bedtime prompt may replace these screens


def add_arguments(parser) -> None:
    """`psoas run [--emulate] [--nightly] [--config PATH] [--state-dir DIR]`."""
    add_path_options(parser)
    parser.add_argument("--emulate", action="store_true",
                        help="the terminal as screen and the keyboard as button (no hardware needed)")
    parser.add_argument("--nightly", action="store_true",
                        help="one night: show tonight's prompt when due, exit when the screen is dark again")


def run(args) -> int:
    config, state_dir, catalog = effective.load(args)
    return Runner(config, catalog, state_dir, emulate=args.emulate, nightly=args.nightly,
                  reload_config=lambda: effective.load(args), stdin=sys.stdin, stdout=sys.stdout).run()


class Runner:
    """One run of the daemon; `run()` returns the exit status. Everything on the main thread.

    `wall` is the system's wall clock (any aware `WallClock`), `clock` the monotonic one the
    engine and loop run on; tests pass clocks they drive. `reload_config()` gives the config
    and routines again (`device.config.effective.Effective`) when the phone page changed them.
    """

    def __init__(self, config: Config, catalog: Catalog, state_dir: Path, *, emulate: bool = False,
                 nightly: bool = False, open_parts: Callable[[], Parts] | None = None, wall: WallClock | None = None,
                 clock=None, notifier: SystemdNotifier | None = None, stdin=sys.stdin, stdout=sys.stdout,
                 reload_config: Callable[[], effective.Effective] | None = None):
        self.config = config
        self.catalog = catalog
        self.state_dir = state_dir
        self.emulate = emulate
        self.nightly = nightly
        self.inputs: queue.SimpleQueue = queue.SimpleQueue()
        self.open_parts = open_parts or self._open_parts
        self.wall = wall or SystemWallClock()
        self.clock = clock or ScaledClock()  # real time
        self.notifier = notifier or SystemdNotifier()
        self.stdin, self.stdout = stdin, stdout
        self.reload_config = reload_config
        self.local: LocalWallClock | None = None  # `wall` in the device's zone, from `open()`
        self.engine = None
        self.daemon = None
        self.bedtime: Bedtime | None = None
        self.morning: MorningCheckin | None = None
        self.pairing: PairingScreen | None = None
        self._panel = PanelLevels.from_config(config)
        self._night = NightHours.from_config(config)
        self._stops = contextlib.ExitStack()  # each part's stop, pushed as it starts

    def run(self) -> int:
        """Open, loop until quit, close (always, in `finally`); the exit status."""
        assemble.log_skipped(self.catalog)
        check_routine_names(self.config, self.catalog)
        make_state_dir(self.state_dir)
        previous = _catch_signals(self.inputs)
        try:
            self.open()
            reason = self.daemon.run()
            log.info("stopping (%s)", reason)
        finally:
            self.close()
            _restore_signals(previous)
        return 0

    def open(self) -> None:
        """Make the engine, start each part in order, tell systemd READY=1.

        `run()` calls it; a test calls it, drives `daemon.step()` on its own clock, then `close()`.
        """
        config, catalog = self.config, self.catalog
        plan = BedtimePlan.from_config(config)
        self.local = local = LocalWallClock(self.wall, zone_source(plan.time_zone))  # dates, "HH:MM", night hours
        self.engine = engine = assemble.engine(config, catalog, self.clock, bedtime_seconds=plan.prompt_seconds)

        parts = self.open_parts()  # the screen, then the button and cues
        output = ScreenOutput(parts.adapter)
        self._stop_later(output.close)  # last: the panel off, then the bus released
        for close in parts.closers:
            self._stop_later(close)
        journal = Journal(self.state_dir, local)
        self._stop_later(journal.close)
        link = JournalLink(journal, catalog.cards.expect)
        self.bedtime = Bedtime(plan, PromptedNights(self.state_dir), self._prompt, is_idle=self._is_idle,
                               wall=self.wall, monotonic=self.clock.real_monotonic, zone=local.zone)
        self.morning = MorningCheckin(_morning_window(config), journal, local, engine.offer_morning)
        self.pairing = PairingScreen(self.state_dir, page_address(config.web.host, config.web.port),
                                     self.clock.real_monotonic)
        self._stop_later(self.pairing.close)
        control = _listen(self.state_dir, self.inputs)
        if control is not None:
            self._stop_later(control.close)

        tasks = [self.bedtime.tick, self.notifier.watchdog_task] + ([self._nightly_task()] if self.nightly else [])
        listeners = [haptics_listener(parts.haptics, self._cues_silent)] if parts.haptics is not None else []
        observers = [_ScreenLog(self.stdout)] if self.emulate and not self.stdout.isatty() else []
        own = Hooks(listeners=listeners, tasks=tasks, observers=observers, messages=[self._on_message])
        self.daemon = assemble.daemon(
            config, engine, output, self.inputs, self.clock, wall=local, levels=self._levels,
            offer_routines=self._offer, hooks=Hooks.join(link.hooks, own, self.pairing.hooks, self.morning.hooks))
        log.info("running: %s; state in %s", parts.description, self.state_dir)
        self.notifier.ready(f"running: {parts.description}")
        self._stop_later(self.notifier.stopping)  # first

    def close(self) -> None:
        """Stop every part started, in reverse; one failing never stops the others (logged)."""
        self._stops.close()

    # -- what the parts call back (loop thread) -------------------------------------------

    def _is_idle(self) -> bool:
        return self.engine.phase in IDLE_PHASES

    def _prompt(self, window: Window) -> None:
        """Show tonight's prompt (called by `Bedtime`)."""
        self.engine.bedtime(assemble.routines_first(self.catalog, window.plan.routine))

    def _offer(self) -> list:
        """The routines a hold in the dark offers: the config's default first."""
        return assemble.routines_first(self.catalog, self.config.routine.default)

    def _levels(self, moment: datetime) -> tuple[int, bool]:
        """The panel's (contrast, extra-dim): by the hour, or at night levels while a pairing code shows."""
        return self._panel.at(moment, night=self.pairing.showing)

    def _cues_silent(self) -> bool:
        """No cues now, by the config and night hours in use (a reload changes them)."""
        return cues_silent(self.config.haptics, self._night.is_night(self.local.now()))

    def _on_message(self, item) -> None:
        """A control word from the phone page: `settings` reloads them."""
        if isinstance(item, ControlMessage) and item.word == SETTINGS:
            self.reload()

    # -- helpers ---------------------------------------------------------------------------

    def _stop_later(self, stop: Callable[[], None]) -> None:
        self._stops.callback(close_all, [stop])

    def _open_parts(self) -> Parts:
        if self.emulate:
            return open_emulated(self.inputs, self.stdin, self.stdout)
        return open_hardware(self.config, self.inputs)

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
            loaded = self.reload_config()
            assemble.log_skipped(loaded.catalog)
            check_routine_names(loaded.config, loaded.catalog)
        except PsoasError as error:
            log.warning("settings not reloaded, keeping the ones in use: %s", str(error).splitlines()[0])
            return
        config = self.config = loaded.config
        self.catalog = loaded.catalog
        self._panel, self._night = PanelLevels.from_config(config), NightHours.from_config(config)
        plan = BedtimePlan.from_config(config)
        self.bedtime.change_plan(plan)
        self.morning.change_window(_morning_window(config))
        self.engine.change_settings(assemble.engine_settings(config, bedtime_seconds=plan.prompt_seconds))
        log.info("settings reloaded")

    def _nightly_task(self):
        """A task that ends a --nightly run: nothing due now, or the night is over."""
        state = {"checked": False}

        def task() -> float | None:
            bedtime = self.bedtime
            if bedtime.shown:
                if self.engine.phase is Phase.DARK:
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
