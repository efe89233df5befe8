"""Building the daemon from a config, the one way `psoas run`, `psoas demo`, the benches and the
tests all make it, so they all run the same loop.

Start-up reads top to bottom: the catalog (`catalog`), then the engine (`engine`: the
`[routine]` timings), which the caller hands to whatever drives it (the bedtime prompt, the
morning check-in), then the daemon over the opened screen (`daemon`: the `[button]` timings,
the idle-dark time, the screen's retry task, and the caller's levels, routine offer and hooks).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from device.clocks.wall import WallClock
from device.config.load import Config
from device.daemon import Daemon, Hooks
from device.gestures import GestureClassifier
from device.screen_output import ScreenOutput
from routines.engine import Engine, EngineSettings
from routines.loading.catalog import Catalog, load_catalog

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
    log_skipped(cat)
    return cat


def log_skipped(cat: Catalog) -> None:
    """One warning for each routine file the catalog left out."""
    for problem in cat.problems:
        log.warning("routine file skipped: %s", problem)


def routines_first(cat: Catalog, name: str) -> list:
    """Every routine, the one called `name` first: the order the bedtime prompt offers them."""
    return sorted(cat.routines.values(), key=lambda routine: routine.name != name)


def engine(config: Config, cat: Catalog, clock, **overrides) -> Engine:
    """The engine on `clock` with the `[routine]` timings; `overrides` go to `EngineSettings`
    (`psoas run` sets `bedtime_seconds` from `[bedtime] prompt_minutes`)."""
    return Engine(clock, cat.cards, engine_settings(config, **overrides))


def daemon(
    config: Config, engine: Engine, output: ScreenOutput, inputs, clock, *, wall: WallClock,
    levels: Callable[[datetime], tuple[int, bool]], offer_routines: Callable[[], list], hooks: Hooks = Hooks(),
    **options,
) -> Daemon:
    """The daemon driving `engine`, showing on `output`, reading `inputs` (a queue).

    From the config: the gesture classifier (`[button]` timings) and the idle-dark time; the
    frame size is the opened panel's. `wall` is the local wall clock (clock face, night hours),
    `levels` the panel's (contrast, extra-dim) for a wall time, `offer_routines` the routines a
    hold in the dark offers, default first. The screen's retry task runs first, then `hooks`.
    `options` go to `Daemon` (and win).
    """
    options.setdefault("size", output.adapter.size)  # frames are drawn for the panel in use (32, 64, 128 rows)
    options.setdefault("dark_after_seconds", float(config.display.dark_after_seconds))
    own = Hooks(tasks=[lambda: output.maintain(clock.real_monotonic())], offer_routines=offer_routines)
    return Daemon(engine, output, inputs, clock, classifier=classifier(config), wall=wall, levels=levels,
                  hooks=own.plus(hooks), **options)
