"""install.sh against a throwaway root (`--root`), with apt-get, systemctl, useradd & co. stubbed.

The stubs on PATH record each call; `id` and `uname` are stubbed too, so the root check and
each board can be tried, and `dpkg-query` says what is installed. The checks that stop it come
first and are fast; the tests after `installed` share one throwaway root: a run that stops
while I2C is off (before apt and pip), the run once it is on as on a Pi Zero W (armv6l: a real
venv and pip install from a wheel cache, no index needed), an upgrade in place on a 64-bit Pi
whose apt has no python3-lgpio (lgpio from its wheel), uninstall, purge. The real systemd
runs are tests/test_systemd_boot.py (x86) and tests/test_arm.py (arm64, armhf).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from wheelhouse import WheelhouseError, wheel_cache, wheelhouse

REPO = Path(__file__).resolve().parent.parent
INSTALL_SH = REPO / "install.sh"
UNITS = "etc/systemd/system"
STUBBED = ("systemctl", "useradd", "groupadd", "usermod", "userdel")
APT_PACKAGES = ["python3-venv", "python3-pil", "python3-cbor2", "python3-markupsafe", "python3-lgpio", "i2c-tools"]


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


@pytest.fixture(scope="module")
def stubs(tmp_path_factory) -> Path:
    """A bin dir whose commands log `name args` to $STUB_LOG; `id -u` says $STUB_UID (0),
    `uname -m` says $STUB_MACHINE (aarch64); apt-cache and apt-get know every package but those
    in $STUB_APT_LACKS, and the update fails when $STUB_APT_UPDATE_FAILS is set; dpkg-query says
    installed for those in $STUB_DPKG_INSTALLED and those apt-get installed in this run."""
    directory = tmp_path_factory.mktemp("stubs")
    for name in STUBBED:
        (directory / name).write_text(f'#!/bin/sh\necho "{name} $*" >> "$STUB_LOG"\nexit 0\n')
    (directory / "apt-get").write_text(
        '#!/bin/sh\necho "apt-get $*" >> "$STUB_LOG"\n'
        '[ "$1" = update ] && [ -n "$STUB_APT_UPDATE_FAILS" ] && '
        '{ echo "E: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease" >&2; exit 100; }\n'
        'if [ "$1" = install ]; then for p in "$@"; do case " $STUB_APT_LACKS " in *" $p "*) '
        'echo "E: Unable to locate package $p" >&2; exit 100 ;; esac; done\n'
        '  for p in "$@"; do case $p in -*|install) ;; *) echo "$p" >> "$STUB_LOG.dpkg" ;; esac; done; fi\nexit 0\n')
    (directory / "apt-cache").write_text(
        '#!/bin/sh\necho "apt-cache $*" >> "$STUB_LOG"\nshift\n'
        'for p in "$@"; do case " $STUB_APT_LACKS " in *" $p "*) ;; *) '
        'printf "%s:\\n  Installed: (none)\\n  Candidate: 1.0-1\\n" "$p" ;; esac; done\n')
    (directory / "dpkg-query").write_text(
        '#!/bin/sh\nfor p in "$@"; do case $p in -*) continue ;; esac\n'
        '  if case " $STUB_DPKG_INSTALLED " in *" $p "*) true ;; *) false ;; esac || '
        'grep -qx "$p" "$STUB_LOG.dpkg" 2>/dev/null; then echo "$p install ok installed"; fi; done\n')
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
        return wheelhouse(wheel_cache(request.config))
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
    Path(f"{log}.dpkg").write_text("")  # what apt-get installs in this run: dpkg-query then knows it
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


def test_an_old_python_is_refused(tmp_path, stubs):
    old = tmp_path / "python3.9"
    old.write_text('#!/bin/sh\ncase "$2" in *print*) echo 3.9.2 ;; *) exit 1 ;; esac\n')
    old.chmod(0o755)
    run = install_sh(pi_root(tmp_path), stubs, PYTHON=str(old))
    assert run.code == 1 and run.calls == []
    assert run.lines[-1] == (f"FAIL  python: {old} is 3.9.2, too old; psoas needs Python 3.11 or newer: "
                             f"Raspberry Pi OS Bookworm")


def test_a_rerun_keeps_the_installed_mode(tmp_path, stubs):
    root = tmp_path / "root"  # I2C off: it stops at the checks, before apt
    (root / UNITS).mkdir(parents=True)
    (root / UNITS / "psoas-companion-nightly.timer").write_text("")
    run = install_sh(root, stubs)
    assert "ok    mode: nightly, started at bedtime by a timer (as installed; --always-on to change)" in run.lines
    run = install_sh(root, stubs, "--always-on")
    assert "ok    mode: always on" in run.lines and run.calls == []


def test_each_apt_package_on_its_own_and_a_missing_wheel_is_named_not_the_network(tmp_path, stubs, wheels):
    """armhf without python3-pil in reach (apt-get update fails): the others still come from apt,
    and pip, allowed binary wheels only, stops at Pillow (none for armv7l) and says so."""
    no_pillow = tmp_path / "wheels"
    no_pillow.mkdir()
    for wheel in wheels.glob("*.whl"):
        if not wheel.name.lower().startswith("pillow-"):
            (no_pillow / wheel.name).symlink_to(wheel)
    run = install_sh(pi_root(tmp_path), stubs, wheels=no_pillow, STUB_MACHINE="armv7l",
                     STUB_DPKG_INSTALLED="python3-venv", STUB_APT_LACKS="python3-pil python3-lgpio",
                     STUB_APT_UPDATE_FAILS="1")
    assert run.code == 1
    policy = f"apt-cache policy {' '.join(APT_PACKAGES[1:])}"
    assert run.calls == [policy, "apt-get update", policy,
                         "apt-get install -y --no-install-recommends python3-cbor2 python3-markupsafe i2c-tools"]
    assert run.lines[:7] == [
        f"ok    system: armv7l (32-bit), Python {'%d.%d.%d' % sys.version_info[:3]}", "ok    mode: always on",
        f"ok    config: defaults (no {tmp_path}/root/etc/psoas-companion/config.toml)",
        f"ok    i2c bus: {tmp_path}/root/dev/i2c-1",
        "ok    apt: python3-venv python3-cbor2 python3-markupsafe i2c-tools",
        "skip  apt: python3-pil not installed (apt-get update failed: check the network)",
        "skip  apt: python3-lgpio not installed (apt-get update failed: check the network)"]
    assert run.err.count("\n") == 1 and "network" not in run.err, run.err
    assert run.err.startswith("FAIL  pip: installing psoas-companion into /opt/psoas-companion: ERROR: No matching "
                              "distribution found for pillow")
    assert (f"; no binary wheel of pillow for this system ({sysconfig.get_platform()}, Python "
            f"{'%d.%d' % sys.version_info[:2]}), and install.sh compiles nothing: install python3-pil with apt, "
            f"or see README: Install on a Raspberry Pi (all output: ") in run.err


def test_a_wrong_option_is_usage(tmp_path, stubs):
    run = install_sh(pi_root(tmp_path), stubs, "--nighty")
    assert (run.code, run.lines) == (2, ["install.sh: unknown option --nighty (see ./install.sh --help)"])


# -- one throwaway root, in order: I2C off, install, uninstall, purge ----------------------------

@pytest.fixture(scope="module")
def installed(tmp_path_factory, stubs, wheels):
    """A Pi Zero W (armv6l, Raspberry Pi OS: apt has every package) whose I2C is off at first:
    install.sh stops; I2C on: the re-run installs, the phone page too (--web)."""
    root = tmp_path_factory.mktemp("pi") / "root"
    root.mkdir()
    clone_had_build = (REPO / "build").exists()
    stopped = install_sh(root, stubs, wheels=wheels, STUB_MACHINE="armv6l")
    stopped.left = sorted(path.name for path in root.iterdir())
    (root / "dev").mkdir()
    (root / "dev/i2c-1").touch()  # `raspi-config nonint do_i2c 0` and a reboot
    run = install_sh(root, stubs, "--web", wheels=wheels, STUB_MACHINE="armv6l", STUB_DPKG_INSTALLED="python3-venv")
    assert (REPO / "build").exists() == clone_had_build, "pip builds from a copy: the clone stays clean"
    return root, stopped, run


def test_no_i2c_stops_it_first_with_the_fix_that_fits_the_os(installed):
    root, stopped, _ = installed
    assert stopped.code == 1
    assert stopped.lines[-1] == (f"FAIL  i2c bus: {root}/dev/i2c-1 not found; enable I2C: add the line "
                                 f"dtparam=i2c_arm=on to /boot/firmware/config.txt and the line i2c-dev to "
                                 f"/etc/modules, then reboot")  # no raspi-config under the root
    assert stopped.calls == [], "before apt, pip and the service"
    assert stopped.left == []  # no venv
    assert [line.split(":")[0] for line in stopped.lines] == ["ok    system", "ok    mode", "ok    config",
                                                               "FAIL  i2c bus"]


def test_a_pi_zero_w_installs_to_the_end_one_line_a_step_and_starts_the_service(installed):
    root, _, run = installed
    assert run.code == 0, run.err
    steps = run.out.split("psoas doctor:\n")[0].splitlines()
    assert [line.split(":")[0] for line in steps] == [
        "ok    system", "ok    mode", "ok    config", "ok    i2c bus", "ok    apt", "ok    venv", "ok    package",
        "ok    command", "ok    service", "ok    phone page"]
    assert steps[0] == f"ok    system: armv6l (Pi Zero / Zero W / Pi 1), Python {'%d.%d.%d' % sys.version_info[:3]}"
    assert steps[4] == f"ok    apt: {' '.join(APT_PACKAGES)}"
    assert steps[5] == "ok    venv: /opt/psoas-companion (created; it sees the system's Python packages from apt)"
    assert steps[-2:] == ["ok    service: always on, psoas-companion.service enabled and (re)started",
                          "ok    phone page: http://<this Pi's name>.local:8080 (pair it on the device: hold in the "
                          "dark, then Pair a phone)"]
    assert run.out.rstrip().splitlines()[-1].startswith("installed")  # after psoas doctor's lines
    assert run.calls[:2] == [f"apt-cache policy {' '.join(APT_PACKAGES[1:])}",
                             f"apt-get install -y --no-install-recommends {' '.join(APT_PACKAGES[1:])}"]
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


def test_a_64_bit_pi_without_python3_lgpio_in_apt_gets_lgpios_wheel(installed, stubs, wheels):
    """Debian on a Pi 4 (aarch64): apt has everything but python3-lgpio; an upgrade in place."""
    root, _, _ = installed
    venv = root / "opt/psoas-companion"
    assert subprocess.run([venv / "bin/python", "-c", "import lgpio"], capture_output=True).returncode != 0
    run = install_sh(root, stubs, wheels=wheels, STUB_MACHINE="aarch64", STUB_APT_LACKS="python3-lgpio",
                     STUB_DPKG_INSTALLED=" ".join(package for package in APT_PACKAGES if package != "python3-lgpio"))
    assert run.code == 0, run.err
    assert run.calls[:3] == ["apt-cache policy python3-lgpio", "apt-get update", "apt-cache policy python3-lgpio"]
    assert not any(call.startswith("apt-get install") for call in run.calls)
    lgpio = next(wheel.name.split("-")[1] for wheel in wheels.glob("lgpio-*.whl"))
    assert run.lines[:9] == [
        f"ok    system: aarch64 (64-bit), Python {'%d.%d.%d' % sys.version_info[:3]}", "ok    mode: always on (as "
        "installed; --nightly to change)", f"ok    config: defaults (no {root}/etc/psoas-companion/config.toml)",
        f"ok    i2c bus: {root}/dev/i2c-1",
        "ok    apt: python3-venv python3-pil python3-cbor2 python3-markupsafe i2c-tools",
        "skip  apt: python3-lgpio is not in this system's apt; pip installs lgpio's wheel instead",
        "ok    venv: /opt/psoas-companion (kept)", "ok    package: psoas-companion 0.1.0 in /opt/psoas-companion",
        f"ok    lgpio: {lgpio} from its wheel (no python3-lgpio from apt)"]
    assert subprocess.run([venv / "bin/python", "-c", "import lgpio"], capture_output=True).returncode == 0


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
