"""`psoas plan [--date YYYY-MM-DD]`: tonight's plan, and each coaching rule that shaped it.

Reads the config (with the phone's settings), the routines and the journal, and prints what
the bedtime prompt will offer tonight (or the night of `--date`): the routine first, its length,
the one line why, tonight's holds, then every rule of `[coaching]` with what it saw and the
article's words it comes from (`routines.coaching`). It only reads, so it is safe to run while
the daemon is writing. A bad date, config or journal is one line on standard error.
"""

from __future__ import annotations

import sys

from datetime import datetime

from device.cli import EXIT_FAILURE, add_path_options
from device.cli.morning import calendar_date
from device.clocks.wall import LocalWallClock
from device.clocks.zones import zone_source
from device.config import effective
from device.config.checks import check_routine_names
from device.errors import JournalUnreadableError
from device.journal import streaks
from device.journal.coaching import pauses, plan_for
from device.journal.reader import read_history
from routines.coaching.plan import Plan
from routines.loading.files import shown

RULE_NAMES = {  # the rules' keys as people read them, in the order they run
    "first_week": "First week",
    "stiff_morning": "Stiff morning",
    "see_someone": "See someone",
    "sides": "Sides",
    "holds": "Holds",
}


def add_arguments(parser) -> None:
    parser.description = ("Show what the bedtime prompt offers tonight (or the night of --date) and why: "
                          "the routine first, its holds, and each rule of [coaching] with what it saw and "
                          "the article's words it comes from.")
    parser.add_argument("--date", metavar="YYYY-MM-DD", type=calendar_date,
                        help="the night to plan (default: tonight; before 06:00, the night just gone)")
    add_path_options(parser)


def local_now(config) -> datetime:
    """The wall-clock time now in the device's zone (`[bedtime] time_zone`, else the system's)."""
    return LocalWallClock(zone=zone_source(config.bedtime.time_zone)).now()


def run(args) -> int:
    config, state_dir, catalog = effective.load(args)
    check_routine_names(config, catalog)
    try:
        history = read_history(state_dir)
    except JournalUnreadableError as error:
        print(f"psoas plan: {shown(str(error))}", file=sys.stderr)
        return EXIT_FAILURE
    night = args.date or streaks.night_date(local_now(config))
    plan = plan_for(config, catalog, history, night)
    print("\n".join(plan_lines(plan, catalog.routines[plan.chosen].title, pauses(config))))
    return 0


def plan_lines(plan: Plan, chosen_title: str, pause_seconds: tuple[float, float]) -> list[str]:
    """The plan as terminal lines."""
    first = plan.first
    minutes = first.planned_seconds(*pause_seconds) / 60
    night = plan.night
    lines = [f"Tonight, {night:%a} {night.day} {night:%b %Y}: {first.title}, about {minutes:.0f} min"]
    if first.name != plan.chosen:
        lines.append(f"  first on the prompt; {chosen_title} (as set) is one hold away")
    if plan.line:
        lines.append(f"  the prompt says why: \"{plan.line}\"")
    for change in plan.holds:
        lines.append(f"  {change.name}: {change.text} (the routine writes {change.written:g} s)")
    lines += ["", "Rules ([coaching] in the config; each can be turned off):"]
    width = max(len(name) for name in RULE_NAMES.values())
    for finding in plan.findings:
        mark = "yes" if finding.applies else "no "
        lines.append(f"  {RULE_NAMES[finding.rule]:<{width}}  {mark}  {finding.why}")
        lines.append(f"  {'':<{width}}       from the article: \"{finding.source}\"")
    return lines
