"""The panel's bus: its device file, and how to turn the bus on with the fix that fits this OS.

Raspberry Pi OS has raspi-config, which sets the firmware's line and loads i2c-dev in one go.
Debian and Ubuntu on a Pi have none: there the fix is the `dtparam=` line in the firmware's
config.txt (/boot/firmware/config.txt from Bookworm on, /boot/config.txt before), plus
i2c-dev in /etc/modules for I2C. Standard library only: install.sh runs this with the system's
Python before anything is installed. The bus is named as the config's `interface` is ("i2c" or
"spi"); this module imports nothing of the config, which reads `device.panel`.
"""

from __future__ import annotations

from pathlib import Path

I2C, SPI = "i2c", "spi"  # `[display] interface`
RASPI_CONFIG = Path("usr/bin/raspi-config")  # under the root
CONFIG_TXT = (Path("boot/firmware/config.txt"), Path("boot/config.txt"))  # Bookworm and later; older systems
DTPARAM = {I2C: "dtparam=i2c_arm=on", SPI: "dtparam=spi=on"}
RASPI_CONFIG_ITEM = {I2C: "do_i2c", SPI: "do_spi"}


def bus_device(panel, dev_dir: Path = Path("/dev")) -> Path:
    """The device file the bus of `panel` (the `[display]` settings) appears as once it is enabled."""
    if panel.interface == SPI:
        return dev_dir / f"spidev{panel.spi_port}.{panel.spi_device}"
    return dev_dir / f"i2c-{panel.i2c_port}"


def config_txt(root: Path = Path("/")) -> str:
    """The firmware's config.txt as this system has it (/boot/firmware/config.txt when neither is there)."""
    for path in CONFIG_TXT:
        if (root / path).is_file():
            return f"/{path}"
    return f"/{CONFIG_TXT[0]}"


def enable_fix(interface: str, root: Path = Path("/")) -> str:
    """How to turn the bus ("i2c" or "spi") on here, ending with the reboot, e.g.
    'enable I2C: sudo raspi-config nonint do_i2c 0, then reboot'."""
    interface = str(interface)
    name = interface.upper()
    if (root / RASPI_CONFIG).exists():
        return f"enable {name}: sudo raspi-config nonint {RASPI_CONFIG_ITEM[interface]} 0, then reboot"
    modules = " and the line i2c-dev to /etc/modules" if interface == I2C else ""
    return f"enable {name}: add the line {DTPARAM[interface]} to {config_txt(root)}{modules}, then reboot"
