"""The phone page's live view, daemon side: the screen and the status reach the runtime folder
only while a page watches; "start now" and "skip tonight" from the phone are decided by the
loop; "Pair a phone" is offered only with the phone page installed."""

from __future__ import annotations

import io
import json
import logging
from datetime import datetime
from pathlib import Path

from fakes import drive
from PIL import Image, ImageChops
from test_pairing_screen import wait_for_message
from test_run import make_runner

from device import control
from device.config.paths import runtime_dir, web_unit_installed
from device.control import WATCH_SECONDS, ControlMessage
from device.inputs import Gesture, GestureInput
from device.journal.reader import read_history
from device.live import files
from device.pairing_screen import PAIR_ENTRY
from routines.outcomes import Outcome
from routines.state import Phase


def frame_in(folder: Path) -> Image.Image | None:
    found = files.read_frame(folder)
    return None if found is None else Image.open(io.BytesIO(found[0])).convert("1")


def same(a: Image.Image, b: Image.Image) -> bool:
    return a.size == b.size and ImageChops.difference(a.convert("L"), b.convert("L")).getbbox() is None


def message(runner, word: str) -> None:
    """`word` from the phone: the loop handles it, then draws the next frame."""
    runner.inputs.put(ControlMessage(word))
    drive(runner.daemon, runner.wall, lambda: True)  # one pass, then the queue
    runner.daemon.step()


def test_nothing_is_published_while_no_page_watches_then_each_frame_while_one_does(tmp_path):
    runner, screen = make_runner(tmp_path, datetime(2024, 5, 6, 12, 0))
    runner.open()
    try:
        daemon = runner.daemon
        drive(daemon, runner.wall, lambda: daemon.state.phase is Phase.DARK)
        status = files.read_status(runner.runtime)
        assert status["since"].startswith("2024-05-06T12:00") and status["screen"] == "off"
        runner.inputs.put(GestureInput(Gesture.PRESS, runner.wall.monotonic()))  # the clock face
        drive(daemon, runner.wall, lambda: daemon.state.phase is Phase.CLOCK)
        assert files.read_frame(runner.runtime) is None  # no page: no frame written

        message(runner, control.WATCH)
        assert same(frame_in(runner.runtime), screen.frames[-1])  # the frame of the moment, at once
        assert files.read_status(runner.runtime)["screen"] == "on"
        drive(daemon, runner.wall, lambda: daemon.state.phase is Phase.DARK)  # the peek ends
        assert frame_in(runner.runtime).getbbox() is None  # dark, published while watched

        runner.wall.advance(WATCH_SECONDS + 1)
        runner.inputs.put(GestureInput(Gesture.PRESS, runner.wall.monotonic()))
        drive(daemon, runner.wall, lambda: daemon.state.phase is Phase.CLOCK)
        assert frame_in(runner.runtime).getbbox() is None  # the page stopped watching: not written
    finally:
        runner.close()
    assert not files.status_path(runner.runtime).exists() and files.read_frame(runner.runtime) is None


def test_the_status_keeps_the_last_warnings_and_the_next_bedtime(tmp_path):
    runner, _ = make_runner(tmp_path, datetime(2024, 5, 6, 21, 0))  # Monday; prompt due 22:15
    runner.open()
    try:
        drive(runner.daemon, runner.wall, lambda: runner.daemon.state.phase is Phase.DARK)
        for number in range(7):
            logging.getLogger("psoas.test").warning("disk trouble %d\nsecond line", number)
        message(runner, control.WATCH)
        status = files.read_status(runner.runtime)
        assert [line["text"] for line in status["warnings"]] == [f"disk trouble {n}" for n in range(2, 7)]
        assert status["next_bedtime"]["at"] == "2024-05-06T22:15+02:00"
    finally:
        runner.close()


def test_start_now_from_the_phone_starts_tonights_routine_and_not_twice(tmp_path):
    runner, _ = make_runner(tmp_path, datetime(2024, 5, 6, 21, 0))
    runner.open()
    try:
        daemon = runner.daemon
        drive(daemon, runner.wall, lambda: daemon.state.phase is Phase.DARK)
        message(runner, control.WATCH)
        message(runner, control.START)
        assert daemon.engine.in_routine and daemon.state.phase is not Phase.DARK
        status = files.read_status(runner.runtime)
        assert status["last_command"]["text"].startswith("Started ")
        assert status["next_bedtime"]["at"].startswith("2024-05-07T22:15")  # tonight's prompt is had
        message(runner, control.START)
        assert files.read_status(runner.runtime)["last_command"]["text"] == "Not started: a routine is on already."
    finally:
        runner.close()


def test_skip_tonight_before_the_prompt_records_the_skip_and_no_prompt_comes(tmp_path):
    runner, _ = make_runner(tmp_path, datetime(2024, 5, 6, 21, 0))
    runner.open()
    try:
        daemon = runner.daemon
        drive(daemon, runner.wall, lambda: daemon.state.phase is Phase.DARK)
        message(runner, control.SKIP)
        assert daemon.state.phase is Phase.DARK
        message(runner, control.WATCH)
        status = files.read_status(runner.runtime)
        assert status["last_command"]["text"] == "Skipped tonight." and status["tonight_had"]
        assert status["next_bedtime"]["at"].startswith("2024-05-07T22:15")  # tomorrow's
        drive(daemon, runner.wall, lambda: runner.wall.now().hour == 23)  # past tonight's prompt
        assert daemon.state.phase is Phase.DARK and not runner.bedtime.shown
        message(runner, control.WATCH)  # the page again
        message(runner, control.SKIP)
        assert files.read_status(runner.runtime)["last_command"]["text"] == "No bedtime prompt is left tonight."
    finally:
        runner.close()
    nights = read_history(runner.state_dir).nights
    assert [night.outcome for night in nights] == [Outcome.SKIPPED]


def test_skip_tonight_on_the_prompt_is_the_prompts_own_skip(tmp_path):
    runner, _ = make_runner(tmp_path, datetime(2024, 5, 6, 22, 14))
    runner.open()
    try:
        daemon = runner.daemon
        drive(daemon, runner.wall, lambda: daemon.state.phase is Phase.BEDTIME)
        message(runner, control.SKIP)
        assert daemon.state.phase is Phase.DARK
    finally:
        runner.close()
    assert [night.outcome for night in read_history(runner.state_dir).nights] == [Outcome.SKIPPED]


def test_words_reach_the_loop_through_the_control_socket(tmp_path):
    runner, _ = make_runner(tmp_path, datetime(2024, 5, 6, 12, 0))
    runner.open()
    try:
        drive(runner.daemon, runner.wall, lambda: runner.daemon.state.phase is Phase.DARK)
        assert control.send(runner.state_dir, control.WATCH)
        wait_for_message(runner)
        drive(runner.daemon, runner.wall, lambda: True)
        assert frame_in(runner.runtime) is not None
    finally:
        runner.close()


def test_pair_a_phone_is_offered_only_with_the_phone_page_installed(tmp_path):
    for installed in (True, False):
        (tmp_path / str(installed)).mkdir()
        runner, _ = make_runner(tmp_path / str(installed), datetime(2024, 5, 6, 12, 0), phone_page=installed)
        runner.open()
        try:
            daemon = runner.daemon
            drive(daemon, runner.wall, lambda d=daemon: d.state.phase is Phase.DARK)
            runner.inputs.put(GestureInput(Gesture.HOLD, runner.wall.monotonic()))
            drive(daemon, runner.wall, lambda d=daemon: d.state.phase is Phase.BEDTIME)
            assert (PAIR_ENTRY in daemon.state.options) is installed
        finally:
            runner.close()
    units = tmp_path / "units"
    units.mkdir()
    assert not web_unit_installed(units)
    (units / "psoas-companion-web.service").write_text("[Service]\n")
    assert web_unit_installed(units)


def test_the_runtime_folder_is_a_tmpfs_never_the_state_dir():
    assert runtime_dir({"RUNTIME_DIRECTORY": "/run/psoas-companion:/run/x"}) == Path("/run/psoas-companion")
    assert runtime_dir({"XDG_RUNTIME_DIR": "/run/user/1000"}) == Path("/run/user/1000/psoas-companion")
    fallback = runtime_dir({})
    assert fallback.parent == Path("/dev/shm") and fallback.name.startswith("psoas-companion-")


def test_a_status_that_is_not_ours_reads_as_nothing(tmp_path):
    files.status_path(tmp_path).write_text("{not json")
    assert files.read_status(tmp_path) is None
    files.status_path(tmp_path).write_text(json.dumps({"version": 99}))
    assert files.read_status(tmp_path) is None
    files.write_status(tmp_path, {"since": "x"})
    assert files.read_status(tmp_path)["since"] == "x"
    assert [p.name for p in tmp_path.iterdir()] == [files.STATUS_NAME]  # no temporary file left
