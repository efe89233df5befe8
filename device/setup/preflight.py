"""What install.sh checks before it installs the service: the options, the config, the screen's bus.

    PYTHONPATH=<clone> /usr/bin/python3 -m device.setup.preflight [--root DIR] [-- OPTION ...]

The
OPTIONs are those it passes on to `psoas install` (`--nightly`, `--web`): each must be one
this version of `psoas install` takes. The config is the one the service reads,
/etc/psoas-companion/config.toml (else the defaults): it must load, and the bus its panel
needs must exist (I2C enabled?; none for the virtual panel). One line per check in
`psoas doctor`'s form (an option only when it fails); exit 0 when the install can go on, 1
when not (each FAIL line says the fix). It needs only Python's standard library: install.sh
runs it from the clone with the system's Python, first, before apt and pip.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from device.setup import install
from device.config.load import Config, load_config
from device.errors import ConfigError
from device.health.bus import check_bus
from device.health.result import FAIL, OK, CheckResult
from device.panel.drivers import VIRTUAL

SERVICE_CONFIG = Path("etc/psoas-companion/config.toml")  # under the root


def unknown_options(options: list[str]) -> list[CheckResult]:
    """A FAIL for each option this `psoas install` does not take (e.g. --web)."""
    parser = argparse.ArgumentParser()
    install.add_arguments(parser)
    _, unknown = parser.parse_known_args(options)
    return [CheckResult(option, FAIL, f"this version of psoas install has no {option}; leave out {option}, "
                        f"or update the clone (git pull)") for option in unknown]


def system_checks(root: Path) -> list[CheckResult]:
    """The config check, then the bus the configured panel needs (none for the virtual one)."""
    path = root / SERVICE_CONFIG
    try:
        config = load_config(path) if path.is_file() else Config()
    except ConfigError as error:
        return [CheckResult("config", FAIL, problem) for problem in error.problems]
    results = [CheckResult("config", OK, str(path) if path.is_file() else f"defaults (no {path})")]
    if config.display.driver == VIRTUAL:
        return results + [CheckResult("screen", OK, "virtual, no bus needed")]
    return results + check_bus(config.display, root / "dev")[:1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m device.setup.preflight", description=__doc__.splitlines()[0])
    parser.add_argument("--root", metavar="DIR", default="/", help="check the system under DIR (for tests)")
    parser.add_argument("options", nargs="*", metavar="OPTION", help="options for psoas install, after --")
    args = parser.parse_args(argv)
    results = unknown_options(args.options) + system_checks(Path(args.root))
    for result in results:
        print(result.line)
    return 1 if any(result.status == FAIL for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
