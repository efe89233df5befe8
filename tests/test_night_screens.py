"""Through the daemon: the fall-asleep fade, and the done screen with the journal's streak."""

from __future__ import annotations

import queue

from fakes import FakeClock, RecordingDisplay

from device import app
from device.clocks import ScaledClock
from device.config.load import load_config
from routines.catalog import load_catalog
from routines.state import Phase

CATALOG = load_catalog()


def daemon_over(adapter, real: FakeClock, **options):
    config = load_config(None)
    clock = ScaledClock(1.0, real_monotonic=real.monotonic)
    return app.build_daemon(config, CATALOG, clock, adapter, queue.Queue(), hands_free=True, **options)


def test_fall_asleep_steps_the_contrast_down_then_switches_the_panel_off():
    adapter, real = RecordingDisplay(), FakeClock()
    daemon = daemon_over(adapter, real, levels=lambda wall: (200, False))
    daemon.engine.start(CATALOG.routine("fall-asleep"))
    while daemon.refresh() is not None and daemon.state.phase is not Phase.HOLD:
        real.advance(1)
    hold_started = len(adapter.calls)
    for _ in range(2000):
        real.advance(daemon.refresh())
        if ("off",) in adapter.calls[hold_started:]:
            break
    during = adapter.calls[hold_started:]
    levels = [call[1] for call in during if call[0] == "contrast"]
    assert len(levels) > 10, "the fade should step through many levels"
    assert levels == sorted(levels, reverse=True) and levels[-1] < 10
    assert during[-1] == ("off",)
    assert daemon.state.phase is Phase.HOLD  # the hold goes on in the dark


def test_done_screen_shows_the_streak_and_tonights_words(tmp_path):
    adapter, real = RecordingDisplay(), FakeClock()
    daemon = daemon_over(adapter, real)
    link = app.attach_journal(daemon, tmp_path / "state", CATALOG.cards.expect)
    try:
        daemon.engine.bedtime([CATALOG.routine("quick")])
        for _ in range(10_000):
            real.advance(daemon.refresh() or 1)
            if daemon.state.phase is Phase.DONE:
                break
        done = daemon.state
        assert done.streak_text == "Night 1 · a good start"
        assert done.title == "First night done. Go gently."
    finally:
        link.journal.close()
