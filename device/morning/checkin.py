"""The morning check-in on the device: when the engine may ask, and keeping the answer.

Inside the morning window (`device.morning.window`, local time in the device's zone) and
until today has an answer or a "not today", `MorningCheckin.tick` (a daemon task) arms the
engine (`Engine.offer_morning`), so the next press in the dark asks "Morning stiffness?"
instead of showing the time. It never shows anything itself: the screen lights only on a
press. Outside the window, once today is answered (on the device or with `psoas morning`), the
offer is withdrawn. The answer (an engine `Event` with `morning`) is kept in the journal under
the local date it was given. A clock step (a stale boot time put right by NTP) is seen on the
next tick: on a new screen, and at least every `idle_seconds` of the daemon.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from device.clocks.wall import WallClock
from device.daemon import Hooks
from device.journal import trend
from device.journal.reader import stiffness_by_date
from device.morning.window import MorningWindow
from routines.coaching.rules import DEFAULTS, CoachRules
from routines.coaching.see_someone import notes_by_answer
from routines.morning import MorningOffer
from routines.events import Event

log = logging.getLogger("psoas.morning")
OFF_SECONDS = 3600.0  # what `tick` asks for while the check-in is off (the daemon caps every wait anyway)


class MorningCheckin:
    """Arms the morning question and saves its answer. Called only on the daemon's loop thread.

    `window` None: never ask (`[morning] enabled = false`). `wall` is the local wall clock
    (a `WallClock`, aware in the device's zone); `offer(offer | None)` arms or withdraws the
    engine's question (`Engine.offer_morning`); `journal` is the daemon's `Journal`. `rules` are
    the coaching thresholds (`[coaching]`): the offer carries the line the saved answer shows
    when mornings have been stiffer for long enough (`routines.coaching.see_someone`).
    """

    def __init__(self, window: MorningWindow | None, journal, wall: WallClock,
                 offer: Callable[[MorningOffer | None], None], rules: CoachRules = DEFAULTS):
        self.window = window
        self.rules = rules  # the settings' reload replaces them
        self.journal = journal
        self.wall = wall
        self.offer = offer
        self.armed_for: date | None = None  # the morning the engine's question is armed for
        self.answered: date | None = None  # the last morning known to have its answer

    @property
    def hooks(self) -> Hooks:
        """What the daemon calls: `tick` as a task, `on_event` for the answer."""
        return Hooks(listeners=[self.on_event], tasks=[self.tick])

    def change_window(self, window: MorningWindow | None) -> None:
        """Ask in `window` from now on (None: never), at once (settings reloaded; loop thread)."""
        self.window = window
        self._withdraw()
        self.tick()

    def tick(self) -> float:
        """Arm or withdraw the question for now; the real seconds until the window next opens or
        closes (an hour when switched off: a reload calls `change_window`)."""
        if self.window is None:
            return OFF_SECONDS
        now = self.wall.now()
        today = now.date()
        if not self.window.contains(now) or self.answered == today:
            self._withdraw()
        elif self.armed_for != today:
            self._arm(today)
        elif self.journal.morning(today) is not None:  # answered meanwhile with `psoas morning`
            self.answered = today
            self._withdraw()
        return self.window.seconds_to_edge(now)

    def on_event(self, event: Event) -> None:
        """Keep the answer (or "not today") under today's date: no more questions today."""
        if event.morning is None:
            return
        today = self.wall.now().date()
        stiffness = event.morning.stiffness
        self.answered, self.armed_for = today, None  # the engine has withdrawn its offer itself
        saved = self.journal.save_morning(today, stiffness)
        what = "not today" if stiffness is None else f"stiffness {stiffness}"
        log.info("morning %s: %s%s", today.isoformat(), what, "" if saved else " (not saved)")

    def _arm(self, today: date) -> None:
        mornings = self.journal.mornings()
        if any(m.morning_date == today for m in mornings):
            self.answered = today
            self._withdraw()
            return
        answered = [m for m in mornings if m.stiffness is not None and m.morning_date < today]
        last = answered[-1].stiffness if answered else None
        answers = stiffness_by_date(mornings)
        self.offer(MorningOffer(last, trend.last_week_average(answers, today),
                                notes_by_answer(answers, today, self.rules)))
        self.armed_for = today

    def _withdraw(self) -> None:
        if self.armed_for is not None:
            self.offer(None)
            self.armed_for = None
