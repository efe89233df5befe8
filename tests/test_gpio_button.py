"""GpioButton over gpiozero's MockFactory: edges go on the queue with their monotonic time."""

import os
import queue
import time
import warnings

import gpiozero
import pytest
from gpiozero.exc import BadPinFactory, PinFactoryFallback
from gpiozero.pins.mock import MockFactory

from device.errors import HardwareError
from device.hardware import gpio_errors
from device.hardware.gpio_button import GpioButton
from device.inputs import ButtonEdge
from routines.errors import PsoasError


@pytest.fixture
def factory():
    factory = MockFactory()
    yield factory
    factory.reset()


def test_press_and_release_put_edges_with_monotonic_times(factory):
    inputs = queue.Queue()
    with GpioButton(17, inputs, pin_factory=factory):
        pin = factory.pin(17)
        before = time.monotonic()
        pin.drive_low()
        pressed = inputs.get(timeout=1)
        pin.drive_high()
        released = inputs.get(timeout=1)
        after = time.monotonic()
    assert pressed.pressed is True and released.pressed is False
    assert isinstance(pressed, ButtonEdge)
    assert before <= pressed.at <= released.at <= after
    assert inputs.empty()


def test_pull_down_button_is_pressed_when_driven_high(factory):
    inputs = queue.Queue()
    button = GpioButton(27, inputs, pull_up=False, pin_factory=factory)
    factory.pin(27).drive_high()
    assert inputs.get(timeout=1).pressed is True
    factory.pin(27).drive_low()
    assert inputs.get(timeout=1).pressed is False
    button.close()


def test_bounce_seconds_reach_the_pin(factory):
    button = GpioButton(17, queue.Queue(), bounce_seconds=0.02, pin_factory=factory)
    assert factory.pin(17).bounce == pytest.approx(0.02)
    button.close()


def test_close_releases_the_pin_and_stops_events(factory):
    inputs = queue.Queue()
    button = GpioButton(17, inputs, pin_factory=factory)
    button.close()
    button.close()
    factory.pin(17).drive_low()
    assert inputs.empty()
    GpioButton(17, inputs, pin_factory=factory).close()  # the pin is free again


def test_pin_in_use_gives_one_clear_line(factory):
    first = GpioButton(17, queue.Queue(), pin_factory=factory)
    with pytest.raises(HardwareError) as caught:
        GpioButton(17, queue.Queue(), pin_factory=factory)
    first.close()
    assert str(caught.value) == (
        "button on GPIO17: the pin is already used by another part in this program; "
        "give each part its own pin in the config"
    )
    assert isinstance(caught.value, PsoasError) and isinstance(caught.value, RuntimeError)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_invalid_pin_gives_one_clear_line(factory):
    with pytest.raises(HardwareError, match=r"^button on GPIO99: no such pin; use a BCM"):
        GpioButton(99, queue.Queue(), pin_factory=factory)


@pytest.fixture
def no_pin_factory(monkeypatch):
    """gpiozero finds no pin factory, as on a laptop (lgpio and RPi.GPIO missing)."""

    def fail():
        warnings.warn(PinFactoryFallback("Falling back from lgpio: No module named 'lgpio'"))
        raise BadPinFactory("Unable to load any default pin factory!")

    monkeypatch.setattr(gpiozero.Device, "pin_factory", None)
    monkeypatch.setattr(gpiozero.Device, "_default_pin_factory", staticmethod(fail))
    monkeypatch.delenv("GPIOZERO_PIN_FACTORY", raising=False)


def test_no_pin_factory_off_a_pi_suggests_the_demo(no_pin_factory, monkeypatch):
    monkeypatch.setattr(gpio_errors, "is_raspberry_pi", lambda: False)
    with pytest.raises(HardwareError) as caught:
        GpioButton(17, queue.Queue())
    assert str(caught.value) == (
        "button on GPIO17: no GPIO pin factory, this machine is not a Raspberry Pi; "
        "run `psoas demo` to use the keyboard and terminal instead"
    )


def test_no_pin_factory_on_a_pi_suggests_installing_lgpio(no_pin_factory, monkeypatch):
    monkeypatch.setattr(gpio_errors, "is_raspberry_pi", lambda: True)
    monkeypatch.setattr(gpio_errors, "gpio_chip_denied", lambda: False)
    with pytest.raises(HardwareError, match=r"no GPIO library could be loaded; install lgpio"):
        GpioButton(17, queue.Queue())


def test_unreadable_gpio_chip_says_join_the_gpio_group(no_pin_factory, monkeypatch):
    monkeypatch.setattr(gpio_errors, "gpio_chip_denied", lambda: True)
    with pytest.raises(HardwareError) as caught:
        GpioButton(17, queue.Queue())
    assert str(caught.value) == (
        "button on GPIO17: permission denied opening the GPIO chip; add yourself to the gpio "
        "group (sudo usermod -aG gpio $USER), then log out and back in"
    )


def test_lgpio_busy_pin_names_another_program():
    error = gpio_errors.explain_gpio_error(RuntimeError("GPIO busy"), "button on GPIO17")
    assert str(error).startswith("button on GPIO17: the pin is busy, used by another program")


def test_lg_wd_is_set_to_a_writable_directory_when_unset(no_pin_factory, monkeypatch, tmp_path):
    monkeypatch.delenv("LG_WD", raising=False)
    monkeypatch.setenv("RUNTIME_DIRECTORY", str(tmp_path))
    with pytest.raises(HardwareError):
        GpioButton(17, queue.Queue())
    assert os.environ["LG_WD"] == str(tmp_path)


def test_lg_wd_already_set_is_kept(monkeypatch):
    monkeypatch.setenv("LG_WD", "/somewhere/chosen")
    assert gpio_errors.ensure_lgpio_workdir() == "/somewhere/chosen"


def test_is_raspberry_pi_reads_the_device_tree_model(tmp_path):
    model = tmp_path / "model"
    model.write_text("Raspberry Pi 5 Model B Rev 1.0\x00")
    assert gpio_errors.is_raspberry_pi(model)
    model.write_text("QEMU Virtual Machine")
    assert not gpio_errors.is_raspberry_pi(model)
    assert not gpio_errors.is_raspberry_pi(tmp_path / "missing")
