"""`psoas run` in-process: the bedtime prompt reaches the screen, systemd hears READY, the
dark loop wakes at most twice a minute, --nightly ends after the night, bad setups are one line."""

from __future__ import annotations

import logging
import os
import queue
import socket
import sys
import tempfile
import threading
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from fakes import FakeWallClock, RecordingDisplay, drive
from gpiozero.pins.mock import MockFactory
from recording_bus import RecordingBus, luma_i2c

from device.cli.main import main
from device.cli.run import Runner
from device.clocks.monotonic import ScaledClock
from device.config.load import load_config
from device.inputs import Gesture, GestureInput, Quit
from device.parts import Parts, open_hardware
from device.sd_notify import SystemdNotifier
from routines.loading.catalog import load_catalog
from routines.state import Phase

BERLIN = ZoneInfo("Europe/Berlin")
WAIT_SECONDS = 5.0  # bounded wait for the loop thread


class RecordingQueue:
    """The loop's queue: records each wait's timeout; ends the run after `passes` waits."""

    def __init__(self, passes: int):
        self.inner = queue.SimpleQueue()
        self.timeouts: list[float] = []
        self.passes = passes

    def put(self, item):
        self.inner.put(item)

    def get(self, block=True, timeout=None):
        self.timeouts.append(timeout)
        if len(self.timeouts) >= self.passes:
            return Quit("enough")
        return self.inner.get(block=False)

    def get_nowait(self):
        return self.inner.get_nowait()


def config_file(tmp_path, text=""):
    path = tmp_path / "config.toml"
    path.write_text('[bedtime]\ntime_zone = "Europe/Berlin"\n' + text)
    return path


def make_runner(tmp_path, wall_local: datetime, text="", **options):
    """A runner on a fake wall clock whose monotonic time is also the daemon's clock."""
    screen = RecordingDisplay()
    wall = FakeWallClock(wall_local.replace(tzinfo=BERLIN))
    config = load_config(config_file(tmp_path, text))
    runner = Runner(config, load_catalog(config.routine_dirs()), tmp_path / "state",
                    open_parts=lambda: Parts(screen, "recording screen"), wall=wall,
                    clock=ScaledClock(1.0, real_monotonic=wall.monotonic), **options)
    return runner, screen


def drive_until(runner, condition, then=None):
    """Open the runner, drive its loop on its fake clock until `condition(runner)`; then put
    `then` on its queue and drive until the loop quits; close it as `run()` would."""
    runner.open()
    try:
        drive(runner.daemon, runner.wall, lambda: runner.daemon.state is not None and condition(runner))
        if then is not None:
            runner.inputs.put(then)
            drive(runner.daemon, runner.wall, lambda: runner.daemon.quit_reason is not None)
    finally:
        runner.close()


def run_until(runner, condition, then=Quit("test")):
    """Run the runner on this (main) thread in real time; a helper thread puts `then` once
    `condition()`. For the hardware path, whose button edges carry real monotonic time."""
    seen = threading.Event()

    def watch():
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            if runner.daemon is not None and runner.daemon.state is not None and condition(runner):
                seen.set()
                runner.inputs.put(then)
                return
            time.sleep(0.01)
        runner.inputs.put(Quit("timeout"))

    threading.Thread(target=watch, daemon=True).start()
    code = runner.run()
    assert seen.is_set(), "the condition never held"
    return code


def test_prompt_is_shown_at_bedtime_then_the_panel_is_left_off(tmp_path):
    runner, screen = make_runner(tmp_path, datetime(2024, 5, 6, 22, 20))  # Monday, inside the window
    drive_until(runner, lambda r: r.daemon.state.phase is Phase.BEDTIME)
    assert runner.daemon.state.clock_text == "22:20"
    assert runner.daemon.state.options[0] == "Full routine"
    assert screen.frames and ("off",) in screen.calls and ("close",) in screen.calls
    assert (tmp_path / "state" / "bedtime.json").exists()
    assert (tmp_path / "state" / "journal.sqlite3").exists()


def test_a_restart_inside_the_window_does_not_prompt_again(tmp_path):
    runner, _ = make_runner(tmp_path, datetime(2024, 5, 6, 22, 20))
    drive_until(runner, lambda r: r.daemon.state.phase is Phase.BEDTIME)
    again, _ = make_runner(tmp_path, datetime(2024, 5, 6, 22, 25))
    drive_until(again, lambda r: r.daemon.state.phase is Phase.DARK)
    assert again.bedtime.shown == []


def test_ready_and_watchdog_reach_systemd_after_the_screen_is_open(tmp_path):
    directory = tempfile.mkdtemp(prefix="sd", dir="/tmp")
    path = os.path.join(directory, "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    try:
        notifier = SystemdNotifier({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "120000000"})
        opened = []
        runner, screen = make_runner(tmp_path, datetime(2024, 5, 6, 12, 0), notifier=notifier)
        inner_open = runner.open_parts
        sock.setblocking(False)

        def open_parts():
            with pytest.raises(BlockingIOError):
                sock.recv(100)  # nothing sent before the screen is open
            opened.append("opened")
            return inner_open()

        runner.open_parts = open_parts
        drive_until(runner, lambda r: r.daemon.state.phase is Phase.DARK)
        sock.settimeout(1.0)
        messages = [sock.recv(4096).decode() for _ in range(3)]
        assert opened == ["opened"]
        assert messages[0].startswith("READY=1\nSTATUS=running: recording screen")
        assert messages[1] == "WATCHDOG=1"
        assert messages[2] == "STOPPING=1"
    finally:
        sock.close()
        os.unlink(path)
        os.rmdir(directory)


def test_parts_stop_in_the_reverse_order_they_started(tmp_path):
    """systemd hears STOPPING first; the button is released before the panel goes off, last."""
    order = []

    class Notifier(SystemdNotifier):
        def ready(self, status=""):
            order.append("ready")

        def stopping(self):
            order.append("stopping")

    runner, screen = make_runner(tmp_path, datetime(2024, 5, 6, 12, 0), notifier=Notifier({}))
    runner.open_parts = lambda: Parts(screen, "recording screen", closers=[lambda: order.append("button")])
    screen.close = lambda: order.append("panel")
    runner.open()
    runner.close()
    runner.close()  # a second close stops nothing twice
    assert order == ["ready", "stopping", "button", "panel"]


def test_dark_screen_wakes_at_most_twice_a_minute(tmp_path):
    notifier = SystemdNotifier({"NOTIFY_SOCKET": "/nonexistent/notify", "WATCHDOG_USEC": "120000000"})
    runner, _ = make_runner(tmp_path, datetime(2024, 5, 6, 12, 0), notifier=notifier)
    runner.inputs = RecordingQueue(passes=6)
    assert runner.run() == 0
    assert len(runner.inputs.timeouts) == 6
    assert min(runner.inputs.timeouts) >= 29.9, runner.inputs.timeouts


def test_nightly_with_nothing_due_exits_at_once(tmp_path, caplog):
    runner, screen = make_runner(tmp_path, datetime(2024, 5, 6, 12, 0), nightly=True)
    started = time.monotonic()
    with caplog.at_level(logging.INFO, logger="psoas.run"):
        assert runner.run() == 0
    assert time.monotonic() - started < WAIT_SECONDS
    assert "nightly: no bedtime prompt due now (next: Mon 22:15)" in caplog.text
    assert ("close",) in screen.calls


def test_nightly_ends_when_the_night_goes_dark(tmp_path):
    runner, _ = make_runner(tmp_path, datetime(2024, 5, 6, 22, 15, 1), nightly=True)
    skip = GestureInput(Gesture.LONG_HOLD, runner.wall.monotonic())  # "skip tonight" from the prompt
    drive_until(runner, lambda r: r.daemon.state.phase is Phase.BEDTIME, then=skip)
    assert runner.daemon.quit_reason == "night over"


def test_missing_hardware_is_one_line(tmp_path, capsys, monkeypatch):
    for module in ("luma.core.interface.serial", "luma.oled.device"):  # as if luma were not installed
        monkeypatch.setitem(sys.modules, module, None)
    code = main(["run", "--config", str(config_file(tmp_path)), "--state-dir", str(tmp_path / "s")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert len(err) == 1 and err[0].startswith("psoas run: a hardware library is missing")
    assert "psoas run --emulate" in err[0]


def test_no_i2c_bus_is_one_line_with_the_fix(tmp_path, capsys):
    if os.path.exists("/dev/i2c-1"):
        pytest.skip("this machine has an I2C bus")
    code = main(["run", "--config", str(config_file(tmp_path)), "--state-dir", str(tmp_path / "s")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1
    assert "/dev/i2c-1 not found; enable I2C" in err[0]


def test_unknown_routine_in_config_is_a_config_error(tmp_path, capsys):
    code = main(["run", "--emulate", "--config", str(config_file(tmp_path, 'friday_routine = "ful"\n')),
                 "--state-dir", str(tmp_path / "s")])
    assert code == 2
    assert "bedtime/friday_routine: no routine called 'ful' (did you mean 'full'?)" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["run", "morning", "web"])
@pytest.mark.parametrize("under", [False, True], ids=["the state dir", "a parent"])
def test_a_file_in_the_state_dirs_place_is_one_line_saying_so(tmp_path, capsys, command, under):
    """`run`, `morning` and `web` say the same (one function): not a directory, and the fix."""
    blocker = tmp_path / "file"
    blocker.write_text("")
    state = blocker / "s" if under else blocker
    argv = {"run": ["run", "--emulate"], "morning": ["morning", "3"], "web": ["web"]}[command]
    code = main(argv + ["--config", str(config_file(tmp_path)), "--state-dir", str(state)])
    err = capsys.readouterr().err.strip().splitlines()
    where = f"{blocker} " if under else ""
    assert code == 2 and err == [f"psoas {command}: state dir {state}: {where}is not a directory (it is a regular "
                                 "file); move it away, or pass --state-dir DIR or set $PSOAS_STATE_DIR to a "
                                 "directory this user can write"]
    assert blocker.read_text() == ""


def test_real_panel_and_button_are_left_off_and_released(tmp_path):
    """The hardware path over luma's real I2C framing and gpiozero's mock pins."""

    bus, factory = RecordingBus(), MockFactory()
    config = load_config(config_file(tmp_path))
    runner = Runner(config, load_catalog(config.routine_dirs()), tmp_path / "state",
                    wall=FakeWallClock(datetime(2024, 5, 6, 22, 20, tzinfo=BERLIN)))
    runner.open_parts = lambda: open_hardware(config, runner.inputs, serial_opener=lambda: luma_i2c(bus),
                                              pin_factory=factory)
    pin = factory.pin(17)
    pressed = threading.Event()

    def press_in_prompt(r):
        if r.daemon.state.phase is Phase.BEDTIME and not pressed.is_set():
            pin.drive_low()  # the button goes down: gpiozero's callback puts an edge on the queue
            time.sleep(0.1)  # held longer than the 0.03 s debounce, shorter than a hold
            pin.drive_high()
            pressed.set()
        return r.daemon.state.phase is Phase.SAFETY

    assert run_until(runner, press_in_prompt) == 0
    commands = bus.commands()
    last_off = len(commands) - 1 - commands[::-1].index(0xAE)
    assert 0xAF not in commands[last_off:], "the panel is left off"
    contrasts = [commands[i + 1] for i, byte in enumerate(commands[:-1]) if byte == 0x81]
    assert 24 in contrasts  # [display] night_contrast
    assert pin.function == "input" and pin.state  # released: gpiozero put the pin back


@pytest.mark.parametrize(("driver", "height"), [("ssd1306", 32), ("ssd1306", 64), ("sh1107", 128)])
def test_every_supported_panel_size_draws_on_real_luma_drivers(tmp_path, driver, height):
    """The daemon draws for the panel it opened: 128×32, 128×64 and 128×128 run, not only 64 rows."""
    wall = FakeWallClock(datetime(2024, 5, 6, 22, 20, tzinfo=BERLIN))  # Monday, inside the window
    config = load_config(config_file(tmp_path, f'[display]\ndriver = "{driver}"\nheight = {height}\n'))
    runner = Runner(config, load_catalog(config.routine_dirs()), tmp_path / "state", wall=wall,
                    clock=ScaledClock(1.0, real_monotonic=wall.monotonic))
    bus = RecordingBus()
    runner.open_parts = lambda: open_hardware(config, runner.inputs, serial_opener=lambda: luma_i2c(bus),
                                              pin_factory=MockFactory())
    drive_until(runner, lambda r: r.daemon.state.phase is Phase.BEDTIME)  # drawn, sent, then closed
    assert runner.daemon.size == (128, height)
    assert bus.data(), "the prompt's frame reached the panel"
