"""`psoas config`: the effective config and where each value came from; `--check FILE`.

`psoas config` prints valid TOML (paste any line into your own file) with, after each value,
`# defaults`, `# path:line` of the file that set it, or `# <state dir>/settings.toml (phone)`
for a value set on the phone page, plus the config file and state dir used.
`psoas config --check FILE` reads FILE as the user's config, also checks that every routine
it names exists, prints every problem as `path:line: section/key: message` and exits 1, or
prints `FILE: ok` and exits 0.
"""

from __future__ import annotations

import sys

from device.cli import add_path_options
from device.config import phone_settings
from device.config.checks import routine_name_problems
from device.config.load import SEARCH_PATHS, Config, load_config
from device.config.paths import state_dir_and_origin
from device.errors import ConfigError
from routines.errors import PsoasError
from routines.loading.catalog import load_catalog
from routines.loading.files import shown
from routines.loading.toml_source import in_line_order
from routines.wording import counted

EXIT_OK, EXIT_PROBLEMS = 0, 1


def add_arguments(parser) -> None:
    """`psoas config [--config PATH] [--state-dir DIR] [--check FILE]`."""
    add_path_options(parser)
    parser.add_argument("--check", metavar="FILE", help="check FILE (and the routines it names); exit 0 if valid, 1 if not")


def run(args, out=None, err=None) -> int:
    out, err = out or sys.stdout, err or sys.stderr  # looked up now: a caller may have redirected them
    if args.check:
        return check_file(args.check, out, err)
    config = load_config(args.config)  # a ConfigError ends as one line per problem, exit 2
    state, origin = state_dir_and_origin(args, config)
    config = phone_settings.with_phone(config, state)
    out.write(render(config, state, origin))
    return EXIT_OK


def check_file(path: str, out=None, err=None) -> int:
    """Check one config file; print its problems (stderr) or `PATH: ok` (stdout)."""
    out, err = out or sys.stdout, err or sys.stderr
    try:
        config = load_config(path)
        problems = routine_problems(config)
    except ConfigError as exc:
        problems = exc.problems
    except PsoasError as exc:
        problems = str(exc).splitlines()
    for line in problems:
        print(shown(line), file=err)
    if problems:
        print(f"{shown(path)}: {counted(len(problems), 'problem')}", file=err)
        return EXIT_PROBLEMS
    print(f"{shown(path)}: ok", file=out)
    return EXIT_OK


def routine_problems(config: Config) -> list[str]:
    """Routine names in the config that no built-in or user routine file defines (in the
    config's line order), then the problems of the routine files it would load."""
    catalog = load_catalog(config.routine_dirs())
    names = routine_name_problems(config, set(catalog.routines))
    if config.source is not None:
        names = in_line_order(names, config.source.name)
    return names + list(catalog.problems)


def render(config: Config, state_dir, state_origin: str) -> str:
    """The effective config as TOML, each value followed by where it came from."""
    searched = ", ".join(str(p) for p in SEARCH_PATHS)
    source = shown(config.path) if config.path else f"none found (looked at $PSOAS_CONFIG, {searched}): defaults only"
    lines = [f"# config file: {source}", f"# state dir: {shown(state_dir)} (from {state_origin})"]
    rows: dict[str, list[str]] = {}
    for (section, key), value, kind in config.items():
        rows.setdefault(section, []).append(f"{key} = {kind.to_toml(value)}")
    for section, texts in rows.items():
        lines += ["", f"[{section}]"]
        width = max(len(text) for text in texts)
        lines += [f"{text:<{width}}  # {config.where(section, text.split(' = ')[0])}" for text in texts]
    return "\n".join(lines) + "\n"
