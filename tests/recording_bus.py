"""An smbus-like bus that records what luma's real `i2c` interface writes, and can fail.

Handed to `luma.core.interface.serial.i2c(bus=...)`, so the real luma.oled driver classes and
luma's own I2C framing run; only the kernel is replaced. Register 0x00 carries commands and
0x40 carries display data (luma's control bytes).
"""

from __future__ import annotations

import errno

COMMAND, DATA = 0x00, 0x40


class RecordingBus:
    """Records `(register, bytes)` for every block write; `fail_with = errno.EIO` makes writes fail."""

    def __init__(self, address: int = 0x3C):
        self.address = address
        self.writes: list[tuple[int, list[int]]] = []
        self.fail_with: int | None = None
        self.attempts = 0

    def write_i2c_block_data(self, i2c_addr: int, register: int, data, force=None) -> None:
        self.attempts += 1
        if self.fail_with is not None:
            raise OSError(self.fail_with, "Remote I/O error")
        if i2c_addr != self.address:
            raise OSError(errno.EREMOTEIO, "Remote I/O error")
        self.writes.append((register, list(data)))

    def close(self) -> None:
        pass

    def commands(self) -> list[int]:
        """Every command byte written so far, in order."""
        return [byte for register, block in self.writes if register == COMMAND for byte in block]

    def data(self) -> list[int]:
        """Every display-data byte written so far, in order."""
        return [byte for register, block in self.writes if register == DATA for byte in block]

    def mark(self) -> int:
        """Forget nothing, but return a position; `since(mark)` gives the writes after it."""
        return len(self.writes)

    def since(self, mark: int) -> "RecordingBus":
        view = RecordingBus(self.address)
        view.writes = self.writes[mark:]
        return view


def luma_i2c(bus: RecordingBus):
    """A real luma I2C serial interface over `bus`."""
    from luma.core.interface.serial import i2c

    return i2c(bus=bus, address=bus.address)
