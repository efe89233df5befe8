"""`psoas web`: serve the phone page on the home network; `--forget-all` signs every phone out.

    psoas web [--config PATH] [--state-dir DIR] [--host ADDRESS] [--port N]
    psoas web --forget-all

Serves `device.web.app` with waitress (4 threads) on `[web] host` / `port` (every interface,
port 8080, unless told). It reads and writes only the state dir (settings, own routines, paired
phones, backups) and never opens the panel, the pins or the bus: the daemon owns the hardware.
Installed as its own unit by `sudo psoas install --web`.

A host that is not an address or host name at all is refused before anything starts
(`--host`: a usage error; `[web] host`: a config error; both exit 2). Where it cannot listen
(an address this device does not have, a name with no address, a port in use) is one line
naming `--host` / `--port` or the config line, and exit 1: the unit tries again, as the
network may come up later.
"""

from __future__ import annotations

import argparse
import errno
import logging
import sys

from device.cli import add_path_options
from device.config import paths
from device.config.load import Config, load_config
from device.config.schema import Host, WebSettings, kind_of
from device.errors import ListenError
from device.web.app import Site, create_app
from device.web.phones import Phones
from routines.loading.files import shown
from routines.wording import counted

log = logging.getLogger("psoas.web")
THREADS = 4
PORT = kind_of("web", "port")  # the config's own range


def _port(text: str) -> int:
    try:
        return PORT.parse(int(text))
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"must be a port from {PORT.low} to {PORT.high}, e.g. {WebSettings.port}; "
                                         f"not {text!r}") from error


def _host(text: str) -> str:
    try:
        return Host().parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_arguments(parser) -> None:
    """`psoas web [--host ADDRESS] [--port N] [--forget-all] [--config PATH] [--state-dir DIR]`."""
    parser.description = ("Serve the phone page (settings, progress, backups) on the home network until "
                          "stopped; pair a phone from the device's menu first. --forget-all signs every "
                          "paired phone out instead.")
    add_path_options(parser)
    parser.add_argument("--host", metavar="ADDRESS", type=_host,
                        help='an IP address or host name of this device to listen on '
                             '(default: [web] host; "" = every interface)')
    parser.add_argument("--port", metavar="N", type=_port, help="port (default: [web] port, 8080)")
    parser.add_argument("--forget-all", action="store_true", help="sign every paired phone out, then exit")


def listen_address(host: str, port: int) -> str:
    """waitress's `listen`: every interface (IPv4 and IPv6) for "", else the host given."""
    if not host or host == "*":
        return f"*:{port}"
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def run(args, out=None) -> int:
    out = out or sys.stdout  # looked up now: a caller may have redirected it
    config = load_config(args.config)
    state_dir = paths.state_dir(args, config)
    if args.forget_all:
        count = Phones(state_dir).forget_all()
        print(f"psoas web: forgot {counted(count, 'phone')}; pair again on the device", file=out)
        return 0
    paths.make_state_dir(state_dir)
    import waitress  # noqa: PLC0415 - the server only where it serves

    host = config.web.host if args.host is None else args.host
    port = args.port or config.web.port
    app = create_app(Site(args.config, state_dir))
    log.info("phone page for %s on port %d (state in %s)", host or "every interface", port, state_dir)
    try:  # binds at once: only where it listens can fail here
        server = waitress.create_server(
            app, listen=listen_address(host, port), threads=THREADS, ident="psoas",
            clear_untrusted_proxy_headers=True, max_request_body_size=app.config["MAX_CONTENT_LENGTH"])
    except (OSError, ValueError) as error:  # waitress: ValueError for a name with no address
        raise ListenError(cannot_listen(error, host, port, args, config)) from None
    server.print_listen("Serving on http://{}:{}")
    server.run()
    return 0


def cannot_listen(error: Exception, host: str, port: int, args, config: Config) -> str:
    """One line: why the page cannot listen on `host`:`port`, naming the option or config line
    that set the part that is wrong, and the fix."""
    code = getattr(error, "errno", None)
    if isinstance(error, ValueError) or code == errno.EADDRNOTAVAIL:
        what = ("has no address this device can find" if isinstance(error, ValueError)
                else "is not an address of this device")
        return _named(args, config, "host", host, f"{what}; give one of its addresses (see `hostname -I`), "
                                                  'its host name, or "" for every interface')
    if code == errno.EADDRINUSE:
        return _named(args, config, "port", port, "another program already listens on this port; "
                                                  "choose another port")
    if code in (errno.EACCES, errno.EPERM) and port < 1024:
        return _named(args, config, "port", port, "ports below 1024 need root; choose 1024 or above, e.g. 8080")
    return (f"cannot listen on {shown(listen_address(host, port))} ({getattr(error, 'strerror', None) or error}); "
            "check --host and --port, or [web] host and port")


def _named(args, config: Config, key: str, value, message: str) -> str:
    """`message` about `value`, prefixed with where it was set: `--host X` or the config's line."""
    if getattr(args, key) is not None:
        return f"--{key} {shown(str(value))}: {message}"
    return config.problem("web", key, f"{shown(repr(value))} {message}" if key == "host" else f"{value}: {message}")

