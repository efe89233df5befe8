"""Sample states covering every screen, for reference images and `psoas preview`.

The texts mirror what the engine shows for the built-in routines but are fixed here, so
the reference images change only when the drawing changes. Most are at the turn (`State.turn`)
that shows a screen's main view; the `*_cue`, `done_tip` and `transition_text` ones show the
other views compact panels take turns with.
"""

from __future__ import annotations

from dataclasses import replace

from routines.outcomes import Side
from routines.state import Breath, ButtonFeedback, Phase, State

_HOLD = State(
    Phase.HOLD, routine_title="Full routine", title="Leg dangle", side=Side.LEFT,
    remaining_seconds=24.3, total_seconds=30.0, step_number=2, step_count=4,
    breath=Breath(inhaling=True, fraction=0.5), cue="Ribs heavy, low back soft.",
    hint_press="pause", hint_hold="skip", turn=1,
)
_PAUSED = State(
    Phase.PAUSED, title="Leg dangle", side=Side.LEFT,
    remaining_seconds=18.0, total_seconds=30.0, step_number=2, step_count=4,
    cue="Breathe steadily.", hint_press="resume", hint_hold="skip", turn=1,
)
_SETUP = State(
    Phase.SETUP, routine_title="Full routine", title="Edge-of-bed leg dangle",
    lines=("Hug the inner knee to your chest.",), page_index=1, page_count=5, step_number=2,
    step_count=4, side=Side.LEFT, hint_press="start", hint_hold="skip", awaits_press=True,
)

_TRANSITION = State(
    Phase.TRANSITION, title="Move slowly", lines=("Ease out of the last position. No rush.",),
    remaining_seconds=9.0, total_seconds=10.0, step_count=4, hint_press="next",
)
_DONE = State(
    Phase.DONE, title="Well done.", lines=("Side: a pillow between your knees.",),
    streak_text="Night 12 · 5-night streak", hint_press="close",
)

_MORNING = State(
    Phase.MORNING, title="Morning stiffness?", options=tuple(str(n) for n in range(11)), option_index=3,
    remaining_seconds=30.0, total_seconds=30.0, hint_press="+1", hint_hold="save", hint_long="not today",
)

_BEDTIME_WHY = State(
    Phase.BEDTIME, clock_text="22:15", routine_title="High-pain day", routine_minutes=12.5,
    options=("High-pain day", "Full routine", "Quick", "Fall asleep", "Skip tonight"),
    lines=("Stiff morning: go gently",), hint_press="start", hint_hold="change", awaits_press=True,
)
_SAVED_NOTE = State(Phase.MORNING_SAVED, title="Saved: 8 · last week 6.1", lines=("Stiffer 2 weeks: a physio?",),
                    remaining_seconds=10.0, total_seconds=10.0, hint_press="close")


def sample_states() -> dict[str, State]:
    """Named sample states, at least one per phase, in the order a night meets them."""
    return {
        "dark": State(Phase.DARK),
        "clock": State(Phase.CLOCK, clock_text="22:15", hint_press="close", hint_hold="routine"),
        "bedtime": State(
            Phase.BEDTIME, clock_text="22:15", routine_title="Full routine", routine_minutes=16.5,
            options=("Full routine", "Quick", "High-pain day", "Fall asleep", "Skip tonight"),
            hint_press="start", hint_hold="change", awaits_press=True,
        ),
        "bedtime_stiff_morning": replace(_BEDTIME_WHY),
        "bedtime_stiff_morning_why": replace(_BEDTIME_WHY, turn=1),
        "bedtime_first_week": replace(
            _BEDTIME_WHY, routine_title="Quick", routine_minutes=2.3, lines=("First week: two stretches",),
            options=("Quick", "Full routine", "High-pain day", "Fall asleep", "Skip tonight"),
        ),
        "bedtime_skip": State(
            Phase.BEDTIME, clock_text="22:15", routine_title="Skip tonight",
            options=("Full routine", "Quick", "Skip tonight"), option_index=2,
            hint_press="skip tonight", hint_hold="change", awaits_press=True,
        ),
        "safety": State(
            Phase.SAFETY, title="Before you start", lines=("Gentle only: a mild pull, never pain.",),
            page_index=0, page_count=7, hint_press="next", awaits_press=True, turn=1,
        ),
        "info": State(
            Phase.INFO, title="Tonight", lines=("Four bed stretches.", "About 16 minutes."),
            page_count=2, hint_press="next", awaits_press=True,
        ),
        "setup": _SETUP,
        "setup_long_title": replace(
            _SETUP, title="Hip flexor stretch with knee hug", lines=("Bend the inner knee, foot flat.",),
            page_index=0, page_count=4, step_number=3, side=Side.RIGHT,
        ),
        "setup_too_long": replace(
            _SETUP, lines=("Drop only as far as is comfy: a gentle pull at the front of the hip.",),
            page_index=3,
        ),
        "get_ready": State(
            Phase.GET_READY, title="Get ready", lines=("Leg dangle",), side=Side.LEFT,
            remaining_seconds=7.2, total_seconds=10.0, step_number=2, step_count=4,
            hint_press="start", hint_hold="skip",
        ),
        "hold": _HOLD,
        "hold_cue": replace(_HOLD, turn=0),
        "hold_right_exhale": replace(
            _HOLD, side=Side.RIGHT, remaining_seconds=3.0, cue="Breathe steadily.",
            breath=Breath(inhaling=False, fraction=0.75),
        ),
        "hold_both_long": replace(
            _HOLD, title="Pillow release", side=Side.BOTH, remaining_seconds=600.0,
            total_seconds=600.0, step_number=1, breath=Breath(inhaling=False, fraction=0.1),
            cue="Nose in, slow breath out.",
        ),
        "hold_long_title": replace(
            _HOLD, title="Hip flexor stretch with knee hug", step_number=3, breath=None,
            remaining_seconds=1.5, cue="Gentle lengthening, not effort.",
        ),
        "hold_feedback_hold": replace(_HOLD, button_feedback=ButtonFeedback.HOLD),
        "hold_feedback_stop": replace(_HOLD, button_feedback=ButtonFeedback.STOP),
        "paused": _PAUSED,
        "paused_cue": replace(_PAUSED, turn=0),
        "switch": State(
            Phase.SWITCH, title="Switch sides", lines=("Bring the leg back slowly.",),
            side=Side.RIGHT, remaining_seconds=6.5, total_seconds=8.0, step_number=2, step_count=4,
            hint_press="start",
        ),
        "transition": _TRANSITION,
        "transition_text": replace(_TRANSITION, remaining_seconds=5.0, turn=1),
        "done": _DONE,
        "done_tip": replace(_DONE, turn=1),
        "done_see_someone": replace(_DONE, title="Stiffer 2 weeks: a physio?", lines=("Side: pillow between knees.",)),
        "done_tighter": replace(_DONE, title="Left tighter 5 of 7 nights", lines=("Side: pillow between knees.",)),
        "done_no_streak": State(
            Phase.DONE, title="Good work tonight.", lines=("Back: a small pillow under your knees.",),
            hint_press="close",
        ),
        "stopped": State(Phase.STOPPED, title="Stopped", lines=("That's fine. Rest now.",),
                         hint_press="close"),
        "setup_feedback_hold": replace(_SETUP, button_feedback=ButtonFeedback.HOLD),
        "setup_feedback_stop": replace(_SETUP, button_feedback=ButtonFeedback.STOP),
        "morning": _MORNING,
        "morning_ten": replace(_MORNING, option_index=10),
        "morning_feedback_hold": replace(_MORNING, button_feedback=ButtonFeedback.HOLD),
        "morning_feedback_not_today": replace(_MORNING, button_feedback=ButtonFeedback.STOP),
        "morning_saved": State(Phase.MORNING_SAVED, title="Saved: 3 · last week 4.6", hint_press="close"),
        "morning_saved_longest": State(Phase.MORNING_SAVED, title="Saved: 10 · last week 10.0",
                                       hint_press="close"),
        "morning_saved_see_someone": _SAVED_NOTE,
        "morning_saved_see_someone_turn": replace(_SAVED_NOTE, turn=1),
    }
