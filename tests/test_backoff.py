"""Backoff: retry times double from 1 s to a 30 s cap, and reset on success."""

import pytest

from device.backoff import Backoff


def test_waits_double_up_to_the_cap_and_reset_after_success():
    backoff = Backoff(1.0, 30.0)
    assert not backoff.failing and not backoff.due(0.0)
    now, waits = 100.0, []
    for _ in range(7):
        next_at = backoff.failed(now)
        waits.append(next_at - now)
        assert not backoff.due(next_at - 0.001) and backoff.due(next_at)
        now = next_at
    assert waits == [1, 2, 4, 8, 16, 30, 30]
    backoff.succeeded()
    assert backoff.next_attempt_at is None
    assert backoff.failed(500.0) == 501.0


def test_bad_settings_are_refused():
    with pytest.raises(ValueError):
        Backoff(0, 30)
    with pytest.raises(ValueError):
        Backoff(5, 1)
