"""Build the parts of the daemon from the config: catalog, engine, classifier, daemon."""

from __future__ import annotations

import queue

from device.config import Config
from device.daemon import Daemon
from device.gestures import GestureClassifier
from device.screen_output import ScreenOutput
from routines.catalog import Catalog, load_catalog
from routines.engine import Engine, EngineSettings


def engine_settings(config: Config, **overrides) -> EngineSettings:
    """The engine's timings from the `[routine]` section (all in seconds)."""
    section = config["routine"]
    values = dict(
        switch_seconds=float(section["switch_seconds"]),
        transition_seconds=float(section["transition_seconds"]),
        page_seconds=float(section["page_seconds"]),
        done_seconds=float(section["done_seconds"]),
        clock_peek_seconds=float(section["clock_peek_seconds"]),
        show_safety=bool(section["show_safety"]),
        sleep_position=section["sleep_position"],
    )
    values.update(overrides)
    return EngineSettings(**values)


def classifier(config: Config) -> GestureClassifier:
    button = config["button"]
    return GestureClassifier(
        hold_seconds=float(button["hold_seconds"]),
        long_hold_seconds=float(button["long_hold_seconds"]),
        debounce_seconds=float(button["bounce_seconds"]),
    )


def catalog(config: Config) -> Catalog:
    """Built-in routines plus the person's routine files (raises `RoutineError`)."""
    return load_catalog(config.routine_dirs())


def build_daemon(config: Config, cat: Catalog, clock, adapter, inputs: queue.Queue, **options) -> Daemon:
    """A daemon over `adapter` (anything with `display(image)`), reading `inputs`."""
    engine = Engine(clock, cat.cards, engine_settings(config))
    return Daemon(engine, ScreenOutput(adapter), inputs, clock, classifier=classifier(config), **options)
