"""`sudo psoas uninstall`: disable and remove the units `psoas install` put in; keep the history
(/var/lib/psoas-companion), the config (/etc/psoas-companion) and the user."""

from __future__ import annotations

from pathlib import Path

from device.cli import add_path_options
from device.setup.install import Installer, System, add_root_option


def add_arguments(uninstall) -> None:
    """`psoas uninstall [--root DIR] [--config PATH] [--state-dir DIR]`."""
    add_path_options(uninstall)
    add_root_option(uninstall)


def run(args) -> int:
    for line in Installer(System(root=Path(args.root))).uninstall():
        print(line)
    return 0
