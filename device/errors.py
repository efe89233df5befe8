"""Errors from the device side: hardware that is missing, busy or not allowed.

Each message is one line that names the device and the fix, e.g.
"button on GPIO17: permission denied; add yourself to the gpio group ...". The CLI prints
it and exits non-zero, without a traceback.
"""

from __future__ import annotations

from routines.errors import PsoasError


class HardwareError(PsoasError, RuntimeError):
    """A part (screen, button, buzzer) could not be opened or used; the message says the fix."""


def join_group(group: str) -> str:
    """The fix for "permission denied" on a device file: join the group that owns it."""
    return f"add yourself to the {group} group (sudo usermod -aG {group} $USER), then log out and back in"
