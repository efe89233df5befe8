""""Start now" and "skip tonight" from the phone, and the next bedtime for its page.

The phone page sends `start` or `skip` on the control socket; the listener only queues the
word, and here, on the daemon's loop thread, the one loop decides, as for a button gesture:

- start: tonight's routine (the bedtime's, else the default) starts at once, unless a routine
  is on already. The screen lights as for a press, and tonight's prompt counts as had (it
  does not come up again after the routine).
- skip: on the bedtime prompt, the same as skipping it there (a long hold). Otherwise tonight's
  prompt (open now, or starting before the night ends at `ROLLOVER_HOUR`) is marked as had, so
  it does not come up; while the screen is idle the night is recorded as skipped, as on the
  device. During a routine nothing is skipped.

What came of it goes to `report(word, text)` (`LiveView.note`), so the page can say it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from device.bedtime.plan import Window
from device.bedtime.prompt import Bedtime
from device.control import SKIP, START, ControlMessage
from device.daemon import Daemon, Hooks
from device.journal.streaks import ROLLOVER_HOUR
from routines.loading.catalog import Catalog
from routines.state import Phase

IDLE_PHASES = (Phase.DARK, Phase.CLOCK)  # a skip is recorded only from these screens


class PhoneRemote:
    """Acts on `start` and `skip`. The callables give what may change while the daemon runs:
    `daemon()`, `bedtime()`, `catalog()`, `default_routine()` (a name)."""

    def __init__(self, daemon: Callable[[], Daemon], bedtime: Callable[[], Bedtime],
                 catalog: Callable[[], Catalog], default_routine: Callable[[], str],
                 report: Callable[[str, str], None]):
        self.daemon = daemon
        self.bedtime = bedtime
        self.catalog = catalog
        self.default_routine = default_routine
        self.report = report

    @property
    def hooks(self) -> Hooks:
        return Hooks(messages=[self.on_message])

    def on_message(self, item) -> None:
        if isinstance(item, ControlMessage) and item.word in (START, SKIP):
            daemon = self.daemon()
            at = daemon.clock.monotonic()
            text = self.start(at) if item.word == START else self.skip(at)
            self.report(item.word, text)

    def start(self, at: float) -> str:
        """Start tonight's routine at clock time `at`; what came of it, in words."""
        daemon = self.daemon()
        if daemon.engine.in_routine:
            return "Not started: a routine is on already."
        window = self.tonight()
        name = window.plan.routine if window is not None else self.default_routine()
        catalog = self.catalog()
        routine = catalog.routines.get(name) or catalog.routines.get(self.default_routine())
        if routine is None:
            return f"Not started: there is no routine called {name}."
        if window is not None:
            self._had(window)
        daemon.wake(at)
        daemon.engine.start(routine, at)
        return f"Started {routine.title}."

    def skip(self, at: float) -> str:
        """Skip tonight's bedtime prompt at clock time `at`; what came of it, in words."""
        daemon, bedtime = self.daemon(), self.bedtime()
        engine = daemon.engine
        if engine.phase is Phase.BEDTIME:
            engine.long_hold(at)  # exactly "skip tonight" on the prompt
            return "Skipped tonight."
        if engine.in_routine:
            return "Not skipped: a routine is on."
        window = self.tonight()
        if window is None:
            return "No bedtime prompt is left tonight."
        if window.night in bedtime.store:
            return "Tonight's prompt was had already."
        self._had(window)
        if engine.phase in IDLE_PHASES:  # recorded as on the device: the prompt, then skip
            routine = self.catalog().routines.get(window.plan.routine)
            engine.bedtime([routine] if routine else [], at)
            engine.long_hold(at)
        return "Skipped tonight."

    def _had(self, window: Window) -> None:
        """Tonight's prompt is not to come up (saved, like a prompt shown)."""
        bedtime = self.bedtime()
        if window.night not in bedtime.store:
            bedtime.store.add(window.night, bedtime.wall.now().astimezone(bedtime.zone()))
        bedtime.pending = None

    def tonight(self) -> Window | None:
        """Tonight's prompt window: open now, or starting before this night ends."""
        bedtime = self.bedtime()
        now, zone = bedtime.wall.now(), bedtime.zone()
        window = bedtime.plan.window_at(now, zone)
        if window is not None:
            return window
        window = bedtime.plan.next_window(now, zone)
        return window if window is not None and window.start < _night_end(now.astimezone(zone)) else None

    def status(self) -> dict:
        """The status's next bedtime and tonight's routine, for the page."""
        bedtime = self.bedtime()
        window = bedtime.plan.next_to_come(bedtime.wall.now(), bedtime.zone(), bedtime.store)
        tonight = self.tonight()
        catalog = self.catalog()
        name = tonight.plan.routine if tonight is not None else self.default_routine()
        routine = catalog.routines.get(name)
        upcoming = None
        if window is not None:
            shown = catalog.routines.get(window.plan.routine)
            upcoming = {"at": window.start.astimezone(bedtime.zone()).isoformat(timespec="minutes"),
                        "routine": shown.title if shown else window.plan.routine}
        engine = self.daemon().engine
        return {"next_bedtime": upcoming, "start_routine": routine.title if routine else name,
                "in_routine": engine.in_routine, "phase": engine.phase.value,
                "tonight_had": tonight is not None and tonight.night in bedtime.store}


def _night_end(local: datetime) -> datetime:
    """When the night `local` (aware, in the bedtime zone) belongs to ends: the next `ROLLOVER_HOUR`."""
    end = local.replace(hour=ROLLOVER_HOUR, minute=0, second=0, microsecond=0)
    return end if local < end else end + timedelta(days=1)
