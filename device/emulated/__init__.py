"""Stand-ins for the hardware in `psoas demo` and `psoas run --emulate`: a terminal screen, the
keyboard as the button, a desktop window (luma.emulator)."""
