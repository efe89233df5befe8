"""Night hours: contrast and extra-dim by day and night, silent cues at night."""

from __future__ import annotations

import queue
from datetime import datetime, time, timezone

import pytest
from fakes import FakeClock, FakeWallClock, RecordingDisplay, demo_daemon

from device.clocks.monotonic import ScaledClock
from device.clocks.wall import LocalWallClock
from device.config.load import load_config
from device.config.schema import HapticsSettings
from device.night import NightHours, PanelLevels
from device.parts import cues_silent, haptics_listener
from routines.loading.catalog import load_catalog
from routines.events import Cue, Event


@pytest.mark.parametrize("clock_time, night", [
    ("19:59", False), ("20:00", True), ("23:30", True), ("00:10", True), ("07:59", True), ("08:00", False),
])
def test_night_hours_cross_midnight(clock_time, night):
    hours = NightHours(time(20), time(8))
    hour, minute = map(int, clock_time.split(":"))
    assert hours.is_night(datetime(2026, 11, 25, hour, minute)) is night


def test_a_daytime_span_works_too():
    hours = NightHours(time(13), time(15))
    assert hours.is_night(datetime(2026, 1, 1, 14))
    assert not hours.is_night(datetime(2026, 1, 1, 16))


def test_daemon_sets_day_and_night_levels_on_the_panel(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[display]\nday_contrast = 180\nnight_contrast = 12\nextra_dim = true\n')
    config = load_config(path)
    wall = FakeWallClock(datetime(2026, 11, 25, 22, 15, tzinfo=timezone.utc))
    adapter = RecordingDisplay()
    adapter.set_extra_dim = lambda on: adapter.calls.append(("extra_dim", on))
    real = FakeClock()
    daemon = demo_daemon(config, load_catalog(), ScaledClock(1.0, real.monotonic), adapter, queue.Queue(),
                         wall=LocalWallClock(wall, lambda: timezone.utc))
    daemon.engine.press()  # the clock peek: something to show
    daemon.refresh()

    def last(kind):
        return [call[1] for call in adapter.calls if call[0] == kind][-1]

    assert (last("contrast"), last("extra_dim")) == (12, True)
    wall.set(datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc))
    real.advance(0.5)
    daemon.refresh()
    assert (last("contrast"), last("extra_dim")) == (180, False)
    assert PanelLevels.from_config(config).at(datetime(2026, 1, 1, 12)) == (180, False)


def test_cues_are_silent_at_night_unless_asked_for():
    played = []

    class Haptics:
        def play(self, cue):
            played.append(cue)

    night = {"on": True}
    settings = HapticsSettings(enabled=True, at_night=False)
    quiet = haptics_listener(Haptics(), silent=lambda: cues_silent(settings, night["on"]))
    quiet(Event(at=0, cue=Cue.HOLD_START))
    night["on"] = False
    quiet(Event(at=1, cue=Cue.SWITCH_SIDES))
    loud = haptics_listener(Haptics(), silent=lambda: cues_silent(HapticsSettings(enabled=True, at_night=True), True))
    loud(Event(at=2, cue=Cue.ROUTINE_DONE))
    loud(Event(at=3, started="full"))  # not a cue: nothing to play
    assert played == [Cue.SWITCH_SIDES, Cue.ROUTINE_DONE]
    assert cues_silent(HapticsSettings(enabled=False, at_night=True), False)  # switched off on the phone
