"""What `psoas install` works with: the system it changes, the unit templates, rendering.

Everything touching the machine goes through `System` (root dir, command runner, user and
group look-ups), so tests install into a temporary directory with a recording runner.
"""

from __future__ import annotations

import grp
import os
import pwd
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from device.config.schema import WEEKDAYS, parse_clock_time
from routines.errors import PsoasError

SERVICE, NIGHTLY, TIMER = "psoas-companion.service", "psoas-companion-nightly.service", "psoas-companion-nightly.timer"
DEFAULT_USER = "psoas"
GROUPS = ("gpio", "i2c", "spi")
STATE_DIR = "/var/lib/psoas-companion"
UNIT_DIR = "etc/systemd/system"
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class InstallError(PsoasError, RuntimeError):
    """Install or uninstall cannot go on; the message names the fix."""


def _run(argv: list[str], check: bool = True) -> int:
    result = subprocess.run(argv, capture_output=True, text=True)
    if check and result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise InstallError(f"`{' '.join(argv)}` failed: {detail[-1] if detail else f'exit {result.returncode}'}")
    return result.returncode


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _group_exists(name: str) -> bool:
    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True


def _primary_group(user: str) -> str:
    try:
        return grp.getgrgid(pwd.getpwnam(user).pw_gid).gr_name
    except KeyError:
        return user


def _groups_of(user: str) -> set[str]:
    return {g.gr_name for g in grp.getgrall() if user in g.gr_mem} | {_primary_group(user)}


@dataclass
class System:
    """The machine install changes. Tests replace every field."""

    root: Path = Path("/")
    run: Callable[..., int] = _run  # run(argv, check=True) -> exit status
    user_exists: Callable[[str], bool] = _user_exists
    group_exists: Callable[[str], bool] = _group_exists
    groups_of: Callable[[str], set[str]] = _groups_of
    primary_group: Callable[[str], str] = _primary_group
    is_root: Callable[[], bool] = field(default=lambda: os.geteuid() == 0)


def unit_sources() -> Path:
    """The directory holding the unit templates (a clone's `systemd/`, or the installed copy)."""
    for candidate in (Path(__file__).resolve().parent.parent / "systemd",
                      Path(sys.prefix) / "share" / "psoas-companion" / "systemd"):
        if (candidate / SERVICE).is_file():
            return candidate
    raise InstallError("unit files not found (systemd/ next to the package, or share/psoas-companion/systemd); "
                       "install from a clone of the repository, see README")


def this_psoas() -> Path:
    """The `psoas` command being run now, as an absolute path."""
    for candidate in (Path(sys.argv[0]), Path(sys.executable).with_name("psoas")):
        if candidate.name == "psoas" and candidate.is_file():
            return candidate.absolute()
    raise InstallError("cannot tell where the psoas command is; run it by its full path, "
                       "e.g. sudo /opt/psoas-companion/.venv/bin/psoas install")


def on_calendar(config) -> list[str]:
    """The timer's `OnCalendar=` values for the `[bedtime]` section, weekdays with one time grouped."""
    bedtime = config.bedtime
    by_time: dict[str, list[int]] = {}
    for index, day in enumerate(WEEKDAYS):
        clock = parse_clock_time(getattr(bedtime, day)) if bedtime.enabled else None  # checked at load
        if clock:
            hour, minute = clock
            by_time.setdefault(f"{hour:02d}:{minute:02d}:00", []).append(index)
    zone = f" {bedtime.time_zone}" if bedtime.time_zone else ""
    return [f"{_days(days)} *-*-* {at}{zone}" for at, days in sorted(by_time.items(), key=lambda item: item[1])]


def _days(indexes: list[int]) -> str:
    runs: list[list[int]] = []
    for index in indexes:
        if runs and index == runs[-1][-1] + 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{DAY_NAMES[run[0]]}..{DAY_NAMES[run[-1]]}")
        else:
            parts += [DAY_NAMES[i] for i in run]
    return ",".join(parts)


def render_unit(template: str, executable: Path, user: str, group: str, calendar: list[str] | None = None) -> str:
    """A unit file from its template: the real ExecStart path, User=, Group=, OnCalendar=."""
    text = re.sub(r"^(ExecStart=)\S+", lambda m: m.group(1) + str(executable), template, flags=re.M)
    text = re.sub(r"^User=.*$", f"User={user}", text, flags=re.M)
    text = re.sub(r"^Group=.*$", f"Group={group}", text, flags=re.M)
    if calendar is not None:
        lines = "\n".join(f"OnCalendar={value}" for value in calendar)
        text = re.sub(r"(^OnCalendar=.*\n)+", lines + "\n", text, flags=re.M)
    return text
