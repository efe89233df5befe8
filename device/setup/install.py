"""`sudo psoas install [--user NAME] [--nightly]` and `sudo psoas uninstall` (install.sh runs them).

Install (idempotent: run it again after an upgrade or a config change):
1. the system user (`psoas`, unless `--user` names an existing one), in the gpio, i2c and spi
   groups (created when missing);
2. the unit files from `systemd/` in /etc/systemd/system, with `ExecStart=` pointing at this
   `psoas`, `User=` / `Group=`, and for `--nightly` the timer's `OnCalendar=` from `[bedtime]`;
3. `systemctl daemon-reload` and the mode: always on (`psoas-companion.service`, enabled and
   restarted so it runs the new code) or nightly (`psoas-companion-nightly.timer`, enabled);
   the other mode's units are disabled and removed;
4. with `--web`, also the phone page (`psoas-companion-web.service`, enabled and restarted). It is
   off unless asked for; once installed, a later `install` (an upgrade) rewrites and restarts it
   too, with or without `--web`.

Uninstall disables and removes the units; it keeps the history (/var/lib/psoas-companion),
the config (/etc/psoas-companion) and the user.
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

from device.cli import add_path_options
from device.cli.config import routine_problems
from device.config.load import load_config
from device.config.paths import WEB_UNIT
from device.config.schema import WEEKDAYS, parse_clock_time
from device.errors import ConfigError, InstallError
from device.storage.atomic import write_atomically

SERVICE, NIGHTLY, TIMER = "psoas-companion.service", "psoas-companion-nightly.service", "psoas-companion-nightly.timer"
WEB = WEB_UNIT  # the phone page, only with `install --web`
DEFAULT_USER = "psoas"
GROUPS = ("gpio", "i2c", "spi")
STATE_DIR = "/var/lib/psoas-companion"
UNIT_DIR = "etc/systemd/system"  # under the root; `device.config.paths.UNIT_DIR` on a real one
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


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
                       "e.g. sudo /opt/psoas-companion/bin/psoas install")


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


MODES = {False: (SERVICE,), True: (NIGHTLY, TIMER)}  # nightly? -> the units it needs


class Installer:
    """Installs or removes the units on `system`; each method returns what it did, one line each."""

    def __init__(self, system: System | None = None, sources: Path | None = None, executable: Path | None = None):
        self.system = system or System()
        self.sources = sources
        self.executable = executable
        self.done: list[str] = []

    @property
    def unit_dir(self) -> Path:
        return self.system.root / UNIT_DIR

    def install(self, config, user: str | None = None, nightly: bool = False, web: bool = False) -> list[str]:
        self._need_root("install")
        sources = self.sources or unit_sources()
        executable = self.executable or _seen_inside(this_psoas(), self.system.root)
        _check_executable(executable)
        calendar = on_calendar(config) if nightly else None
        if nightly and not calendar:
            raise InstallError("[bedtime] has no bedtimes, so the nightly timer would never start; "
                               "set a time for some weekdays, or install without --nightly")
        user = self._ensure_user(user or DEFAULT_USER)
        self._ensure_groups(user)
        config_dir = self.system.root / "etc" / "psoas-companion"
        try:
            config_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise InstallError(f"{config_dir}: cannot create ({error.strerror or error})") from None
        group = self.system.primary_group(user)
        web = web or (self.unit_dir / WEB).is_file()  # an upgrade keeps an installed phone page current
        for name in MODES[nightly] + ((WEB,) if web else ()):
            try:
                template = (sources / name).read_text(encoding="utf-8")
            except OSError as error:
                raise InstallError(f"{sources / name}: cannot read the unit template ({error.strerror or error}); "
                                   "reinstall psoas-companion") from None
            self._write(name, render_unit(template, executable, user, group, calendar if name == TIMER else None))
        self._remove(MODES[not nightly])
        self._command(["systemctl", "daemon-reload"])
        unit = TIMER if nightly else SERVICE
        self._command(["systemctl", "enable", unit])
        self._command(["systemctl", "restart", unit])
        if web:
            self._command(["systemctl", "enable", WEB])
            self._command(["systemctl", "restart", WEB])
            self.done.append(f"phone page: http://<this Pi's name>.local:{config.web.port} "
                             "(pair it on the device: hold in the dark, then Pair a phone)")
        self.done.append(f"history is kept in {STATE_DIR}; logs: journalctl -u "
                         f"{(NIGHTLY if nightly else SERVICE).removesuffix('.service')}")
        return self.done

    def uninstall(self) -> list[str]:
        self._need_root("uninstall")
        removed = self._remove((TIMER, NIGHTLY, SERVICE, WEB))
        if removed:
            self._command(["systemctl", "daemon-reload"])
        else:
            self.done.append("nothing to remove: no psoas-companion units installed")
        self.done.append(f"kept the history in {STATE_DIR}, the config in /etc/psoas-companion and the user; "
                         f"to remove them too: sudo rm -r {STATE_DIR} && sudo userdel {DEFAULT_USER}")
        return self.done

    # -- steps -----------------------------------------------------------------------------

    def _need_root(self, what: str) -> None:
        if self.system.root == Path("/") and not self.system.is_root():
            raise InstallError(f"{what} changes system files: run it as root, e.g. sudo {sys.argv[0]} {what}")

    def _ensure_user(self, user: str) -> str:
        if self.system.user_exists(user):
            return user
        if user != DEFAULT_USER:
            raise InstallError(f"user {user!r} does not exist; create it first, or leave out --user "
                               f"to use a dedicated {DEFAULT_USER!r} user")
        self._command(["useradd", "--system", "--user-group", "--home-dir", STATE_DIR, "--no-create-home",
                       "--shell", "/usr/sbin/nologin", "--comment", "psoas companion", user])
        return user

    def _ensure_groups(self, user: str) -> None:
        for group in GROUPS:
            if not self.system.group_exists(group):
                self._command(["groupadd", "--system", group])
        missing = [g for g in GROUPS if g not in self.system.groups_of(user)]
        if missing:
            self._command(["usermod", "--append", "--groups", ",".join(missing), user])

    def _write(self, name: str, text: str) -> None:
        path = self.unit_dir / name
        try:
            if path.is_file() and path.read_text(encoding="utf-8") == text:
                self.done.append(f"{path}: unchanged")
                return
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, text, mode=0o644)
        except OSError as error:
            raise InstallError(f"{path}: cannot write ({error.strerror or error})") from None
        self.done.append(f"{path}: written")

    def _remove(self, names) -> list[str]:
        removed = []
        for name in names:
            path = self.unit_dir / name
            if not path.exists():
                continue
            self.system.run(["systemctl", "disable", "--now", name], check=False)
            self.done.append(f"$ systemctl disable --now {name}")
            try:
                path.unlink()
            except OSError as error:
                raise InstallError(f"{path}: cannot remove ({error.strerror or error})") from None
            self.done.append(f"{path}: removed")
            removed.append(name)
        return removed

    def _command(self, argv: list[str]) -> None:
        self.system.run(argv)
        self.done.append("$ " + " ".join(argv))


def _seen_inside(path: Path, root: Path) -> Path:
    """`path` as the units under `root` see it: root/opt/x is /opt/x (for `--root`)."""
    try:
        return Path("/") / path.relative_to(root)
    except ValueError:
        return path


def _check_executable(executable: Path) -> None:
    for hidden in ("/home/", "/root/", "/tmp/"):
        if str(executable).startswith(hidden):
            raise InstallError(f"{executable} is under {hidden.rstrip('/')}, which the service cannot see "
                               f"(ProtectHome=, PrivateTmp=); install into /opt/psoas-companion (see README)")


def add_arguments(install) -> None:
    """`psoas install [--user NAME] [--nightly] [--web] [--root DIR] [--config PATH] [--state-dir DIR]`."""
    add_path_options(install)
    install.add_argument("--user", metavar="NAME", help=f"run as this existing user (default: a system user "
                         f"{DEFAULT_USER!r}, created if missing)")
    install.add_argument("--nightly", action="store_true",
                         help="start at bedtime by a timer and stop after the night, instead of always on")
    install.add_argument("--web", action="store_true",
                         help="also serve the phone page (psoas-companion-web.service) on the home network")
    add_root_option(install)


def add_root_option(parser) -> None:
    """`--root DIR`, for tests (`install` and `uninstall`)."""
    parser.add_argument("--root", metavar="DIR", default="/", help="for tests: write the files under DIR "
                        "instead of / (the commands it runs, systemctl and useradd, still act here)")


def run(args) -> int:
    config = load_config(args.config)
    problems = routine_problems(config)
    if problems:
        raise ConfigError(problems)  # the service would only stop on it: say so now
    for line in Installer(System(root=Path(args.root))).install(config, user=args.user, nightly=args.nightly,
                                                              web=args.web):
        print(line)
    return 0
