"""The `psoas` command. Each subcommand lives in its own module and registers itself here.

Every error a person can cause (arguments, config, routine files, hardware) ends on standard
error as `psoas <command>: <what>: <fix>`, one line per problem, and a non-zero exit: 2 for
usage and config errors, 1 otherwise. No traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from routines.errors import PsoasError

EXIT_FAILURE = 1
EXIT_USAGE = 2  # bad arguments or config: systemd's RestartPreventExitStatus=2


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line naming the option, not usage + error."""

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")


def positive_number(text: str) -> float:
    """An argparse type: a number above 0 (e.g. --speed 60)."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):  # also refuses nan
        raise argparse.ArgumentTypeError(f"must be a number above 0, e.g. 60; not {text!r}")
    return value


def add_config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="PATH", help="config file (default: $PSOAS_CONFIG, then "
                        "/etc/psoas-companion/config.toml, then ~/.config/psoas-companion/config.toml)")


def _demo(parser_factory) -> None:
    demo = parser_factory("demo", help="run the routine on a terminal screen; the keyboard is the button")
    add_config_option(demo)
    demo.add_argument("--routine", metavar="NAME", help="routine to run (default: the config's routine/default)")
    demo.add_argument("--speed", metavar="FACTOR", type=positive_number, default=1.0,
                      help="time runs this many times faster (60: a minute a second)")
    demo.add_argument("--state-dir", metavar="DIR", help="keep the demo night in this directory's journal "
                      "(without it the demo leaves no history)")
    demo.add_argument("--window", action="store_true",
                      help="draw in a desktop window (luma.emulator) instead of the terminal")
    demo.set_defaults(handler=_run_demo)


def _run_demo(args) -> int:
    from device.config import load_config
    from device.demo import run_demo

    config = load_config(args.config)
    state_dir = Path(args.state_dir).expanduser() if args.state_dir else None
    return run_demo(config, args.routine or config["routine"]["default"], args.speed, window=args.window,
                    state_dir=state_dir)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="psoas", description="A bedside companion for gentle psoas stretches in bed.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    commands.required = True
    _demo(commands.add_parser)
    for register in _registrars():
        register(commands)
    return parser


def _registrars():
    """Subcommands defined in other modules (`register(subparsers)` functions)."""
    from device import doctor, preview_cli, stats_cli
    from device import routines_cli
    from device import run as run_cmd
    from device import config_cli
    from device import install

    return [preview_cli.register, doctor.register, stats_cli.register, routines_cli.register,
            run_cmd.register, config_cli.register, install.register]


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except PsoasError as exc:
        for line in str(exc).splitlines() or [type(exc).__name__]:
            print(f"psoas {args.command}: {line}", file=sys.stderr)
        from device.config import ConfigError

        return EXIT_USAGE if isinstance(exc, ConfigError) else EXIT_FAILURE
    except KeyboardInterrupt:
        return 0
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
