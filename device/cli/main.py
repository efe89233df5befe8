"""The `psoas` entry point: the parser built from one module per command, and `main`.

Every command module has `register(subparsers)`, which adds its parser and sets `handler`.
"""

from __future__ import annotations

import argparse
import logging
import sys

from device.cli import (
    EXIT_FAILURE,
    EXIT_USAGE,
    OneLineParser,
    demo,
    doctor,
    install,
    morning,
    preview,
    routines,
    run,
    stats,
    web,
)
from device.cli import config as config_cmd
from device.config.load import ConfigError
from routines.errors import PsoasError

COMMANDS = (demo, preview, doctor, stats, morning, routines, run, config_cmd, install, web)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="psoas", description="A bedside companion for gentle psoas stretches in bed.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    commands.required = True
    for command in COMMANDS:
        command.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except PsoasError as exc:
        for line in str(exc).splitlines() or [type(exc).__name__]:
            print(f"psoas {args.command}: {line}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, ConfigError) else EXIT_FAILURE
    except KeyboardInterrupt:
        return 0
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
