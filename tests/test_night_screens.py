"""Through the daemon: the fall-asleep fade, and the done screen with the journal's streak."""

from __future__ import annotations

import queue

from fakes import FakeClock, RecordingDisplay, demo_daemon, drive

from device.cli.demo import HandsFree
from device.clocks.monotonic import ScaledClock
from device.config.load import load_config
from device.daemon import Hooks
from device.journal.link import open_journal
from routines.loading.catalog import load_catalog
from routines.state import Phase

CATALOG = load_catalog()


def daemon_over(adapter, real: FakeClock, hooks: Hooks = Hooks(), **options):
    config = load_config(None)
    clock = ScaledClock(1.0, real_monotonic=real.monotonic)
    inputs: queue.Queue = queue.Queue()
    hooks = hooks.plus(HandsFree(inputs, clock).hooks)
    return demo_daemon(config, CATALOG, clock, adapter, inputs, hooks, **options)


def test_fall_asleep_steps_the_contrast_down_then_switches_the_panel_off():
    adapter, real = RecordingDisplay(), FakeClock()
    daemon = daemon_over(adapter, real, levels=lambda wall: (200, False))
    daemon.engine.start(CATALOG.routine("fall-asleep"))
    drive(daemon, real, lambda: daemon.state.phase is Phase.HOLD)
    hold_started = len(adapter.calls)
    drive(daemon, real, lambda: ("off",) in adapter.calls[hold_started:], limit=2000)
    during = adapter.calls[hold_started:]
    levels = [call[1] for call in during if call[0] == "contrast"]
    assert len(levels) > 10, "the fade should step through many levels"
    assert levels == sorted(levels, reverse=True) and levels[-1] < 10
    assert during[-1] == ("off",)
    assert daemon.state.phase is Phase.HOLD  # the hold goes on in the dark


def test_done_screen_shows_the_streak_and_tonights_words(tmp_path):
    adapter, real = RecordingDisplay(), FakeClock()
    link = open_journal(tmp_path / "state", CATALOG.cards.expect)
    daemon = daemon_over(adapter, real, link.hooks)
    try:
        daemon.engine.bedtime([CATALOG.routine("quick")])
        drive(daemon, real, lambda: daemon.state.phase is Phase.DONE)
        done = daemon.state
        assert done.streak_text == "Night 1 · a good start"
        assert done.title == "First night done. Go gently."
    finally:
        link.journal.close()
