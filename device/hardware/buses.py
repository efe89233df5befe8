"""The panel's bus: its device file, and how to turn the bus on with the fix that fits this OS.

Raspberry Pi OS has raspi-config, which sets the firmware's line and loads i2c-dev in one go.
Debian and Ubuntu on a Pi have none: there the fix is the `dtparam=` line in the firmware's
config.txt (/boot/firmware/config.txt from Bookworm on, /boot/config.txt before), plus
i2c-dev in /etc/modules for I2C. Standard library only: install.sh runs this with the system's
Python before anything is installed.
"""

from __future__ import annotations

from pathlib import Path

from device.config.schema import DisplaySettings, Interface

RASPI_CONFIG = Path("usr/bin/raspi-config")  # under the root
CONFIG_TXT = (Path("boot/firmware/config.txt"), Path("boot/config.txt"))  # Bookworm and later; older systems
DTPARAM = {Interface.I2C: "dtparam=i2c_arm=on", Interface.SPI: "dtparam=spi=on"}
RASPI_CONFIG_ITEM = {Interface.I2C: "do_i2c", Interface.SPI: "do_spi"}


def bus_device(panel: DisplaySettings, dev_dir: Path = Path("/dev")) -> Path:
    """The device file the panel's bus appears as once it is enabled."""
    if panel.interface == Interface.SPI:
        return dev_dir / f"spidev{panel.spi_port}.{panel.spi_device}"
    return dev_dir / f"i2c-{panel.i2c_port}"


def config_txt(root: Path = Path("/")) -> str:
    """The firmware's config.txt as this system has it (/boot/firmware/config.txt when neither is there)."""
    for path in CONFIG_TXT:
        if (root / path).is_file():
            return f"/{path}"
    return f"/{CONFIG_TXT[0]}"


def enable_fix(interface: Interface, root: Path = Path("/")) -> str:
    """How to turn the bus on here, ending with the reboot, e.g. 'enable I2C: sudo raspi-config ...'."""
    name = str(interface).upper()
    if (root / RASPI_CONFIG).exists():
        return f"enable {name}: sudo raspi-config nonint {RASPI_CONFIG_ITEM[interface]} 0, then reboot"
    modules = " and the line i2c-dev to /etc/modules" if interface == Interface.I2C else ""
    return f"enable {name}: add the line {DTPARAM[interface]} to {config_txt(root)}{modules}, then reboot"
