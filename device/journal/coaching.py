"""The coaching rules fed from the journal: tonight's plan from the config, the routines and
the history.

The rules themselves are pure (`routines.coaching`); this is where the device feeds them: the
`[coaching]` thresholds, the routine set for the night's weekday (`[bedtime] <day>_routine`,
else `[routine] default`), and the pauses routine lengths are compared with. `psoas plan`,
`psoas routines show`, `psoas stats`, the bedtime prompt and the phone's pages all use it.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from device.config.schema import WEEKDAYS
from device.errors import JournalUnreadableError
from device.journal.reader import History, read_history
from routines.coaching import rules as coaching
from routines.coaching.plan import Plan, done_heading, plan_tonight

log = logging.getLogger("psoas.coaching")


def coach_rules(config) -> coaching.CoachRules:
    """The `[coaching]` section of a `device.config.load.Config` as the rules take it."""
    return coaching.from_section(config.coaching)


def chosen_name(config, night: date) -> str:
    """The routine the person set for the night dated `night`."""
    return getattr(config.bedtime, f"{WEEKDAYS[night.weekday()]}_routine") or config.routine.default


def pauses(config) -> tuple[float, float]:
    """The (switch, transition) pauses in seconds, from `[routine]`."""
    return float(config.routine.switch_seconds), float(config.routine.transition_seconds)


def plan_for(config, catalog, history, night: date) -> Plan:
    """The plan for the night dated `night`: `catalog` a `Catalog`, `history` a journal `History`."""
    routines = catalog.routines
    chosen = routines[chosen_name(config, night)]
    return plan_tonight(history.nights, history.stiffness_by_date(), night, chosen, routines,
                        coach_rules(config), pauses(config))


class Coach:
    """The daemon's view of the coaching rules: tonight's plan at the prompt, the done screen's
    heading. Reads the journal afresh each time (once a night), so it sees what the daemon and
    `psoas morning` wrote; a journal it cannot read counts as no history, logged once a time.
    Used only on the daemon's loop thread; `change` takes a reloaded config and catalog."""

    def __init__(self, config, catalog, state_dir: Path):
        self.config, self.catalog, self.state_dir = config, catalog, state_dir

    def change(self, config, catalog) -> None:
        self.config, self.catalog = config, catalog

    @property
    def rules(self) -> coaching.CoachRules:
        return coach_rules(self.config)

    def history(self) -> History:
        try:
            return read_history(self.state_dir)
        except JournalUnreadableError as error:
            log.warning("coaching: %s; tonight as set", error)
            return History()

    def plan(self, night: date) -> Plan:
        """The plan for the night dated `night` (`Plan.offered`: the prompt's routines in order)."""
        return plan_for(self.config, self.catalog, self.history(), night)

    def done_heading(self, night: date) -> str:
        """The done screen's coaching heading after the night `night`, or ""."""
        history = self.history()
        return done_heading(history.nights, history.stiffness_by_date(), night, self.rules)
