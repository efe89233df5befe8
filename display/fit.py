"""Does every text fit? Each text on the screens that show it, at every supported panel size.

One check for the built-in content (tests/test_content_fits.py) and for a person's routine
files (`psoas routines check` warns about each finding). Each text is put on the screen that
shows it, as `routines.view` does, with the widest corner it can have ("left 4/4") and the
pacer at its largest, and drawn at each of `display.render.TURNS`; every `display.overflows`
line (text cut with "…", or a frame over the night light limit) becomes a `Misfit` that names
the key, and the page, the text comes from. So does a text that none of its screens shows in
full at a size (a small panel may show a screen's texts in turn, but must show each).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from display.render import PANEL_SIZES, TURNS, check
from routines import wording
from routines.loading.loader import Cards
from routines.loading.toml_source import TomlSource
from routines.model import Routine, Sides, Step, StepKind
from routines.outcomes import Side
from routines.state import Breath, Phase, State
from routines.view import setup_pages

STREAK = "Night 12 · 5-night streak"  # a long streak line for the done screen
BREATH = Breath(inhaling=True, fraction=1.0)  # the pacer at its largest
_PART = re.compile(r"^\S+ (.+?) at (\d+x\d+): ")  # part and size of an `overflows` line: "setup title at 128x32: …"
_HEADING_PARTS = ("title", "routine title")  # parts that are a screen's heading
_ALIASES = {"pages": "text"}  # a card step may write its one page as text = "…"


@dataclass(frozen=True)
class Source:
    """Where a text comes from: its key path in the file (as `TomlSource.line_of` takes it,
    e.g. ("step", 1, "setup")), the 1-based page, cue or tip in that list (0: a single
    text), and the same for people, e.g. "step 2 (Leg dangle), setup page 3". `text` is
    the text itself; `in_file` is False for a stretch's caution, note and name, which no
    routine file writes."""

    key: tuple
    item: int
    where: str
    text: str = ""
    in_file: bool = True


@dataclass(frozen=True)
class Screen:
    """A state to check: `body` is the source of its main text, `heading` of its title."""

    state: State
    body: Source
    heading: Source | None = None


@dataclass(frozen=True)
class Misfit:
    """A text that does not fit: its `source` and the `overflows` line (says size and room)."""

    source: Source
    problem: str

    def __str__(self) -> str:
        return f"{self.source.where}: {self.problem}"


def misfits(screens: Iterable[Screen], sizes: Iterable[tuple[int, int]] = PANEL_SIZES) -> list[Misfit]:
    """Every text of `screens` that is cut, too bright or never shown in full at any of
    `sizes`, each problem once.

    A heading that does not fit is blamed on the heading's source, anything else on the body's.
    Each different state is drawn once per size (in every turn): steps that repeat a stretch
    with the same texts cost no new drawing.
    """
    screens = list(screens)
    found: dict[Misfit, None] = {}
    drawn: dict[tuple[State, tuple[int, int]], tuple[list[str], frozenset[str]]] = {}
    for size in sizes:
        shown: dict[Source, bool] = {}  # each text: shown in full on one of its screens yet
        part_of: dict[Source, str] = {}  # each text: the first screen and part that has it
        for screen in screens:
            if (screen.state, size) not in drawn:
                drawn[screen.state, size] = _in_every_turn(screen.state, size)
            problems, texts = drawn[screen.state, size]
            for problem in problems:
                part = _PART.match(problem)
                is_heading = screen.heading is not None and part and part.group(1) in _HEADING_PARTS
                found.setdefault(Misfit(screen.heading if is_heading else screen.body, problem))
            for source, part in ((screen.body, "text"), (screen.heading, "title")):
                if source is not None and source.text:
                    if source not in part_of:
                        part_of[source] = f"{screen.state.phase.value} {part}"
                    shown[source] = shown.get(source, False) or source.text in texts
        reported = {misfit.source for misfit in found if f" at {size[0]}x{size[1]}: " in misfit.problem}
        for source, seen in shown.items():
            if not seen and source not in reported:
                found.setdefault(Misfit(source, f"{part_of[source]} at {size[0]}x{size[1]}: never shown in "
                                                f"full: {source.text[:40]!r}"))
    return list(found)


def _in_every_turn(state: State, size: tuple[int, int]) -> tuple[list[str], frozenset[str]]:
    """`state` drawn at `size` in each of `TURNS`: every problem (once, in turn order) and
    every text shown in full in some turn."""
    problems: dict[str, None] = {}
    texts: set[str] = set()
    for turn in TURNS:
        found, shown = check(replace(state, turn=turn), size)
        problems.update(dict.fromkeys(found))
        texts |= shown
    return list(problems), frozenset(texts)


def file_warnings(src: TomlSource, routine: Routine) -> list[str]:
    """One warning per text of `routine`, read from `src`, that a supported panel would cut
    or that would light it too much, in line order, e.g. "path:14: step 2 (Knee hug), setup
    page 3: warning: does not fit at 128x32: needs 3 lines, 2 fit: '…'; shorten it or split it in two".

    The line is the text's own line when the file writes it (a list may spread over lines).
    The stretch's own texts (they fit under its own name) that no longer fit make one
    warning about the step's title, which takes their room.
    """
    problems: dict[Source, list[str]] = {}
    for misfit in misfits(routine_screens(routine)):
        problems.setdefault(misfit.source, []).append(misfit.problem)
    found: list[tuple[int, str]] = []
    crowded: dict[tuple, list[list[str]]] = {}  # step key -> problems of the stretch's texts
    for source, lines in problems.items():
        line = _line_of(src, source)
        if line is None:
            crowded.setdefault(source.key[:2], []).append(lines)
            continue
        fix = "shorten it or split it in two" if source.item else "shorten it"
        found.append(_warning(src, line, source.where, lines, fix))
    for key, texts in crowded.items():
        line = src.line_of(*key, "title") or 0
        fix = f"shorten the step's title: {len(texts)} of the stretch's own texts no longer fit under it"
        found.append(_warning(src, line, f"step {key[1] + 1} title", [p for lines in texts for p in lines], fix))
    return [message for _, message in sorted(found, key=lambda pair: pair[0])]


def _line_of(src: TomlSource, source: Source) -> int | None:
    """The line of `source` in `src` (0 when unknown), or None when the file does not write it."""
    key = source.key
    step_line = src.line_of(*key[:-1]) or 0
    if key and key[-1] in _ALIASES and (src.line_of(*key) or 0) == step_line:
        key = key[:-1] + (_ALIASES[key[-1]],)
    line = src.line_of(*key) or 0
    if not source.in_file or not source.text or line == step_line:
        return None  # the stretch's caution, note or name, or a key the step leaves out
    lines = src.text.splitlines()
    return next((n for n in range(line, len(lines) + 1) if source.text in lines[n - 1]), line)


def _warning(src: TomlSource, line: int, where: str, problems: list[str], fix: str) -> tuple[int, str]:
    """(line, "path:line: where: warning: does not fit at SIZES: first problem; fix")."""
    sizes = ", ".join(dict.fromkeys(_PART.match(problem).group(2) for problem in problems))
    detail = _PART.sub("", problems[0]).removesuffix(": shorten the text")
    place = f"{src.name}:{line}" if line else src.name
    return line, f"{place}: {where}: warning: does not fit at {sizes}: {detail}; {fix}"


def routine_screens(routine: Routine) -> Iterator[Screen]:
    """The bedtime prompt, then every page, cue and name of each step of `routine`."""
    title = Source(("title",), 0, "title", routine.title)
    yield Screen(State(
        Phase.BEDTIME, clock_text="22:15", routine_title=routine.title, routine_minutes=99.0,
        options=(routine.title, wording.SKIP_TONIGHT), hint_press=wording.HINT_START,
        hint_hold=wording.HINT_CHANGE, awaits_press=True), title, title)
    count = len(routine.stretch_steps)
    for index, step in enumerate(routine.steps):
        key = ("step", index)
        where = f"step {index + 1} ({step.title})"
        heading = Source(key + ("title",), 0, f"step {index + 1} title", step.title)
        if step.kind is StepKind.INFO:
            for page, text in enumerate(step.pages):
                yield Screen(State(
                    Phase.INFO, routine_title=routine.title, title=step.title, lines=(text,),
                    page_index=page, page_count=len(step.pages), hint_press=wording.HINT_CONTINUE,
                    awaits_press=True), Source(key + ("pages",), page + 1, f"{where}, page {page + 1}", text), heading)
        elif step.kind is StepKind.REST:
            yield Screen(State(
                Phase.TRANSITION, routine_title=routine.title, title=step.title, lines=step.pages,
                remaining_seconds=step.seconds, total_seconds=step.seconds, hint_press=wording.HINT_CONTINUE),
                Source(key + ("pages",), 0, f"{where}, text", step.pages[0] if step.pages else ""), heading)
        else:
            yield from _stretch_screens(routine, step, count, key, where, heading)


def card_screens(cards: Cards) -> Iterator[Screen]:
    """Every safety page, the move-slowly card, each done heading with each sleep tip, and
    the engine's own stopped and switch-sides words."""
    heading = Source(("safety", "title"), 0, "safety title", cards.safety_title)
    for index, page in enumerate(cards.safety_pages):
        yield Screen(State(
            Phase.SAFETY, title=cards.safety_title, lines=(page,), page_index=index,
            page_count=len(cards.safety_pages), hint_press=wording.HINT_CONTINUE, awaits_press=True),
            Source(("safety", "pages"), index + 1, f"safety page {index + 1}", page), heading)
    yield Screen(State(
        Phase.TRANSITION, title=cards.transition_title, lines=(cards.transition_text,),
        remaining_seconds=10.0, total_seconds=10.0, hint_press=wording.HINT_CONTINUE),
        Source(("transition", "text"), 0, "move-slowly text", cards.transition_text),
        Source(("transition", "title"), 0, "move-slowly title", cards.transition_title))
    headings = [Source(("done", "kind_words"), i + 1, f"kind word {i + 1}", text)
                for i, text in enumerate(cards.kind_words)]
    for stage, lines in cards.expect.items():
        headings += [Source(("expect", stage), i + 1, f"{stage} line {i + 1}", text) for i, text in enumerate(lines)]
    for position, tips in cards.sleep_tips.items():
        for number, tip in enumerate(tips, start=1):
            body = Source(("sleep_tips", position), number, f"{position} sleep tip {number}", tip)
            for source in headings:
                yield Screen(State(Phase.DONE, title=source.text, lines=(tip,), streak_text=STREAK,
                                   hint_press=wording.HINT_CLOSE), body, source)
    yield Screen(State(Phase.STOPPED, title=wording.STOPPED_TITLE, lines=(wording.STOPPED_TEXT,),
                       hint_press=wording.HINT_CLOSE), _words("STOPPED_TEXT"), _words("STOPPED_TITLE"))
    yield Screen(State(Phase.SWITCH, title=wording.SWITCH_TITLE, lines=(wording.SWITCH_TEXT,), side=Side.RIGHT,
                       remaining_seconds=8.0, total_seconds=8.0, step_number=4, step_count=4,
                       hint_press=wording.HINT_START), _words("SWITCH_TEXT"), _words("SWITCH_TITLE"))


def _words(name: str) -> Source:
    """The source of one of the program's own words, e.g. "routines/wording.py STOPPED_TEXT"."""
    return Source((), 0, f"routines/wording.py {name}", getattr(wording, name))


def _stretch_screens(routine: Routine, step: Step, count: int, key: tuple, where: str,
                     heading: Source) -> Iterator[Screen]:
    """Setup pages (then caution and note), get ready, each hold cue, and the paused hold."""
    stretch = step.stretch
    pages = setup_pages(step)
    sources = [Source(key + ("setup",), i + 1, f"{where}, setup page {i + 1}", page)
               for i, page in enumerate(step.pages)]
    extras = (["caution"] if stretch.caution else []) + ["note"]  # the note only when `pages` has it
    sources += [Source(key + ("stretch",), 0, f"{where}, {extra} of stretch {stretch.id!r}",
                       getattr(stretch, extra), in_file=False) for extra in extras]
    side = Side.LEFT if step.sides is Sides.EACH else Side.BOTH
    common = dict(routine_title=routine.title, step_number=count, step_count=count, side=side)
    for index, (page, source) in enumerate(zip(pages, sources)):
        yield Screen(State(
            Phase.SETUP, title=step.title, lines=(page,), page_index=index, page_count=len(pages),
            hint_press=wording.HINT_START, hint_hold=wording.HINT_SKIP, awaits_press=True, **common),
            source, heading)
    name = Source(key + ("stretch",), 0, f"{where}, name of stretch {stretch.id!r}", stretch.short_name,
                  in_file=False)
    timing = dict(remaining_seconds=step.hold_seconds, total_seconds=step.hold_seconds)
    yield Screen(State(
        Phase.GET_READY, title=wording.GET_READY_TITLE, lines=(stretch.short_name,), remaining_seconds=10.0,
        total_seconds=10.0, hint_press=wording.HINT_START, hint_hold=wording.HINT_SKIP, **common), name, name)
    for number, cue in enumerate(step.cues or ("",), start=1):
        source = Source(key + ("cues",), number, f"{where}, cue {number}", cue) if cue else name
        yield Screen(State(
            Phase.HOLD, title=stretch.short_name, breath=BREATH, cue=cue, hint_press=wording.HINT_PAUSE,
            hint_hold=wording.HINT_SKIP, **timing, **common), source, name)
    yield Screen(State(
        Phase.PAUSED, title=stretch.short_name, hint_press=wording.HINT_RESUME,
        hint_hold=wording.HINT_SKIP, **timing, **common), name, name)
