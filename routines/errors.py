"""The project's exceptions: one base class, subclasses that also inherit the matching built-in.

Modelled on gpiozero's `exc.py` (`class BadWaitTime(GPIOZeroError, ValueError)`): callers can
catch `PsoasError` for anything of ours, or the built-in they already expect.
"""

from __future__ import annotations


class PsoasError(Exception):
    """Base class of every error psoas-companion raises on purpose.

    Its message is one line meant for a person: it names the file, key or device and the fix.
    """


class RoutineError(PsoasError, ValueError):
    """A routine file (or the built-in data) is not valid.

    `problems` holds every problem found, one line each, as `path:line: key: message`.
    """

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class UnknownRoutineError(PsoasError, LookupError):
    """A routine name that no built-in or user file defines."""
