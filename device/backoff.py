"""When to try again after a failure: 1 s, 2 s, 4 s … up to a cap (30 s by default).

Pure: the caller passes `now` (monotonic seconds) and owns the waiting.
"""

from __future__ import annotations


class Backoff:
    """Retry times that double after each failure, from `initial_seconds` to `maximum_seconds`."""

    def __init__(self, initial_seconds: float = 1.0, maximum_seconds: float = 30.0, factor: float = 2.0):
        if not 0 < initial_seconds <= maximum_seconds or factor < 1:
            raise ValueError(
                "back-off needs 0 < initial_seconds <= maximum_seconds and factor >= 1"
            )
        self.initial_seconds = initial_seconds
        self.maximum_seconds = maximum_seconds
        self.factor = factor
        self._delay = initial_seconds
        self.next_attempt_at: float | None = None
        """Monotonic time in seconds of the next attempt; None when nothing is failing."""

    @property
    def failing(self) -> bool:
        """True between a failure and the next success."""
        return self.next_attempt_at is not None

    def due(self, now: float) -> bool:
        """True when failing and the next attempt may be made at `now` (seconds)."""
        return self.next_attempt_at is not None and now >= self.next_attempt_at

    def failed(self, now: float) -> float:
        """Note a failure at `now`; return when to try next. Each failure doubles the wait."""
        if self.next_attempt_at is None:
            self._delay = self.initial_seconds
        else:
            self._delay = min(self.maximum_seconds, self._delay * self.factor)
        self.next_attempt_at = now + self._delay
        return self.next_attempt_at

    def succeeded(self) -> None:
        """Note a success: no retry is pending and the next failure starts at the first delay."""
        self.next_attempt_at = None
        self._delay = self.initial_seconds
