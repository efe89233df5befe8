"""All routines a person can run: the built-in ones, then their own files on top.

Built-in data lives in `routines/data/`. User routine directories are read in order; a
user file whose name matches a built-in routine overrides it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from routines.errors import RoutineError, UnknownRoutineError
from routines.loader import Cards, load_cards, load_routine, load_stretches
from routines.model import Routine, Stretch
from routines.toml_source import TomlSource

DATA_DIR = Path(__file__).with_name("data")
BUILT_IN = "built-in"


@dataclass(frozen=True)
class Catalog:
    """Stretches, cards and routines by name. `warnings` lists non-fatal findings."""

    stretches: dict[str, Stretch]
    cards: Cards
    routines: dict[str, Routine]
    warnings: tuple[str, ...] = field(default=())

    def routine(self, name: str) -> Routine:
        """The routine called `name`, or `UnknownRoutineError` listing the known names."""
        try:
            return self.routines[name]
        except KeyError:
            known = ", ".join(sorted(self.routines))
            raise UnknownRoutineError(f"no routine called {name!r}; known routines: {known}") from None


def _built_in(name: str) -> TomlSource:
    return TomlSource.read(DATA_DIR / name, name=f"{BUILT_IN}:{name}")


def load_catalog(user_dirs: Iterable[Path] = ()) -> Catalog:
    """Load the built-in data and every `*.toml` in `user_dirs` (missing dirs are skipped).

    Raises `RoutineError` listing every problem of every invalid file.
    """
    stretch_src = _built_in("stretches.toml")
    stretches = load_stretches(stretch_src)
    cards_src = _built_in("cards.toml")
    cards = load_cards(cards_src)
    problems = stretch_src.problems + cards_src.problems
    warnings = stretch_src.warnings + cards_src.warnings
    routines: dict[str, Routine] = {}
    files = [(path, BUILT_IN) for path in sorted((DATA_DIR / "routines").glob("*.toml"))]
    for directory in user_dirs:
        if Path(directory).is_dir():
            files += [(path, str(path)) for path in sorted(Path(directory).glob("*.toml"))]
    for path, origin in files:
        label = f"{BUILT_IN}:routines/{path.name}" if origin == BUILT_IN else str(path)
        try:
            src = TomlSource.read(path, name=label)
        except RoutineError as exc:
            problems += exc.problems
            continue
        routine = load_routine(src, path.stem, stretches, origin)
        problems += src.problems
        warnings += src.warnings
        if not src.problems:
            routines[routine.name] = routine
    if problems:
        raise RoutineError(problems)
    return Catalog(stretches=stretches, cards=cards, routines=routines, warnings=tuple(warnings))


def check_files(paths: Iterable[Path]) -> tuple[list[str], list[str]]:
    """Check routine files against the built-in stretches: (problems, warnings)."""
    stretch_src = _built_in("stretches.toml")
    stretches = load_stretches(stretch_src)
    problems: list[str] = []
    warnings: list[str] = []
    for path in paths:
        try:
            src = TomlSource.read(Path(path))
        except RoutineError as exc:
            problems += exc.problems
            continue
        load_routine(src, Path(path).stem, stretches, str(path))
        problems += src.problems
        warnings += src.warnings
    return problems, warnings
