"""The one place a daemon is built from a config: catalog, engine, classifier, journal link, daemon."""

from __future__ import annotations

import dataclasses
import logging
import queue
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from device.config.load import Config
from device.daemon import Daemon, Hooks
from device.gestures import GestureClassifier
from device.journal import streaks, trend
from device.journal.reader import stiffness_by_date
from device.journal.writer import Journal, local_now
from device.night import PanelLevels
from device.screen_output import ScreenOutput
from routines.engine import Engine, EngineSettings
from routines.loading.catalog import Catalog, load_catalog
from routines.state import Phase

log = logging.getLogger(__name__)


def engine_settings(config: Config, **overrides) -> EngineSettings:
    """The engine's timings from the `[routine]` section (all in seconds); the morning question
    goes dark like any idle screen (`[display] dark_after_seconds`)."""
    routine = config.routine
    values = dict(
        switch_seconds=float(routine.switch_seconds),
        transition_seconds=float(routine.transition_seconds),
        page_seconds=float(routine.page_seconds),
        done_seconds=float(routine.done_seconds),
        clock_peek_seconds=float(routine.clock_peek_seconds),
        show_safety=routine.show_safety,
        sleep_position=routine.sleep_position,
        morning_seconds=float(config.display.dark_after_seconds),
    )
    values.update(overrides)
    return EngineSettings(**values)


def classifier(config: Config) -> GestureClassifier:
    button = config.button
    return GestureClassifier(
        hold_seconds=float(button.hold_seconds),
        long_hold_seconds=float(button.long_hold_seconds),
        debounce_seconds=float(button.bounce_seconds),
    )


def catalog(config: Config) -> Catalog:
    """Built-in routines plus the person's valid routine files; each skipped file is logged."""
    cat = load_catalog(config.routine_dirs())
    for problem in cat.problems:
        log.warning("routine file skipped: %s", problem)
    return cat


def routines_first(cat: Catalog, name: str) -> list:
    """Every routine, the one called `name` first: the order the bedtime prompt offers them."""
    return sorted(cat.routines.values(), key=lambda routine: routine.name != name)


class JournalLink:
    """Connects a `Journal` to a daemon: records events and marks, shows the streak when done.

    All callbacks run on the daemon's loop thread. The streak line is worked out once, when
    the night's outcome is recorded, not on every frame. From `trend.EXPECT_AFTER_MORNINGS`
    morning answers on, the what-to-expect words may be the person's own numbers instead.
    """

    def __init__(self, journal: Journal, expect: dict):
        self.journal = journal
        self.expect = expect  # what-to-expect lines by stage (`Cards.expect`)
        self.streak_text = ""
        self.milestone = ""

    @property
    def hooks(self) -> Hooks:
        """What the daemon calls: every event, the tighter marks, the done screen's lines."""
        return Hooks(listeners=[self.on_event], tighter=[self.journal.mark_tighter], decorators=[self.decorate])

    def on_event(self, event) -> None:
        self.journal.record(event)
        if event.outcome is not None:  # read once, when the night ends, not on every frame
            nights, today = self.journal.practised_nights(), self.journal.today()
            self.streak_text = streaks.done_summary(nights, today)
            self.milestone = ""
            if self.streak_text:
                own = trend.own_expect_line(stiffness_by_date(self.journal.mornings()), today)
                self.milestone = own or streaks.milestone_message(nights, today, self.expect)

    def decorate(self, state):
        """On the done screen: the streak line, and tonight's what-to-expect words as heading."""
        if state.phase is Phase.DONE and self.streak_text and not state.streak_text:
            return dataclasses.replace(state, streak_text=self.streak_text, title=self.milestone or state.title)
        return state


def open_journal(state_dir: Path, expect: dict, now: Callable[[], datetime] = local_now) -> JournalLink:
    """Open the journal in `state_dir`; pass `link.hooks` to `build_daemon` and close it with
    `link.journal.close()`. `expect` is `Catalog.cards.expect`, the what-to-expect lines by stage;
    `now()` the aware wall-clock time its dates are read from."""
    return JournalLink(Journal(state_dir, now=now), expect)


def build_daemon(
    config: Config, cat: Catalog, clock, adapter, inputs: queue.Queue, hooks: Hooks = Hooks(),
    engine_overrides: dict | None = None, **options,
) -> Daemon:
    """The daemon over `adapter` (a screen adapter with `display(image)`), reading `inputs`.

    The one place a daemon is built from a config (`psoas run`, `psoas demo`, the benches and
    tests): the engine with the `[routine]` timings, the gesture classifier with the
    `[button]` ones, panel levels by day and night, the idle-dark time, the screen's retry
    task and the routines a hold in the dark offers, then the caller's `hooks`. `options` go
    to `Daemon` (and win), `engine_overrides` to `EngineSettings`.
    """
    engine = Engine(clock, cat.cards, engine_settings(config, **(engine_overrides or {})))
    options.setdefault("size", adapter.size)  # frames are drawn for the panel in use (32, 64, 128 rows)
    options.setdefault("levels", PanelLevels.from_config(config).at)
    options.setdefault("dark_after_seconds", float(config.display.dark_after_seconds))
    screen = ScreenOutput(adapter)
    default = config.routine.default
    own = Hooks(tasks=[lambda: screen.maintain(clock.real_monotonic())],
                offer_routines=lambda: routines_first(cat, default))
    return Daemon(engine, screen, inputs, clock, classifier=classifier(config), hooks=own.plus(hooks), **options)
