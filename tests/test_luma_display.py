"""LumaDisplay over the real luma.oled drivers and luma's I2C framing, on a recording bus."""

import errno
import logging

import pytest
from fakes import FakeClock
from PIL import Image
from recording_bus import RecordingBus, luma_i2c

from device.config.schema import DisplaySettings, Interface
from device.errors import HardwareError
from device.panel.buses import enable_fix
from device.hardware.luma_display import LumaDisplay
from device.screen_output import ScreenOutput

pytestmark = pytest.mark.filterwarnings("ignore:Image.Image.getdata:DeprecationWarning")

DISPLAY_OFF, DISPLAY_ON, SET_CONTRAST = 0xAE, 0xAF, 0x81
WHITE = Image.new("1", (128, 64), 1)
BLACK = Image.new("1", (128, 64), 0)


def open_display(bus=None, clock=None, **config) -> tuple[LumaDisplay, RecordingBus]:
    bus = bus or RecordingBus()
    display = LumaDisplay(
        DisplaySettings(**config), serial_opener=lambda: luma_i2c(bus), clock=clock or FakeClock()
    )
    return display, bus


def test_contrast_is_sent_as_given():
    display, bus = open_display()
    mark = bus.mark()
    display.set_contrast(12)
    display.set_contrast(200)
    assert bus.since(mark).commands() == [SET_CONTRAST, 12, SET_CONTRAST, 200]


def test_repeats_stop_at_the_screen_output_and_never_reach_the_bus():
    display, bus = open_display()
    output = ScreenOutput(display, contrast=12)
    output.show(BLACK)
    mark = bus.mark()
    output.show(BLACK.copy())  # the same frame, contrast and extra-dim again
    output.dark()
    output.dark()
    assert bus.since(mark).commands() == [DISPLAY_OFF]
    mark = bus.mark()
    output.extra_dim = True
    output.show(WHITE)
    output.show(WHITE)
    sent = bus.since(mark)
    assert sent.commands()[:4] == [0xD9, 0x11, 0xDB, 0x00] and sent.commands()[-1] == DISPLAY_ON
    assert sent.data() == [0xFF] * 1024


def test_contrast_out_of_range_is_refused():
    display, _ = open_display()
    with pytest.raises(ValueError, match="contrast must be from 0 to 255"):
        display.set_contrast(256)


def test_an_unchanged_frame_is_not_sent_again():
    display, bus = open_display()
    mark = bus.mark()
    display.display(WHITE)
    assert bus.since(mark).data() == [0xFF] * 1024
    mark = bus.mark()
    display.display(WHITE.copy())
    assert bus.since(mark).writes == []
    display.display(BLACK)
    assert bus.since(mark).data() == [0x00] * 1024


def test_panel_off_is_sleep_mode_and_frames_wait_until_it_is_on():
    display, bus = open_display()
    display.display(BLACK)
    mark = bus.mark()
    display.panel_off()
    display.display(WHITE)
    assert bus.since(mark).commands() == [DISPLAY_OFF]
    assert bus.since(mark).data() == []
    mark = bus.mark()
    display.panel_on()
    sent = bus.since(mark)
    assert sent.data() == [0xFF] * 1024
    assert sent.commands()[-1] == DISPLAY_ON  # the new frame is in place before it lights


def test_close_leaves_the_panel_off():
    display, bus = open_display()
    display.display(WHITE)
    mark = bus.mark()
    display.close()
    display.close()
    commands = bus.since(mark).commands()
    assert DISPLAY_OFF in commands and DISPLAY_ON not in commands


@pytest.mark.parametrize(
    ("driver", "width", "height", "rotate"),
    [("ssd1306", 128, 64, 0), ("ssd1309", 128, 64, 0), ("sh1106", 128, 64, 0), ("sh1107", 64, 128, 1)],
)
def test_every_supported_driver_shows_a_128_by_64_frame(driver, width, height, rotate):
    display, bus = open_display(driver=driver, width=width, height=height, rotate=rotate)
    assert display.size == (128, 64)
    mark = bus.mark()
    display.display(WHITE)
    assert bus.since(mark).data() == [0xFF] * 1024
    display.close()
    assert DISPLAY_OFF in bus.since(mark).commands()


@pytest.mark.parametrize(
    ("driver", "dim", "normal"),
    [("ssd1306", [0xD9, 0x11, 0xDB, 0x00], [0xD9, 0xF1, 0xDB, 0x40]),
     ("sh1106", [0xD9, 0x11, 0xDB, 0x00], [0xD9, 0x22, 0xDB, 0x20])],
)
def test_extra_dim_lowers_precharge_and_vcomh_and_restores_them(driver, dim, normal):
    display, bus = open_display(driver=driver)
    mark = bus.mark()
    display.set_extra_dim(True)
    display.set_extra_dim(False)
    assert bus.since(mark).commands() == dim + normal


def test_a_frame_of_the_wrong_size_names_the_fix():
    display, _ = open_display()
    with pytest.raises(HardwareError, match=r"the frame is 64×128 but the panel shows 128×64; set rotate"):
        display.display(Image.new("1", (64, 128)))


def test_missing_i2c_bus_says_enable_i2c():
    with pytest.raises(HardwareError) as caught:
        LumaDisplay(DisplaySettings(i2c_port=97))
    assert str(caught.value) == (  # the fix that fits this machine's OS: tests/test_preflight.py has each
        f"screen (ssd1306, I2C bus 97, 0x3C): /dev/i2c-97 not found; {enable_fix(Interface.I2C)}"
    )


def test_permission_denied_says_join_the_i2c_group(monkeypatch):
    import smbus2

    def denied(port):
        raise PermissionError(errno.EACCES, "Permission denied", f"/dev/i2c-{port}")

    monkeypatch.setattr(smbus2, "SMBus", denied)
    with pytest.raises(HardwareError) as caught:
        LumaDisplay(DisplaySettings(driver="sh1106"))
    assert str(caught.value) == (
        "screen (sh1106, I2C bus 1, 0x3C): permission denied; add yourself to the i2c group "
        "(sudo usermod -aG i2c $USER), then log out and back in"
    )


def test_nothing_at_the_address_suggests_i2cdetect():
    bus = RecordingBus(address=0x3D)  # the panel answers at 0x3D; the config says 0x3C
    with pytest.raises(HardwareError) as caught:
        LumaDisplay(DisplaySettings(), serial_opener=lambda: luma_i2c_at(bus, 0x3C))
    assert str(caught.value) == (
        "screen (ssd1306, I2C bus 1, 0x3C): nothing answers at address 0x3C; check the wiring "
        "(SDA, SCL, VCC, GND), run `i2cdetect -y 1` and set i2c_address to the address it "
        "shows (usually 0x3C or 0x3D)"
    )


def luma_i2c_at(bus, address):
    from luma.core.interface.serial import i2c

    return i2c(bus=bus, address=address)


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"driver": "ssd1351"},
         "display/driver: must be one of ssd1306, ssd1309, sh1106, sh1107, virtual, not 'ssd1351'"),
        ({"interface": "usb"}, "display/interface: must be one of i2c, spi, not 'usb'"),
        ({"rotate": 4}, "display/rotate: must be one of 0, 1, 2, 3, not 4"),
        ({"i2c_address": 0x99},
         'display/i2c_address: must be an I2C address like "0x3C" (see `i2cdetect -y 1`), not 0x99'),
        ({"width": 100, "height": 50}, "display: the ssd1306 driver cannot drive a 100×50 panel"),
    ],
)
def test_bad_config_gives_one_line(config, message):
    with pytest.raises(HardwareError) as caught:
        open_display(**config)
    assert str(caught.value).startswith(message)


def test_an_i2c_fault_mid_routine_backs_off_logs_once_and_restores_the_picture(caplog):
    clock = FakeClock()
    display, bus = open_display(clock=clock)
    display.set_contrast(20)
    display.display(BLACK)
    caplog.set_level(logging.DEBUG, logger="device.hardware.luma_display")

    bus.fail_with = errno.EIO  # the wire comes loose
    lost_at = clock.now
    display.display(WHITE)  # does not raise: the routine goes on
    assert not display.is_healthy
    assert display.retry_at == clock.now + 1

    def reopens() -> int:  # each failed full re-open logs one line; a probe logs none
        return sum("still not answering" in r.getMessage() for r in caplog.records)

    waits, last_reopen = [], lost_at
    while len(waits) < 8:
        attempts = bus.attempts
        clock.advance(display.retry_at - clock.now - 0.01)
        display.display(BLACK if len(waits) % 2 else WHITE)  # frames keep coming
        display.set_contrast(5)
        assert bus.attempts == attempts  # not due yet: no bus traffic
        clock.advance(0.01)
        before = reopens()
        assert display.retry() is False
        if reopens() > before:
            waits.append(round(clock.now - last_reopen, 6))
            last_reopen = clock.now
        else:
            assert bus.attempts == attempts + 1  # a one-byte probe in between
    assert waits == [1, 2, 4, 8, 16, 30, 30, 30]
    lost = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert [r.getMessage() for r in lost] == [
        "screen (ssd1306, I2C bus 1, 0x3C): lost (I2C device not found on address: 0x3C); "
        "the routine goes on, re-opening the screen with back-off"
    ]

    clock.advance(1)
    bus.fail_with = None  # the wire is fixed, 29 s before the next full re-open
    display.display(WHITE)  # the latest frame
    assert display.retry_at - clock.now <= 4  # a probe finds it well within 5 s
    clock.advance(display.retry_at - clock.now)
    mark = bus.mark()
    assert display.retry() is True
    sent = bus.since(mark)
    assert sent.data()[-1024:] == [0xFF] * 1024
    assert last_contrast(sent.commands()) == 5
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings[1:] == [
        f"screen (ssd1306, I2C bus 1, 0x3C): back after {clock.now - lost_at:.0f} s"
    ]
    assert display.retry_at is None
    mark = bus.mark()
    display.display(WHITE)
    assert bus.since(mark).writes == []  # the restored frame counts as shown


def last_contrast(commands: list[int]) -> int:
    position = len(commands) - 1 - commands[::-1].index(SET_CONTRAST)
    return commands[position + 1]


def test_a_panel_switched_off_during_an_outage_comes_back_off():
    clock = FakeClock()
    display, bus = open_display(clock=clock)
    display.display(WHITE)
    bus.fail_with = errno.EIO
    display.panel_off()
    bus.fail_with = None
    clock.advance(1)
    mark = bus.mark()
    assert display.retry() is True
    commands = bus.since(mark).commands()
    assert commands[-1] == DISPLAY_OFF
    assert bus.since(mark).data()[-1024:] == [0x00] * 1024  # only luma's init clear, no picture
