"""Tonight's coaching plan from the config, the routines and the journal's history.

The rules themselves are pure (`routines.coaching`); this is where the device feeds them: the
`[coaching]` thresholds, the routine set for the night's weekday (`[bedtime] <day>_routine`,
else `[routine] default`), and the pauses routine lengths are compared with. `psoas plan`,
`psoas routines show`, `psoas stats`, the bedtime prompt and the phone's pages all use it.
"""

from __future__ import annotations

from datetime import date

from device.bedtime.plan import BedtimePlan
from routines.coaching import rules as coaching
from routines.coaching.plan import Plan, plan_tonight


def coach_rules(config) -> coaching.CoachRules:
    """The `[coaching]` section of a `device.config.load.Config` as the rules take it."""
    return coaching.from_section(config.coaching)


def chosen_name(config, night: date) -> str:
    """The routine the person set for the night dated `night`."""
    planned = BedtimePlan.from_config(config).nights[night.weekday()]
    return planned.routine if planned is not None else config.routine.default


def pauses(config) -> tuple[float, float]:
    """The (switch, transition) pauses in seconds, from `[routine]`."""
    return float(config.routine.switch_seconds), float(config.routine.transition_seconds)


def plan_for(config, catalog, history, night: date) -> Plan:
    """The plan for the night dated `night`: `catalog` a `Catalog`, `history` a journal `History`."""
    routines = catalog.routines
    chosen = routines[chosen_name(config, night)]
    return plan_tonight(history.nights, history.stiffness_by_date(), night, chosen, routines,
                        coach_rules(config), pauses(config))
