"""Open gpiozero devices with one clear line for every way it can fail.

`opening_gpio(part)` wraps the construction of a gpiozero device (button, buzzer, motor). It
sets `LG_WD` for lgpio (on a Pi 5 lgpio writes its notification pipes into its working
directory, which must be writable: the service's working directory often is not), and turns
gpiozero's errors into a `HardwareError` naming the part and the fix.
"""

from __future__ import annotations

import logging
import os
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from device.errors import HardwareError, join_group

log = logging.getLogger(__name__)

DEVICE_TREE_MODEL = Path("/proc/device-tree/model")
GPIO_CHIP = Path("/dev/gpiochip0")


def is_raspberry_pi(model_path: Path = DEVICE_TREE_MODEL) -> bool:
    """True when the device tree says this machine is a Raspberry Pi."""
    try:
        return "Raspberry Pi" in model_path.read_text(errors="replace")
    except OSError:
        return False


def gpio_chip_denied(chip_path: Path = GPIO_CHIP) -> bool:
    """True when the GPIO chip exists but this user may not open it."""
    return chip_path.exists() and not os.access(chip_path, os.R_OK | os.W_OK)


def ensure_lgpio_workdir() -> str:
    """Set `LG_WD` to a writable directory unless it is set already; return its value.

    Prefers systemd's `RUNTIME_DIRECTORY`, then `XDG_RUNTIME_DIR`, then the temp directory.
    """
    if "LG_WD" not in os.environ:
        for candidate in (os.environ.get("RUNTIME_DIRECTORY"), os.environ.get("XDG_RUNTIME_DIR")):
            if candidate and os.access(candidate, os.W_OK):
                os.environ["LG_WD"] = candidate
                break
        else:
            os.environ["LG_WD"] = tempfile.gettempdir()
    return os.environ["LG_WD"]


def explain_gpio_error(error: BaseException, part: str, notes: list[str] = ()) -> HardwareError:
    """Turn a gpiozero / lgpio error into one line naming `part` (e.g. "button on GPIO17").

    `notes` are the texts of warnings gpiozero gave while it tried pin factories.
    """
    from gpiozero.exc import BadPinFactory, GPIOPinInUse, PinInvalidPin

    text = " ".join([str(error), *notes]).lower()
    denied = isinstance(error, BadPinFactory) and gpio_chip_denied()
    if isinstance(error, PermissionError) or "permission" in text or denied:
        return HardwareError(f"{part}: permission denied opening the GPIO chip; {join_group('gpio')}")
    if isinstance(error, GPIOPinInUse):
        return HardwareError(
            f"{part}: the pin is already used by another part in this program; "
            f"give each part its own pin in the config"
        )
    if "busy" in text:
        return HardwareError(
            f"{part}: the pin is busy, used by another program or a device-tree overlay; "
            f"stop it (is psoas already running? systemctl status psoas) or choose another pin"
        )
    if isinstance(error, PinInvalidPin):
        return HardwareError(f"{part}: no such pin; use a BCM GPIO number from 2 to 27, e.g. 17")
    if isinstance(error, BadPinFactory):
        if not is_raspberry_pi():
            return HardwareError(
                f"{part}: no GPIO pin factory, this machine is not a Raspberry Pi; "
                f"run `psoas demo` to use the keyboard and terminal instead"
            )
        return HardwareError(
            f"{part}: no GPIO library could be loaded; install lgpio "
            f"(sudo apt install python3-lgpio, or pip install lgpio in the venv)"
        )
    first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return HardwareError(f"{part}: {first_line}")


@contextmanager
def opening_gpio(part: str, real_pins: bool = True) -> Iterator[None]:
    """Build a gpiozero device inside this block; errors become one-line `HardwareError`s.

    With `real_pins` (no pin factory passed in), `LG_WD` is set first. gpiozero's warnings
    about pin factories it fell back from are logged, or used to explain a failure.
    """
    if real_pins:
        ensure_lgpio_workdir()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        except HardwareError:
            raise
        except Exception as error:
            notes = [str(warning.message) for warning in caught]
            raise explain_gpio_error(error, part, notes) from None
    for warning in caught:
        log.warning("%s: %s", part, warning.message)
