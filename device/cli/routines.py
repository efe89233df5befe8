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

from device.cli import EXIT_FAILURE, add_config_option
from device.config.checks import routine_argument
from device.config.load import load_config
from display import fit
from routines.errors import RoutineError
from routines.loading.catalog import Catalog, built_in_stretches, check_files, expand, load_catalog
from routines.loading.files import shown
from routines.describe import describe, minutes, routine_json
from routines.loading.loader import load_routine
from routines.loading.toml_source import TomlSource
from routines.wording import counted

def add_arguments(routines) -> None:
    """`psoas routines` with its `list`, `show` and `check` subcommands."""
    commands = routines.add_subparsers(dest="routines_command", metavar="SUBCOMMAND")
    commands.required = True
    listing = commands.add_parser("list", help="every routine: name, minutes, source, stretches")
    add_config_option(listing)
    show = commands.add_parser("show", help="one routine, step by step")
    add_config_option(show)
    show.add_argument("name", metavar="NAME", help="routine name, as `psoas routines list` shows it")
    show.add_argument("--json", action="store_true", help="the resolved routine as JSON")
    check = commands.add_parser("check", help="check routine files; exit 1 if any has a problem")
    add_config_option(check)
    check.add_argument("paths", metavar="PATH", nargs="*",
                       help="routine files or directories (default: the config's routine dirs)")


def run(args) -> int:
    """`psoas routines list | show | check`: the subcommand's handler."""
    return SUBCOMMANDS[args.routines_command](args)


def _catalog(args) -> tuple[Catalog, dict]:

    config = load_config(args.config)
    catalog = load_catalog(config.routine_dirs())
    for path in catalog.skipped:
        print(f"psoas routines: skipped {shown(path)}: it has problems (see `psoas routines check`)", file=sys.stderr)
    return catalog, config.routine


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
    if args.json:
        print(json.dumps(routine_json(routine, minutes(routine, timings)), indent=2, ensure_ascii=False))
    else:
        print("\n".join(describe(routine, minutes(routine, timings))))
    return 0


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


SUBCOMMANDS = {"list": run_list, "show": run_show, "check": run_check}


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
