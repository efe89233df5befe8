"""What the engine tells the renderers: the screen state (the events of a night are in
`routines.events`).

`State` is the whole contract between the engine (`routines.engine`) and the renderers
(`display`): a renderer draws a `State` and nothing else. Fields that need the wall clock
(`clock_text`) or the button (`button_feedback`) are filled in by the daemon with
`dataclasses.replace`, because the engine only knows monotonic time.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from routines.outcomes import Side


class Phase(str, enum.Enum):
    """The states a night goes through, in the order a person usually meets them."""

    DARK = "dark"  # nothing shown; the panel is off
    CLOCK = "clock"  # a press in the dark: the time for a few seconds
    BEDTIME = "bedtime"  # the prompt: time, tonight's routine and its length
    SAFETY = "safety"  # the one-time safety card before the first stretch
    INFO = "info"  # an info card step of a routine (paged text)
    SETUP = "setup"  # a stretch's name and setup steps, paged, before the hold
    GET_READY = "get_ready"  # optional countdown before a hold starts by itself
    HOLD = "hold"  # the hold: big countdown, side, progress, breathing pacer
    PAUSED = "paused"  # a hold on pause
    SWITCH = "switch"  # "slowly switch sides" between the two sides of a stretch
    TRANSITION = "transition"  # "move slowly" between two steps, or a rest step
    DONE = "done"  # kind word, streak, sleeping-position tip
    STOPPED = "stopped"  # after a long hold: a short goodbye before dark
    MORNING = "morning"  # the morning check-in: "Morning stiffness?" on a 0–10 scale
    MORNING_SAVED = "morning_saved"  # one short line after the answer is saved, then dark


CLOCK_PHASES = (Phase.CLOCK, Phase.BEDTIME)  # the screens that show `State.clock_text`


class ButtonFeedback(str, enum.Enum):
    """What releasing the button now would do, shown while it is held down."""

    NONE = ""  # up, or releasing now would be a press
    HOLD = "hold"  # past the hold time: release to skip (the second action)
    STOP = "stop"  # past the long-hold time: release to stop the routine (or `State.hint_long`)


@dataclass(frozen=True)
class Breath:
    """Where the slow-breathing pacer is.

    `inhaling` is True while breathing in; `fraction` runs 0 → 1 through the current
    inhale or exhale (so the pacer grows with it on the inhale and shrinks on the exhale).
    """

    inhaling: bool
    fraction: float


@dataclass(frozen=True)
class State:
    """Everything a renderer needs to draw one frame. Immutable; compare with `==`.

    Durations are in seconds. `remaining_seconds` / `total_seconds` describe the timed part
    of the current phase (a hold, also while paused; a countdown; a screen that goes dark
    on its own); both are 0 for phases that only wait for a press.

    `turn` counts, from 0, the turns of what is on screen as time passes: two a page on paged
    screens (safety, info, setup), three a cue line in a hold (standing still while paused),
    and one every half page (`page_seconds` / 2) on the other screens of a routine, the
    done and stopped screens, and a bedtime prompt that says why (`lines`). A renderer whose panel cannot show all of a screen's texts at
    once shows them in turn.
    """

    phase: Phase
    routine_title: str = ""
    title: str = ""  # stretch name, card title, or a short heading
    lines: tuple[str, ...] = ()  # the paragraphs of the current page (the renderer wraps them); BEDTIME:
    # one line why the first routine is first tonight; MORNING_SAVED: a coaching line under the answer
    page_index: int = 0
    page_count: int = 0
    step_number: int = 0  # 1-based number of the current stretch; 0 on rest and info steps
    step_count: int = 0  # how many stretches the routine has (rest and info steps are not counted)
    side: Side | None = None
    remaining_seconds: float = 0.0
    total_seconds: float = 0.0
    breath: Breath | None = None
    cue: str = ""  # a short cue line shown during a hold
    hint_press: str = ""  # what a press does here, e.g. "pause"
    hint_hold: str = ""  # what a 1 s hold does here, e.g. "skip"
    hint_long: str = ""  # what a ~3 s hold does here when it is not "stop", e.g. "not today"
    awaits_press: bool = False  # True when nothing happens until a press
    routine_minutes: float = 0.0  # BEDTIME: length of the chosen routine, in minutes
    options: tuple[str, ...] = ()  # BEDTIME: routine titles, any extras, then "Skip tonight"; MORNING: "0" … "10"
    option_index: int = 0  # BEDTIME: which option a press would take; MORNING: the pointer
    fade: float = 1.0  # 1.0 full brightness … 0.0 dark (fall-asleep routines fade out)
    turn: int = 0  # see above
    # Filled in by the daemon, never by the engine:
    clock_text: str = ""  # wall-clock time, e.g. "22:15"
    streak_text: str = ""  # DONE: e.g. "Night 12 · 5-night streak"
    button_feedback: ButtonFeedback = ButtonFeedback.NONE

    @property
    def progress(self) -> float:
        """Fraction 0 → 1 of the timed part of this phase that has passed."""
        if self.total_seconds <= 0:
            return 0.0
        done = 1.0 - self.remaining_seconds / self.total_seconds
        return min(1.0, max(0.0, done))
