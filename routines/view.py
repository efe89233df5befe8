"""Build the `State` a renderer draws from where the flow is at a given time."""

from __future__ import annotations

from dataclasses import replace

from routines import morning, wording
from routines.model import Sides, Step, StepKind
from routines.outcomes import Side
from routines.state import Breath, Phase, State

ROUTINE_PHASES = frozenset({
    Phase.SAFETY, Phase.INFO, Phase.SETUP, Phase.GET_READY, Phase.HOLD, Phase.PAUSED,
    Phase.SWITCH, Phase.TRANSITION,
})
# The phases whose screen counts their time down; other timed phases (the clock peek, the
# bedtime prompt, the morning question, done, stopped, setup pages) change only at their end,
# a page flip or a turn (a bedtime prompt with a line why turns, for compact panels).
COUNTDOWN_PHASES = frozenset({Phase.GET_READY, Phase.HOLD, Phase.SWITCH, Phase.TRANSITION})
SCALE = tuple(str(value) for value in range(morning.SCALE_MAX + 1))  # the morning question's choices
FADE_SECONDS = 120.0  # a fade-out hold dims to dark over this long (or half the hold if shorter)
PAGED_PHASES = frozenset({Phase.SAFETY, Phase.INFO, Phase.SETUP})
TURNS_PER_PAGE = 2  # turns in a page's time (`page_seconds`), on any screen that has turns
TURNS_PER_CUE = 3  # turns in a hold cue line's time (`cue_seconds`)
# The phases whose `State.turn` counts; besides these, HOLD and PAUSED count by cue lines.
TURNING_PHASES = PAGED_PHASES | {Phase.GET_READY, Phase.SWITCH, Phase.TRANSITION, Phase.DONE, Phase.STOPPED}


def sides_of(step: Step) -> tuple[Side, ...]:
    """The sides a stretch step holds, in order: left then right (right then left when the step
    says `right_first`), or both at once."""
    if step.sides is not Sides.EACH:
        return (Side.BOTH,)
    return (Side.RIGHT, Side.LEFT) if step.right_first else (Side.LEFT, Side.RIGHT)


def setup_pages(step: Step) -> tuple[str, ...]:
    """A stretch's setup pages, then its caution, then the seed's note on how long to stay.

    The note is left out when the routine changes the hold (it would contradict the timer).
    """
    stretch = step.stretch
    pages = step.pages + ((stretch.caution,) if stretch.caution else ())
    if stretch.note and step.hold_seconds == stretch.hold_seconds:
        pages += (stretch.note,)
    return pages


def turn_seconds(flow) -> float | None:
    """How long a turn of the current phase lasts, in seconds (see `State.turn`); None when
    the turn does not move (no turns, or a paused hold)."""
    if flow.phase is Phase.HOLD:
        return flow.settings.cue_seconds / TURNS_PER_CUE
    if flow.phase in TURNING_PHASES or (flow.phase is Phase.BEDTIME and flow.why):
        return flow.settings.page_seconds / TURNS_PER_PAGE
    if flow.phase is Phase.MORNING_SAVED and flow.morning_note:
        return flow.settings.saved_seconds
    return None


def _turn(flow, at: float) -> int:
    """`State.turn` at `at`: whole turns since the phase began (for a hold: of the time held),
    counted within the page on paged screens."""
    if flow.phase is Phase.PAUSED:
        return int(max(0.0, flow.paused_at - flow.start_at) // (flow.settings.cue_seconds / TURNS_PER_CUE))
    every = turn_seconds(flow)
    if every is None:
        return 0
    turn = int(max(0.0, at - flow.start_at) // every)
    return turn % TURNS_PER_PAGE if flow.phase in PAGED_PHASES else turn


def build(flow, at: float) -> State:
    """The `State` of `flow` at `at` (monotonic seconds)."""
    state = _build(flow, at)
    turn = _turn(flow, at)
    return replace(state, turn=turn) if turn else state


def _build(flow, at: float) -> State:
    phase = flow.phase
    end = flow.phase_end
    timing = {}
    if end is not None:
        timing = {"remaining_seconds": min(flow.duration, max(0.0, end - at)), "total_seconds": flow.duration}
    routine_title = flow.routine.title if flow.routine else ""
    if phase is Phase.DARK:
        return State(phase, hint_press=wording.HINT_TIME, hint_hold=wording.HINT_ROUTINE)
    if phase is Phase.CLOCK:
        return State(phase, hint_press=wording.HINT_CLOSE, hint_hold=wording.HINT_ROUTINE, **timing)
    if phase is Phase.BEDTIME:
        return _bedtime(flow, timing)
    if phase is Phase.MORNING:
        return State(phase, title=morning.QUESTION, options=SCALE, option_index=flow.morning_value,
                     hint_press=wording.HINT_PLUS_ONE, hint_hold=wording.HINT_SAVE,
                     hint_long=wording.HINT_NOT_TODAY, **timing)
    if phase is Phase.MORNING_SAVED:
        note = (flow.morning_note,) if flow.morning_note else ()
        return State(phase, title=flow.morning_line, lines=note, hint_press=wording.HINT_CLOSE, **timing)
    if phase is Phase.DONE:
        return State(
            phase, routine_title=routine_title, title=_pick(flow.cards.kind_words, flow.nights),
            lines=(_pick(flow.cards.sleep_tips.get(flow.settings.sleep_position, ()), flow.nights),),
            hint_press=wording.HINT_CLOSE, **timing,
        )
    if phase is Phase.STOPPED:
        return State(phase, routine_title=routine_title, title=wording.STOPPED_TITLE,
                     lines=(wording.STOPPED_TEXT,), hint_press=wording.HINT_CLOSE, **timing)
    if phase is Phase.SAFETY:
        pages = flow.cards.safety_pages
        return State(phase, routine_title=routine_title, title=flow.cards.safety_title,
                     hint_press=wording.HINT_CONTINUE, awaits_press=True, **_page(flow, pages, at))
    step = flow.step
    number, count = _stretch_number(flow)
    common = dict(routine_title=routine_title, step_number=number, step_count=count, **timing)
    if phase is Phase.INFO:
        return State(phase, title=step.title, hint_press=wording.HINT_CONTINUE, awaits_press=True,
                     **_page(flow, step.pages, at), **common)
    if phase is Phase.TRANSITION:
        if step.kind is StepKind.REST:
            title, lines = step.title, step.pages
        else:
            title, lines = flow.cards.transition_title, (flow.cards.transition_text,)
        return State(phase, title=title, lines=lines, hint_press=wording.HINT_CONTINUE, **common)
    side = sides_of(step)[flow.side_index]
    if phase is Phase.SETUP:
        return State(phase, title=step.title, side=side, hint_press=wording.HINT_START,
                     hint_hold=wording.HINT_SKIP, awaits_press=end is None,
                     **_page(flow, setup_pages(step), at), **common)
    if phase is Phase.GET_READY:
        return State(phase, title=wording.GET_READY_TITLE, lines=(step.stretch.short_name,), side=side,
                     hint_press=wording.HINT_START, hint_hold=wording.HINT_SKIP, **common)
    if phase is Phase.SWITCH:
        return State(phase, title=wording.SWITCH_TITLE, lines=(wording.SWITCH_TEXT,),
                     side=sides_of(step)[-1], hint_press=wording.HINT_START, **common)
    return _hold(flow, step, side, at, common)


def _hold(flow, step: Step, side: Side, at: float, common: dict) -> State:
    """HOLD and PAUSED: countdown, breathing and cue from the time held so far."""
    paused = flow.phase is Phase.PAUSED
    now = flow.paused_at if paused else at
    held = max(0.0, now - flow.start_at)
    total = step.hold_seconds
    common.update(remaining_seconds=max(0.0, total - held), total_seconds=total)
    cue = step.cues[int(held // flow.settings.cue_seconds) % len(step.cues)] if step.cues else ""
    if paused:
        return State(Phase.PAUSED, title=step.stretch.short_name, side=side,
                     cue=cue, hint_press=wording.HINT_RESUME, hint_hold=wording.HINT_SKIP, **common)
    fade = max(0.0, 1.0 - held / min(FADE_SECONDS, total / 2)) if step.fade_out else 1.0
    return State(Phase.HOLD, title=step.stretch.short_name, side=side, breath=_breath(step, held), cue=cue,
                 hint_press=wording.HINT_PAUSE, hint_hold=wording.HINT_SKIP, fade=fade, **common)


def _breath(step: Step, held: float) -> Breath | None:
    pattern = step.breathing
    if pattern is None:
        return None
    position = held % pattern.cycle_seconds
    if position < pattern.inhale_seconds:
        return Breath(True, position / pattern.inhale_seconds)
    return Breath(False, (position - pattern.inhale_seconds) / pattern.exhale_seconds)


def _bedtime(flow, timing: dict) -> State:
    titles = tuple(r.title for r in flow.options) + flow.extras + (wording.SKIP_TONIGHT,)
    index = flow.option_index
    chosen = flow.options[index] if index < len(flow.options) else None
    extra = index < len(flow.options) + len(flow.extras) and not chosen
    settings = flow.settings
    minutes = chosen.planned_seconds(settings.switch_seconds, settings.transition_seconds) / 60 if chosen else 0.0
    hint = wording.HINT_START if chosen else wording.HINT_CHOOSE if extra else wording.SKIP_TONIGHT.lower()
    return State(
        Phase.BEDTIME, routine_title=titles[index], options=titles, option_index=index,
        routine_minutes=minutes, lines=(flow.why,) if flow.why and index == 0 else (), hint_press=hint,
        hint_hold=wording.HINT_CHANGE, awaits_press=True, **timing,
    )


def _page(flow, pages: tuple[str, ...], at: float) -> dict:
    if not pages:
        return {}
    index = int((at - flow.start_at) // flow.settings.page_seconds) % len(pages)
    return {"lines": (pages[index],), "page_index": index, "page_count": len(pages)}


def _stretch_number(flow) -> tuple[int, int]:
    stretches = [i for i, s in enumerate(flow.routine.steps) if s.kind is StepKind.STRETCH]
    done = sum(1 for i in stretches if i <= flow.step_index)
    return (done if flow.step.kind is StepKind.STRETCH else 0), len(stretches)


def _pick(choices, number: int) -> str:
    return choices[(number - 1) % len(choices)] if choices else ""

