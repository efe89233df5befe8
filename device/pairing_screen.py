"""The pairing screen: the daemon's side of pairing a phone, the "Pair a phone" entry and its card.

A hold in the dark opens the menu that offers the routines; `PAIR_ENTRY` is offered after
them. Choosing it makes a fresh one-time code (`device.pairing.code`) and shows, for
`CODE_SECONDS`, the address to open and the code; while it `showing`, `psoas run` keeps the
panel at night contrast whatever the hour. Any gesture closes it (the code is then
withdrawn), and so does the phone using the code (the `paired` control word). All methods run
on the daemon's loop thread.
"""

from __future__ import annotations

import dataclasses
import logging
import socket
from collections.abc import Callable
from pathlib import Path

from device.control import PAIRED, ControlMessage
from device.daemon import Hooks
from device.pairing import code as pairing
from routines import wording
from routines.events import Event
from routines.state import Phase, State

log = logging.getLogger("psoas.pairing")

PAIR_ENTRY = "Pair a phone"


def page_address(host: str, port: int, hostname: Callable[[], str] = socket.gethostname) -> str:
    """What to type on the phone: `<hostname>.local:<port>` (or the configured host)."""
    name = host if host and host not in ("*", "0.0.0.0", "::") else f"{hostname()}.local"
    return f"{name}:{port}"


class PairingScreen:
    """Shows the address and code while a pairing is open; `hooks` plugs it into the daemon.

    `monotonic()` is real seconds (the code's 2 minutes are real time).
    """

    def __init__(self, state_dir: Path, address: str, monotonic: Callable[[], float]):
        self.state_dir = state_dir
        self.address = address
        self.monotonic = monotonic
        self.code: str | None = None
        self.until = 0.0

    @property
    def hooks(self) -> Hooks:
        return Hooks(listeners=[self.on_event], decorators=[self.decorate], tasks=[self.task],
                     menu=[PAIR_ENTRY], messages=[self.on_message])

    @property
    def showing(self) -> bool:
        return self.code is not None

    def on_event(self, event: Event) -> None:
        if event.chosen == PAIR_ENTRY:
            try:
                self.code = pairing.new_code(self.state_dir)
            except OSError as error:
                log.warning("pairing: cannot write the code in %s (%s)", self.state_dir, error.strerror or error)
                return
            self.until = self.monotonic() + pairing.CODE_SECONDS
            log.info("pairing: a code is showing for %d s", pairing.CODE_SECONDS)

    def on_message(self, item) -> None:
        if isinstance(item, ControlMessage) and item.word == PAIRED and self.showing:
            log.info("pairing: a phone used the code")
            self.code = None  # the web page has used it up already

    def task(self) -> float | None:
        """Close the screen when the code expires; the real seconds until then."""
        if not self.showing:
            return None
        left = self.until - self.monotonic()
        if left <= 0:
            self.close()
            return None
        return left

    def close(self) -> None:
        if self.code is not None:
            self.code = None
            try:
                pairing.cancel(self.state_dir)
            except OSError:
                pass

    def decorate(self, state: State) -> State:
        """In the dark while a code is open: the pairing card instead of the dark screen."""
        if not self.showing:
            return state
        if state.phase is not Phase.DARK:  # a gesture woke something else: withdraw the code
            self.close()
            return state
        code = f"{self.code[:3]} {self.code[3:]}"
        return dataclasses.replace(
            state, phase=Phase.INFO, title=PAIR_ENTRY, lines=(f"Open {self.address}", f"Code {code}"),
            hint_press=wording.HINT_CLOSE, hint_hold="", awaits_press=False)
