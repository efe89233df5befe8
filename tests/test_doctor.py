"""psoas doctor: one line per check with its fix; exit 0 only when all pass."""

import io
import warnings
from importlib import metadata

import gpiozero
import pytest
from gpiozero.exc import BadPinFactory, PinFactoryFallback
from gpiozero.pins.mock import MockFactory, MockPWMPin
from recording_bus import RecordingBus

from device.cli import doctor
from device.config.load import Config
from device.config.schema import Interface
from device.hardware import gpio_errors
from device.health import bus
from device.health.checks import FAIL, OK, SKIP, check_packages, check_python, run_checks

pytestmark = pytest.mark.filterwarnings("ignore:Image.Image.getdata:DeprecationWarning")


@pytest.fixture
def dev_dir(tmp_path):
    dev = tmp_path / "dev"
    dev.mkdir()
    (dev / "i2c-1").touch()
    return dev


@pytest.fixture
def factory():
    factory = MockFactory(pin_class=MockPWMPin)
    yield factory
    factory.reset()


@pytest.fixture(autouse=True)
def no_user_config(monkeypatch, tmp_path):
    monkeypatch.delenv("PSOAS_CONFIG", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))


def opener_for(bus: RecordingBus):
    def open_serial(panel):
        from luma.core.interface.serial import i2c

        return i2c(bus=bus, address=panel.i2c_address)

    return open_serial


def by_name(results):
    return {result.name: result for result in results}


def test_all_well_prints_ok_lines_and_exits_0(dev_dir, factory):
    out = io.StringIO()
    code = doctor.report(None, out, dev_dir=dev_dir, serial_opener=opener_for(RecordingBus()),
                       pin_factory=factory)
    lines = out.getvalue().splitlines()
    assert code == 0, out.getvalue()
    assert all(line.startswith("ok    ") for line in lines[:-1])
    assert [line.split(":")[0][6:] for line in lines[:-1]] == [
        "python", "packages", "config", "i2c bus", "i2c permission", "screen", "pins", "gpio",
        "button pin",
    ]
    assert "ok    screen: screen (ssd1306, I2C bus 1, 0x3C) answers" in lines
    assert lines[-1] == f"all {len(lines) - 1} checks passed"


def test_panel_at_the_other_address_is_named(dev_dir, factory):
    results = by_name(run_checks(None, dev_dir=dev_dir, serial_opener=opener_for(RecordingBus(0x3D)),
                                 pin_factory=factory))
    assert results["screen"].status == FAIL
    assert results["screen"].message == (
        "screen (ssd1306, I2C bus 1, 0x3C): nothing answers there, but something does at 0x3D; "
        "set i2c_address = 0x3D in [display]"
    )


def test_no_panel_at_all_suggests_i2cdetect(dev_dir, factory):
    bus = RecordingBus()
    bus.fail_with = 121  # EREMOTEIO: no ACK
    out = io.StringIO()
    code = doctor.report(None, out, dev_dir=dev_dir, serial_opener=opener_for(bus), pin_factory=factory)
    assert code == 1
    assert ("FAIL  screen: screen (ssd1306, I2C bus 1, 0x3C): nothing answers at address 0x3C; "
            "check the wiring (SDA, SCL, VCC, GND), run `i2cdetect -y 1`") in out.getvalue()
    assert out.getvalue().splitlines()[-1] == "1 of 9 checks failed; fix the first one first"


def raspberry_pi_os(root):
    """A root with raspi-config and an empty /dev: the fix names raspi-config (the others: test_preflight)."""
    (root / "usr/bin").mkdir(parents=True)
    (root / "usr/bin/raspi-config").touch()
    (root / "dev").mkdir()
    return root / "dev"


def test_missing_bus_says_enable_i2c_and_skips_the_panel(tmp_path, factory):
    results = by_name(run_checks(None, dev_dir=raspberry_pi_os(tmp_path), pin_factory=factory))
    assert results["i2c bus"].line == (
        f"FAIL  i2c bus: {tmp_path}/dev/i2c-1 not found; enable I2C: sudo raspi-config nonint do_i2c 0, "
        "then reboot"
    )
    assert results["screen"].status == SKIP


def test_unopenable_bus_says_join_the_i2c_group(dev_dir, factory, monkeypatch):
    monkeypatch.setattr(bus.os, "access", lambda path, mode: False)
    results = by_name(run_checks(None, dev_dir=dev_dir, pin_factory=factory))
    assert results["i2c permission"].message == (
        f"cannot open {dev_dir}/i2c-1; sudo usermod -aG i2c $USER, then log out and back in"
    )


def test_spi_panel_looks_for_spidev(tmp_path, factory):
    config = Config().replace("display", interface=Interface.SPI, driver="ssd1309")
    results = by_name(run_checks(config, dev_dir=raspberry_pi_os(tmp_path), pin_factory=factory))
    assert results["spi bus"].message.endswith("spidev0.0 not found; enable SPI: sudo raspi-config "
                                               "nonint do_spi 0, then reboot")


def test_no_pin_factory_off_a_pi_suggests_the_demo(dev_dir, monkeypatch):
    def fail():
        warnings.warn(PinFactoryFallback("Falling back from lgpio: No module named 'lgpio'"))
        raise BadPinFactory("Unable to load any default pin factory!")

    monkeypatch.setattr(gpiozero.Device, "pin_factory", None)
    monkeypatch.setattr(gpiozero.Device, "_default_pin_factory", staticmethod(fail))
    monkeypatch.setattr(gpio_errors, "is_raspberry_pi", lambda: False)
    results = by_name(run_checks(None, dev_dir=dev_dir, serial_opener=opener_for(RecordingBus())))
    assert results["gpio"].line == (
        "FAIL  gpio: no GPIO pin factory, this machine is not a Raspberry Pi; "
        "run `psoas demo` to use the keyboard and terminal instead"
    )
    assert results["button pin"].status == SKIP


def test_busy_button_pin_is_reported(dev_dir, factory):
    held = gpiozero.Button(17, pin_factory=factory)
    results = by_name(run_checks(None, dev_dir=dev_dir, serial_opener=opener_for(RecordingBus()),
                                 pin_factory=factory))
    held.close()
    assert results["button pin"].message.startswith("button on GPIO17: the pin is already used")


def test_haptics_pin_is_checked_only_when_enabled(dev_dir, factory):
    config = Config().replace("haptics", enabled=True, pin=18, kind="buzzer")
    results = by_name(run_checks(config, dev_dir=dev_dir, serial_opener=opener_for(RecordingBus()),
                                 pin_factory=factory))
    assert results["haptics pin"].line == "ok    haptics pin: GPIO18 is free"
    assert results["pins"].message == "button GPIO17, haptics GPIO18"
    results = by_name(run_checks(None, dev_dir=dev_dir, serial_opener=opener_for(RecordingBus()),
                                 pin_factory=factory))
    assert "haptics pin" not in results


def test_a_vibration_motor_is_checked_like_the_daemon_opens_it(dev_dir, factory):
    config = Config().replace("haptics", enabled=True, pin=18, kind="vibration", strength=0.5)
    results = by_name(run_checks(config, dev_dir=dev_dir, serial_opener=opener_for(RecordingBus()),
                                 pin_factory=factory))
    assert results["haptics pin"].line == "ok    haptics pin: GPIO18 is free"


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (Config().replace("button", pin=3), "button/pin: GPIO3 is already I2C SCL; pick a free pin"),
        (Config().replace("haptics", enabled=True, pin=17), "haptics/pin: GPIO17 is already button/pin"),
        (Config().replace("display", interface=Interface.SPI, dc_pin=17), "display/dc_pin: GPIO17 is already button/pin"),
    ],
)
def test_pin_clashes(config, message, tmp_path, factory):
    results = by_name(run_checks(config, dev_dir=tmp_path, pin_factory=factory))
    assert results["pins"].status == FAIL
    assert results["pins"].message.startswith(message)


def test_a_bad_config_fails_its_line_and_the_rest_still_runs(dev_dir, factory, tmp_path):
    out = io.StringIO()
    code = doctor.report(str(tmp_path / "missing.toml"), out, dev_dir=dev_dir,
                       serial_opener=opener_for(RecordingBus()), pin_factory=factory)
    assert code == 1
    assert f"FAIL  config: {tmp_path}/missing.toml: config file not found" in out.getvalue()
    assert "ok    screen:" in out.getvalue()


def test_bad_display_config_is_one_line(dev_dir, factory, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[display]\ndriver = "st7735"\n')
    out = io.StringIO()
    doctor.report(str(path), out, dev_dir=dev_dir, serial_opener=opener_for(RecordingBus()), pin_factory=factory)
    assert f"FAIL  config: {path}:2: display/driver: must be one of ssd1306" in out.getvalue()


def test_python_and_packages():
    assert check_python((3, 11)).status == OK
    assert check_python((3, 9)).line == "FAIL  python: 3.9 is too old; install Python 3.11 or newer"

    def only_pillow(name):
        if name == "pillow":
            return "11.0"
        raise metadata.PackageNotFoundError(name)

    assert check_packages(only_pillow).message == (
        "missing gpiozero, luma.oled, luma.core, smbus2; run `pip install -e .` in the venv"
    )
    assert check_packages().status == OK
