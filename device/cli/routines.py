"""`psoas routines list | show NAME [--json] | check [PATH...]`: see and check routines.

`list` and `show` read the built-in routines and the person's routine directories
(`[routines] dirs` in the config); a user file that has problems is left out with one line
on standard error. `check` exits 0 when every file is valid and 1 otherwise, printing every
problem as `path:line: key: message`, and a warning for each text a supported panel would
cut (`display.fit`). Minutes include the config's switch-sides and move-slowly pauses.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from device.cli import EXIT_FAILURE, add_config_option, add_path_options
from device.cli.plan import local_now
from device.config import paths
from device.config.checks import routine_argument
from device.config.load import load_config
from device.errors import JournalUnreadableError
from device.journal import streaks
from device.journal.coaching import coach_rules
from device.journal.reader import read_history
from display import fit
from routines.coaching.holds import HoldChange, adjust_holds
from routines.errors import RoutineError
from routines.loading.catalog import Catalog, built_in_stretches, check_files, expand, load_catalog
from routines.loading.files import shown
from routines.loading.loader import load_routine
from routines.loading.toml_source import TomlSource
from routines.model import HoldStart, Routine, Sides, Step, StepKind
from routines.wording import counted

SIDES_TEXT = {Sides.BOTH: "both sides at once", Sides.EACH: "each side in turn"}


def register(subparsers) -> None:
    """Add `routines` with its `list`, `show` and `check` subcommands."""
    routines = subparsers.add_parser("routines", help="list, show and check routines (built-in and your own)")
    commands = routines.add_subparsers(dest="routines_command", metavar="SUBCOMMAND")
    commands.required = True
    listing = commands.add_parser("list", help="every routine: name, minutes, source, stretches")
    add_config_option(listing)
    listing.set_defaults(handler=run_list)
    show = commands.add_parser("show", help="one routine, step by step, with tonight's holds and why")
    add_path_options(show)
    show.add_argument("name", metavar="NAME", help="routine name, as `psoas routines list` shows it")
    show.add_argument("--json", action="store_true", help="the resolved routine as JSON")
    show.set_defaults(handler=run_show)
    check = commands.add_parser("check", help="check routine files; exit 1 if any has a problem")
    add_config_option(check)
    check.add_argument("paths", metavar="PATH", nargs="*",
                       help="routine files or directories (default: the config's routine dirs)")
    check.set_defaults(handler=run_check)


def _catalog(args) -> tuple[Catalog, dict]:

    config = load_config(args.config)
    catalog = load_catalog(config.routine_dirs())
    for path in catalog.skipped:
        print(f"psoas routines: skipped {shown(path)}: it has problems (see `psoas routines check`)", file=sys.stderr)
    return catalog, config.routine


def minutes(routine: Routine, timings) -> float:
    """Planned length in minutes, with the config's pauses (in seconds) between holds."""
    seconds = routine.planned_seconds(float(timings.switch_seconds), float(timings.transition_seconds))
    return seconds / 60


def run_list(args) -> int:
    catalog, timings = _catalog(args)
    width = max((len(shown(name)) for name in catalog.routines), default=4)
    for name in sorted(catalog.routines):
        routine = catalog.routines[name]
        stretches = ", ".join(step.stretch.short_name for step in routine.stretch_steps)
        print(f"{shown(name):<{width}}  {minutes(routine, timings):5.1f} min  {shown(routine.source)}  {stretches}")
    return 0


def run_show(args) -> int:
    catalog, timings = _catalog(args)
    routine = routine_argument(catalog, args.name, "NAME")
    tonight = tonights_holds(args, routine)
    if args.json:
        print(json.dumps(routine_json(routine, minutes(routine, timings), tonight), indent=2, ensure_ascii=False))
    else:
        print("\n".join(describe(routine, minutes(routine, timings), tonight)))
    return 0


def tonights_holds(args, routine: Routine) -> dict[str, HoldChange]:
    """Tonight's hold changes by stretch id, from the journal (`routines.coaching.holds`); none
    when the rule is off or the journal cannot be read (one line on standard error)."""
    config = load_config(args.config)
    try:
        history = read_history(paths.state_dir(args, config))
    except JournalUnreadableError as error:
        print(f"psoas routines: holds as written: {shown(str(error))}", file=sys.stderr)
        return {}
    _, changes = adjust_holds(routine, history.nights, streaks.night_date(local_now(config)), coach_rules(config))
    return {change.stretch_id: change for change in changes}


def run_check(args) -> int:
    """Check the files given, or else the config's routine dirs exactly as `list`, `run` and
    `demo` read them (a file they skip is a problem here, a name used twice a warning)."""
    paths = [Path(p) for p in args.paths]
    dirs = [] if paths else load_config(args.config).routine_dirs()
    if not paths:
        paths = [d for d in dirs if d.is_dir()]
        if not paths:
            print("no routine directories found (see [routines] dirs in the config); nothing to check")
            return 0
    files = expand(paths)
    if not files:
        print(f"no *.toml routine files in {', '.join(map(shown, paths))}; nothing to check")
        return 0
    if dirs:
        catalog = load_catalog(dirs)
        problems, warnings = list(catalog.problems), list(catalog.warnings)
    else:
        problems, warnings = check_files(paths)
    warnings += fit_warnings(files)
    for line in problems + warnings:
        print(line)
    if problems:
        print(f"{counted(len(problems), 'problem')} found; run the check again after fixing")
        return EXIT_FAILURE
    print(f"ok: {counted(len(files), 'routine file')} valid" + (f", {counted(len(warnings), 'warning')}" if warnings else ""))
    return 0


def fit_warnings(files: list[Path]) -> list[str]:
    """A warning for each text of a valid routine file that a supported panel would cut."""
    stretches = built_in_stretches()
    found = []
    for file in files:
        try:
            src = TomlSource.read(file)
        except RoutineError:
            continue  # `check_files` reports it
        routine = load_routine(src, file.stem, stretches, str(file))
        if not src.problems:
            found += fit.file_warnings(src, routine)
    return found


def routine_json(routine: Routine, total_minutes: float, tonight: dict[str, HoldChange] | None = None) -> dict:
    """The resolved routine as plain data (durations in seconds); a step whose hold changes
    tonight (`tonight`, by stretch id) says so: "tonight": {"hold_seconds", "why"}."""
    return {
        "name": routine.name,
        "title": routine.title,
        "description": routine.description,
        "source": routine.source,
        "hold_start": routine.hold_start.value,
        "get_ready_seconds": routine.get_ready_seconds,
        "minutes": round(total_minutes, 1),
        "steps": [_step_json(step, (tonight or {}).get(step.stretch.id if step.stretch else ""))
                  for step in routine.steps],
    }


def _step_json(step: Step, change: HoldChange | None = None) -> dict:
    data: dict = {"kind": step.kind.value, "title": step.title}
    if change is not None:
        data["tonight"] = {"hold_seconds": change.tonight, "why": change.why}
    if step.kind is StepKind.STRETCH:
        breathing = step.breathing
        data.update(
            stretch_id=step.stretch.id, stretch_name=step.stretch.name, sides=step.sides.value,
            hold_seconds=step.hold_seconds, setup_pages=list(step.pages), cues=list(step.cues),
            caution=step.stretch.caution, note=step.stretch.note, fade_out=step.fade_out,
            breathing=None if breathing is None else {
                "inhale_seconds": breathing.inhale_seconds, "exhale_seconds": breathing.exhale_seconds},
        )
    else:
        data["pages"] = list(step.pages)
        if step.kind is StepKind.REST:
            data["seconds"] = step.seconds
    return data


def describe(routine: Routine, total_minutes: float, tonight: dict[str, HoldChange] | None = None) -> list[str]:
    """The routine as readable lines; `tonight` (by stretch id) adds tonight's holds and why."""
    start = ("on a press" if routine.hold_start is HoldStart.PRESS
             else f"after a {routine.get_ready_seconds:g} s get-ready countdown")
    lines = [f"{routine.title} ({shown(routine.name)}), about {total_minutes:.0f} min, from {shown(routine.source)}"]
    if routine.description:
        lines.append(routine.description)
    lines.append(f"Holds start {start}.")
    for number, step in enumerate(routine.steps, start=1):
        lines.append("")
        lines += _describe_step(number, step, (tonight or {}).get(step.stretch.id if step.stretch else ""))
    return lines


def _describe_step(number: int, step: Step, change: HoldChange | None = None) -> list[str]:
    if step.kind is not StepKind.STRETCH:
        timing = f", {step.seconds:g} s" if step.kind is StepKind.REST else ""
        return [f"{number}. {step.title} ({step.kind.value}{timing})"] + [f"   {page}" for page in step.pages]
    stretch = step.stretch
    per_side = " per side" if step.sides is Sides.EACH else ""
    breathing = ("no breathing pacer" if step.breathing is None else
                 f"breathe in {step.breathing.inhale_seconds:g} s, out {step.breathing.exhale_seconds:g} s")
    lines = [f"{number}. {stretch.name} [{stretch.id}]: hold {_clock(step.hold_seconds)}{per_side}, "
             f"{SIDES_TEXT[step.sides]}", f"   {breathing}" + (", screen fades out" if step.fade_out else "")]
    if change is not None:
        lines.insert(1, f"   {change.text[0].upper()}{change.text[1:]} (see `psoas plan`)")
    lines += ["   Setup:"] + [f"     - {page}" for page in step.pages]
    lines += ["   During the hold:"] + [f"     - {cue}" for cue in step.cues]
    lines += [f"   {label}: {text}" for label, text in (("Caution", stretch.caution), ("Note", stretch.note)) if text]
    return lines


def _clock(seconds: float) -> str:
    """90 -> "1:30", 25 -> "25 s"."""
    if seconds < 60:
        return f"{seconds:g} s"
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"
