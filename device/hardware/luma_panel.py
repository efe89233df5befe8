"""Open an OLED panel with luma.oled, turning every failure into one line with the fix.

luma is imported lazily, inside the functions, so the demo and the tests of other parts never
need it. `PanelConfig` is the `[display]` wiring: driver, I2C or SPI, size, rotation.
"""

from __future__ import annotations

import errno
from collections.abc import Mapping
from dataclasses import dataclass, fields

from device.config.schema import DisplaySettings, keys
from device.errors import HardwareError, join_group

NOP = 0xE3  # "no operation" on all four drivers: a harmless probe

# Extra-dim (opt-in): lower pre-charge (0xD9) and VCOMH deselect level (0xDB) than luma's
# init sequence sets. Values are valid for each driver's datasheet (pre-charge phases of 1
# clock; the lowest VCOMH step). Risks: panel-dependent; dim pixels may look uneven or
# flicker, and some modules go blank at low contrast. Off by default.
PRECHARGE, VCOMH = 0xD9, 0xDB
NORMAL_LEVELS = {  # what luma.oled's init sequence sends, to switch extra-dim off again
    "ssd1306": (0xF1, 0x40),
    "ssd1309": (0xF1, 0x40),
    "sh1106": (0x22, 0x20),
    "sh1107": (0x22, 0x35),
}
EXTRA_DIM_LEVELS = {
    "ssd1306": (0x11, 0x00),
    "ssd1309": (0x11, 0x00),
    "sh1106": (0x11, 0x00),
    "sh1107": (0x11, 0x00),
}


@dataclass(frozen=True)
class PanelConfig:
    """How the OLED is wired. Pins are BCM numbers; `rotate` is 0–3 quarter turns clockwise."""

    driver: str = "ssd1306"
    interface: str = "i2c"
    i2c_port: int = 1
    i2c_address: int = 0x3C
    spi_port: int = 0
    spi_device: int = 0
    spi_dc_pin: int = 24
    spi_rst_pin: int = 25
    width: int = 128
    height: int = 64
    rotate: int = 0

    @classmethod
    def coerce(cls, config: PanelConfig | Mapping | object) -> PanelConfig:
        """A `PanelConfig` from itself, a mapping, or any object with these attributes."""
        if isinstance(config, cls):
            return config
        get = config.get if isinstance(config, Mapping) else lambda key, default: getattr(
            config, key, default
        )
        values = {f.name: get(f.name, f.default) for f in fields(cls)}
        for short, full in (("dc_pin", "spi_dc_pin"), ("rst_pin", "spi_rst_pin")):  # config file names
            values[full] = get(short, values[full])
        address = values["i2c_address"]
        if isinstance(address, str):  # "0x3C" in TOML, as i2cdetect prints it
            try:
                values["i2c_address"] = int(address, 0)
            except ValueError:
                pass  # check() names it
        return cls(**values)

    def describe(self) -> str:
        """How a message names the panel, e.g. "screen (ssd1306, I2C bus 1, 0x3C)"."""
        if self.interface == "spi":
            return f"screen ({self.driver}, SPI {self.spi_port}.{self.spi_device})"
        return f"screen ({self.driver}, I2C bus {self.i2c_port}, 0x{self.i2c_address:02X})"

    def check(self) -> None:
        """Raise `HardwareError` naming the key and the allowed values if a value is wrong.

        The rules are the config's own (`DisplaySettings`): one declaration for both.
        """
        declared = {f.name: f.metadata["kind"] for f in keys(DisplaySettings)}
        for name in ("driver", "interface", "rotate", "i2c_address", "width", "height"):
            try:
                declared[name].parse(getattr(self, name))
            except ValueError as error:
                raise HardwareError(f"display/{name}: {error}") from None


def open_serial(config: PanelConfig):
    """Open the luma serial interface for `config` (smbus2 for I2C, spidev for SPI)."""
    from luma.core.error import (
        DeviceNotFoundError,
        DevicePermissionError,
        UnsupportedPlatform,
    )
    from luma.core.interface.serial import i2c, spi

    name = config.describe()
    try:
        if config.interface == "spi":
            return spi(
                port=config.spi_port,
                device=config.spi_device,
                gpio_DC=config.spi_dc_pin,
                gpio_RST=config.spi_rst_pin,
            )
        return i2c(port=config.i2c_port, address=config.i2c_address)
    except DeviceNotFoundError:
        if config.interface == "spi":
            raise HardwareError(
                f"{name}: /dev/spidev{config.spi_port}.{config.spi_device} not found; enable "
                f"SPI with `sudo raspi-config nonint do_spi 0` (or raspi-config → Interface "
                f"Options → SPI), then reboot"
            ) from None
        raise HardwareError(
            f"{name}: /dev/i2c-{config.i2c_port} not found; enable I2C with "
            f"`sudo raspi-config nonint do_i2c 0` (or raspi-config → Interface Options → I2C), "
            f"then reboot"
        ) from None
    except (DevicePermissionError, PermissionError):
        group = "spi" if config.interface == "spi" else "i2c"
        raise HardwareError(f"{name}: permission denied; {join_group(group)}") from None
    except (UnsupportedPlatform, ImportError, RuntimeError) as error:
        raise HardwareError(
            f"{name}: no GPIO access for the DC/RST pins ({error}); install rpi-lgpio "
            f"(pip install rpi-lgpio) or wire the panel over I2C"
        ) from None


def build_panel(config: PanelConfig, serial):
    """Build the luma.oled device on `serial`; its init sequence is sent here."""
    import luma.oled.device as oled
    from luma.core.error import DeviceDisplayModeError, DeviceNotFoundError

    config.check()
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


def not_answering(config: PanelConfig, error: BaseException | None = None) -> HardwareError:
    """The error for a panel that does not answer (no ACK on I2C, or a bus write failing)."""
    name = config.describe()
    if config.interface == "spi":
        return HardwareError(f"{name}: write failed ({error}); check the SPI wiring")
    if isinstance(error, OSError) and error.errno in (errno.EACCES, errno.EPERM):
        return HardwareError(f"{name}: permission denied; {join_group('i2c')}")
    return HardwareError(
        f"{name}: nothing answers at address 0x{config.i2c_address:02X}; check the wiring "
        f"(SDA, SCL, VCC, GND), run `i2cdetect -y {config.i2c_port}` and set i2c_address to "
        f"the address it shows (usually 0x3C or 0x3D)"
    )
