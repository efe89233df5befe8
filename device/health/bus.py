"""The check of the panel's bus: its device is there (else the fix that fits this OS), and this
user may open it. `psoas doctor` runs it, and install.sh's preflight before anything is
installed: standard library only (with the config and `device.panel.buses`).
"""

from __future__ import annotations

import os
from pathlib import Path

from device.config.schema import DisplaySettings, Interface
from device.health.result import FAIL, OK, SKIP, CheckResult
from device.panel.buses import bus_device, enable_fix


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
