"""The device side's exceptions, all in one place: hardware, config, journal, install, files.

Each subclasses `routines.errors.PsoasError` and the matching built-in (gpiozero's pattern).
Each message is one line that names the device, file or key and the fix, e.g.
"button on GPIO17: permission denied; add yourself to the gpio group ...". The CLI prints
it and exits non-zero (2 for a `ConfigError` or `UsageError`), without a traceback.
"""

from __future__ import annotations

from routines.errors import PsoasError


class HardwareError(PsoasError, RuntimeError):
    """A part (screen, button, buzzer) could not be opened or used; the message says the fix."""


def join_group(group: str) -> str:
    """The fix for "permission denied" on a device file: join the group that owns it."""
    return f"add yourself to the {group} group (sudo usermod -aG {group} $USER), then log out and back in"


class JournalTooNewError(PsoasError, RuntimeError):
    """The journal was written by a newer psoas-companion; it is left untouched."""


class JournalCorruptError(PsoasError, RuntimeError):
    """The journal file is damaged."""


class JournalNotAFileError(JournalCorruptError):
    """Something other than a file (a FIFO, a directory, a link that loops) is in the journal's place."""


class JournalUnreadableError(PsoasError, OSError):
    """The journal exists but cannot be read (damaged, newer schema, no permission)."""


class ConfigError(PsoasError, ValueError):
    """The config file is not valid; `problems` lists every problem, one line each."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class UsageError(PsoasError, ValueError):
    """A command-line argument is wrong (e.g. a routine name no routine has): exit 2, as for
    argparse's own usage errors; the message names the argument."""


class ListenError(PsoasError, OSError):
    """The phone page cannot listen where it is told (no such address here, port in use); the
    message names the option or config key."""


class BackupError(PsoasError, ValueError):
    """The file is not a backup this program can restore; nothing was changed."""


class PreviewError(PsoasError, OSError):
    """A preview file or folder could not be written."""


class InstallError(PsoasError, RuntimeError):
    """Install or uninstall cannot go on; the message names the fix."""
