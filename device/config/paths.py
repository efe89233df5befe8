"""Where psoas keeps things: the state dir, by a fixed lookup order.

The state dir (the journal, the bedtime memory) is, first found:
`--state-dir DIR`, `$PSOAS_STATE_DIR`, `$STATE_DIRECTORY` (set by systemd's `StateDirectory=`),
`[state] dir` in the config, then `$XDG_STATE_HOME/psoas-companion` (default
`~/.local/state/psoas-companion`).

Use: `state_dir(args, config)`, with `args` from a parser given `device.cli.add_path_options`.
"""

from __future__ import annotations

import os
from pathlib import Path

APP = "psoas-companion"


def state_dir_and_origin(args=None, config=None, environ=os.environ) -> tuple[Path, str]:
    """The state dir (not created) and where that choice came from, for messages."""
    given = getattr(args, "state_dir", None)
    if given:
        return Path(given).expanduser(), "--state-dir"
    if environ.get("PSOAS_STATE_DIR"):
        return Path(environ["PSOAS_STATE_DIR"]).expanduser(), "$PSOAS_STATE_DIR"
    if environ.get("STATE_DIRECTORY"):  # systemd may list several, separated by ':'
        return Path(environ["STATE_DIRECTORY"].split(":")[0]), "$STATE_DIRECTORY (systemd)"
    configured = config.state.dir if config is not None else ""
    if configured:
        return Path(configured).expanduser(), f"[state] dir in {config.origins.get(('state', 'dir'))}"
    base = environ.get("XDG_STATE_HOME") or os.path.join(environ.get("HOME") or os.path.expanduser("~"),
                                                         ".local", "state")
    return Path(base) / APP, "default"


def state_dir(args=None, config=None, environ=os.environ) -> Path:
    """The state dir by the lookup order above (not created)."""
    return state_dir_and_origin(args, config, environ)[0]
