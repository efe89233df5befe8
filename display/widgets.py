"""Small pieces shared by the screens: short texts (time left, side, step), hint line,
progress bar, page dots, pacer.

Everything is drawn as outlines or thin lines on black, so a screen stays dim.
"""

from __future__ import annotations

import functools
import math

from display import fonts
from display.canvas import LIT, Canvas, PanelClass
from display.layout import line_height, text_width
from routines.outcomes import Side
from routines.state import Breath, ButtonFeedback, State

PACER_LEVELS = 8  # distinct pacer sizes per inhale or exhale
HINT_GAP = 8  # the least room between the press and the hold part of the hint line, in pixels


def format_remaining(seconds: float) -> str:
    """Whole seconds left, rounded up: "M:SS" from one minute on, else "SS" (e.g. "9")."""
    whole = max(0, math.ceil(seconds - 1e-9))
    return f"{whole // 60}:{whole % 60:02d}" if whole >= 60 else str(whole)


def side_text(side: Side | None) -> str:
    """"LEFT", "RIGHT", "BOTH" or "" for no side."""
    return side.value.upper() if side is not None else ""


def step_text(state: State) -> str:
    """"2/4" for step 2 of 4, or "" when the step is unknown."""
    return f"{state.step_number}/{state.step_count}" if state.step_count else ""


def hint_texts(state: State) -> list[tuple[str, str]]:
    """Ways to say what a press and a hold do here, longest first, each as (press part,
    hold part) ("" for a part there is none of); [] for no hint.

    While the button is held past the hold time: what releasing will do instead.
    """
    if state.button_feedback is ButtonFeedback.HOLD:
        return [(f"release: {state.hint_hold}" if state.hint_hold else "keep holding to stop", "")]
    press, hold = state.hint_press, state.hint_hold
    if press and hold:
        return [(f"press: {press}", f"hold: {hold}"), (f"press {press}", f"hold {hold}"),
                (press, f"hold: {hold}"), (press, f"hold {hold}")]
    if press:
        return [(f"press: {press}", "")]
    return [("", f"hold: {hold}")] if hold else []


def draw_hint(canvas: Canvas, state: State) -> None:
    """Claim the bottom rows for the hint line (nothing when there is no hint).

    With both parts, the press part starts at the left edge and the hold part ends at the
    right edge, so when one changes ("pause" → "resume") the other stays where it was; a
    part alone is centred. The first of `hint_texts` that fits with HINT_GAP pixels between
    its parts is drawn; compact panels always take the shortest (their 32 rows light up
    fast, and the text above needs the light). While the button is held past the hold time
    the line turns bold and says what releasing will do.
    """
    texts = hint_texts(state)
    if not texts:
        return
    font = canvas.style.hint
    y = canvas.take_bottom(line_height(font))
    if state.button_feedback is ButtonFeedback.HOLD:
        font = fonts.bold(font.size)
    if canvas.style.kind is PanelClass.COMPACT:
        texts = texts[-1:]
    fitting = [(press, hold) for press, hold in texts
               if text_width(press, font) + text_width(hold, font) + HINT_GAP <= canvas.inner_width]
    press, hold = fitting[0] if fitting else texts[-1]
    if press and hold:
        room = canvas.inner_width - HINT_GAP
        hold_width = canvas.text(canvas.right, y, hold, font, align="right", what="hint",
                                 max_width=max(room // 2, room - text_width(press, font)))
        canvas.text(canvas.left, y, press, font, what="hint", max_width=room - hold_width)
    else:
        canvas.text(canvas.width // 2, y, press or hold, font, align="center", what="hint")


def draw_long_hint(canvas: Canvas, state: State) -> None:
    """Above the hint line: what a long hold does here ("long hold: not today"), when it is not
    "stop" and the panel has the rows; compact panels leave it to the release warning."""
    if not state.hint_long or canvas.style.kind is PanelClass.COMPACT:
        return
    font = canvas.style.hint
    y = canvas.take_bottom(line_height(font))
    canvas.text(canvas.width // 2, y, f"long hold: {state.hint_long}", font, align="center", what="hint")


def draw_progress_bar(canvas: Canvas, y: int, fraction: float) -> None:
    """A track across the screen at row `y`, filled to `fraction`: a dotted line in its middle
    row, every fourth pixel still to go and every other pixel done, between end caps as tall
    as the bar (`bar_rows`).

    Full, it lights about a sixth of a solid line: the frame keeps its light for the countdown.
    """
    rows = canvas.style.bar_rows
    canvas.draw.point([(x, y + rows // 2) for x in _track(canvas, fraction)], fill=LIT)
    if rows > 1:
        for x in (canvas.left, canvas.right - 1):
            canvas.draw.line((x, y, x, y + rows - 1), fill=LIT)


def progress_bar_growth(canvas: Canvas, fraction: float) -> int:
    """How many more pixels the progress bar lights full than at `fraction`."""
    return len(_track(canvas, 1.0)) - len(_track(canvas, fraction))


def _track(canvas: Canvas, fraction: float) -> list[int]:
    """The columns of the progress bar's dotted middle row at `fraction`, each once."""
    left, right = canvas.left, canvas.right - 1
    filled = round((right - left) * min(1.0, max(0.0, fraction)))
    done = range(left, left + filled + 1, 2)
    return sorted({*done, *range(done[-1] + 4, right, 4), right})


def dots_extent(canvas: Canvas, count: int, gap: int = 2) -> int:
    """Length in pixels of a line of `count` page dots `gap` pixels apart."""
    size = dot_size(canvas)
    return count * size + (count - 1) * gap if count > 0 else 0


def draw_dots(canvas: Canvas, x: int, y: int, count: int, index: int, *, vertical: bool,
              gap: int = 2) -> None:
    """`count` page dots, `gap` pixels apart, from (x, y) downwards (`vertical`) or rightwards.

    The current one (`index`, 0-based) is filled; the others are outlines.
    """
    size = dot_size(canvas)
    for dot in range(count):
        along = dot * (size + gap)
        left, top = (x, y + along) if vertical else (x + along, y)
        box = (left, top, left + size - 1, top + size - 1)
        canvas.draw.ellipse(box, outline=LIT, fill=LIT if dot == index else 0)


def dot_size(canvas: Canvas) -> int:
    """Diameter of one page dot, in pixels."""
    return {PanelClass.COMPACT: 3, PanelClass.REGULAR: 4, PanelClass.TALL: 6}[canvas.style.kind]


def pacer_radius(breath: Breath, smallest: int, largest: int) -> int:
    """Radius in pixels of the breathing pacer: grows on the inhale, shrinks on the exhale.

    The size is quantised to at most PACER_LEVELS steps per inhale or exhale, so with a
    breath of at least one second the picture changes at most 8 times a second.
    """
    levels = min(PACER_LEVELS, largest - smallest + 1)
    grown = breath.fraction if breath.inhaling else 1.0 - breath.fraction
    step = round(min(1.0, max(0.0, grown)) * (levels - 1))
    return smallest + round(step * (largest - smallest) / max(1, levels - 1))


def draw_pacer(canvas: Canvas, cx: int, cy: int, breath: Breath, largest: int) -> None:
    """The breathing pacer at centre (cx, cy): a circle outline around a centre dot,
    at most `largest` pixels in radius."""
    smallest = min(canvas.style.pacer_radius[0], largest)
    radius = pacer_radius(breath, smallest, largest)
    canvas.draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=LIT)
    canvas.draw.point((cx, cy), fill=LIT)


@functools.cache
def brightest_icon_pixels(radius: int) -> int:
    """Pixels lit by the brighter of the two icons of a timed screen at `radius`: the pacer at
    its largest, or the pause sign."""
    lit = []
    for draw in (lambda c: draw_pacer(c, radius + 1, radius + 1, Breath(True, 1.0), radius),
                 lambda c: draw_pause_icon(c, radius + 1, radius + 1, radius)):
        canvas = Canvas((2 * radius + 3, 2 * radius + 3), "icon")
        draw(canvas)
        lit.append(canvas.lit_pixels())
    return max(lit)


def draw_pause_icon(canvas: Canvas, cx: int, cy: int, radius: int) -> None:
    """Two thin bars, the usual pause sign, within `radius` of (cx, cy): lines like the pacer's
    circle, so it lights no more than the pacer at its largest."""
    gap = max(2, radius // 3)
    for x in (cx - gap, cx + gap):
        canvas.draw.line((x, cy - radius + 1, x, cy + radius - 1), fill=LIT)
