"""install.sh against a throwaway root (`--root`), with apt-get, systemctl, useradd & co. stubbed.

The stubs on PATH record each call; `id` and `uname` are stubbed too, so the root and armv6
checks can be tried. The checks that stop it come first and are fast; the tests after
`installed` share one throwaway root: a real venv and pip install (from a wheel cache, no
index needed) that stops while I2C is off, the re-run once it is on (an upgrade in
place: the venv is kept), uninstall, purge. The real systemd run is
tests/test_systemd_boot.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from wheelhouse import WheelhouseError, wheelhouse

REPO = Path(__file__).resolve().parent.parent
INSTALL_SH = REPO / "install.sh"
UNITS = "etc/systemd/system"
STUBBED = ("apt-get", "systemctl", "useradd", "groupadd", "usermod", "userdel")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


@pytest.fixture(scope="module")
def stubs(tmp_path_factory) -> Path:
    """A bin dir whose commands log `name args` to $STUB_LOG; `id -u` says $STUB_UID (0),
    `uname -m` says $STUB_MACHINE (aarch64); apt-get fails when $STUB_APT_FAILS is set."""
    directory = tmp_path_factory.mktemp("stubs")
    for name in STUBBED:
        fails = ('[ "$1" = install ] && [ -n "$STUB_APT_FAILS" ] && '
                 '{ echo "E: Unable to locate package python3-lgpio" >&2; exit 100; }' if name == "apt-get" else "")
        (directory / name).write_text(f'#!/bin/sh\necho "{name} $*" >> "$STUB_LOG"\n{fails}\nexit 0\n')
    (directory / "id").write_text('#!/bin/sh\n[ "$1" = -u ] && { echo "${STUB_UID:-0}"; exit 0; }\n'
                                  'exec /usr/bin/id "$@"\n')
    (directory / "uname").write_text('#!/bin/sh\n[ "$1" = -m ] && { echo "${STUB_MACHINE:-aarch64}"; exit 0; }\n'
                                     'exec /usr/bin/uname "$@"\n')
    for path in directory.iterdir():
        path.chmod(0o755)
    return directory


@pytest.fixture(scope="module")
def wheels(request) -> Path:
    try:
        return wheelhouse(request.config.cache.mkdir("psoas-wheels"))
    except WheelhouseError as error:
        (pytest.fail if in_ci() else pytest.skip)(f"no wheels for install.sh's pip: {error}")


class Run:
    def __init__(self, result: subprocess.CompletedProcess, calls: list[str]):
        self.code, self.out, self.err, self.calls = result.returncode, result.stdout, result.stderr, calls

    @property
    def lines(self) -> list[str]:
        return (self.out + self.err).strip().splitlines()


def install_sh(root: Path, stubs: Path, *args: str, wheels: Path | None = None, **env: str) -> Run:
    log = root.parent / f"{root.name}-calls.log"
    log.write_text("")
    environment = {**os.environ, "PATH": f"{stubs}:{os.environ['PATH']}", "STUB_LOG": str(log),
                   "PYTHON": sys.executable, "TMPDIR": str(root.parent), **env}
    if wheels is not None:
        environment.update(PIP_NO_INDEX="1", PIP_FIND_LINKS=str(wheels))
    result = subprocess.run([str(INSTALL_SH), "--root", str(root), *args], capture_output=True, text=True,
                            env=environment, timeout=300)
    return Run(result, log.read_text().splitlines())


def pi_root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    (root / "dev").mkdir(parents=True)
    (root / "dev" / "i2c-1").touch()
    return root


def test_shellcheck_is_clean():
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        (pytest.fail if in_ci() else pytest.skip)("shellcheck not found: apt-get install -y shellcheck (.ci/run does)")
    result = subprocess.run([shellcheck, str(INSTALL_SH)], capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (0, "")


def test_without_root_it_stops_before_anything(tmp_path, stubs):
    run = install_sh(pi_root(tmp_path), stubs, STUB_UID="1000")
    assert run.code == 1 and run.calls == []
    assert run.lines == ["FAIL  root: install.sh changes system files; run it as root: sudo ./install.sh"]
    assert sorted(p.name for p in (tmp_path / "root").iterdir()) == ["dev"]


def test_an_armv6_pi_is_refused(tmp_path, stubs):
    run = install_sh(pi_root(tmp_path), stubs, STUB_MACHINE="armv6l")
    assert run.code == 1 and run.calls == []
    assert run.lines == ["FAIL  system: armv6l (Pi Zero / Zero W / Pi 1) is not supported, lgpio needs ARMv7 "
                         "or newer; use a Pi Zero 2 W, 3, 4 or 5"]


def test_an_old_python_is_refused(tmp_path, stubs):
    old = tmp_path / "python3.9"
    old.write_text('#!/bin/sh\ncase "$2" in *print*) echo 3.9.2 ;; *) exit 1 ;; esac\n')
    old.chmod(0o755)
    run = install_sh(pi_root(tmp_path), stubs, PYTHON=str(old))
    assert run.code == 1 and run.calls == []
    assert run.lines[-1] == (f"FAIL  python: {old} is 3.9.2, too old; psoas needs Python 3.11 or newer: "
                             f"Raspberry Pi OS Bookworm")


def test_a_failing_apt_is_one_line_with_the_fix(tmp_path, stubs):
    run = install_sh(pi_root(tmp_path), stubs, STUB_APT_FAILS="1")
    assert run.code == 1
    assert [c.split()[1] for c in run.calls] == ["install", "update", "install"]
    assert run.err.count("\n") == 1
    assert run.err.startswith("FAIL  apt: installing python3-venv python3-lgpio i2c-tools: E: Unable to locate "
                              "package python3-lgpio; is this Raspberry Pi OS? Elsewhere use --no-apt")
    assert not (tmp_path / "root/opt").exists()


def test_a_rerun_keeps_the_installed_mode(tmp_path, stubs):
    root = pi_root(tmp_path)
    (root / UNITS).mkdir(parents=True)
    (root / UNITS / "psoas-companion-nightly.timer").write_text("")
    run = install_sh(root, stubs, STUB_APT_FAILS="1")  # stops at apt, after the checks
    assert "ok    mode: nightly, started at bedtime by a timer (as installed; --always-on to change)" in run.lines
    run = install_sh(root, stubs, "--always-on", STUB_APT_FAILS="1")
    assert "ok    mode: always on" in run.lines


def test_a_wrong_option_is_usage(tmp_path, stubs):
    run = install_sh(pi_root(tmp_path), stubs, "--nighty")
    assert (run.code, run.lines) == (2, ["install.sh: unknown option --nighty (see ./install.sh --help)"])


# -- one throwaway root, in order: I2C off, install, uninstall, purge ----------------------------

@pytest.fixture(scope="module")
def installed(tmp_path_factory, stubs, wheels):
    """A Pi whose I2C is off at first: install.sh stops; I2C on: the re-run installs, the phone
    page too (--web)."""
    root = tmp_path_factory.mktemp("pi") / "root"
    root.mkdir()
    clone_had_build = (REPO / "build").exists()
    stopped = install_sh(root, stubs, wheels=wheels)
    (root / "dev").mkdir()
    (root / "dev/i2c-1").touch()  # `raspi-config nonint do_i2c 0` and a reboot
    run = install_sh(root, stubs, "--web", wheels=wheels)
    assert (REPO / "build").exists() == clone_had_build, "pip builds from a copy: the clone stays clean"
    return root, stopped, run


def test_no_i2c_stops_it_with_the_raspi_config_fix_before_the_service(installed):
    root, stopped, _ = installed
    assert stopped.code == 1
    assert stopped.lines[-1] == (f"FAIL  i2c bus: {root}/dev/i2c-1 not found; enable I2C: "
                                 f"sudo raspi-config nonint do_i2c 0, then reboot")
    assert not any(c.startswith(("systemctl", "useradd")) for c in stopped.calls)
    assert not any(line.startswith(("ok    command", "ok    service")) for line in stopped.lines)




def test_install_prints_one_line_a_step_and_starts_the_service(installed):
    root, _, run = installed
    assert run.code == 0, run.err
    steps = run.out.split("psoas doctor:\n")[0].splitlines()
    assert [line.split(":")[0] for line in steps] == [
        "ok    system", "ok    mode", "ok    apt", "ok    venv", "ok    package", "ok    config", "ok    i2c bus",
        "ok    command", "ok    service", "ok    phone page"]
    assert "ok    venv: /opt/psoas-companion (kept)" in steps  # the first run made it
    assert steps[-2:] == ["ok    service: always on, psoas-companion.service enabled and (re)started",
                          "ok    phone page: http://<this Pi's name>.local:8080 (pair it on the device: hold in the "
                          "dark, then Pair a phone)"]
    assert run.out.rstrip().splitlines()[-1].startswith("installed")  # after psoas doctor's lines
    assert run.calls[0] == "apt-get install -y --no-install-recommends python3-venv python3-lgpio i2c-tools"
    assert run.calls[-5:] == ["systemctl daemon-reload", "systemctl enable psoas-companion.service",
                              "systemctl restart psoas-companion.service",
                              "systemctl enable psoas-companion-web.service",
                              "systemctl restart psoas-companion-web.service"]  # --web is passed on
    unit = (root / UNITS / "psoas-companion.service").read_text()
    assert "ExecStart=/opt/psoas-companion/bin/psoas run\n" in unit and "User=psoas\n" in unit
    assert os.readlink(root / "usr/local/bin/psoas") == "/opt/psoas-companion/bin/psoas"
    venv = root / "opt/psoas-companion"
    assert "include-system-site-packages = true" in (venv / "pyvenv.cfg").read_text()
    version = subprocess.run([venv / "bin/python", "-c", "import device.hardware.virtual_panel, importlib.metadata "
                              "as m; print(m.version('psoas-companion'))"], capture_output=True, text=True, cwd=root)
    assert version.stdout.strip() == "0.1.0", version.stderr


def test_uninstall_keeps_the_history_and_config_and_purge_removes_them(installed, stubs):
    root, _, _ = installed
    (root / "etc/psoas-companion/config.toml").write_text("# mine\n")
    (root / "var/lib/psoas-companion").mkdir(parents=True)
    (root / "var/lib/psoas-companion/journal.sqlite3").write_text("my nights")
    run = install_sh(root, stubs, "--uninstall")
    assert run.code == 0, run.err
    assert run.lines == [
        "ok    service: units removed", "ok    venv: /opt/psoas-companion removed",
        "ok    command: /usr/local/bin/psoas removed",
        "ok    kept: the history in /var/lib/psoas-companion and the config in /etc/psoas-companion "
        "(to remove them: sudo ./install.sh --purge)"]
    assert {"systemctl disable --now psoas-companion.service",
            "systemctl disable --now psoas-companion-web.service"} <= set(run.calls)
    assert list((root / UNITS).iterdir()) == []
    assert not (root / "opt/psoas-companion").exists() and not (root / "usr/local/bin/psoas").is_symlink()
    assert (root / "var/lib/psoas-companion/journal.sqlite3").exists()
    assert (root / "etc/psoas-companion/config.toml").exists()
    purge = install_sh(root, stubs, "--uninstall", "--purge")
    assert purge.code == 0, purge.err
    assert purge.lines[-1].startswith("ok    purged: the history (/var/lib/psoas-companion), the config")
    assert not (root / "var/lib/psoas-companion").exists() and not (root / "etc/psoas-companion").exists()
