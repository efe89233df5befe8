"""Idle: the real daemon with the screen dark — wake-ups a minute and CPU share.

Two daemons idle at once: the bare daemon (`device.assemble`) on a thread of its own, and
the night daemon exactly as `psoas run` builds it (`device.cli.run.Runner`: journal, bedtime
task, on the main thread) as systemd runs it (a notify socket, the unit's WatchdogSec, so
the watchdog task pings), with a recording display and its wall clock shifted to noon so
that no bedtime prompt comes up. A wake-up is a voluntary context
switch of the loop thread (`/proc/self/task/<tid>/status`); CPU is the loop thread's own
CPU clock. Both are read by a third thread after a warm-up, so the start does not count.
Also: frames and panel commands sent while dark.
"""

from __future__ import annotations

import argparse
import queue
import resource
import socket
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import _common
from _common import RecordingDisplay, header, note, result, thread_switches

from device.clocks.monotonic import ScaledClock
from device.inputs import Quit
from routines.loading.catalog import load_catalog
from routines.state import Phase

GOAL_WAKEUPS_PER_MINUTE = 2.0
GOAL_CPU_PERCENT = 0.05
WARM_UP_SECONDS = 2.0


class NoonWall:
    """The real wall clock, shifted so that it is 12:00 local time when the bench starts."""

    def __init__(self):
        now = datetime.now().astimezone()
        self.shift = now.replace(hour=12, minute=0, second=0, microsecond=0) - now

    def now(self) -> datetime:
        return datetime.now(timezone.utc) + self.shift


def watchdog_seconds() -> float:
    """WatchdogSec= of the shipped systemd unit (120 if it cannot be read)."""
    unit = _common.REPO / "systemd" / "psoas-companion.service"
    try:
        for line in unit.read_text().splitlines():
            if line.strip().startswith("WatchdogSec="):
                return float(line.split("=", 1)[1].strip().rstrip("s"))
    except (OSError, ValueError):
        pass
    return 120.0


def night_runner(config, catalog, adapter, state_dir: Path, notify_socket: str):
    """`psoas run`'s Runner over `adapter`, at noon, as under systemd; None if not available."""
    try:
        from device.cli.run import Runner
        from device.sd_notify import SystemdNotifier
        from device.parts import Parts
    except ImportError as error:
        note(f"night daemon skipped: device.cli.run is not importable ({error})")
        return None
    environ = {"NOTIFY_SOCKET": notify_socket, "WATCHDOG_USEC": str(int(watchdog_seconds() * 1e6))}
    return Runner(config, catalog, state_dir, open_parts=lambda: Parts(adapter, "bench recording display"),
                  wall=NoonWall(), notifier=SystemdNotifier(environ=environ))


def watchdog_pings(sock: socket.socket) -> int:
    pings = 0
    while True:
        try:
            pings += b"WATCHDOG=1" in sock.recv(4096)
        except BlockingIOError:
            return pings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to measure (default 60)")
    args = parser.parse_args()
    header(f"idle: the daemon with the screen dark, {args.seconds:g} s")
    config = _common.defaults_config()
    catalog = load_catalog()
    state_dir = Path(tempfile.mkdtemp(prefix="psoas-bench-idle-"))

    bare_adapter, night_adapter = RecordingDisplay(), RecordingDisplay()
    bare_inputs: queue.Queue = queue.Queue()
    bare = _common.build(config, catalog, ScaledClock(1.0), bare_adapter, bare_inputs)
    bare_thread = threading.Thread(target=bare.run, name="bare daemon loop")
    notify_path = str(state_dir / "notify.sock")
    systemd = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    systemd.bind(notify_path)
    systemd.setblocking(False)
    runner = night_runner(config, catalog, night_adapter, state_dir, notify_path)
    loops = [dict(label="bare daemon", thread=bare_thread, adapter=bare_adapter, daemon=lambda: bare,
                  quit=lambda: bare_inputs.put(Quit("bench over")))]
    if runner is not None:
        loops.append(dict(label="night daemon (psoas run: journal, bedtime task, systemd watchdog)",
                          thread=threading.main_thread(), adapter=night_adapter, daemon=lambda: runner.daemon,
                          quit=lambda: runner.inputs.put(Quit("bench over"))))
    figures: dict = {}

    def snapshot():
        out = []
        for loop in loops:
            daemon = loop["daemon"]()
            out.append(dict(switches=thread_switches(loop["thread"].native_id),
                            cpu=time.clock_gettime(time.pthread_getcpuclockid(loop["thread"].ident)),
                            frames=len(loop["adapter"].frames), commands=loop["adapter"].commands,
                            dark=daemon is not None and daemon.engine.phase is Phase.DARK and daemon.output.is_dark))
        return out

    def measure() -> None:
        try:
            time.sleep(WARM_UP_SECONDS)
            watchdog_pings(systemd)
            figures["before"], figures["usage0"], figures["wall0"] = (
                snapshot(), resource.getrusage(resource.RUSAGE_SELF), time.monotonic())
            time.sleep(args.seconds)
            figures["after"], figures["usage1"], figures["wall1"] = (
                snapshot(), resource.getrusage(resource.RUSAGE_SELF), time.monotonic())
            figures["pings"] = watchdog_pings(systemd)
        finally:
            for loop in loops:
                loop["quit"]()

    measurer = threading.Thread(target=measure, name="bench measurer")
    bare_thread.start()
    measurer.start()
    if runner is not None:
        runner.run()  # on the main thread, as `psoas run` does (it catches SIGTERM / SIGINT)
    measurer.join()
    bare_thread.join(5)

    before, after = figures["before"], figures["after"]
    usage0, usage1, wall0, wall1 = figures["usage0"], figures["usage1"], figures["wall0"], figures["wall1"]
    minutes = (wall1 - wall0) / 60
    for loop, b, a in zip(loops, before, after):
        label = loop["label"]
        wakeups = (a["switches"][0] - b["switches"][0]) / minutes
        cpu = (a["cpu"] - b["cpu"]) / (wall1 - wall0) * 100
        dark = b["dark"] and a["dark"]
        result(f"{label}: wake-ups", f"{wakeups:.1f} a minute",
               f"≤ {GOAL_WAKEUPS_PER_MINUTE:g} a minute", wakeups <= GOAL_WAKEUPS_PER_MINUTE and dark)
        result(f"{label}: CPU", f"{cpu:.4f} % ({(a['cpu'] - b['cpu']) * 1000:.2f} ms in {wall1 - wall0:.0f} s)",
               f"< {GOAL_CPU_PERCENT:g} %", cpu < GOAL_CPU_PERCENT and dark)
        frames = a["frames"] - b["frames"]
        result(f"{label}: display traffic while dark",
               f"{frames / minutes:.1f} frames, {frames * _common.FRAME_BYTES / minutes:.0f} bytes, "
               f"{(a['commands'] - b['commands']) / minutes:.1f} panel commands a minute")
        if not dark:
            note("the screen was not dark during the whole measurement: these figures do not count")
        note(f"involuntary switches (preempted, not wake-ups): {(a['switches'][1] - b['switches'][1]) / minutes:.1f} a minute")
    if runner is not None:
        note(f"the night daemon pinged the systemd watchdog {figures['pings'] / minutes:.1f} times a minute "
             f"(WatchdogSec={watchdog_seconds():g} in systemd/psoas-companion.service)")
    systemd.close()
    process_cpu = (usage1.ru_utime + usage1.ru_stime - usage0.ru_utime - usage0.ru_stime) / (wall1 - wall0) * 100
    result("whole process (both loops and the measuring thread)",
           f"{(usage1.ru_nvcsw - usage0.ru_nvcsw) / minutes:.1f} voluntary switches a minute, {process_cpu:.4f} % CPU")


if __name__ == "__main__":
    main()
