"""The service under a real systemd: a container booted with Debian's systemd-nspawn.

`systemd-nspawn --volatile=yes --register=no --keep-unit --boot` boots this machine's /usr
(read-only) with an empty root in memory; the checkout and a wheel cache are bound in. The
tests then work inside it with `nsenter`, in order: install.sh (its apt step skipped: /usr
is the host's) with `[display] driver = "virtual"` and systemd/virtual.conf as the drop-in,
and prove with systemctl and journalctl that the unit in systemd/, hardening unchanged,
reaches active (running) through READY=1, stops cleanly, is restarted after SIGKILL and
after its watchdog fires, gives up on a config error; that the nightly mode's timer and run
behave; and that the phone page's unit answers on its port but cannot see /dev/i2c-*.

The Python is Debian's /usr/bin/python3, as on a Pi. A pyenv Python under /root would not do:
the service cannot see /root (ProtectHome=yes), and pyenv's interpreter finds its libpython
there (RUNPATH), so it cannot be bound in at another path either.

Only where a container cannot boot (not root, no systemd-nspawn outside CI, a kernel that
refuses) the module skips, with one line saying why. `.ci/run` installs what it needs.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from nspawn import Container, cannot, find_leader, lit, running
from wheelhouse import WheelhouseError, wheel_cache, wheelhouse

from device.setup.install import NIGHTLY, SERVICE, TIMER, WEB, render_unit

pytestmark = pytest.mark.systemd

REPO = Path(__file__).resolve().parent.parent
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, as on Raspberry Pi OS
SRC = "/src/psoas-companion"  # the checkout, inside the container
CONFIG = "/etc/psoas-companion/config.toml"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
RESTART_SECONDS = 5  # RestartSec= in the units


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def config(bedtime: datetime, prompt_minutes: int) -> str:
    """The virtual panel, and a bedtime prompt every night at `bedtime`'s minute (UTC)."""
    days = "".join(f'{day} = "{bedtime:%H:%M}"\n' for day in WEEKDAYS)
    return (f'[display]\ndriver = "virtual"\n\n[bedtime]\ntime_zone = "UTC"\nprompt_minutes = {prompt_minutes}\n'
            f"{days}")


def install(box: Container, *options: str) -> str:
    result = box.run(f"{SRC}/install.sh", "--no-apt", *options, check=False, timeout=300,
                     env={"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": "/wheels", "GPIOZERO_PIN_FACTORY": "mock"})
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def box(request, tmp_path_factory):
    if os.geteuid() != 0:
        cannot("needs root to boot a container (systemd-nspawn)")
    nspawn = shutil.which("systemd-nspawn")
    if nspawn is None or shutil.which("nsenter") is None:
        cannot("systemd-nspawn not found: apt-get install -y systemd-container (.ci/run does this)", True)
    venv_ok = subprocess.run([SYSTEM_PYTHON, "-c", "import ensurepip, venv"], capture_output=True).returncode == 0 \
        if os.path.exists(SYSTEM_PYTHON) else False
    if not venv_ok:
        cannot(f"{SYSTEM_PYTHON} with venv not found: apt-get install -y python3-venv (.ci/run does this)", True)
    try:
        wheels = wheelhouse(wheel_cache(request.config), SYSTEM_PYTHON)
    except WheelhouseError as error:
        cannot(f"no wheels for the installer's pip: {error}", True)
    console = tmp_path_factory.mktemp("container") / "console.log"
    started = time.monotonic()
    with console.open("wb") as out:
        process = subprocess.Popen(
            [nspawn, "--directory=/", "--volatile=yes", "--register=no", "--keep-unit", "--boot",
             f"--machine=psoas-test-{os.getpid()}", "--console=pipe", f"--bind-ro={REPO}:{SRC}",
             f"--bind-ro={wheels}:/wheels", "--tmpfs=/usr/local/bin", "--", "systemd.firstboot=no"],
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    container = None
    try:
        leader = find_leader(process)
        if leader is None:
            lines = console.read_text(errors="replace").strip().splitlines()
            cannot(f"a container cannot boot here: {lines[-1] if lines else 'systemd-nspawn said nothing'}")
        container = Container(process, leader, console)
        container.wait_booted(90)
        print(f"container booted in {time.monotonic() - started:.1f} s")
        yield container
    finally:
        process.send_signal(signal.SIGTERM)  # nspawn halts the container
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def installed(box):
    """install.sh with the virtual panel; tonight's prompt window is open (for 30 min) now."""
    bedtime = datetime.now(timezone.utc) - timedelta(minutes=1)
    box.write(CONFIG, config(bedtime, prompt_minutes=30))
    for unit in (SERVICE, NIGHTLY):
        box.sh(f"install -D -m 644 {SRC}/systemd/virtual.conf /etc/systemd/system/{unit}.d/virtual.conf")
    started = time.monotonic()
    out = install(box)
    print(f"install.sh in the container: {time.monotonic() - started:.1f} s")
    return out


def test_install_sh_installs_and_the_service_reaches_running_through_ready(box, installed):
    assert "ok    service: always on, psoas-companion.service enabled and (re)started" in installed
    assert re.search(r"^all \d+ checks passed$", installed, re.M), installed  # psoas doctor
    properties = box.wait_for(SERVICE, running, 15, "active (running)")
    assert properties["StatusText"].startswith("running: virtual panel")  # sent with READY=1
    assert box.show(SERVICE, "Type", "NotifyAccess") == {"Type": "notify", "NotifyAccess": "main"}
    assert "INFO psoas.run: running: virtual panel (the last frame in /run/psoas-companion/screen.png), " \
           "button on GPIO17" in box.journal(SERVICE)
    assert box.run("readlink", "/usr/local/bin/psoas").stdout.strip() == "/opt/psoas-companion/bin/psoas"


def test_the_unit_is_the_one_in_systemd_with_its_hardening_in_force(box, installed):
    template = (REPO / "systemd" / SERVICE).read_text()
    written = box.run("cat", f"/etc/systemd/system/{SERVICE}").stdout
    assert written == render_unit(template, Path("/opt/psoas-companion/bin/psoas"), "psoas", "psoas")
    drop_ins = box.show(SERVICE, "DropInPaths")["DropInPaths"].split()
    assert drop_ins == [f"/etc/systemd/system/{SERVICE}.d/virtual.conf"]
    settings = [line.split("=")[0] for line in (REPO / "systemd/virtual.conf").read_text().splitlines()
                if "=" in line and not line.startswith("#")]
    assert settings == ["Environment", "RuntimeDirectoryPreserve"]  # nothing loosened
    in_force = box.show(SERVICE, "User", "NoNewPrivileges", "MemoryDenyWriteExecute", "ProtectSystem",
                        "ProtectHome", "PrivateNetwork", "ProtectProc", "DevicePolicy", "CapabilityBoundingSet",
                        "RestrictAddressFamilies", "SystemCallFilter")
    allowed = set(in_force.pop("SystemCallFilter").split())  # the calls allowed, expanded
    assert "read" in allowed and not allowed & {"reboot", "setpriority", "mount"}  # @privileged, @resources out
    assert in_force == {"User": "psoas", "NoNewPrivileges": "yes", "MemoryDenyWriteExecute": "yes",
                        "ProtectSystem": "strict", "ProtectHome": "yes", "PrivateNetwork": "yes",
                        "ProtectProc": "invisible", "DevicePolicy": "closed", "CapabilityBoundingSet": "",
                        "RestrictAddressFamilies": "AF_UNIX"}
    pid = box.show(SERVICE, "MainPID")["MainPID"]
    status = dict(line.split(":\t", 1) for line in box.run("cat", f"/proc/{pid}/status").stdout.splitlines()
                  if ":\t" in line)
    assert (status["Uid"].split()[0] != "0", status["NoNewPrivs"], status["Seccomp"], status["CapBnd"]) == (
        True, "1", "2", "0000000000000000")


def test_the_virtual_panel_shows_tonights_prompt(box, installed):
    deadline = time.monotonic() + 10
    while True:
        image, text = box.frame()
        if lit(image) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert image.size == (128, 64) and text["panel"] == "on"
    assert 0 < lit(image) <= 0.12 * 128 * 64, "the prompt, dark-room bright at most"
    assert "bedtime: prompt for" in box.journal(SERVICE)


def test_stop_ends_it_within_2_s_with_exit_0_and_the_panel_off(box, installed):
    box.wait_for(SERVICE, running, 15, "active (running)")
    started = time.monotonic()
    box.run("systemctl", "stop", SERVICE)
    seconds = time.monotonic() - started
    properties = box.show(SERVICE, "ActiveState", "Result", "ExecMainCode", "ExecMainStatus")
    assert properties == {"ActiveState": "inactive", "Result": "success", "ExecMainCode": "1",
                          "ExecMainStatus": "0"}  # CLD_EXITED, status 0
    assert seconds < 2.0, f"systemctl stop took {seconds:.2f} s"
    image, text = box.frame()
    assert text["panel"] == "off" and lit(image) == 0
    assert "stopping (SIGTERM)" in box.journal(SERVICE)
    print(f"systemctl stop: {seconds:.2f} s")


def test_a_killed_main_process_is_restarted(box, installed):
    box.run("systemctl", "start", SERVICE)
    before = box.wait_for(SERVICE, running, 15, "active (running)")
    box.run("systemctl", "kill", "--signal=KILL", "--kill-whom=main", SERVICE)
    after = box.wait_for(SERVICE, lambda p: running(p) and p["NRestarts"] != before["NRestarts"],
                         RESTART_SECONDS + 15, "restarted")
    assert after["MainPID"] != before["MainPID"] and int(after["NRestarts"]) == int(before["NRestarts"]) + 1
    assert "Main process exited, code=killed, status=9/KILL" in box.run(
        "journalctl", "--no-pager", "-u", SERVICE).stdout


def test_a_stalled_loop_is_killed_by_the_watchdog_and_restarted(box, installed):
    box.write(f"/run/systemd/system/{SERVICE}.d/watchdog.conf", "[Service]\nWatchdogSec=2\n")
    try:
        box.run("systemctl", "daemon-reload")
        box.run("systemctl", "restart", SERVICE)
        before = box.wait_for(SERVICE, running, 15, "active (running)")
        time.sleep(3)  # longer than WatchdogSec: the running loop keeps pinging
        assert box.show(SERVICE, "MainPID", "NRestarts") == {"MainPID": before["MainPID"],
                                                             "NRestarts": before["NRestarts"]}
        box.run("systemctl", "kill", "--signal=STOP", "--kill-whom=main", SERVICE)
        after = box.wait_for(SERVICE, lambda p: running(p) and p["NRestarts"] != before["NRestarts"],
                             2 + RESTART_SECONDS + 15, "restarted by the watchdog")
        assert after["MainPID"] != before["MainPID"]
        log = box.run("journalctl", "--no-pager", "-u", SERVICE).stdout
        assert "Watchdog timeout (limit 2s)!" in log and "Failed with result 'watchdog'" in log
    finally:
        box.sh(f"rm -f /run/systemd/system/{SERVICE}.d/watchdog.conf && systemctl daemon-reload")


def test_a_config_error_exits_2_is_not_restarted_and_status_says_why(box, installed):
    good = box.run("cat", CONFIG).stdout
    box.write(CONFIG, good.replace('driver = "virtual"', 'driver = "virtaul"'))
    try:
        box.run("systemctl", "restart", SERVICE, check=False)
        failed = box.wait_for(SERVICE, lambda p: p["ActiveState"] == "failed", 15, "failed")
        assert (failed["Result"], failed["ExecMainStatus"]) == ("exit-code", "2")
        time.sleep(RESTART_SECONDS + 1)
        assert box.show(SERVICE, "ActiveState", "NRestarts") == {"ActiveState": "failed",
                                                                 "NRestarts": failed["NRestarts"]}
        status = box.run("systemctl", "status", "--no-pager", "--lines=5", SERVICE, check=False).stdout
        reason = (f"psoas run: {CONFIG}:2: display/driver: must be one of ssd1306, ssd1309, sh1106, sh1107, "
                  f"virtual, not 'virtaul'")
        assert reason in status, status
        assert sum("psoas run:" in line for line in status.splitlines()) == 1  # one line, no traceback
    finally:
        box.write(CONFIG, good)


@pytest.fixture(scope="module")
def nightly(box, installed):
    """install.sh --nightly (an upgrade in place that switches the mode), bedtime in 6 hours."""
    bedtime = (datetime.now(timezone.utc) + timedelta(hours=6)).replace(second=0, microsecond=0)
    box.write(CONFIG, config(bedtime, prompt_minutes=1))
    return bedtime, install(box, "--nightly")


def test_the_nightly_timer_is_listed_with_the_next_start(box, nightly):
    expected, out = nightly
    assert "ok    service: nightly, psoas-companion-nightly.timer enabled" in out
    assert "ok    venv: /opt/psoas-companion (kept)" in out
    assert box.run("systemctl", "is-enabled", SERVICE, check=False).stdout.strip() != "enabled"
    listed = box.run("systemctl", "list-timers", "--no-pager", TIMER).stdout
    line = next(line for line in listed.splitlines() if TIMER in line)
    assert line.startswith(expected.strftime("%a %Y-%m-%d %H:%M:00 UTC")), listed
    next_start = box.show(TIMER, "NextElapseUSecRealtime")["NextElapseUSecRealtime"]
    assert next_start == expected.strftime("%a %Y-%m-%d %H:%M:00 UTC")


def test_the_web_unit_answers_on_its_port_and_cannot_open_i2c(box, nightly):
    """install.sh --web, run again: the nightly mode stays, and the phone page comes up."""
    port = free_port()
    box.write(CONFIG, box.run("cat", CONFIG).stdout + f"\n[web]\nport = {port}\n")
    out = install(box, "--web")
    assert "ok    mode: nightly, started at bedtime by a timer (as installed; --always-on to change)" in out
    box.wait_for(WEB, running, 15, "active (running)")
    deadline = time.monotonic() + 15
    while True:  # the container shares this machine's network
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/pair", timeout=5) as response:
                status, page = response.status, response.read().decode()
            break
        except OSError as error:
            if time.monotonic() > deadline:
                raise AssertionError(f"nothing answers on port {port}: {error}\n{box.journal(WEB)}") from None
            time.sleep(0.2)
    assert status == 200 and "<h1>Pair this phone</h1>" in page
    box.run("/bin/sh", "-c", "mknod /dev/i2c-1 c 89 1 2>/dev/null || touch /dev/i2c-1")  # the bus, as on a Pi
    assert box.run("test", "-e", "/dev/i2c-1", check=False).returncode == 0
    pid = box.show(WEB, "MainPID")["MainPID"]
    try_open = "import glob; print(glob.glob('/dev/i2c-*')); open('/dev/i2c-1', 'rb')"
    seen = box.run("nsenter", f"--target={pid}", "--mount", "--", SYSTEM_PYTHON, "-c", try_open, check=False)
    assert seen.returncode != 0 and seen.stdout.strip() == "[]" and "FileNotFoundError" in seen.stderr
    assert box.show(WEB, "PrivateDevices", "DevicePolicy") == {"PrivateDevices": "yes", "DevicePolicy": "closed"}


def test_a_started_nightly_run_exits_by_itself_once_the_night_is_dark(box, nightly):
    now = datetime.now(timezone.utc)
    if not 1 <= now.second <= 45:  # start well inside this minute's prompt window
        time.sleep(61 - now.second if now.second else 1)
        now = datetime.now(timezone.utc)
    bedtime = now.replace(second=0, microsecond=0)
    box.write(CONFIG, config(bedtime, prompt_minutes=1))  # tonight's prompt: due now, for a minute
    box.run("rm", "-f", "/var/lib/psoas-companion/bedtime.json")  # a fresh night (the prompt was shown)
    box.run("systemctl", "start", NIGHTLY)
    assert running(box.show(NIGHTLY, "ActiveState", "SubState"))
    assert datetime.now(timezone.utc) < bedtime + timedelta(minutes=1), "started inside the prompt window"
    deadline = time.monotonic() + 10
    while not lit(box.frame()[0]) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert box.frame()[1]["panel"] == "on" and lit(box.frame()[0]), "the prompt is on the panel"
    done = box.wait_for(NIGHTLY, lambda p: p["ActiveState"] == "inactive", 60 + 20, "ended by itself")
    assert (done["Result"], done["ExecMainStatus"], done["NRestarts"]) == ("success", "0", "0")
    log = box.journal(NIGHTLY)
    assert "bedtime: prompt for" in log and "stopping (night over)" in log
    image, text = box.frame()
    assert text["panel"] == "off" and lit(image) == 0
