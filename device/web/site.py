"""What every page reads and writes: the config file, the state dir, the paired phones, the clocks.

`create_app` keeps one `Site` in the Flask app; a page finds it with `current_site()` (only
inside a request, on the waitress thread serving it).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from flask import current_app

from device import control
from device.config import phone_settings
from device.config.load import Config, load_config
from device.config.paths import runtime_dir
from device.errors import ConfigError, JournalUnreadableError
from device.journal.reader import History, read_history
from device.live.link import LiveLink
from device.pairing.code import TryDelay
from device.web import security
from device.web.phones import Phones

log = logging.getLogger("psoas.web")
EXTENSION = "psoas_site"  # the key of the Site in `app.extensions`


@dataclass
class Site:
    """What the pages read and write: the config file, the state dir, the clocks."""

    config_path: str | None
    state_dir: Path
    now: Callable[[], float] = time.time  # wall-clock seconds: the pairing code's expiry
    local_now: Callable[[], datetime] = lambda: datetime.now().astimezone()  # noqa: E731
    notify: Callable[[Path, str], bool] = control.send
    runtime: Path | None = None  # the daemon's runtime folder (default `runtime_dir()`)
    host_names: frozenset[str] | None = None  # the names it answers to; default: `security.allowed_hosts`
    phones: Phones = field(init=False)
    try_delay: TryDelay = field(init=False)  # pairing: each client's wait after a wrong code
    live: LiveLink = field(init=False)

    def __post_init__(self) -> None:
        self.state_dir = Path(self.state_dir)
        self.runtime = Path(self.runtime) if self.runtime is not None else runtime_dir()
        self.phones = Phones(self.state_dir)
        self.live = LiveLink(self.state_dir, self.runtime, lambda state_dir, word: self.notify(state_dir, word))
        self.try_delay = TryDelay(self.now)
        if self.host_names is None:
            try:
                configured = self.base_config().web.host
            except ConfigError:
                configured = ""  # the pages say what is wrong with the file
            self.host_names = security.allowed_hosts(configured)

    def base_config(self) -> Config:
        """The config file over the defaults, without the phone's settings (raises ConfigError)."""
        return load_config(self.config_path)

    def config(self) -> Config:
        return phone_settings.with_phone(self.base_config(), self.state_dir)

    def tell_daemon(self, word: str = control.SETTINGS) -> bool:
        """Tell the daemon through its control socket; False when no daemon is listening."""
        if self.notify(self.state_dir, word):
            return True
        log.info("no daemon is listening; it reads the change when it starts")
        return False

    def history(self) -> tuple[History, str]:
        """The journal's nights and mornings, and "" or why the journal cannot be read."""
        try:
            return read_history(self.state_dir), ""
        except JournalUnreadableError as error:
            return History(), str(error)


def current_site() -> Site:
    """The Site of the app serving this request."""
    return current_app.extensions[EXTENSION]
