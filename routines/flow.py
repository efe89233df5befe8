"""The engine's state machine: which phase follows which, on a gesture or when time runs out.

Used only through `routines.engine.Engine`. Every method takes `at`, the monotonic time in
seconds the change happens; a phase that ends by itself hands its exact end time to the next.
"""

from __future__ import annotations

from routines import morning, view
from routines.model import HoldStart, Routine, StepKind
from routines.events import Cue, Event, MorningAnswer, StepRecord
from routines.outcomes import Outcome
from routines.state import Phase, State


class Flow:
    def __init__(self, settings, cards, now: float):
        self.settings = settings
        self.cards = cards
        self.now = now
        self.phase = Phase.DARK
        self.start_at = now  # when the current phase began (for a hold: shifted by pauses)
        self.duration: float | None = None  # seconds; None = waits for a gesture
        self.routine: Routine | None = None
        self.options: tuple[Routine, ...] = ()
        self.extras: tuple[str, ...] = ()  # menu entries after the routines (e.g. "Pair a phone")
        self.why = ""  # BEDTIME: one line why the first routine is first tonight
        self.option_index = 0
        self.step_index = 0
        self.side_index = 0
        self.paused_at: float | None = None
        self.paused_seconds = 0.0
        self.last_cue_sent = False
        self.nights = 0  # routines started since power-on: varies the kind word and tip
        self.morning_offer: morning.MorningOffer | None = None  # armed: a press in the dark asks
        self.morning_asked = morning.MorningOffer()  # the offer the question on screen came from
        self.morning_value = 0  # the question's pointer, 0–10
        self.morning_line = ""  # MORNING_SAVED: "Saved: 3 · last week 4.6"
        self.morning_note = ""  # MORNING_SAVED: a coaching line under it, or ""
        self._records: list[StepRecord] = []
        self._events: list[Event] = []

    # -- bookkeeping ----------------------------------------------------------------------

    @property
    def phase_end(self) -> float | None:
        return None if self.duration is None else self.start_at + self.duration

    @property
    def step(self):
        return self.routine.steps[self.step_index]

    def enter(self, phase: Phase, at: float, duration: float | None = None) -> None:
        self.phase, self.start_at, self.duration = phase, at, duration

    def emit(self, at: float, **fields) -> None:
        self._events.append(Event(at=at, **fields))

    def drain_events(self) -> list[Event]:
        events, self._events = self._events, []
        return events

    def state(self, at: float) -> State:
        return view.build(self, at)

    def advance_to(self, at: float) -> None:
        """Let every timed phase that is due by `at` end, at its own end time."""
        while self.phase_end is not None and at >= self.phase_end:
            self._time_out(self.phase_end)
        if self.phase is Phase.HOLD and not self.last_cue_sent:
            cue_at = self.phase_end - self.settings.last_seconds
            if self.duration > 2 * self.settings.last_seconds and at >= cue_at:
                self.last_cue_sent = True
                self.emit(cue_at, cue=Cue.LAST_SECONDS)
        self.now = at

    def extra_deadlines(self, at: float) -> list[float]:
        """Times other than the phase end when the state changes: turns (page flips and cue
        lines come at turns too), the last-seconds cue."""
        times = []
        every = view.turn_seconds(self)
        if every is not None:
            times.append(self.start_at + every * ((at - self.start_at) // every + 1))
        if self.phase is Phase.HOLD and not self.last_cue_sent:
            times.append(self.phase_end - self.settings.last_seconds)
        return times

    # -- time running out -----------------------------------------------------------------

    def _time_out(self, at: float) -> None:
        phase = self.phase
        if phase in (Phase.CLOCK, Phase.BEDTIME, Phase.DONE, Phase.STOPPED, Phase.MORNING, Phase.MORNING_SAVED):
            self.enter(Phase.DARK, at)
        elif phase is Phase.SETUP:
            self.enter(Phase.GET_READY, at, self.routine.get_ready_seconds)
        elif phase is Phase.GET_READY:
            self._start_hold(at)
        elif phase is Phase.HOLD:
            self._end_hold(at, skipped=False)
        elif phase is Phase.SWITCH:
            self.side_index = 1
            self._start_hold(at)
        elif phase is Phase.TRANSITION:
            self._begin_step(self.step_index + 1, at)

    # -- gestures -------------------------------------------------------------------------

    def show_bedtime(self, options: tuple[Routine, ...], at: float, extras: tuple[str, ...] = (),
                     why: str = "") -> None:
        self.options, self.extras, self.option_index, self.why = options, extras, 0, why if options else ""
        self.enter(Phase.BEDTIME, at, self.settings.bedtime_seconds)

    def start(self, routine: Routine, at: float) -> None:
        self.routine, self._records = routine, []
        self.nights += 1
        self.emit(at, started=routine.name)
        if self.settings.show_safety and self.cards.safety_pages:
            self.enter(Phase.SAFETY, at)
        else:
            self._begin_step(0, at)

    def press(self, at: float) -> None:
        phase = self.phase
        if phase is Phase.DARK and self.morning_offer is not None:
            self.morning_asked = self.morning_offer
            self.morning_value = self.morning_asked.start
            self.enter(Phase.MORNING, at, self.settings.morning_seconds)
        elif phase is Phase.DARK:
            self.enter(Phase.CLOCK, at, self.settings.clock_peek_seconds)
        elif phase is Phase.MORNING:
            self.morning_value = morning.next_value(self.morning_value)
            self.enter(Phase.MORNING, at, self.settings.morning_seconds)  # the time to go dark starts again
        elif phase is Phase.BEDTIME:
            self._choose(at)
        elif phase is Phase.SAFETY:
            self._begin_step(0, at)
        elif phase in (Phase.INFO, Phase.TRANSITION):
            self._begin_step(self.step_index + 1, at)
        elif phase is Phase.SETUP and self.routine.hold_start is HoldStart.COUNTDOWN:
            self.enter(Phase.GET_READY, at, self.routine.get_ready_seconds)
        elif phase in (Phase.SETUP, Phase.GET_READY):
            self._start_hold(at)
        elif phase is Phase.HOLD:
            self.paused_at, self.phase, self.duration = at, Phase.PAUSED, None
        elif phase is Phase.PAUSED:
            self._resume(at)
        elif phase is Phase.SWITCH:
            self.side_index = 1
            self._start_hold(at)
        else:  # CLOCK, DONE, STOPPED, MORNING_SAVED
            self.enter(Phase.DARK, at)

    def hold(self, at: float) -> None:
        phase = self.phase
        if phase is Phase.MORNING:
            self._answer_morning(self.morning_value, at)
            self.morning_line = morning.saved_text(self.morning_value, self.morning_asked.last_week)
            self.morning_note = self.morning_asked.note(self.morning_value)
            turns = 2 if self.morning_note else 1  # a compact panel shows the note in turn
            self.enter(Phase.MORNING_SAVED, at, self.settings.saved_seconds * turns)
        elif phase is Phase.BEDTIME:
            self.option_index = (self.option_index + 1) % (len(self.options) + len(self.extras) + 1)
        elif phase in (Phase.SETUP, Phase.GET_READY):
            for side in view.sides_of(self.step):
                self._record(StepRecord(self.step.stretch.id, side, self.step.hold_seconds, 0.0, 0.0, True), at)
            self._after_stretch(at)
        elif phase in (Phase.HOLD, Phase.PAUSED):
            if phase is Phase.PAUSED:
                self._resume(at)
            self._end_hold(at, skipped=True)
        elif phase in (Phase.SAFETY, Phase.INFO, Phase.SWITCH, Phase.TRANSITION, Phase.DONE, Phase.STOPPED,
                       Phase.MORNING_SAVED):
            self.press(at)

    def long_hold(self, at: float) -> None:
        if self.phase is Phase.BEDTIME:
            self._skip_tonight(at)
        elif self.phase in view.ROUTINE_PHASES:
            self.stop(at)
        elif self.phase is Phase.MORNING:
            self._answer_morning(None, at)  # not today
            self.enter(Phase.DARK, at)
        elif self.phase in (Phase.DONE, Phase.STOPPED, Phase.CLOCK, Phase.MORNING_SAVED):
            self.enter(Phase.DARK, at)

    def stop(self, at: float) -> None:
        """End the routine early: the hold in progress is recorded as skipped."""
        if self.phase in (Phase.HOLD, Phase.PAUSED):
            if self.phase is Phase.PAUSED:
                self._resume(at)
            self._record(self._hold_record(at, skipped=True), at)
        self._end_night(Outcome.STOPPED, at)
        self.enter(Phase.STOPPED, at, self.settings.stopped_seconds)

    def _answer_morning(self, stiffness: int | None, at: float) -> None:
        """Tell the device the answer (None: not today); no more questions until it arms one."""
        self.morning_offer = None
        self.emit(at, morning=MorningAnswer(stiffness))

    # -- steps and holds ------------------------------------------------------------------

    def _choose(self, at: float) -> None:
        extra = self.option_index - len(self.options)
        if extra < 0:
            self.start(self.options[self.option_index], at)
        elif extra < len(self.extras):
            self.emit(at, chosen=self.extras[extra])
            self.enter(Phase.DARK, at)
        else:
            self._skip_tonight(at)

    def _skip_tonight(self, at: float) -> None:
        chosen = self.options[min(self.option_index, len(self.options) - 1)] if self.options else None
        self.routine, self._records = chosen, []
        self.emit(at, started=chosen.name if chosen else "")
        self._end_night(Outcome.SKIPPED, at)
        self.enter(Phase.DARK, at)

    def _begin_step(self, index: int, at: float) -> None:
        self.step_index, self.side_index = index, 0
        if index >= len(self.routine.steps):
            self._finish(at)
            return
        step = self.step
        if step.kind is StepKind.STRETCH:
            timed = self.routine.hold_start is HoldStart.COUNTDOWN
            pages = max(1, len(view.setup_pages(step)))
            self.enter(Phase.SETUP, at, pages * self.settings.page_seconds if timed else None)
        elif step.kind is StepKind.REST:
            self.enter(Phase.TRANSITION, at, step.seconds)
        else:
            self.enter(Phase.INFO, at)

    def _start_hold(self, at: float) -> None:
        self.enter(Phase.HOLD, at, self.step.hold_seconds)
        self.paused_at, self.paused_seconds, self.last_cue_sent = None, 0.0, False
        self.emit(at, cue=Cue.HOLD_START)

    def _resume(self, at: float) -> None:
        paused = at - self.paused_at
        self.paused_seconds += paused
        self.start_at += paused
        self.phase, self.duration, self.paused_at = Phase.HOLD, self.step.hold_seconds, None

    def _hold_record(self, at: float, skipped: bool) -> StepRecord:
        held = min(max(at - self.start_at, 0.0), self.step.hold_seconds)
        side = view.sides_of(self.step)[self.side_index]
        return StepRecord(self.step.stretch.id, side, self.step.hold_seconds, held, self.paused_seconds, skipped)

    def _end_hold(self, at: float, skipped: bool) -> None:
        self._record(self._hold_record(at, skipped), at)
        if self.step.fade_out and not skipped:
            # Faded to dark and held to the end: the person is asleep. The routine ends here,
            # in the dark (no switch, no later step, no done screen).
            self.emit(at, cue=Cue.STRETCH_DONE)
            self._finish(at, asleep=True)
        elif self.side_index == 0 and self.step.side_count == 2:
            self.emit(at, cue=Cue.SWITCH_SIDES)
            self.enter(Phase.SWITCH, at, self.settings.switch_seconds)
        else:
            self.emit(at, cue=Cue.STRETCH_DONE)
            self._after_stretch(at)

    def _after_stretch(self, at: float) -> None:
        following = self.step_index + 1
        steps = self.routine.steps
        if following < len(steps) and steps[following].kind is StepKind.STRETCH:
            self.enter(Phase.TRANSITION, at, self.settings.transition_seconds)
        else:
            self._begin_step(following, at)

    def _finish(self, at: float, asleep: bool = False) -> None:
        """The routine is done: the done screen, or straight to dark when the person is `asleep`."""
        self.emit(at, cue=Cue.ROUTINE_DONE)
        self._end_night(Outcome.FINISHED, at)
        if asleep:
            self.enter(Phase.DARK, at)
        else:
            self.enter(Phase.DONE, at, self.settings.done_seconds)

    def _record(self, record: StepRecord, at: float) -> None:
        self._records.append(record)
        self.emit(at, record=record)

    def _end_night(self, outcome: Outcome, at: float) -> None:
        done = [r for r in self._records if not r.skipped]
        summary = {
            "routine": self.routine.name if self.routine else "",
            "stretches": len({r.stretch_id for r in done}),
            "holds": len(done),
            "held_seconds": round(sum(r.held_seconds for r in self._records), 3),
        }
        self.emit(at, outcome=outcome, summary=summary)
