"""The daemon's side of the phone page: "Pair a phone" in the dark menu shows a one-time code at
night contrast for 2 minutes, and a `settings` word on the control socket makes the running
daemon use new settings without a restart."""

from __future__ import annotations

import time
from datetime import datetime

from fakes import drive
from test_run import RecordingQueue, make_runner

from device import control
from device.config import effective, phone_settings
from device.config.load import load_config
from device.inputs import Gesture, GestureInput
from device.pairing_screen import PAIR_ENTRY, page_address
from device.pairing import code as pairing
from routines.state import Phase


def hold_then_choose(runner, entry: str) -> None:
    """Hold in the dark, hold until `entry` is offered, then press."""
    daemon = runner.daemon
    runner.inputs.put(GestureInput(Gesture.HOLD, runner.wall.monotonic()))
    drive(daemon, runner.wall, lambda: daemon.state.phase is Phase.BEDTIME)
    while daemon.state.routine_title != entry:
        before = daemon.state.option_index
        runner.inputs.put(GestureInput(Gesture.HOLD, runner.wall.monotonic()))
        drive(daemon, runner.wall, lambda: daemon.state.option_index != before)
    runner.inputs.put(GestureInput(Gesture.PRESS, runner.wall.monotonic()))
    drive(daemon, runner.wall, lambda: daemon.state.phase is not Phase.BEDTIME)


def test_pair_a_phone_shows_address_and_code_at_night_contrast_for_two_minutes(tmp_path):
    runner, screen = make_runner(tmp_path, datetime(2024, 5, 6, 12, 0), "[display]\nnight_contrast = 7\n")
    runner.open()
    try:
        drive(runner.daemon, runner.wall, lambda: runner.daemon.state.phase is Phase.DARK)
        hold_then_choose(runner, PAIR_ENTRY)
        state = runner.daemon.state
        assert state.phase is Phase.INFO and state.title == PAIR_ENTRY
        address, code_line = state.lines
        assert address == f"Open {page_address('', 8080)}"
        code = code_line.removeprefix("Code ").replace(" ", "")
        assert len(code) == 6 and code.isdigit()
        assert runner.daemon.output.contrast == 7  # night contrast at noon
        assert (runner.state_dir / pairing.FILE_NAME).exists()
        runner.wall.advance(pairing.CODE_SECONDS - 5)
        drive(runner.daemon, runner.wall, lambda: True)
        assert runner.daemon.state.phase is Phase.INFO
        drive(runner.daemon, runner.wall, lambda: runner.daemon.state.phase is Phase.DARK, limit=10)
        assert not (runner.state_dir / pairing.FILE_NAME).exists()  # withdrawn with the screen
    finally:
        runner.close()


def test_the_phone_using_the_code_closes_the_screen(tmp_path):
    runner, _ = make_runner(tmp_path, datetime(2024, 5, 6, 23, 0))
    runner.open()
    try:
        drive(runner.daemon, runner.wall, lambda: runner.daemon.state.phase is Phase.DARK)
        hold_then_choose(runner, PAIR_ENTRY)
        code = runner.daemon.state.lines[1].removeprefix("Code ").replace(" ", "")
        assert pairing.try_code(runner.state_dir, code)[0] is pairing.CodeCheck.PAIRED
        runner.inputs.put(control.ControlMessage(control.PAIRED))
        drive(runner.daemon, runner.wall, lambda: runner.daemon.state.phase is Phase.DARK, limit=5)
    finally:
        runner.close()


def wait_for_message(runner, seconds: float = 2.0) -> None:
    """Real time: the datagram goes through the listener thread onto the queue."""
    deadline = time.monotonic() + seconds
    while runner.inputs.empty():
        assert time.monotonic() < deadline, "the daemon never heard the control word"
        time.sleep(0.005)


def test_a_bedtime_changed_on_the_phone_is_used_without_a_restart(tmp_path):
    config_path = tmp_path / "config.toml"
    # Monday 21:00, the prompt due at 22:15; the phone moves Monday to 21:30
    runner, _ = make_runner(tmp_path, datetime(2024, 5, 6, 21, 0))
    runner.reload_config = lambda: effective.layered(load_config(config_path), runner.state_dir)
    runner.open()
    try:
        drive(runner.daemon, runner.wall, lambda: runner.daemon.state.phase is Phase.DARK)
        phone_settings.write(runner.state_dir, {("bedtime", "monday"): "21:30", ("routine", "sleep_position"): "side"})
        started = time.monotonic()
        assert control.send(runner.state_dir, control.SETTINGS)
        wait_for_message(runner)
        drive(runner.daemon, runner.wall, lambda: True)  # the pass that takes the word
        assert time.monotonic() - started < 2.0
        assert runner.config.bedtime.monday == "21:30" and runner.config.where("bedtime", "monday").endswith("(phone)")
        assert runner.daemon.engine._flow.settings.sleep_position == "side"
        drive(runner.daemon, runner.wall, lambda: runner.daemon.state.phase is Phase.BEDTIME)
        assert runner.wall.now().astimezone(runner.bedtime.zone()).strftime("%H:%M") == "21:30"
    finally:
        runner.close()
    assert not control.socket_path(runner.state_dir).exists()


def test_an_invalid_config_on_reload_keeps_the_one_in_use(tmp_path, caplog):
    config_path = tmp_path / "config.toml"
    runner, _ = make_runner(tmp_path, datetime(2024, 5, 6, 12, 0))
    runner.reload_config = lambda: effective.layered(load_config(config_path), runner.state_dir)
    runner.open()
    try:
        drive(runner.daemon, runner.wall, lambda: runner.daemon.state.phase is Phase.DARK)
        config_path.write_text("[display]\nnight_contrast = 999\n")
        runner.inputs.put(control.ControlMessage(control.SETTINGS))
        drive(runner.daemon, runner.wall, lambda: True)
        assert runner.config.display.night_contrast == 24
        assert "settings not reloaded" in caplog.text and "999 is outside 0-255" in caplog.text
    finally:
        runner.close()


def test_the_control_socket_costs_no_wake_up(tmp_path):
    runner, _ = make_runner(tmp_path, datetime(2024, 5, 6, 12, 0))
    runner.inputs = RecordingQueue(passes=6)
    runner.run()
    assert min(runner.inputs.timeouts) >= 29.9, runner.inputs.timeouts
