"""KeyboardReader: keys from a pipe (no tty) or a pseudo-terminal become queue items."""

import io
import os
import queue
import termios
import time

import pytest

from device.emulated.keyboard import KeyboardReader, item_for_key
from device.inputs import Gesture, GestureInput, Quit


@pytest.fixture
def pipe():
    read_fd, write_fd = os.pipe()
    reader_end = os.fdopen(read_fd, "rb", buffering=0)
    yield reader_end, write_fd
    reader_end.close()
    try:
        os.close(write_fd)
    except OSError:
        pass


def take(inputs: queue.Queue, count: int) -> list:
    return [inputs.get(timeout=1) for _ in range(count)]


def test_keys_become_gestures_with_monotonic_times(pipe):
    stream, write_fd = pipe
    inputs = queue.Queue()
    before = time.monotonic()
    with KeyboardReader(inputs, stream):
        os.write(write_fd, b" \nhlx")
        items = take(inputs, 4)
    assert [item.gesture for item in items] == [
        Gesture.PRESS,
        Gesture.PRESS,
        Gesture.HOLD,
        Gesture.LONG_HOLD,
    ]
    assert all(isinstance(item, GestureInput) for item in items)
    assert all(before <= item.at <= time.monotonic() for item in items)
    assert inputs.empty()  # "x" means nothing


def test_q_quits_and_stops_reading(pipe):
    stream, write_fd = pipe
    inputs = queue.Queue()
    reader = KeyboardReader(inputs, stream)
    os.write(write_fd, b"q ")
    assert inputs.get(timeout=1) == Quit("keyboard")
    reader._thread.join(timeout=1)
    assert not reader.is_running
    assert inputs.empty()  # the space after q is not read
    reader.close()


def test_end_of_input_quits(pipe):
    stream, write_fd = pipe
    inputs = queue.Queue()
    reader = KeyboardReader(inputs, stream)
    os.close(write_fd)
    assert inputs.get(timeout=1) == Quit("keyboard")
    reader.close()


def test_close_stops_a_reader_waiting_for_keys(pipe):
    stream, _ = pipe
    inputs = queue.Queue()
    reader = KeyboardReader(inputs, stream)
    assert reader.is_running
    reader.close()
    assert not reader.is_running
    assert inputs.empty()
    reader.close()


def test_a_stream_without_a_file_descriptor_is_read_as_text():
    inputs = queue.Queue()
    reader = KeyboardReader(inputs, io.StringIO(" H"))
    press, hold, end = take(inputs, 3)
    assert (press.gesture, hold.gesture, end) == (Gesture.PRESS, Gesture.HOLD, Quit("keyboard"))
    reader.close()


def test_ctrl_d_quits_and_unknown_keys_are_ignored():
    assert item_for_key("\x04", 1.0) == Quit("keyboard")
    assert item_for_key("Q", 1.0) == Quit("keyboard")
    assert item_for_key("\ufffd", 1.0) is None
    assert item_for_key("\x1b", 1.0) is None


def test_terminal_is_in_cbreak_mode_while_reading_and_restored_on_close():
    leader_fd, follower_fd = os.openpty()
    follower = os.fdopen(follower_fd, "rb", buffering=0)
    try:
        original = termios.tcgetattr(follower_fd)
        inputs = queue.Queue()
        reader = KeyboardReader(inputs, follower)
        reading = termios.tcgetattr(follower_fd)
        assert not reading[3] & termios.ICANON and not reading[3] & termios.ECHO
        os.write(leader_fd, b"h")  # no Enter needed in cbreak mode
        assert inputs.get(timeout=1).gesture is Gesture.HOLD
        reader.close()
        assert termios.tcgetattr(follower_fd) == original
    finally:
        follower.close()
        os.close(leader_fd)
