"""One health check's result as `psoas doctor` prints it: name, ok / FAIL / skip, one line.

Standard library only: install.sh's preflight uses it with the system's Python.
"""

from __future__ import annotations

from dataclasses import dataclass

OK, FAIL, SKIP = "ok", "FAIL", "skip"


@dataclass(frozen=True)
class CheckResult:
    """One check: its name, OK / FAIL / skip, and one line saying what was found or the fix."""

    name: str
    status: str
    message: str

    @property
    def line(self) -> str:
        return f"{self.status:<4}  {self.name}: {self.message}"
