"""The OLED controllers the panel can be, one record each: how a partial write addresses
them and the levels extra-dim switches between.

Plain data, no luma: the config's `[display] driver` choices (`device.config.schema`) are built
from `NAMES`, the panel (`luma_panel`, `luma_display`) and `PanelWriter` read the records.

Extra-dim (opt-in): a lower pre-charge period (command 0xD9) and VCOMH deselect level (0xDB)
than luma.oled's init sequence sets. The values are valid for each controller's datasheet
(pre-charge phases of 1 clock; the lowest VCOMH step). Risks: panel-dependent; dim pixels may
look uneven or flicker, and some modules go blank at low contrast. Off by default.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Driver:
    """One controller, named as luma.oled's device class (`luma.oled.device.<name>`)."""

    name: str
    # True: page addressing (the page, then the column, then that page's data); False:
    # horizontal addressing (a column window and a page window, then the data).
    page_addressed: bool
    # What one more write window costs on I2C, in bytes: the address byte and control byte of
    # its command and of its data, and the address command itself (6 bytes horizontal, 3 paged).
    window_cost: int
    normal_levels: tuple[int, int]  # (pre-charge, VCOMH) as luma.oled's init sequence sends them
    extra_dim_levels: tuple[int, int]  # (pre-charge, VCOMH) with extra-dim on
    first_column: int = 0  # where the panel's column 0 is in the controller's memory
    first_column_by_width: tuple[tuple[int, int], ...] = ()  # (panel width, first column) where it differs

    def column_offset(self, width: int) -> int:
        """The controller column of the panel's column 0, for a panel `width` pixels wide."""
        return dict(self.first_column_by_width).get(width, self.first_column)


PANELS = {driver.name: driver for driver in (
    Driver("ssd1306", page_addressed=False, window_cost=10, normal_levels=(0xF1, 0x40),
           extra_dim_levels=(0x11, 0x00), first_column_by_width=((64, 32),)),  # as luma.oled's ssd1306
    Driver("ssd1309", page_addressed=False, window_cost=10, normal_levels=(0xF1, 0x40),
           extra_dim_levels=(0x11, 0x00)),
    Driver("sh1106", page_addressed=True, window_cost=7, normal_levels=(0x22, 0x20),
           extra_dim_levels=(0x11, 0x00), first_column=2),  # shows columns 2 to 129 of its 132
    Driver("sh1107", page_addressed=True, window_cost=7, normal_levels=(0x22, 0x35),
           extra_dim_levels=(0x11, 0x00)),
)}
VIRTUAL = "virtual"  # no panel: luma's dummy keeps the last frame as a PNG (device.hardware.virtual_panel)
NAMES = (*PANELS, VIRTUAL)  # every `[display] driver` a config may name
