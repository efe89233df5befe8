"""Turn button edges into gestures: press, double press, hold (~1 s), long hold (~3 s).

Pure: it takes monotonic timestamps in seconds and never reads a clock or sleeps. The gesture
is decided on release (the gpiozero FAQ's pattern), so a hold never also counts as a press.
A press released within `double_press_seconds` of the previous press's release is a
DOUBLE_PRESS instead (the first one was already reported as a PRESS; a third press starts a
new pair). While the button is down, `feedback(now)` says what releasing now would do, and `next_change(now)` says when that feedback next changes, so the daemon can sleep
until exactly then instead of polling.
"""

from __future__ import annotations

from device.inputs import ButtonEdge, Gesture
from routines.state import ButtonFeedback


def threshold_problems(hold_seconds: float, long_hold_seconds: float,
                       bounce_seconds: float) -> list[tuple[str, str]]:
    """The `[button]` thresholds that cannot work together, as (key, message); [] when they can.

    The one statement of these rules: the config check reports them, the classifier refuses them.
    """
    problems = []
    if not hold_seconds > 0:
        problems.append(("hold_seconds", "must be above 0"))
    if not long_hold_seconds > hold_seconds:
        problems.append(("long_hold_seconds", "must be longer than button/hold_seconds"))
    if not 0 <= bounce_seconds < hold_seconds:
        problems.append(("bounce_seconds", "must be from 0 up to below button/hold_seconds"))
    return problems


class GestureClassifier:
    """Classify one button's down/up edges by how long it was held.

    `hold_seconds` and `long_hold_seconds` are the thresholds in seconds: a release before
    `hold_seconds` is a PRESS, before `long_hold_seconds` a HOLD, otherwise a LONG_HOLD.
    `debounce_seconds` drops contact bounce: a down that is up again sooner than that is
    ignored, and so is a down that comes sooner than that after a release. Thresholds that
    cannot work together (`threshold_problems`) raise `ValueError`, named by their config keys.

    Out-of-order input is handled, not raised: an up without a down is ignored; a second
    down without an up (its release was lost) starts the gesture again from the new down.
    Called from one thread only (the daemon's loop).
    """

    def __init__(
        self,
        hold_seconds: float = 1.0,
        long_hold_seconds: float = 3.0,
        debounce_seconds: float = 0.03,
        double_press_seconds: float = 0.6,
    ):
        problems = threshold_problems(hold_seconds, long_hold_seconds, debounce_seconds)
        if problems:
            key, message = problems[0]
            raise ValueError(f"button/{key}: {message}")
        self.hold_seconds = hold_seconds
        self.long_hold_seconds = long_hold_seconds
        self.debounce_seconds = debounce_seconds
        self.double_press_seconds = double_press_seconds
        self._down_at: float | None = None
        self._press_up_at: float | None = None  # release of a press that a second one may pair with
        self._last_up_at: float | None = None

    @property
    def is_down(self) -> bool:
        """True while the button is held (after a down that has not been released)."""
        return self._down_at is not None

    def down(self, at: float) -> None:
        """The button went down at monotonic time `at`, in seconds."""
        if self._down_at is None and self._is_bounce_after_release(at):
            return
        self._down_at = at

    def up(self, at: float) -> Gesture | None:
        """The button went up at `at` seconds; return the finished gesture, if any.

        None for an up without a down and for a bounce shorter than `debounce_seconds`.
        """
        down_at = self._down_at
        if down_at is None:
            return None
        self._down_at = None
        held = at - down_at
        if held < self.debounce_seconds:
            return None
        self._last_up_at = at
        if held < self.hold_seconds:
            return self.whole(Gesture.PRESS, at)
        return self.whole(Gesture.HOLD if held < self.long_hold_seconds else Gesture.LONG_HOLD, at)

    def whole(self, gesture: Gesture, at: float) -> Gesture:
        """A whole gesture decided at `at` seconds (a release, or a key of the keyboard):
        a PRESS soon after another PRESS becomes a DOUBLE_PRESS."""
        paired = gesture is Gesture.PRESS and self._press_up_at is not None and (
            0 <= at - self._press_up_at <= self.double_press_seconds)
        self._press_up_at = at if gesture is Gesture.PRESS and not paired else None
        return Gesture.DOUBLE_PRESS if paired else gesture

    def edge(self, edge: ButtonEdge) -> Gesture | None:
        """Feed one `ButtonEdge` from the queue; return the finished gesture, if any."""
        if edge.pressed:
            self.down(edge.at)
            return None
        return self.up(edge.at)

    def feedback(self, now: float) -> ButtonFeedback:
        """What releasing at `now` would do."""
        if self._down_at is None:
            return ButtonFeedback.NONE
        held = now - self._down_at
        if held >= self.long_hold_seconds:
            return ButtonFeedback.STOP
        if held >= self.hold_seconds:
            return ButtonFeedback.HOLD
        return ButtonFeedback.NONE

    def next_change(self, now: float) -> float | None:
        """The monotonic time in seconds at which `feedback` next changes, or None if never."""
        if self._down_at is None:
            return None
        for threshold in (self.hold_seconds, self.long_hold_seconds):
            change_at = self._down_at + threshold
            if now < change_at:
                return change_at
        return None

    def _is_bounce_after_release(self, at: float) -> bool:
        last_up = self._last_up_at
        return last_up is not None and 0 <= at - last_up < self.debounce_seconds
