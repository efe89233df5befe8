"""The real parts: the OLED through luma.oled (`luma_panel`, `luma_display`, `panel_writer`),
the virtual panel, the button and haptics through gpiozero, and their error remedies
(`gpio_errors`). luma and gpiozero are imported when a part opens; the controllers' records and
page layout they read are `device.panel`."""
