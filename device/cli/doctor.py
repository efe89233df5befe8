"""`psoas doctor`: every health check (`device.health.checks`), one line each with its fix.

Exit 0 only when no check fails.
"""

from __future__ import annotations

import sys
from typing import TextIO

from device.cli import add_config_option
from device.health.checks import FAIL, check_config, run_checks
from routines.wording import counted


def run(args) -> int:
    """`psoas doctor [--config PATH]`."""
    return report(args.config, sys.stdout)


def report(config_path: str | None = None, out: TextIO = sys.stdout, **overrides) -> int:
    """Run every check and print one line each, then a summary. Exit 0 only if none failed."""
    config_result, config = check_config(config_path)
    results = run_checks(config, config_result, **overrides)
    for result in results:
        print(result.line, file=out)
    failed = sum(result.status == FAIL for result in results)
    if failed:
        print(f"{failed} of {counted(len(results), 'check')} failed; fix the first one first", file=out)
        return 1
    print(f"all {counted(len(results), 'check')} passed", file=out)
    return 0


def add_arguments(parser) -> None:
    """`psoas doctor [--config PATH]`."""
    add_config_option(parser)
