"""Every screen the built-in content can put on the panel, as `State`s built by hand.

Used by `tests/test_content_fits.py`. The states mirror how `routines.view` shows each
text (title, page, corner, hints), with the widest corner it can have ("left 4/4"), so
that a page that fits here fits on the device.
"""

from __future__ import annotations

from typing import Iterator

from routines.catalog import Catalog
from routines.model import Routine, Sides, Step, StepKind
from routines.state import Breath, Phase, Side, State

STREAK = "Night 12 · 5-night streak"
BREATH = Breath(inhaling=True, fraction=1.0)  # the pacer at its largest


def content_states(catalog: Catalog) -> Iterator[tuple[str, State]]:
    """(label, state) for every card page, setup page (the caution as a last page), note,
    the first cue of each hold, and every heading (kind word, what-to-expect) with every tip."""
    yield from _card_states(catalog)
    for routine in catalog.routines.values():
        yield from _routine_states(routine)


def hold_states(catalog: Catalog) -> Iterator[tuple[str, State]]:
    """(label, state) of every hold with each of its cues (cues show on tall panels)."""
    for routine in catalog.routines.values():
        count = len(routine.stretch_steps)
        for step in routine.stretch_steps:
            for cue in step.cues:
                yield f"{routine.name}: {step.stretch.id} cue {cue!r}", State(
                    Phase.HOLD, routine_title=routine.title, title=step.stretch.short_name,
                    side=_side(step), remaining_seconds=step.hold_seconds, total_seconds=step.hold_seconds,
                    step_number=count, step_count=count, breath=BREATH, cue=cue,
                    hint_press="pause", hint_hold="skip")


def _card_states(catalog: Catalog) -> Iterator[tuple[str, State]]:
    cards = catalog.cards
    for index, page in enumerate(cards.safety_pages):
        yield f"safety page {index + 1}", State(
            Phase.SAFETY, title=cards.safety_title, lines=(page,), page_index=index,
            page_count=len(cards.safety_pages), hint_press="next", awaits_press=True)
    yield "transition", State(
        Phase.TRANSITION, title=cards.transition_title, lines=(cards.transition_text,),
        remaining_seconds=10.0, total_seconds=10.0, hint_press="next")
    headings = list(cards.kind_words) + [line for lines in cards.expect.values() for line in lines]
    tips = [tip for position in cards.sleep_tips.values() for tip in position]
    for heading in headings:
        for tip in tips:
            yield f"done {heading!r} with tip {tip!r}", State(
                Phase.DONE, title=heading, lines=(tip,), streak_text=STREAK, hint_press="close")


def _routine_states(routine: Routine) -> Iterator[tuple[str, State]]:
    count = len(routine.stretch_steps)
    yield f"{routine.name}: bedtime", State(
        Phase.BEDTIME, clock_text="22:15", routine_title=routine.title, routine_minutes=99.0,
        options=(routine.title, "Skip tonight"), hint_press="start", hint_hold="change", awaits_press=True)
    for step in routine.steps:
        where = f"{routine.name}: {step.title}"
        if step.kind is StepKind.INFO:
            for index, page in enumerate(step.pages):
                yield f"{where} page {index + 1}", State(
                    Phase.INFO, routine_title=routine.title, title=step.title, lines=(page,),
                    page_index=index, page_count=len(step.pages), hint_press="next", awaits_press=True)
        elif step.kind is StepKind.REST:
            yield where, State(Phase.TRANSITION, routine_title=routine.title, title=step.title,
                               lines=step.pages, remaining_seconds=step.seconds,
                               total_seconds=step.seconds, hint_press="next")
        else:
            yield from _stretch_states(routine, step, count, where)


def _stretch_states(routine: Routine, step: Step, count: int, where: str) -> Iterator[tuple[str, State]]:
    stretch = step.stretch
    pages = step.pages + ((stretch.caution,) if stretch.caution else ())
    common = dict(routine_title=routine.title, step_number=count, step_count=count, side=_side(step))
    for index, page in enumerate(pages):
        yield f"{where} setup page {index + 1}", State(
            Phase.SETUP, title=step.title, lines=(page,), page_index=index, page_count=len(pages),
            hint_press="start", hint_hold="skip", awaits_press=True, **common)
    if stretch.note:
        yield f"{where} note", State(
            Phase.SETUP, title=step.title, lines=(stretch.note,), page_index=0, page_count=1,
            hint_press="start", hint_hold="skip", awaits_press=True, **common)
    yield f"{where} get ready", State(
        Phase.GET_READY, title="Get ready", lines=(stretch.short_name,), remaining_seconds=10.0,
        total_seconds=10.0, hint_press="start", hint_hold="skip", **common)
    yield f"{where} hold", State(
        Phase.HOLD, title=stretch.short_name, remaining_seconds=step.hold_seconds,
        total_seconds=step.hold_seconds, breath=BREATH, cue=step.cues[0] if step.cues else "",
        hint_press="pause", hint_hold="skip", **common)
    yield f"{where} paused", State(
        Phase.PAUSED, title=stretch.short_name, paused_phase=Phase.HOLD,
        remaining_seconds=step.hold_seconds, total_seconds=step.hold_seconds,
        hint_press="resume", hint_hold="skip", **common)


def _side(step: Step) -> Side:
    return Side.LEFT if step.sides is Sides.EACH else Side.BOTH
