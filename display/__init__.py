"""Pure renderers: a `routines.state.State` becomes a 1-bit Pillow image.

Nothing here reads a clock or touches hardware; `render(state, size)` is all a screen
needs. `overflows(state, size)` lists text that would not fit; `display.fit` runs it over
every text of a routine or of the cards, at every size in `PANEL_SIZES`.
"""

from display import fonts
from display.canvas import NIGHT_LIT_LIMIT, lit_fraction
from display.render import DEFAULT_SIZE, PANEL_SIZES, overflows, render

__all__ = ["DEFAULT_SIZE", "NIGHT_LIT_LIMIT", "PANEL_SIZES", "fonts", "lit_fraction", "overflows", "render"]
