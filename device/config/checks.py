"""Checks of a loaded config against the routines there are: every routine it names exists.

`config --check`, `run` and `install` use this one function, so what the check accepts is what
the daemon can run.
"""

from __future__ import annotations

import difflib

from device.config.load import Config
from device.config.schema import WEEKDAYS


def routine_name_problems(config: Config, known: set[str]) -> list[str]:
    """Lines for each routine name in `[routine] default` / `[bedtime] *_routine` not in `known`."""
    return [config.problem(section, key, message) for (section, key), message in unknown_routines(config, known)]


def unknown_routines(config: Config, known: set[str]) -> list[tuple[tuple[str, str], str]]:
    """((section, key), message) for each routine name the config gives that is not in `known`."""
    problems = []
    keys = [("routine", "default")] + [("bedtime", f"{day}_routine") for day in WEEKDAYS]
    for section, key in keys:
        name = getattr(getattr(config, section), key)
        if name and name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(sorted(known))}"
            problems.append(((section, key), f"no routine called {name!r} ({hint})"))
    return problems
