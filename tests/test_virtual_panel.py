"""`[display] driver = "virtual"`: luma's dummy keeps the last frame as a PNG, with the panel's
power and contrast, so the daemon runs (and can be looked at) on any machine."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fakes import FakeWallClock, drive
from gpiozero.pins.mock import MockFactory
from PIL import Image, ImageDraw

from device.health.checks import OK, run_checks
from device.cli.run import Runner
from device.clocks.monotonic import ScaledClock
from device.config.load import Config, load_config
from device.config.schema import DisplaySettings
from device.errors import HardwareError
from device.hardware.virtual_panel import FILE_NAME, VirtualPanel, frame_path
from device.parts import open_hardware
from routines.loading.catalog import load_catalog
from routines.state import Phase

BERLIN = ZoneInfo("Europe/Berlin")


def shown(path: Path) -> tuple[bytes, dict]:
    with Image.open(path) as image:
        return image.convert("1").tobytes(), dict(image.text)


def drawing(size=(128, 64)) -> Image.Image:
    image = Image.new("1", size)
    ImageDraw.Draw(image).rectangle((10, 10, 40, 30), outline=1)
    return image


def test_the_png_shows_what_the_glass_shows(tmp_path):
    path = tmp_path / "run" / FILE_NAME
    panel = VirtualPanel(path=path)
    black = Image.new("1", (128, 64)).tobytes()
    assert shown(path) == (black, {"panel": "on", "contrast": "255"})
    frame = drawing()
    panel.display(frame)
    panel.set_contrast(24)
    assert shown(path) == (frame.tobytes(), {"panel": "on", "contrast": "24"})
    panel.panel_off()
    assert shown(path) == (black, {"panel": "off", "contrast": "24"})
    panel.panel_on()
    assert shown(path)[0] == frame.tobytes()
    panel.close()
    panel.close()
    assert shown(path) == (black, {"panel": "off", "contrast": "24"})
    assert [p.name for p in path.parent.iterdir()] == [FILE_NAME]  # no temporary file left


def test_a_rotated_panel_keeps_the_frame_as_drawn(tmp_path):
    panel = VirtualPanel(DisplaySettings(width=64, height=128, rotate=1), path=tmp_path / FILE_NAME)
    assert panel.size == (128, 64)
    panel.display(drawing())
    assert shown(tmp_path / FILE_NAME)[0] == drawing().tobytes()


def test_the_frame_goes_to_the_runtime_directory():
    assert frame_path({"RUNTIME_DIRECTORY": "/run/psoas-companion:/run/other"}) == Path(
        "/run/psoas-companion/screen.png")
    assert frame_path({"XDG_RUNTIME_DIR": "/run/user/1000"}) == Path("/run/user/1000/psoas-companion/screen.png")
    assert frame_path({}).name == FILE_NAME


def test_problems_are_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(HardwareError, match=r"^virtual panel: cannot write .*file/screen.png .*RUNTIME_DIRECTORY"):
        VirtualPanel(path=blocker / FILE_NAME)
    panel = VirtualPanel(path=tmp_path / FILE_NAME)
    with pytest.raises(HardwareError, match=r"^virtual panel: the frame is 128×32 but the panel is 128×64; "):
        panel.display(Image.new("1", (128, 32)))


def test_a_lost_runtime_directory_is_logged_once_and_the_panel_goes_on(tmp_path, caplog):
    path = tmp_path / "run" / FILE_NAME
    panel = VirtualPanel(path=path)
    path.unlink()
    path.parent.rmdir()
    panel.display(drawing())
    panel.display(Image.new("1", (128, 64)))
    assert caplog.text.count("virtual panel: cannot write") == 1


def test_psoas_run_shows_the_prompt_on_it_and_leaves_it_off(tmp_path, monkeypatch, caplog):
    """The whole daemon on the virtual panel, the button on gpiozero's mock pins."""
    monkeypatch.setenv("RUNTIME_DIRECTORY", str(tmp_path / "run"))
    (tmp_path / "run").mkdir()
    config_path = tmp_path / "config.toml"
    config_path.write_text('[display]\ndriver = "virtual"\n[bedtime]\ntime_zone = "Europe/Berlin"\n')
    config = load_config(config_path)
    factory = MockFactory()
    wall = FakeWallClock(datetime(2024, 5, 6, 22, 20, tzinfo=BERLIN))  # Monday, inside the window
    runner = Runner(config, load_catalog(config.routine_dirs()), tmp_path / "state", wall=wall,
                    clock=ScaledClock(1.0, real_monotonic=wall.monotonic),
                    open_parts=lambda: open_hardware(config, runner.inputs, pin_factory=factory))
    with caplog.at_level(logging.INFO, logger="psoas.run"):
        runner.open()
    try:
        assert f"running: virtual panel (the last frame in {tmp_path}/run/screen.png), button on GPIO17" in caplog.text
        drive(runner.daemon, wall, lambda: runner.daemon.state is not None
              and runner.daemon.state.phase is Phase.BEDTIME)
        pixels, text = shown(tmp_path / "run" / FILE_NAME)
    finally:
        runner.close()
    lit = sum(bin(byte).count("1") for byte in pixels)
    assert text["panel"] == "on" and 0 < lit <= 0.12 * 128 * 64
    assert shown(tmp_path / "run" / FILE_NAME) == (Image.new("1", (128, 64)).tobytes(),
                                                   {"panel": "off", "contrast": "24"})
    assert factory.pin(17).function == "input"  # the button was released
    factory.reset()


def test_doctor_needs_no_bus_for_it():
    factory = MockFactory()
    results = {r.name: r for r in run_checks(Config().replace("display", driver="virtual"), pin_factory=factory)}
    assert results["screen"].status == OK and "virtual" in results["screen"].message
    assert "i2c bus" not in results
    assert results["button pin"].status == OK
    factory.reset()
