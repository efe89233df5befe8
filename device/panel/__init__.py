"""The OLED panel as plain data, no luma: the controllers a panel can be, one record each
(`drivers`, from which the config's driver choices are built), and how a 1-bit picture sits in
their memory and what changed in it (`pages`), and the bus it is wired to: its device file and
how this OS turns it on (`buses`). The hardware adapters (`device.hardware`) and the
config (`device.config`) both read it; it imports neither."""
