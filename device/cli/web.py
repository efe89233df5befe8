"""`psoas web`: serve the phone page on the home network; `--forget-all` signs every phone out.

    psoas web [--config PATH] [--state-dir DIR] [--host ADDRESS] [--port N]
    psoas web --forget-all

Serves `device.web.app` with waitress (4 threads) on `[web] host` / `port` (every interface,
port 8080, unless told). It reads and writes only the state dir (settings, own routines, paired
phones, backups) and never opens the panel, the pins or the bus: the daemon owns the hardware.
Installed as its own unit by `sudo psoas install --web`.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from device.cli import add_path_options
from device.config import paths
from device.config.load import load_config
from device.config.schema import WebSettings, kind_of
from device.errors import HardwareError
from device.web.app import Site, create_app
from device.web.phones import Phones

log = logging.getLogger("psoas.web")
THREADS = 4
PORT = kind_of("web", "port")  # the config's own range


def _port(text: str) -> int:
    try:
        return PORT.parse(int(text))
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"must be a port from {PORT.low} to {PORT.high}, e.g. {WebSettings.port}; "
                                         f"not {text!r}") from error


def register(subparsers) -> None:
    parser = subparsers.add_parser("web", help="serve the phone page (settings, progress, backups) on the home network")
    add_path_options(parser)
    parser.add_argument("--host", metavar="ADDRESS", help='address to listen on (default: [web] host; "" = all)')
    parser.add_argument("--port", metavar="N", type=_port, help="port (default: [web] port, 8080)")
    parser.add_argument("--forget-all", action="store_true", help="sign every paired phone out, then exit")
    parser.set_defaults(handler=run_web)


def listen_address(host: str, port: int) -> str:
    """waitress's `listen`: every interface (IPv4 and IPv6) for "", else the host given."""
    if not host or host == "*":
        return f"*:{port}"
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def run_web(args, out=sys.stdout) -> int:
    config = load_config(args.config)
    state_dir = paths.state_dir(args, config)
    if args.forget_all:
        count = Phones(state_dir).forget_all()
        print(f"psoas web: forgot {count} phone{'s' if count != 1 else ''}; pair again on the device", file=out)
        return 0
    _make_state_dir(state_dir)
    import waitress  # noqa: PLC0415 - the server only where it serves

    host = config.web.host if args.host is None else args.host
    port = args.port or config.web.port
    app = create_app(Site(args.config, state_dir))
    log.info("phone page for %s on port %d (state in %s)", host or "every interface", port, state_dir)
    try:
        waitress.serve(app, listen=listen_address(host, port), threads=THREADS, ident="psoas",
                       clear_untrusted_proxy_headers=True, max_request_body_size=app.config["MAX_CONTENT_LENGTH"])
    except OSError as error:
        raise HardwareError(f"cannot listen on {listen_address(host, port)} ({error.strerror or error}); "
                            "choose another port with --port or [web] port") from None
    return 0


def _make_state_dir(state_dir: Path) -> None:
    try:
        state_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise HardwareError(f"state dir {state_dir}: cannot create it ({error.strerror or error}); "
                            "pass --state-dir DIR") from None
