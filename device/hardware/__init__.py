"""The real parts: the OLED through luma.oled (one record per controller in drivers), the button
and haptics through gpiozero, their error remedies, and systemd's notify socket. luma and
gpiozero are imported when a part opens."""
