"""Open an OLED panel with luma.oled, turning every failure into one line with the fix.

luma is imported lazily, inside the functions, so the demo and the tests of other parts never
need it. The wiring is the config's `[display]` section (`DisplaySettings`): driver, I2C or
SPI, size, rotation; the controllers themselves are described in `device.panel.drivers`.
"""

from __future__ import annotations

import errno

from device.config.schema import DisplaySettings, Interface, kind_of
from device.errors import HardwareError, join_group
from device.panel.buses import bus_device, enable_fix

NOP = 0xE3  # "no operation" on every controller in `drivers`: a harmless probe
PRECHARGE, VCOMH = 0xD9, 0xDB  # the commands extra-dim changes (levels: `drivers.Driver`)
CHECKED = ("driver", "interface", "rotate", "i2c_address", "width", "height")  # what opening needs


def describe(display: DisplaySettings) -> str:
    """How a message names the panel, e.g. "screen (ssd1306, I2C bus 1, 0x3C)"."""
    if display.interface == Interface.SPI:
        return f"screen ({display.driver}, SPI {display.spi_port}.{display.spi_device})"
    return f"screen ({display.driver}, I2C bus {display.i2c_port}, 0x{display.i2c_address:02X})"


def check(display: DisplaySettings) -> None:
    """Raise `HardwareError` naming the key and the allowed values if a value opening needs is
    wrong (settings built in code, not loaded, have not been through the config's rules)."""
    for name in CHECKED:
        try:
            kind_of("display", name).parse(getattr(display, name))
        except ValueError as error:
            raise HardwareError(f"display/{name}: {error}") from None


def open_serial(config: DisplaySettings):
    """Open the luma serial interface for `config` (smbus2 for I2C, spidev for SPI)."""
    from luma.core.error import (
        DeviceNotFoundError,
        DevicePermissionError,
        UnsupportedPlatform,
    )
    from luma.core.interface.serial import i2c, spi

    name = describe(config)
    spi_bus = config.interface == Interface.SPI
    try:
        if spi_bus:
            return spi(
                port=config.spi_port,
                device=config.spi_device,
                gpio_DC=config.dc_pin,
                gpio_RST=config.rst_pin,
            )
        return i2c(port=config.i2c_port, address=config.i2c_address)
    except DeviceNotFoundError:
        raise HardwareError(f"{name}: {bus_device(config)} not found; {enable_fix(config.interface)}") from None
    except (DevicePermissionError, PermissionError):
        group = "spi" if spi_bus else "i2c"
        raise HardwareError(f"{name}: permission denied; {join_group(group)}") from None
    except (UnsupportedPlatform, ImportError, RuntimeError) as error:
        raise HardwareError(
            f"{name}: no GPIO access for the DC/RST pins ({error}); install rpi-lgpio "
            f"(pip install rpi-lgpio) or wire the panel over I2C"
        ) from None


def build_panel(config: DisplaySettings, serial):
    """Build the luma.oled device on `serial`; its init sequence is sent here."""
    import luma.oled.device as oled
    from luma.core.error import DeviceDisplayModeError, DeviceNotFoundError

    check(config)
    driver_class = getattr(oled, config.driver)
    try:
        return driver_class(
            serial, width=config.width, height=config.height, rotate=config.rotate
        )
    except DeviceDisplayModeError:
        raise HardwareError(
            f"display: the {config.driver} driver cannot drive a {config.width}×{config.height} "
            f"panel; check width and height (sh1107 panels are usually 64×128 with rotate = 1)"
        ) from None
    except (DeviceNotFoundError, OSError) as error:
        raise not_answering(config, error) from None


def not_answering(config: DisplaySettings, error: BaseException | None = None) -> HardwareError:
    """The error for a panel that does not answer (no ACK on I2C, or a bus write failing)."""
    name = describe(config)
    if config.interface == Interface.SPI:
        return HardwareError(f"{name}: write failed ({error}); check the SPI wiring")
    if isinstance(error, OSError) and error.errno in (errno.EACCES, errno.EPERM):
        return HardwareError(f"{name}: permission denied; {join_group('i2c')}")
    return HardwareError(
        f"{name}: nothing answers at address 0x{config.i2c_address:02X}; check the wiring "
        f"(SDA, SCL, VCC, GND), run `i2cdetect -y {config.i2c_port}` and set i2c_address to "
        f"the address it shows (usually 0x3C or 0x3D)"
    )
