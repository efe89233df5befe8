"""The daemon's one loop: inputs from a queue, the engine decides, the screen shows.

Hardware callbacks (gpiozero's pin thread, the keyboard thread) only put `ButtonEdge`,
`GestureInput` or `Quit` on the queue. The loop, on the main thread, is the only caller of
the engine and the screen. It waits on the queue until the next deadline (the engine's next
change, the button's next feedback step, an animation frame, a task's next wake-up): there
is no fixed-rate polling, and nothing is drawn while the screen is dark.

The screen is dark in the dark phase, on a screen left idle (`dark_after_seconds`) and once a
fall-asleep hold has faded out. While it is dark no cue reaches the listeners (no buzz in the
dark, whatever made it dark); every other event (the journal's) still does.
"""

from __future__ import annotations

import dataclasses
import logging
import queue
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import display
from device.clocks.wall import LocalWallClock, WallClock
from device.gestures import GestureClassifier
from device.inputs import ButtonEdge, Gesture, GestureInput, Quit
from device.screen_output import ScreenOutput
from device.tighter import TighterMarks
from display import burn_in
from routines.engine import Engine
from routines.events import Event
from routines.outcomes import Side
from routines.state import CLOCK_PHASES, Phase, State

log = logging.getLogger(__name__)

STALE_CUE_SECONDS = 2.0  # a cue this much older than now (a late tick) is not played


@dataclass(frozen=True)
class Hooks:
    """What the loop calls besides the engine and the screen. All run on the loop thread.

    `listeners` get every engine `Event` (journal, haptics, log). `tasks` return the real
    seconds until they next need to run (then they run when due, on a new phase, and at
    least every `idle_seconds`: the bedtime planner, the systemd watchdog), or None to run on
    every pass (the screen's retry check, "night over"). `decorators` add to each state what
    the engine does not know (the streak on the done screen); `observers` see each state
    shown. `tighter` get (side, stretch id) for "this side felt tighter". `offer_routines`
    gives the routines a hold in the dark offers, first the default; `menu` names entries that
    menu offers after them (e.g. "Pair a phone"; choosing one is an `Event` with `chosen`).
    `messages` get every other queue item (a `device.control.ControlMessage`); every task
    runs again right after one.
    """

    listeners: Sequence[Callable[[Event], None]] = ()
    tasks: Sequence[Callable[[], float | None]] = ()
    decorators: Sequence[Callable[[State], State]] = ()
    observers: Sequence[Callable[[State], None]] = ()
    tighter: Sequence[Callable[[Side, str], None]] = ()
    offer_routines: Callable[[], list] | None = None
    menu: Sequence[str] = ()
    messages: Sequence[Callable[[object], None]] = ()

    @staticmethod
    def join(*many: Hooks) -> Hooks:
        """All of `many`, in order (see `plus`)."""
        joined = Hooks()
        for hooks in many:
            joined = joined.plus(hooks)
        return joined

    def plus(self, other: Hooks) -> Hooks:
        """These hooks, then `other`'s (its `offer_routines` wins when set)."""
        return Hooks(
            tuple(self.listeners) + tuple(other.listeners), tuple(self.tasks) + tuple(other.tasks),
            tuple(self.decorators) + tuple(other.decorators), tuple(self.observers) + tuple(other.observers),
            tuple(self.tighter) + tuple(other.tighter), other.offer_routines or self.offer_routines,
            tuple(self.menu) + tuple(other.menu), tuple(self.messages) + tuple(other.messages),
        )


class Daemon:
    """Owns the loop. `clock` is a `device.clocks.ScaledClock` (or one with the same methods).

    `hooks` are what it calls besides the engine and the screen (see `Hooks`).
    `frame_seconds` is the real time between frames of the breathing pacer (≥ 1/8 s).
    `dark_after_seconds`: a screen that waits for a press goes dark after this many clock
    seconds without a gesture (the routine stays where it is; the next gesture only wakes
    the screen). `idle_seconds` caps any wait, in real seconds. `levels` gives the panel's
    contrast and extra-dim for a wall-clock time (`device.night.PanelLevels.at`).
    """

    def __init__(
        self, engine: Engine, output: ScreenOutput, inputs: queue.Queue, clock, *,
        classifier: GestureClassifier | None = None, size: tuple[int, int] = (128, 64),
        wall: WallClock | None = None, frame_seconds: float = 0.25,
        idle_seconds: float = 30.0, dark_after_seconds: float | None = 30.0,
        levels: Callable[[datetime], tuple[int, bool]] | None = None, hooks: Hooks = Hooks(),
    ):
        self.engine = engine
        self.output = output
        self.inputs = inputs
        self.clock = clock
        self.classifier = classifier or GestureClassifier()
        self.size = size
        self.wall = wall or LocalWallClock()
        self.frame_seconds = max(frame_seconds, 1 / 8)
        self.idle_seconds = idle_seconds
        self.hooks = hooks
        self.dark_after_seconds = dark_after_seconds
        self._send_seconds = 0.0  # how long the last frame took to send, in real seconds
        self.levels = levels  # wall time -> (contrast 0-255, extra-dim): day and night levels
        self._active_at = clock.monotonic()  # last gesture or new screen, in clock seconds
        self._idle_dark = False
        self.tighter = TighterMarks(hooks.tighter)
        self.quit_reason: str | None = None
        self.state: State | None = None
        self._due: dict[int, float] = {}  # task index -> real time it next needs to run
        self._phase_changed = True  # the first pass runs every task

    # -- one pass -------------------------------------------------------------------------

    def handle(self, item) -> None:
        """Act on one queue item (loop thread)."""
        if isinstance(item, Quit):
            self.quit_reason = item.reason or "quit"
        elif isinstance(item, ButtonEdge):
            gesture = self.classifier.edge(item)
            if gesture is not None:
                self.gesture(gesture, self.clock.from_real(item.at))
        elif isinstance(item, GestureInput):
            self.gesture(self.classifier.whole(item.gesture, item.at), self.clock.from_real(item.at))
        else:
            for receive in self.hooks.messages:
                receive(item)
            self._due.clear()  # every task runs in the next pass (a new bedtime plan, say)

    def gesture(self, gesture: Gesture, at: float) -> None:
        """Pass a decided gesture to the engine, at clock time `at`."""
        self._active_at = max(self._active_at, at)
        if self._idle_dark and gesture is not Gesture.LONG_HOLD:
            self._idle_dark = False  # this gesture only wakes the screen
            return
        self._idle_dark = False
        engine = self.engine
        if gesture in (Gesture.PRESS, Gesture.DOUBLE_PRESS):
            # the second of two quick presses in a paused one-sided hold marks it tighter (and
            # resumes it); anywhere else it is one more press
            if not (gesture is Gesture.DOUBLE_PRESS and self.tighter.double_press(engine, self.state, at)):
                engine.press(at)
        elif gesture is Gesture.HOLD and engine.phase in (Phase.DARK, Phase.CLOCK) and self.hooks.offer_routines:
            engine.bedtime(self.hooks.offer_routines(), at, self.hooks.menu)  # a routine off-schedule
        elif gesture is Gesture.HOLD:
            engine.hold(at)
        else:
            engine.long_hold(at)
        self._dispatch_events(self._is_dark(engine.tick(at)))

    def wake(self, at: float) -> None:
        """Something other than the button changes the screen at clock time `at` (the phone's
        "start now"): an idle-dark screen lights up again, as after a gesture."""
        self._active_at = max(self._active_at, at)
        self._idle_dark = False

    def refresh(self) -> float | None:
        """Tick the engine, show the frame if it changed; return real seconds to wait, or None.

        The wait is counted from the end of this pass, so the time spent drawing and sending
        a frame (about 90 ms for a full frame over I2C at 100 kHz) does not make the next
        step late.
        """
        started = self.clock.real_monotonic()
        now = self.clock.monotonic()
        state = self.engine.tick(now)
        if self.state is None or (state.phase, state.step_number, state.side) != (
                self.state.phase, self.state.step_number, self.state.side):
            self._active_at = max(self._active_at, now)
        idle = now - self._active_at
        may_go_dark = (state.awaits_press and state.phase is not Phase.BEDTIME
                       and self.dark_after_seconds is not None)
        if may_go_dark and idle >= self.dark_after_seconds:
            self._idle_dark = True
        dark = self._is_dark(state)
        self._dispatch_events(dark)  # before decorating: the done screen shows the journal's streak
        wall = self.wall.now()  # read once a pass: clock face, panel levels, next minute
        state = self.state = self._decorate(state, now, wall)
        dark = dark and self._is_dark(state)  # a decorator may show a screen in the dark (pairing)
        for observe in self.hooks.observers:
            observe(state)
        if dark:
            self.output.dark()
            if self._idle_dark:
                return None  # nothing changes until a gesture
        else:
            if self.levels is not None:
                self.output.contrast, self.output.extra_dim = self.levels(wall)
            offset = burn_in.offset_for(started)
            image = display.render(state, self.size, offset=offset)
            sending = self.clock.real_monotonic()
            if self.output.show(image, state.fade):
                self._send_seconds = self.clock.real_monotonic() - sending
        wait = self._wait_seconds(state, now, wall, dark)
        if may_go_dark:
            until_dark = self.clock.to_real(self.dark_after_seconds - idle)
            wait = until_dark if wait is None else min(wait, until_dark)
        if wait is not None:
            wait = max(0.0, wait - (self.clock.real_monotonic() - started))
        return wait

    def run(self) -> str:
        """Loop until a `Quit` arrives; return its reason. The caller tears down (in `finally`).

        Each pass first handles what is already queued, so a press that arrived while a frame
        was being sent, or just as a tick fell due, is in the very next frame.
        """
        while self.quit_reason is None:
            self.drain()
            if self.quit_reason is not None:
                break
            timeout = self.step()
            try:
                item = self.inputs.get(timeout=timeout)
            except queue.Empty:
                continue
            self.handle(item)
        return self.quit_reason

    def step(self) -> float:
        """One pass: the tasks that are due, then the frame. Returns the real seconds the loop
        may wait for input before the next pass (at most `idle_seconds`).

        `run()` waits that long on the queue; a test advances a fake clock by it instead.
        """
        phase = self.state.phase if self.state else None
        waits = self._run_tasks(self._due, self._phase_changed)  # first: a task may change the engine
        waits.append(self.refresh())
        self._phase_changed = phase is not None and self.state.phase is not phase
        if self._phase_changed:
            waits.append(0.0)  # a new phase: let the tasks see it at once (e.g. "night over")
        waits = [wait for wait in waits if wait is not None]
        timeout = min(waits) if waits else None
        return self.idle_seconds if timeout is None else min(max(timeout, 0.0), self.idle_seconds)

    def drain(self) -> None:
        """Handle everything already on the queue, without waiting (before the next frame)."""
        while self.quit_reason is None:
            try:
                self.handle(self.inputs.get_nowait())
            except queue.Empty:
                break

    # -- helpers --------------------------------------------------------------------------

    def _run_tasks(self, due: dict[int, float], phase_changed: bool) -> list[float]:
        """Run each task that is due (or all, on a new phase); return real seconds until each is due.

        A task that answered None runs on every pass; one that named a time runs then, and at
        least every `idle_seconds` (so the bedtime planner still notices a clock step).
        """
        now = self.clock.real_monotonic()
        waits = []
        for index, task in enumerate(self.hooks.tasks):
            if phase_changed or now >= due.get(index, now):
                wanted = task()
                if wanted is None:
                    due.pop(index, None)
                    continue
                due[index] = now + min(max(wanted, 0.0), self.idle_seconds)
            waits.append(due[index] - now)
        return waits

    def _is_dark(self, state: State) -> bool:
        """Whether the panel is off for `state`: the dark phase, an idle screen, a hold faded out."""
        return state.phase is Phase.DARK or self._idle_dark or state.fade <= 0

    def _dispatch_events(self, dark: bool) -> None:
        """Pass the engine's events to the listeners; cues only while the screen is lit (`dark` False)."""
        now = self.clock.monotonic()
        for event in self.engine.events():
            if event.cue is not None and (dark or now - event.at > STALE_CUE_SECONDS):
                continue  # no cue in the dark; and a late tick skipped past it: no buzz for the past
            for listener in self.hooks.listeners:
                try:
                    listener(event)
                except Exception:  # one failing listener must not stop the routine
                    log.exception("event listener %r failed", listener)

    def _decorate(self, state: State, now: float, wall: datetime) -> State:
        """Add what the engine does not know: the clock face, button feedback, the tighter note."""
        changes = {}
        if state.phase in CLOCK_PHASES:
            changes["clock_text"] = wall.strftime("%H:%M")
        if self.classifier.is_down:
            changes["button_feedback"] = self.classifier.feedback(self.clock.real_monotonic())
        if changes:
            state = dataclasses.replace(state, **changes)
        state = self.tighter.decorate(state, now)
        for decorate in self.hooks.decorators:
            state = decorate(state)
        return state

    def _wait_seconds(self, state: State, now: float, wall: datetime, dark: bool) -> float | None:
        waits = []
        deadline = self.engine.next_deadline(now)
        if deadline is not None:
            waits.append(self.clock.to_real(deadline - now))
        if dark:
            return min(waits) if waits else None
        if (state.breath is not None or state.fade < 1.0) and not self.classifier.is_down:
            # An animation frame that would still be sending when the next step is due would
            # delay it: skip that frame, the step's own frame comes on time instead. While
            # the button is down none is drawn, so the bus is free for what the release brings.
            if not waits or self.frame_seconds + self._send_seconds <= waits[0]:
                waits.append(self.frame_seconds)
        if state.clock_text:
            waits.append(60.0 - wall.second - wall.microsecond / 1e6)
        if self.classifier.is_down:
            real_now = self.clock.real_monotonic()
            change = self.classifier.next_change(real_now)
            if change is not None:
                waits.append(change - real_now)
        return max(0.0, min(waits)) if waits else None
