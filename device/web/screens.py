"""The Routines page's pictures: each screen of a routine as the device draws it, as PNG.

`routines.walk.screens` walks the routine through the engine (a few milliseconds on a PC, ten
times that on a Pi Zero), `display.render` draws each screen at the panel's size. The screens
of each (routine, timings) are kept once walked, `KEEP` at most, so the Routines page and its
pictures do not walk them again; a routine file that changes is a new routine.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import display
from display.preview import png_bytes
from routines.engine import EngineSettings
from routines.loading.loader import Cards
from routines.model import Routine
from routines.state import State
from routines.walk import screens

KEEP = 16  # routines whose screens are kept

_kept: OrderedDict[tuple, list[State]] = OrderedDict()
_lock = threading.Lock()  # waitress serves on several threads


def routine_screens(routine: Routine, cards: Cards, settings: EngineSettings) -> list[State]:
    """The screens a person meets in `routine`, in order (kept once made)."""
    key = (routine, settings)
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
    shown = screens(routine, cards, settings)
    with _lock:
        _kept[key] = shown
        while len(_kept) > KEEP:
            _kept.popitem(last=False)
    return shown


def screen_png(state: State, size: tuple[int, int]) -> bytes:
    """One screen as the panel of `size` (width, height in pixels) shows it, as PNG bytes."""
    return png_bytes(display.render(state, size))


def alt_text(state: State) -> str:
    """What the screen says, for a reader that cannot see the picture."""
    words = [state.title or state.routine_title, *state.lines, state.cue]
    return " · ".join(word for word in words if word) or state.phase.value
