"""Checks of routine names against the routines there are: those a config names, and one given
as an argument.

`run` (at start and on every reload), `demo`, `preview` and `config --check` check the config
with these functions, so what the check accepts is what the daemon can run, and a wrong name
fails the same way everywhere: a `ConfigError` (exit 2) naming `path:line`. A name given on
the command line (`demo --routine`, `preview --routine`, `routines show NAME`) that no routine
has is a `UsageError` (exit 2) naming the argument and the known names.
"""

from __future__ import annotations

import difflib

from device.config.load import Config
from device.config.schema import WEEKDAYS
from device.errors import ConfigError, UsageError
from routines.loading.catalog import Catalog
from routines.model import Routine


def close_name(name: str, known) -> str | None:
    """The known name closest to `name` (a likely typo), or None."""
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return close[0] if close else None


def routine_name_problems(config: Config, known: set[str]) -> list[str]:
    """Lines for each routine name in `[routine] default` / `[bedtime] *_routine` / the coaching
    routines not in `known`."""
    return [config.problem(section, key, message) for (section, key), message in unknown_routines(config, known)]


def unknown_routines(config: Config, known: set[str]) -> list[tuple[tuple[str, str], str]]:
    """((section, key), message) for each routine name the config gives that is not in `known`."""
    problems = []
    keys = [("routine", "default")] + [("bedtime", f"{day}_routine") for day in WEEKDAYS]
    keys += [("coaching", "first_week_routine"), ("coaching", "gentle_routine")]
    for section, key in keys:
        name = getattr(getattr(config, section), key)
        if name and name not in known:
            close = close_name(name, known)
            hint = f"did you mean {close!r}?" if close else f"known: {', '.join(sorted(known))}"
            problems.append(((section, key), f"no routine called {name!r} ({hint})"))
    return problems


def check_routine_names(config: Config, catalog: Catalog) -> None:
    """Raise `ConfigError` (one line per key, `path:line`) when the config names a routine the
    catalog does not have."""
    problems = routine_name_problems(config, set(catalog.routines))
    if problems:
        raise ConfigError(problems)


def routine_argument(catalog: Catalog, name: str, argument: str) -> Routine:
    """The routine called `name`, given on the command line as `argument` (e.g. "--routine");
    else `UsageError` naming the argument, the closest name and every known name."""
    if name in catalog.routines:
        return catalog.routines[name]
    close = close_name(name, catalog.routines)
    hint = f" (did you mean {close!r}?)" if close else ""
    skipped = "; some routine files were skipped: run `psoas routines check`" if catalog.problems else ""
    raise UsageError(f"{argument} {name!r}: no such routine{hint}; known routines: "
                     f"{', '.join(sorted(catalog.routines))} (see `psoas routines list`){skipped}")
