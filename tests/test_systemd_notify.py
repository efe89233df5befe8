"""sd_notify: plain datagrams to $NOTIFY_SOCKET; the watchdog task's pace."""

from __future__ import annotations

import os
import socket
import tempfile

import pytest
from fakes import FakeClock

from device.sd_notify import SystemdNotifier


@pytest.fixture
def listener():
    directory = tempfile.mkdtemp(prefix="sd", dir="/tmp")  # short: AF_UNIX paths are limited to 107 bytes
    path = os.path.join(directory, "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(1.0)
    yield path, sock
    sock.close()
    os.unlink(path)
    os.rmdir(directory)


def received(sock) -> list[str]:
    messages = []
    sock.setblocking(False)
    try:
        while True:
            messages.append(sock.recv(4096).decode())
    except BlockingIOError:
        return messages
    finally:
        sock.settimeout(1.0)


def test_ready_status_and_stopping_arrive_as_datagrams(listener):
    path, sock = listener
    notifier = SystemdNotifier({"NOTIFY_SOCKET": path})
    assert notifier.ready("running: ssd1306 over I2C")
    assert notifier.stopping()
    assert received(sock) == ["READY=1\nSTATUS=running: ssd1306 over I2C", "STOPPING=1"]


def test_abstract_socket_names_work():
    name = f"psoas-test-{os.getpid()}"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(b"\0" + name.encode())
    try:
        assert SystemdNotifier({"NOTIFY_SOCKET": "@" + name}).ready()
        sock.settimeout(1.0)
        assert sock.recv(100) == b"READY=1"
    finally:
        sock.close()


def test_outside_systemd_everything_is_a_quiet_no_op():
    notifier = SystemdNotifier({})
    assert not notifier.enabled
    assert notifier.ready() is False and notifier.watchdog_task() is None


def test_watchdog_pings_every_quarter_interval(listener):
    path, sock = listener
    clock = FakeClock()
    notifier = SystemdNotifier({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "120000000"}, monotonic=clock.monotonic)
    assert notifier.watchdog_task() == 30.0
    clock.advance(10)
    assert notifier.watchdog_task() == 20.0
    clock.advance(20)
    assert notifier.watchdog_task() == 30.0
    assert received(sock) == ["WATCHDOG=1", "WATCHDOG=1"]


def test_watchdog_for_another_pid_is_ignored(listener):
    path, _ = listener
    notifier = SystemdNotifier({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "1"})
    assert notifier.watchdog_task() is None


def test_a_gone_socket_is_logged_once(tmp_path, caplog):
    notifier = SystemdNotifier({"NOTIFY_SOCKET": str(tmp_path / "gone")})
    assert notifier.ready() is False and notifier.stopping() is False
    assert caplog.text.count("cannot notify systemd") == 1
