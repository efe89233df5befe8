"""Pure renderers: a `routines.state.State` becomes a 1-bit Pillow image.

Nothing here reads a clock or touches hardware; `render(state, size)` is all a screen
needs. `overflows(state, size)` lists text that would not fit, `shown_texts(state, size)` the
texts drawn in full; `display.fit` runs them over every text of a routine or of the cards,
at every size in `PANEL_SIZES` and every turn.
"""

from display import fonts
from display.canvas import NIGHT_LIT_LIMIT, lit_fraction
from display.render import DEFAULT_SIZE, PANEL_SIZES, overflows, render, shown_texts

__all__ = ["DEFAULT_SIZE", "NIGHT_LIT_LIMIT", "PANEL_SIZES", "fonts", "lit_fraction", "overflows", "render",
           "shown_texts"]
