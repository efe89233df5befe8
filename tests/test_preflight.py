"""install.sh's checks: psoas install takes the options, the config loads, the panel's bus is there."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from device.setup.preflight import main, system_checks, unknown_options

REPO = Path(__file__).resolve().parent.parent


def config(root, text):
    path = root / "etc/psoas-companion/config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def lines(results):
    return [result.line for result in results]


def raspberry_pi_os(root):
    (root / "usr/bin").mkdir(parents=True)
    (root / "usr/bin/raspi-config").touch()
    return root


def test_no_i2c_bus_names_the_raspi_config_fix_on_raspberry_pi_os(tmp_path):
    assert lines(system_checks(raspberry_pi_os(tmp_path))) == [
        f"ok    config: defaults (no {tmp_path}/etc/psoas-companion/config.toml)",
        f"FAIL  i2c bus: {tmp_path}/dev/i2c-1 not found; enable I2C: sudo raspi-config nonint do_i2c 0, then reboot"]


@pytest.mark.parametrize("config_txt", ["boot/firmware/config.txt", "boot/config.txt", None])
def test_without_raspi_config_the_fix_is_the_firmware_line_where_this_system_keeps_it(tmp_path, config_txt):
    """Debian and Ubuntu on a Pi: /boot/firmware/config.txt (Bookworm on), /boot/config.txt (older)."""
    if config_txt:
        (tmp_path / config_txt).parent.mkdir(parents=True)
        (tmp_path / config_txt).write_text("[all]\n")
    where = f"/{config_txt or 'boot/firmware/config.txt'}"
    assert lines(system_checks(tmp_path))[-1] == (
        f"FAIL  i2c bus: {tmp_path}/dev/i2c-1 not found; enable I2C: add the line dtparam=i2c_arm=on to {where} "
        f"and the line i2c-dev to /etc/modules, then reboot")
    config(tmp_path, '[display]\ninterface = "spi"\n')
    assert lines(system_checks(tmp_path))[-1] == (
        f"FAIL  spi bus: {tmp_path}/dev/spidev0.0 not found; enable SPI: add the line dtparam=spi=on to {where}, "
        f"then reboot")


def test_it_needs_only_the_standard_library(tmp_path):
    """install.sh runs it with the system's Python, before apt and pip have put anything there."""
    code = ("import sys, device.setup.preflight; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'PIL', 'luma', 'gpiozero', 'flask', 'smbus2'}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert (result.returncode, result.stdout.strip()) == (0, "[]"), result.stderr


def test_the_configured_bus_is_looked_for(tmp_path):
    raspberry_pi_os(tmp_path)
    (tmp_path / "dev").mkdir()
    (tmp_path / "dev/i2c-3").touch()
    path = config(tmp_path, "[display]\ni2c_port = 3\n")
    assert lines(system_checks(tmp_path)) == [f"ok    config: {path}", f"ok    i2c bus: {tmp_path}/dev/i2c-3"]
    config(tmp_path, '[display]\ninterface = "spi"\n')
    assert system_checks(tmp_path)[-1].line.startswith(f"FAIL  spi bus: {tmp_path}/dev/spidev0.0 not found; "
                                                       f"enable SPI: sudo raspi-config nonint do_spi 0")


def test_the_virtual_panel_needs_no_bus(tmp_path):
    config(tmp_path, '[display]\ndriver = "virtual"\n')
    assert lines(system_checks(tmp_path))[-1] == "ok    screen: virtual, no bus needed"


def test_a_config_error_is_its_line(tmp_path):
    path = config(tmp_path, '[display]\ndrivr = "sh1106"\n[bedtime]\ntime_zone = "Mars/Olympus"\n')
    results = sorted(lines(system_checks(tmp_path)))  # every problem, and no bus check without a config
    assert len(results) == 2
    assert results[0] == f"FAIL  config: {path}:2: display/drivr: unknown key (did you mean 'driver'?)"
    assert results[1].startswith(f"FAIL  config: {path}:4: bedtime/time_zone: unknown time zone 'Mars/Olympus'")


def test_options_psoas_install_does_not_take_are_named_with_every_other_problem(tmp_path, capsys):
    raspberry_pi_os(tmp_path)
    assert unknown_options(["--nightly"]) == []
    assert main(["--root", str(tmp_path), "--", "--nightly", "--nighty"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "FAIL  --nighty: this version of psoas install has no --nighty; leave out --nighty, or update the clone "
        "(git pull)",
        f"ok    config: defaults (no {tmp_path}/etc/psoas-companion/config.toml)",
        f"FAIL  i2c bus: {tmp_path}/dev/i2c-1 not found; enable I2C: sudo raspi-config nonint do_i2c 0, then reboot"]


@pytest.mark.parametrize("options", [[], ["--", "--nightly"]])
def test_all_well_is_exit_0(tmp_path, options, capsys):
    config(tmp_path, '[display]\ndriver = "virtual"\n')
    assert main(["--root", str(tmp_path), *options]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "ok    screen: virtual, no bus needed"
