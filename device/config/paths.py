"""Where psoas keeps things: the state dir, by a fixed lookup order.

The state dir (the journal, the bedtime memory) is, first found:
`--state-dir DIR`, `$PSOAS_STATE_DIR`, `$STATE_DIRECTORY` (set by systemd's `StateDirectory=`),
`[state] dir` in the config, then `$XDG_STATE_HOME/psoas-companion` (default
`~/.local/state/psoas-companion`).

The runtime folder (what the daemon shows the phone page now: a tmpfs, never the SD card) is
`$RUNTIME_DIRECTORY` (systemd's `RuntimeDirectory=`, /run/psoas-companion), else
`$XDG_RUNTIME_DIR/psoas-companion` (a login session), else `psoas-companion-UID` in /dev/shm
(Linux's own tmpfs), else in the temp folder: `runtime_dir()`.

Use: `state_dir(args, config)`, with `args` from a parser given `device.cli.add_path_options`;
`make_state_dir(path)` before writing there (`run`, `morning`, `web`), the one place that says
what is wrong with it.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path

from device.errors import ConfigError, HardwareError
from routines.loading.files import kind, shown

APP = "psoas-companion"
SHARED_MEMORY = Path("/dev/shm")  # a tmpfs on every Linux
UNIT_DIR = Path("/etc/systemd/system")  # where `psoas install` puts the units
WEB_UNIT = "psoas-companion-web.service"  # the phone page's unit, only with `install --web`


def expanded(path: str | os.PathLike) -> Path:
    """`path` with `~` and `~user` expanded; a `~name` with no such user (or no home) stays as
    written, so it ends as "not found" naming it, never as a traceback."""
    try:
        return Path(path).expanduser()
    except RuntimeError:  # "Could not determine home directory"
        return Path(path)


def state_dir_and_origin(args=None, config=None, environ=os.environ) -> tuple[Path, str]:
    """The state dir (not created) and where that choice came from, for messages."""
    given = getattr(args, "state_dir", None)
    if given:
        return expanded(given), "--state-dir"
    if environ.get("PSOAS_STATE_DIR"):
        return expanded(environ["PSOAS_STATE_DIR"]), "$PSOAS_STATE_DIR"
    if environ.get("STATE_DIRECTORY"):  # systemd may list several, separated by ':'
        return Path(environ["STATE_DIRECTORY"].split(":")[0]), "$STATE_DIRECTORY (systemd)"
    configured = config.state.dir if config is not None else ""
    if configured:
        return expanded(configured), f"[state] dir in {config.origins.get(('state', 'dir'))}"
    base = environ.get("XDG_STATE_HOME") or os.path.join(environ.get("HOME") or os.path.expanduser("~"),
                                                         ".local", "state")
    return Path(base) / APP, "default"


def state_dir(args=None, config=None, environ=os.environ) -> Path:
    """The state dir by the lookup order above (not created)."""
    return state_dir_and_origin(args, config, environ)[0]


def runtime_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """The runtime folder (not created), by the lookup order above."""
    if environ.get("RUNTIME_DIRECTORY"):  # systemd may list several, separated by ':'
        return Path(environ["RUNTIME_DIRECTORY"].split(":")[0])
    if environ.get("XDG_RUNTIME_DIR"):
        return Path(environ["XDG_RUNTIME_DIR"]) / APP
    base = SHARED_MEMORY if SHARED_MEMORY.is_dir() else Path(tempfile.gettempdir())
    return base / f"{APP}-{os.getuid()}"


def web_unit_installed(unit_dir: Path = UNIT_DIR) -> bool:
    """Whether the phone page's unit is installed (`psoas install --web`)."""
    return (unit_dir / WEB_UNIT).is_file()


STATE_DIR_FIX = "pass --state-dir DIR or set $PSOAS_STATE_DIR to a directory this user can write"


def make_state_dir(path: Path, mode: int = 0o700) -> None:
    """Create the state dir (and its parents) unless it is there; a new one gets `mode`.

    Raises `ConfigError` (exit 2) when something that is not a directory is in its place or a
    parent's, naming it; `HardwareError` (exit 1) when it cannot be made for another reason.
    """
    path = Path(path)
    try:
        path.mkdir(mode=mode, parents=True, exist_ok=True)
    except OSError as error:
        blocker = _not_a_directory(path)
        if blocker is not None:
            where, what = blocker
            place = "" if where == path else f"{shown(where)} "
            raise ConfigError(f"state dir {shown(path)}: {place}is not a directory (it is {what}); "
                              f"move it away, or {STATE_DIR_FIX}") from None
        raise HardwareError(f"state dir {shown(path)}: cannot create it ({error.strerror or error}); "
                            f"{STATE_DIR_FIX}") from None


def _not_a_directory(path: Path) -> tuple[Path, str] | None:
    """The nearest of `path` and its parents that is there, and what it is, if not a directory."""
    for place in (path, *path.parents):
        try:
            mode = os.stat(place).st_mode
        except (FileNotFoundError, NotADirectoryError):  # not there, or under a file: look higher
            continue
        except OSError:
            return None
        if stat.S_ISDIR(mode):
            return None
        return place, "a regular file" if stat.S_ISREG(mode) else kind(mode)
    return None
