"""The hardware adapters: the OLED panel, the button, haptics, systemd's notify socket."""
