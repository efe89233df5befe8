"""One check's result as `psoas doctor` prints it, and the bus check it shares with install.sh.

Standard library only (with the config and device.hardware.buses): install.sh's preflight runs
the bus check with the system's Python before the venv exists.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from device.config.schema import DisplaySettings, Interface
from device.hardware.buses import bus_device, enable_fix

OK, FAIL, SKIP = "ok", "FAIL", "skip"


@dataclass(frozen=True)
class CheckResult:
    """One check: its name, OK / FAIL / skip, and one line saying what was found or the fix."""

    name: str
    status: str
    message: str

    @property
    def line(self) -> str:
        return f"{self.status:<4}  {self.name}: {self.message}"


def check_bus(panel: DisplaySettings, dev_dir: Path) -> list[CheckResult]:
    """The bus device exists (else the fix that fits the system under dev_dir's parent), and this
    user may open it."""
    path = bus_device(panel, dev_dir)
    group = "spi" if panel.interface == Interface.SPI else "i2c"
    name = f"{panel.interface} bus"
    if not path.exists():
        return [
            CheckResult(name, FAIL, f"{path} not found; {enable_fix(panel.interface, dev_dir.parent)}"),
            CheckResult(f"{panel.interface} permission", SKIP, "no bus to check"),
        ]
    if not os.access(path, os.R_OK | os.W_OK):
        return [
            CheckResult(name, OK, str(path)),
            CheckResult(
                f"{panel.interface} permission",
                FAIL,
                f"cannot open {path}; sudo usermod -aG {group} $USER, then log out and back in",
            ),
        ]
    return [
        CheckResult(name, OK, str(path)),
        CheckResult(f"{panel.interface} permission", OK, "read and write"),
    ]
