"""`psoas install` / `uninstall` into a temporary root with a recording command runner."""

from __future__ import annotations

from pathlib import Path

import pytest

from device.setup.install import NIGHTLY, SERVICE, TIMER, WEB, Installer, System, on_calendar
from device.config.load import load_config
from device.errors import InstallError

REPO_UNITS = Path(__file__).resolve().parent.parent / "systemd"
EXE = Path("/opt/psoas-companion/.venv/bin/psoas")


class FakeMachine:
    """Users, groups and the commands run, as install sees them."""

    def __init__(self, root: Path, users=("pi",), groups=("gpio",)):
        self.users = set(users)
        self.groups = {g: set() for g in groups}
        self.commands: list[list[str]] = []
        self.system = System(root=root, run=self.run, user_exists=self.users.__contains__,
                             group_exists=self.groups.__contains__, groups_of=self.groups_of,
                             primary_group=lambda user: user, is_root=lambda: True)

    def groups_of(self, user):
        return {g for g, members in self.groups.items() if user in members}

    def run(self, argv, check=True):
        self.commands.append(list(argv))
        if argv[0] == "useradd":
            self.users.add(argv[-1])
        elif argv[0] == "groupadd":
            self.groups[argv[-1]] = set()
        elif argv[0] == "usermod":
            for group in argv[argv.index("--groups") + 1].split(","):
                self.groups[group].add(argv[-1])
        return 0

    def installer(self):
        return Installer(self.system, sources=REPO_UNITS, executable=EXE)


def config_with(tmp_path, text=""):
    path = tmp_path / "config.toml"
    path.write_text(text)
    return load_config(path)


def test_install_creates_user_groups_unit_and_starts_it(tmp_path):
    machine = FakeMachine(tmp_path / "root")
    machine.installer().install(config_with(tmp_path))
    names = [c[0] if c[0] != "systemctl" else " ".join(c[:2]) for c in machine.commands]
    assert names == ["useradd", "groupadd", "groupadd", "usermod", "systemctl daemon-reload",
                     "systemctl enable", "systemctl restart"]
    assert machine.commands[-1] == ["systemctl", "restart", SERVICE]
    assert machine.groups_of("psoas") == {"gpio", "i2c", "spi"}
    unit = (tmp_path / "root/etc/systemd/system" / SERVICE).read_text()
    assert f"ExecStart={EXE} run\n" in unit and "User=psoas\n" in unit and "Group=psoas\n" in unit
    assert not (tmp_path / "root/etc/systemd/system" / TIMER).exists()


def test_install_twice_changes_nothing_the_second_time(tmp_path):
    machine = FakeMachine(tmp_path / "root")
    machine.installer().install(config_with(tmp_path))
    unit = tmp_path / "root/etc/systemd/system" / SERVICE
    first = unit.read_text()
    machine.commands.clear()
    done = machine.installer().install(config_with(tmp_path))
    assert unit.read_text() == first
    assert f"{unit}: unchanged" in done
    assert [c[0] for c in machine.commands] == ["systemctl"] * 3  # reload, enable, restart: all idempotent


def test_nightly_writes_timer_from_bedtime_config_and_removes_always_on(tmp_path):
    machine = FakeMachine(tmp_path / "root", users=("pi", "psoas"), groups=("gpio", "i2c", "spi"))
    machine.installer().install(config_with(tmp_path))
    config = config_with(tmp_path, '[bedtime]\nsaturday = "23:30"\nsunday = ""\ntime_zone = "Europe/Berlin"\n')
    machine.commands.clear()
    machine.installer().install(config, user="pi", nightly=True)
    units = tmp_path / "root/etc/systemd/system"
    timer = (units / TIMER).read_text()
    assert "OnCalendar=Mon..Fri *-*-* 22:15:00 Europe/Berlin\nOnCalendar=Sat *-*-* 23:30:00 Europe/Berlin\n" in timer
    service = (units / NIGHTLY).read_text()
    assert f"ExecStart={EXE} run --nightly\n" in service and "User=pi\n" in service
    assert not (units / SERVICE).exists()
    assert ["systemctl", "disable", "--now", SERVICE] in machine.commands
    assert machine.commands[-2:] == [["systemctl", "enable", TIMER], ["systemctl", "restart", TIMER]]


def test_default_bedtimes_match_the_shipped_timer(tmp_path):
    shipped = [line.split("=", 1)[1] for line in (REPO_UNITS / TIMER).read_text().splitlines()
               if line.startswith("OnCalendar=")]
    assert on_calendar(config_with(tmp_path)) == shipped


def test_uninstall_removes_units_and_keeps_history(tmp_path):
    machine = FakeMachine(tmp_path / "root")
    machine.installer().install(config_with(tmp_path), nightly=True)
    history = tmp_path / "root/var/lib/psoas-companion/journal.sqlite3"
    history.parent.mkdir(parents=True)
    history.write_bytes(b"nights")
    machine.commands.clear()
    done = machine.installer().uninstall()
    assert not list((tmp_path / "root/etc/systemd/system").iterdir())
    assert history.read_bytes() == b"nights"
    assert ["systemctl", "disable", "--now", TIMER] in machine.commands
    assert machine.commands[-1] == ["systemctl", "daemon-reload"]
    assert "kept the history" in done[-1]
    assert "userdel" not in str(machine.commands)
    machine.commands.clear()
    assert "nothing to remove" in machine.installer().uninstall()[0]
    assert machine.commands == []


def test_unknown_user_is_one_line_with_the_fix(tmp_path):
    machine = FakeMachine(tmp_path / "root")
    with pytest.raises(InstallError, match=r"user 'nobody-here' does not exist; create it first"):
        machine.installer().install(config_with(tmp_path), user="nobody-here")
    assert machine.commands == []


def test_needs_root_on_the_real_system(tmp_path):
    machine = FakeMachine(Path("/"))
    machine.system.is_root = lambda: False
    with pytest.raises(InstallError, match="run it as root"):
        machine.installer().install(config_with(tmp_path))


def test_refuses_a_psoas_the_service_cannot_see(tmp_path):
    machine = FakeMachine(tmp_path / "root")
    installer = Installer(machine.system, sources=REPO_UNITS, executable=Path("/home/pi/venv/bin/psoas"))
    with pytest.raises(InstallError, match="under /home.*install into /opt/psoas-companion"):
        installer.install(config_with(tmp_path))


def test_nightly_without_bedtimes_is_refused(tmp_path):
    machine = FakeMachine(tmp_path / "root")
    with pytest.raises(InstallError, match="no bedtimes"):
        machine.installer().install(config_with(tmp_path, "[bedtime]\nenabled = false\n"), nightly=True)


def test_file_errors_are_one_line_with_the_path(tmp_path):
    blocked = FakeMachine(tmp_path / "blocked")
    (tmp_path / "blocked").mkdir()
    (tmp_path / "blocked" / "etc").write_text("a file where a folder should be")
    with pytest.raises(InstallError, match=r"etc/psoas-companion: cannot create"):
        blocked.installer().install(config_with(tmp_path))
    machine = FakeMachine(tmp_path / "root")
    missing = Installer(machine.system, sources=tmp_path / "no-units", executable=EXE)
    with pytest.raises(InstallError, match=r"no-units/psoas-companion.service: cannot read the unit template"):
        missing.install(config_with(tmp_path))


def test_web_is_installed_only_when_asked_and_removed_with_the_rest(tmp_path):
    machine = FakeMachine(tmp_path)
    machine.installer().install(config_with(tmp_path))
    unit_dir = tmp_path / "etc/systemd/system"
    assert not (unit_dir / WEB).exists()
    done = machine.installer().install(config_with(tmp_path, "[web]\nport = 8090\n"), web=True)
    text = (unit_dir / WEB).read_text()
    assert f"ExecStart={EXE} web" in text and "User=psoas" in text
    assert ["systemctl", "enable", WEB] in machine.commands and ["systemctl", "restart", WEB] in machine.commands
    assert any(".local:8090" in line for line in done)
    machine.commands.clear()
    machine.installer().install(config_with(tmp_path))  # an upgrade without --web: kept and restarted
    assert (unit_dir / WEB).exists() and ["systemctl", "restart", WEB] in machine.commands
    machine.installer().uninstall()
    assert not (unit_dir / WEB).exists()
