"""The device's health checks: everything a beginner can get wrong, one `CheckResult` each.

Python and packages, the config, the I2C (or SPI) bus and its permission, a panel answering at
the address (the virtual panel needs neither), the GPIO pin factory, the button and haptics
pins, and pins that clash. `psoas doctor` (`device.cli.doctor`) prints them all; the phone's
device page shows the ones that make sense from a phone; install.sh's preflight reuses the bus
check. Probing the panel sends one NOP command, so it is safe while the screen is showing
something; the pins are opened and released at once.
"""

from __future__ import annotations

import dataclasses
import queue
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from device.config.load import Config, load_config
from device.config.schema import DisplaySettings, Interface, pin_clashes
from device.errors import HardwareError
from device.health.bus import check_bus
from device.health.result import FAIL, OK, SKIP, CheckResult
from device.panel.drivers import VIRTUAL
from device.hardware.gpio_button import GpioButton
from device.hardware.gpio_errors import opening_gpio
from device.hardware.haptics import Haptics
from device.hardware.luma_panel import NOP, describe, not_answering, open_serial
from device.hardware.virtual_panel import SERVICE_FRAME
from routines.errors import PsoasError

PACKAGES = ("gpiozero", "luma.oled", "luma.core", "pillow", "smbus2")
COMMON_ADDRESSES = (0x3C, 0x3D)


def check_python(version: tuple[int, ...] = tuple(sys.version_info[:3])) -> CheckResult:
    text = ".".join(map(str, version))
    if tuple(version[:2]) >= (3, 11):
        return CheckResult("python", OK, text)
    return CheckResult("python", FAIL, f"{text} is too old; install Python 3.11 or newer")


def check_packages(version: Callable[[str], str] = metadata.version) -> CheckResult:
    found, missing = [], []
    for name in PACKAGES:
        try:
            found.append(f"{name} {version(name)}")
        except metadata.PackageNotFoundError:
            missing.append(name)
    if missing:
        return CheckResult(
            "packages", FAIL, f"missing {', '.join(missing)}; run `pip install -e .` in the venv"
        )
    return CheckResult("packages", OK, ", ".join(found))


def check_config(config_path: str | None) -> tuple[CheckResult, Config | None]:
    """Load the config; return the result and the config (None when it is not valid)."""
    try:
        config = load_config(config_path)
    except PsoasError as error:
        return CheckResult("config", FAIL, "; ".join(str(error).splitlines())), None
    return CheckResult("config", OK, str(config.path or "defaults (no config file)")), config


def check_panel(panel: DisplaySettings, serial_opener: Callable[[DisplaySettings], object]) -> CheckResult:
    """Send one NOP to the panel; on I2C, if nothing answers, look at the common addresses."""
    try:
        if _answers(panel, serial_opener):
            return CheckResult("screen", OK, f"{describe(panel)} answers")
    except HardwareError as error:
        return CheckResult("screen", FAIL, str(error))
    if panel.interface == Interface.I2C:
        for address in COMMON_ADDRESSES:
            other = dataclasses.replace(panel, i2c_address=address)
            if address != panel.i2c_address and _answers(other, serial_opener):
                return CheckResult(
                    "screen",
                    FAIL,
                    f"{describe(panel)}: nothing answers there, but something does at "
                    f"0x{address:02X}; set i2c_address = 0x{address:02X} in [display]",
                )
    return CheckResult("screen", FAIL, str(not_answering(panel)))


def _answers(panel: DisplaySettings, serial_opener) -> bool:
    """True if a NOP to `panel` is acknowledged; `HardwareError` if the bus cannot be opened."""
    serial = serial_opener(panel)
    try:
        serial.command(NOP)
        return True
    except Exception:  # noqa: BLE001 - luma's DeviceNotFoundError or an OSError: no answer
        return False
    finally:
        try:
            serial.cleanup()
        except Exception:  # noqa: BLE001
            pass


def check_gpio(button, haptics, pin_factory=None) -> list[CheckResult]:
    """The pin factory loads, and the button (and haptics) pins can be opened."""
    try:
        with opening_gpio("GPIO", real_pins=pin_factory is None):
            from gpiozero import Device

            if pin_factory is None:
                Device.ensure_pin_factory()
            factory = pin_factory or Device.pin_factory
    except HardwareError as error:
        return [
            CheckResult("gpio", FAIL, str(error).removeprefix("GPIO: ")),
            CheckResult("button pin", SKIP, "no GPIO to check"),
        ]
    results = [CheckResult("gpio", OK, f"pin factory {type(factory).__name__}")]
    results.append(_open_part("button pin", lambda: _open_button(button, pin_factory)))
    if haptics.enabled:
        results.append(_open_part("haptics pin", lambda: _open_haptics(haptics, pin_factory)))
    return results


def _open_button(button, pin_factory) -> str:
    GpioButton(button.pin, queue.Queue(), pull_up=button.pull_up, pin_factory=pin_factory).close()
    return f"GPIO{button.pin} is free"


def _open_haptics(haptics, pin_factory) -> str:
    Haptics.from_config(haptics, pin_factory).close()
    return f"GPIO{haptics.pin} is free"


def _open_part(name: str, open_and_close: Callable[[], str]) -> CheckResult:
    try:
        return CheckResult(name, OK, open_and_close())
    except (HardwareError, ValueError) as error:
        return CheckResult(name, FAIL, str(error))


def check_pin_clashes(config: Config) -> CheckResult:
    """No two parts on one pin, and none on the pins the screen's bus uses (the config's rule)."""
    problems = pin_clashes({"button": config.button, "display": config.display, "haptics": config.haptics})
    if problems:
        (section, key), message = problems[0]
        return CheckResult("pins", FAIL, f"{section}/{key}: {message}")
    parts = [("button", config.button.pin)] + ([("haptics", config.haptics.pin)] if config.haptics.enabled else [])
    return CheckResult("pins", OK, ", ".join(f"{part} GPIO{pin}" for part, pin in parts))


def run_checks(
    config: Config | None,
    config_result: CheckResult | None = None,
    dev_dir: Path = Path("/dev"),
    serial_opener: Callable[[DisplaySettings], object] = open_serial,
    pin_factory=None,
) -> list[CheckResult]:
    """Every check, in order. `config` is a loaded `Config`, or None for the defaults (when the
    file is not valid). The keyword arguments replace the real /dev, bus and pins in tests."""
    config = config or Config()
    panel = config.display
    results = [check_python(), check_packages()]
    if config_result:
        results.append(config_result)
    if panel.driver == VIRTUAL:
        results.append(CheckResult("screen", OK, f"virtual, no hardware (the service's last frame: {SERVICE_FRAME})"))
    else:
        bus = check_bus(panel, dev_dir)
        results += bus
        if all(result.status == OK for result in bus):
            results.append(check_panel(panel, serial_opener))
        else:
            results.append(CheckResult("screen", SKIP, "no usable bus to look on"))
    results.append(check_pin_clashes(config))
    results += check_gpio(config.button, config.haptics, pin_factory)
    return results
