"""The panel drivers: one record each, and the config offers exactly those (and the virtual panel)."""

import luma.oled.device as oled

from device.config.schema import kind_of
from device.panel.drivers import NAMES, PANELS, VIRTUAL


def test_the_config_offers_every_driver_record_and_the_virtual_panel():
    assert kind_of("display", "driver").options == NAMES == (*PANELS, VIRTUAL)
    assert VIRTUAL not in PANELS


def test_every_driver_record_names_a_luma_oled_device():
    for name in PANELS:
        assert callable(getattr(oled, name))


def test_the_first_column_can_depend_on_the_panel_width():
    assert PANELS["ssd1306"].column_offset(64) == 32 and PANELS["ssd1306"].column_offset(128) == 0
    assert PANELS["sh1106"].column_offset(128) == 2 and PANELS["sh1107"].column_offset(64) == 0
