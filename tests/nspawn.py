"""A container booted by systemd-nspawn, worked in with nsenter: shared by tests/test_systemd_boot.py
(this machine's /usr) and tests/test_arm.py (Debian ARM root filesystems under qemu-user)."""

from __future__ import annotations

import io
import os
import subprocess
import time
from pathlib import Path

import pytest
from PIL import Image

ENV = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8", "TZ=UTC",
       "SYSTEMD_COLORS=0", "SYSTEMD_PAGER=", "HOME=/root"]
FRAME = "/run/psoas-companion/screen.png"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


def cannot(reason: str, needed_in_ci: bool = False):
    """Skip the module with one line; fail instead under CI when .ci/run should have fixed it."""
    (pytest.fail if needed_in_ci and in_ci() else pytest.skip)(reason)


class Container:
    """A booted container: `run()` a command inside (as root, a clean environment)."""

    def __init__(self, nspawn: subprocess.Popen, leader: int, console: Path):
        self.nspawn, self.leader, self.console = nspawn, leader, console

    def run(self, *argv: str, check: bool = True, timeout: float = 60, env: dict | None = None,
            binary: bool = False, input: str | None = None) -> subprocess.CompletedProcess:
        extra = [f"{key}={value}" for key, value in (env or {}).items()]
        result = subprocess.run(["nsenter", "--target", str(self.leader), "--all", "--", "/usr/bin/env", "-i",
                                 *ENV, *extra, *argv], capture_output=True, text=not binary, timeout=timeout,
                                input=input)
        if check and result.returncode != 0:
            raise AssertionError(f"{' '.join(argv)} exited {result.returncode}: {result.stdout!r} {result.stderr!r}")
        return result

    def sh(self, script: str, **options) -> str:
        return self.run("/bin/sh", "-ec", script, **options).stdout

    def show(self, unit: str, *properties: str) -> dict[str, str]:
        out = self.run("systemctl", "show", unit, *(f"--property={p}" for p in properties)).stdout
        return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)

    def wait_for(self, unit: str, condition, seconds: float, what: str) -> dict[str, str]:
        """Poll `systemctl show` until `condition(properties)`; fail naming `what` and the last seen."""
        deadline = time.monotonic() + seconds
        while True:
            properties = self.show(unit, "ActiveState", "SubState", "Result", "NRestarts", "MainPID",
                                   "ExecMainStatus", "ExecMainCode", "StatusText")
            if condition(properties):
                return properties
            if time.monotonic() > deadline:
                raise AssertionError(f"{unit}: not {what} within {seconds} s: {properties}\n{self.journal(unit)}")
            time.sleep(0.2)

    def journal(self, unit: str) -> str:
        return self.run("journalctl", "--no-pager", "--output=cat", "-u", unit, check=False).stdout

    def frame(self, path: str = FRAME) -> tuple[Image.Image, dict]:
        """A virtual panel's PNG: what the glass shows, and its `panel` / `contrast` text."""
        data = self.run("cat", path, binary=True).stdout
        image = Image.open(io.BytesIO(data))
        image.load()
        return image.convert("1"), dict(image.text)

    def write(self, path: str, text: str) -> None:
        self.run("/bin/sh", "-ec", 'mkdir -p "$(dirname "$1")" && cat > "$1"', "sh", path, input=text)

    def wait_booted(self, seconds: float) -> str:
        """Wait until its systemd answers, then until the boot is done; the state, or `cannot()` why not."""
        deadline = time.monotonic() + seconds
        while True:
            result = self.run("systemctl", "is-system-running", "--wait", check=False, timeout=seconds)
            state = result.stdout.strip()
            if state in ("running", "degraded"):
                return state
            if time.monotonic() > deadline or self.nspawn.poll() is not None:
                said = (result.stderr.strip().splitlines() or [repr(state)])[-1]
                cannot(f"a container cannot boot here: systemd says {said}")
            time.sleep(0.2)


def running(properties) -> bool:
    return (properties["ActiveState"], properties["SubState"]) == ("active", "running")


def lit(image: Image.Image) -> int:
    return sum(bin(byte).count("1") for byte in image.tobytes())


def find_leader(nspawn: subprocess.Popen, seconds: float = 30) -> int | None:
    """The container's PID 1 as this machine sees it: nspawn's child running systemd."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and nspawn.poll() is None:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent == nspawn.pid and "(systemd)" in stat:
                return int(entry.name)
        time.sleep(0.1)
    return None
