"""All routines a person can run: the built-in ones, then their own files on top.

Built-in data lives in `routines/data/`; it must be valid (tests keep it so), and a problem
there is fatal. User routine directories (`[routines] dirs` in the config) are read in
order: a user file overrides a built-in routine of the same name, and when two user files
define the same name the one in the earlier directory wins. A broken user file never stops
the device: `load_catalog` skips it and lists its problems in `Catalog.problems`, for the
daemon to log and for `psoas routines check` to report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from routines.errors import RoutineError, UnknownRoutineError
from routines.loading.files import shown
from routines.loading.loader import Cards, load_cards, load_stretches, read_routine
from routines.loading.toml_source import TomlSource
from routines.model import Routine, Stretch

DATA_DIR = Path(__file__).parent.parent / "data"  # routines/data
BUILT_IN = "built-in"


@dataclass(frozen=True)
class Catalog:
    """Stretches, cards and routines by name.

    `warnings` lists non-fatal findings (e.g. a hold outside the seed's range); `problems`
    lists every problem of the user files in `skipped`, left out because they are invalid.
    """

    stretches: dict[str, Stretch]
    cards: Cards
    routines: dict[str, Routine]
    warnings: tuple[str, ...] = field(default=())
    problems: tuple[str, ...] = field(default=())
    skipped: tuple[Path, ...] = field(default=())

    def routine(self, name: str) -> Routine:
        """The routine called `name`, or `UnknownRoutineError` listing the known names."""
        try:
            return self.routines[name]
        except KeyError:
            known = ", ".join(sorted(self.routines))
            hint = "; some routine files were skipped: run `psoas routines check`" if self.problems else ""
            raise UnknownRoutineError(f"no routine called {name!r}; known routines: {known}{hint}") from None


def built_in_stretches() -> dict[str, Stretch]:
    """The seed's stretches by id (raises `RoutineError` if the built-in file is broken)."""
    src = _built_in("stretches.toml")
    stretches = load_stretches(src)
    src.raise_if_problems()
    return stretches


SUFFIX = ".toml"


def not_loaded(path: Path) -> str | None:
    """Why a routine directory's file of this name is never loaded, or None: only visible files
    whose name ends in `.toml` (lower case) are."""
    name = Path(path).name
    if name.startswith("."):
        return "its name starts with '.' (a hidden file)"
    if not name.endswith(SUFFIX):
        if name.lower().endswith(SUFFIX):
            return f"its name ends in {shown(name[-len(SUFFIX):])}, not {SUFFIX} (lower case)"
        return f"its name does not end in {SUFFIX}"
    return None


def loaded_name(path: Path) -> str:
    """A name `not_loaded` accepts for `path`, e.g. "x.TOML" -> "x.toml", ".gentle.toml" -> "gentle.toml"."""
    name = Path(path).name.lstrip(".")
    stem = name[:-len(SUFFIX)] if name.lower().endswith(SUFFIX) else Path(name).stem
    return (stem or "my-routine") + SUFFIX


def routine_files(directory: Path) -> list[Path]:
    """The routine files of a directory, by name: those `not_loaded` accepts ([] if unreadable)."""
    try:
        return sorted(p for p in Path(directory).iterdir() if not_loaded(p) is None)
    except OSError:
        return []


def load_catalog(user_dirs: Iterable[Path] = (), strict: bool = False) -> Catalog:
    """Load the built-in data and every `*.toml` in `user_dirs` (missing dirs are skipped).

    Raises `RoutineError` when the built-in data is invalid. Invalid user files are left
    out and their problems listed in `Catalog.problems`; with `strict`, they raise too.
    """
    stretch_src, cards_src = _built_in("stretches.toml"), _built_in("cards.toml")
    stretches, cards = load_stretches(stretch_src), load_cards(cards_src)
    stretch_src.raise_if_problems()
    cards_src.raise_if_problems()
    warnings = stretch_src.warnings + cards_src.warnings
    routines: dict[str, Routine] = {}
    for path in sorted((DATA_DIR / "routines").glob("*.toml")):
        routine, found = read_routine(path, stretches, BUILT_IN, label=f"{BUILT_IN}:routines/{path.name}")
        routines[routine.name] = routine
        warnings += found
    problems: list[str] = []
    skipped: list[Path] = []
    from_user: dict[str, Path] = {}
    for directory in user_dirs:
        for path in routine_files(directory):
            try:
                routine, found = read_routine(path, stretches)
            except RoutineError as exc:
                problems += exc.problems
                skipped.append(path)
                continue
            warnings += found
            if routine.name in from_user:
                warnings.append(f"{shown(path)}: routine {routine.name!r} is also in "
                                f"{shown(from_user[routine.name])}, which comes first and is used")
                continue
            from_user[routine.name] = path
            routines[routine.name] = routine
    if strict and problems:
        raise RoutineError(problems)
    return Catalog(stretches=stretches, cards=cards, routines=routines, warnings=tuple(warnings),
                   problems=tuple(problems), skipped=tuple(skipped))


def expand(paths: Iterable[Path]) -> list[Path]:
    """The routine files named by `paths`: a directory gives its `*.toml` files, anything else
    is taken as a file (a `*.toml` found inside a directory is never expanded again)."""
    files: list[Path] = []
    for path in map(Path, paths):
        files += routine_files(path) if path.is_dir() else [path]
    return files


def check_files(paths: Iterable[Path]) -> tuple[list[str], list[str]]:
    """Check routine files (or every `*.toml` in a directory) against the built-in
    stretches, as `load_catalog` reads them: (problems, warnings), one line each. A file
    named that `load_catalog` would never load (`not_loaded`) is a problem too."""
    paths = [Path(p) for p in paths]
    stretches = built_in_stretches()
    problems: list[str] = []
    warnings: list[str] = []
    for path in paths:
        reason = None if path.is_dir() else not_loaded(path)
        if reason:
            problems.append(f"{shown(path)}: will not be loaded: {reason}; rename it, "
                            f"e.g. to {shown(loaded_name(path))}")
    for file in expand(paths):
        try:
            warnings += read_routine(file, stretches)[1]
        except RoutineError as exc:
            problems += exc.problems
    return problems, warnings


def _built_in(name: str) -> TomlSource:
    return TomlSource.read(DATA_DIR / name, name=f"{BUILT_IN}:{name}")
