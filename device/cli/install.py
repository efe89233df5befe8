"""`sudo psoas install [--user NAME] [--nightly]` and `sudo psoas uninstall`.

Install (idempotent: run it again after an upgrade or a config change):
1. the system user (`psoas`, unless `--user` names an existing one), in the gpio, i2c and spi
   groups (created when missing);
2. the unit files from `systemd/` in /etc/systemd/system, with `ExecStart=` pointing at this
   `psoas`, `User=` / `Group=`, and for `--nightly` the timer's `OnCalendar=` from `[bedtime]`;
3. `systemctl daemon-reload` and the mode: always on (`psoas-companion.service`, enabled and
   restarted so it runs the new code) or nightly (`psoas-companion-nightly.timer`, enabled);
   the other mode's units are disabled and removed.

Uninstall disables and removes the units; it keeps the history (/var/lib/psoas-companion),
the config (/etc/psoas-companion) and the user.
"""

from __future__ import annotations

import sys
from pathlib import Path

from device.cli import add_path_options
from device.cli.config import routine_problems
from device.cli.install_parts import (
    DEFAULT_USER,
    GROUPS,
    NIGHTLY,
    SERVICE,
    STATE_DIR,
    TIMER,
    UNIT_DIR,
    InstallError,
    System,
    on_calendar,
    render_unit,
    this_psoas,
    unit_sources,
)
from device.config.load import ConfigError, load_config

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

    def install(self, config, user: str | None = None, nightly: bool = False) -> list[str]:
        self._need_root("install")
        sources = self.sources or unit_sources()
        executable = self.executable or this_psoas()
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
        for name in MODES[nightly]:
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
        self.done.append(f"history is kept in {STATE_DIR}; logs: journalctl -u "
                         f"{(NIGHTLY if nightly else SERVICE).removesuffix('.service')}")
        return self.done

    def uninstall(self) -> list[str]:
        self._need_root("uninstall")
        removed = self._remove((TIMER, NIGHTLY, SERVICE))
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
            temporary = path.with_name(f".{name}.tmp")
            temporary.write_text(text, encoding="utf-8")
            temporary.chmod(0o644)
            temporary.replace(path)
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


def _check_executable(executable: Path) -> None:
    for hidden in ("/home/", "/root/", "/tmp/"):
        if str(executable).startswith(hidden):
            raise InstallError(f"{executable} is under {hidden.rstrip('/')}, which the service cannot see "
                               f"(ProtectHome=, PrivateTmp=); install into /opt/psoas-companion (see README)")


def register(subparsers) -> None:

    install = subparsers.add_parser("install", help="install the systemd service (run with sudo)")
    add_path_options(install)
    install.add_argument("--user", metavar="NAME", help=f"run as this existing user (default: a system user "
                         f"{DEFAULT_USER!r}, created if missing)")
    install.add_argument("--nightly", action="store_true",
                         help="start at bedtime by a timer and stop after the night, instead of always on")
    install.set_defaults(handler=_install)
    uninstall = subparsers.add_parser("uninstall", help="remove the systemd units; keeps the history")
    add_path_options(uninstall)
    uninstall.set_defaults(handler=_uninstall)


def _install(args) -> int:

    config = load_config(args.config)
    problems = routine_problems(config)
    if problems:
        raise ConfigError(problems)  # the service would only stop on it: say so now
    for line in Installer().install(config, user=args.user, nightly=args.nightly):
        print(line)
    return 0


def _uninstall(args) -> int:
    for line in Installer().uninstall():
        print(line)
    return 0
