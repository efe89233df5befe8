"""On ARM, as a person's Pi runs it: Debian Bookworm arm64 and armhf booted under qemu-user.

For each architecture, a root filesystem made by debootstrap (tests/arm_rootfs.py: built once,
cached in /var/cache/psoas-arm, both builds started at once when the session begins) is booted
by `systemd-nspawn --volatile=overlay --boot` (read-only, a tmpfs on top: the cache stays
clean), its programs run by qemu-user-static through binfmt_misc. Inside it, in order: the real
install.sh, with apt (the Debian mirror this machine uses: python3-pil, python3-cbor2, ...;
Debian has no python3-lgpio, so lgpio comes from its wheel) and pip given a wheelhouse made
here with `pip download --platform` (binary wheels only: PyPI has no armv7l Pillow, so armhf
must take apt's), the virtual panel (`[display] driver = "virtual"`); then: the service
reaches READY=1, `psoas doctor` passes, a routine runs to its end with the virtual panel
writing the frames, a SIGKILLed service is restarted, and `systemctl poweroff` ends the
container.

Under qemu-user, systemd cannot set up PrivateNetwork=, PrivateIPC= and PrivateUsers=, so a
test-only drop-in (`QEMU_DROP_IN`) turns off exactly those; and seccomp filters
(SystemCallFilter=, MemoryDenyWriteExecute=) are not enforced on emulated programs. The
hardening itself is proven by tests/test_systemd_boot.py under this machine's own systemd.

Skipped, with one line, where it cannot run (not root; outside CI: no debootstrap, nspawn or
qemu-user-static); under CI (CI=true, .ci/run installs those) it fails instead. From nothing
(both debootstraps) it takes about 15-20 minutes on 2 cores, from the cache about 5.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import arm_rootfs
import pytest
from nspawn import Container, cannot, find_leader, lit, running

from device.setup.install import SERVICE

pytestmark = pytest.mark.arm

REPO = Path(__file__).resolve().parent.parent
SRC = "/src/psoas-companion"  # the checkout, inside the container (read-only)
CONFIG = "/etc/psoas-companion/config.toml"
VENV_PYTHON = "/opt/psoas-companion/bin/python"
RESTART_SECONDS = 5  # RestartSec= in the unit
BUILD_MINUTES = 25  # the longest a root filesystem build may take (armhf: about 12 minutes alone)
QEMU_DROP_IN = """\
# tests/test_arm.py only: what systemd cannot set up under qemu-user. Nothing else is changed.
[Service]
PrivateNetwork=no
PrivateIPC=no
PrivateUsers=no
"""
# Both, unless a developer asks for one (`PSOAS_ARM_ARCHES=armhf pytest -m arm`); CI sets nothing.
TESTED = os.environ.get("PSOAS_ARM_ARCHES", " ".join(arm_rootfs.ARCHES)).split()
TOOLS = {"debootstrap": "debootstrap", "systemd-nspawn": "systemd-container", "nsenter": "util-linux",
         "update-binfmts": "binfmt-support", "qemu-aarch64-static": "qemu-user-static"}


class Prepared:
    """One architecture, made ready in its own thread: root filesystem, wheelhouse, boot, install.sh.

    What went wrong there (a skip or a failure too) is kept in `error` and raised by `get()`
    in the test's own thread.
    """

    def __init__(self, arch: str, build: subprocess.Popen | None, folder: Path):
        self.arch, self.build, self.folder = arch, build, folder
        self.container: Container | None = None
        self.installed = ""
        self.error: BaseException | None = None
        self.lines: list[str] = []  # what it took, printed by the test that first uses it
        self.thread = threading.Thread(target=self.run, name=f"arm-{arch}", daemon=True)
        self.thread.start()

    def run(self) -> None:
        try:
            self.install(self.boot(*self.ready()))
        except BaseException as error:  # noqa: BLE001 - pytest's skip and fail too: raised again by get()
            self.error = error

    def ready(self) -> tuple[Path, Path, list[str]]:
        began = time.monotonic()
        if self.build is not None:
            try:
                self.build.wait(timeout=BUILD_MINUTES * 60)
            except subprocess.TimeoutExpired:
                pytest.fail(f"the {self.arch} root filesystem took over {BUILD_MINUTES} minutes "
                            f"(log: {self.folder}/build.log)")
            said = (self.folder / "build.log").read_text(errors="replace").strip().splitlines()
            assert self.build.returncode == 0, f"building the {self.arch} root filesystem: {said[-1] if said else '?'}"
            self.lines.append(f"{self.arch} root filesystem: built in {time.monotonic() - began:.0f} s")
        rootfs = arm_rootfs.built(self.arch)
        assert rootfs is not None, f"no {self.arch} root filesystem in {arm_rootfs.CACHE}"
        try:
            wheels, no_wheel = arm_rootfs.arm_wheelhouse(self.arch, arm_rootfs.CACHE)
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            cannot(f"no {self.arch} wheels for the installer's pip: {error}", True)
        return rootfs, wheels, no_wheel

    def boot(self, rootfs: Path, wheels: Path, no_wheel: list[str]) -> Container:
        console = self.folder / "console.log"
        started = time.monotonic()
        with console.open("wb") as out:
            process = subprocess.Popen(
                ["systemd-nspawn", f"--directory={rootfs}", "--volatile=overlay", "--register=no", "--keep-unit",
                 "--boot", f"--machine=psoas-{self.arch}-{os.getpid()}", "--console=pipe",
                 f"--bind-ro={REPO}:{SRC}", f"--bind-ro={wheels}:/wheels", "--", "systemd.firstboot=no"],
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        leader = find_leader(process, seconds=120)
        if leader is None:
            process.kill()
            process.wait()
            lines = console.read_text(errors="replace").strip().splitlines()
            cannot(f"the {self.arch} container cannot boot here: "
                   f"{lines[-1] if lines else 'systemd-nspawn said nothing'}")
        self.container = Container(process, leader, console)
        self.container.arch, self.container.no_wheel = self.arch, no_wheel
        self.container.wait_booted(180)
        self.lines.append(f"{self.arch} container: booted in {time.monotonic() - started:.1f} s")
        return self.container

    def install(self, box: Container) -> None:
        """The real install.sh, apt and all, with the virtual panel."""
        box.write(CONFIG, '[display]\ndriver = "virtual"\n')
        box.sh(f"install -D -m 644 {SRC}/systemd/virtual.conf /etc/systemd/system/{SERVICE}.d/virtual.conf")
        box.write(f"/etc/systemd/system/{SERVICE}.d/qemu-user.conf", QEMU_DROP_IN)
        started = time.monotonic()
        result = box.run(f"{SRC}/install.sh", check=False, timeout=1200,
                         env={"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": "/wheels", "GPIOZERO_PIN_FACTORY": "mock"})
        self.lines.append(f"{self.arch} container: install.sh took {time.monotonic() - started:.0f} s")
        assert result.returncode == 0, result.stdout + result.stderr
        self.installed = result.stdout

    def get(self) -> Prepared:
        self.thread.join()
        while self.lines:
            print(self.lines.pop(0))
        if self.error is not None:
            raise self.error
        return self

    def end(self) -> None:
        """Power it off if a test did not: `systemctl poweroff` (a signal sent from here reaches the
        emulated systemd as another one: qemu-user maps them); if it does not go, its PID 1 is
        killed, which ends every process in it. Killing only nspawn would leave the container
        running, and its processes in the cgroups the next container (test_systemd_boot) uses."""
        self.thread.join()
        box = self.container
        if box is None or box.nspawn.poll() is not None:
            return
        try:
            box.run("systemctl", "poweroff", check=False, timeout=60)
            box.nspawn.wait(timeout=120)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.kill(box.leader, signal.SIGKILL)
            try:
                box.nspawn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                box.nspawn.kill()
                box.nspawn.wait()


@pytest.fixture(scope="session")
def prepared(tmp_path_factory):
    """Every architecture made ready at once, each in its own thread (the root filesystems built
    in the background when not cached): {arch: Prepared}."""
    if os.geteuid() != 0:
        cannot("needs root: debootstrap, binfmt_misc and systemd-nspawn")
    missing = sorted({package for tool, package in TOOLS.items() if shutil.which(tool) is None})
    if missing:
        cannot(f"apt-get install -y {' '.join(missing)} (.ci/run does this)", True)
    for arch in TESTED:
        problem = arm_rootfs.binfmt_problem(arch)
        if problem:
            cannot(f"qemu-user cannot run {arch} programs here: {problem}", True)
    started = {}
    for arch in TESTED:
        folder = tmp_path_factory.mktemp(arch)
        build = None
        if not arm_rootfs.built(arch):
            with (folder / "build.log").open("wb") as log:
                build = subprocess.Popen([sys.executable, str(Path(arm_rootfs.__file__)), arch, str(arm_rootfs.CACHE)],
                                         stdout=log, stderr=subprocess.STDOUT, cwd=Path(arm_rootfs.__file__).parent,
                                         start_new_session=True)
        started[arch] = Prepared(arch, build, folder)
    yield started
    for each in started.values():
        if each.build is not None and each.build.poll() is None:
            each.build.terminate()
        each.end()


@pytest.fixture(scope="module", params=TESTED)
def box(request, prepared) -> Container:
    """The booted container of one architecture (install.sh has run in it)."""
    return prepared[request.param].get().container


@pytest.fixture(scope="module")
def installed(request, prepared, box) -> str:
    """install.sh's output in that container."""
    return prepared[box.arch].get().installed


def test_it_is_the_architecture_a_pi_runs(box):
    machine = box.run("uname", "-m").stdout.strip()
    assert machine == arm_rootfs.ARCHES[box.arch][0]
    assert box.run("dpkg", "--print-architecture").stdout.strip() == box.arch


def test_install_sh_takes_apt_and_binary_wheels_and_compiles_nothing(box, installed):
    machine, bits = {"arm64": ("aarch64", "64-bit"), "armhf": ("armv7l", "32-bit")}[box.arch]
    steps = installed.split("psoas doctor:\n")[0].splitlines()
    assert steps[0].startswith(f"ok    system: {machine} ({bits}), Python 3.11.")
    assert "ok    apt: python3-venv python3-pil python3-cbor2 python3-markupsafe i2c-tools" in steps
    assert "skip  apt: python3-lgpio is not in this system's apt; pip installs lgpio's wheel instead" in steps
    assert re.search(r"^ok    lgpio: \d[\d.]* from its wheel \(no python3-lgpio from apt\)$", installed, re.M), installed
    assert "ok    service: always on, psoas-companion.service enabled and (re)started" in steps
    assert box.run("sh", "-c", "command -v cc gcc", check=False).returncode != 0, "no compiler on this Pi"
    where = json.loads(box.run(VENV_PYTHON, "-c", "import json, PIL, cbor2, lgpio; print(json.dumps("
                                                  "[PIL.__version__, PIL.__file__, cbor2.__file__, lgpio.__file__]))"
                                ).stdout)
    assert where[0] == "9.4.0" and where[1].startswith("/usr/lib/python3/dist-packages/")  # apt's python3-pil
    assert where[2].startswith("/usr/lib/python3/dist-packages/")  # apt's python3-cbor2, no Rust build
    assert where[3].startswith("/opt/psoas-companion/lib/python3.11/site-packages/")  # lgpio's wheel
    if box.arch == "armhf":
        assert box.no_wheel == ["pillow"], "PyPI has no armv7l Pillow: apt's is the only way"
    built = box.sh("find /root/.cache/pip/wheels -name '*.whl' -printf '%f\\n' 2>/dev/null || true").split()
    assert all(name.startswith("psoas_companion-") for name in built), built  # only the project itself


def test_the_service_reaches_running_through_ready(box, installed):
    properties = box.wait_for(SERVICE, running, 60, "active (running)")
    assert properties["StatusText"].startswith("running: virtual panel")  # sent with READY=1
    assert box.show(SERVICE, "Type", "NotifyAccess") == {"Type": "notify", "NotifyAccess": "main"}
    assert "psoas.run: running: virtual panel (the last frame in /run/psoas-companion/screen.png)" in box.journal(
        SERVICE)
    image, text = box.frame()
    assert image.size == (128, 64) and text["panel"] in ("on", "off")


def test_psoas_doctor_passes(box, installed):
    assert re.search(r"^all \d+ checks passed$", installed, re.M), installed  # install.sh's last step
    result = box.run("psoas", "doctor", check=False, timeout=300, env={"GPIOZERO_PIN_FACTORY": "mock"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok    screen: virtual, no hardware" in result.stdout
    assert re.search(r"^all \d+ checks passed$", result.stdout, re.M)


def test_a_routine_runs_to_its_end_on_the_virtual_panel(box, installed):
    folder = "/tmp/routine-frames"
    started = time.monotonic()
    result = box.run(VENV_PYTHON, f"{SRC}/tests/arm_routine.py", "quick", "200", folder, check=False, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    print(f"the quick routine at 200x in the {box.arch} container: {time.monotonic() - started:.1f} s")
    assert result.stdout.strip().splitlines()[-1].startswith("finished: Quick done: 2 stretches, 4 holds")
    frames = sorted(box.run("ls", folder).stdout.split())
    kept = [name for name in frames if name != "screen.png"]
    assert len(kept) >= 10, kept
    shown = [box.frame(f"{folder}/{name}") for name in (kept[0], kept[len(kept) // 2], kept[-1])]
    assert lit(shown[1][0]) > 0 and shown[1][1]["panel"] == "on", "a screen of the routine"
    assert shown[-1][1]["panel"] == "off" and lit(shown[-1][0]) == 0, "dark at the end"


def test_a_killed_service_is_restarted(box, installed):
    before = box.wait_for(SERVICE, running, 60, "active (running)")
    box.run("systemctl", "kill", "--signal=KILL", "--kill-whom=main", SERVICE)
    after = box.wait_for(SERVICE, lambda p: running(p) and p["NRestarts"] != before["NRestarts"],
                         RESTART_SECONDS + 90, "restarted")
    assert after["MainPID"] != before["MainPID"] and int(after["NRestarts"]) == int(before["NRestarts"]) + 1
    assert after["StatusText"].startswith("running: virtual panel")  # READY=1 again
    assert "Main process exited, code=killed, status=9/KILL" in box.run(
        "journalctl", "--no-pager", "-u", SERVICE).stdout


def test_poweroff_ends_the_container(box, installed):
    started = time.monotonic()
    box.run("systemctl", "poweroff", check=False)
    try:
        code = box.nspawn.wait(timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the {box.arch} container still runs 120 s after systemctl poweroff")
    print(f"{box.arch} container: powered off in {time.monotonic() - started:.1f} s")
    assert code == 0, box.console.read_text(errors="replace")[-2000:]  # a clean poweroff, not a kill

