"""Small pieces shared by the screens: short texts (time left, side, step), hint line,
progress bar, page dots, pacer.

Everything is drawn as outlines or thin lines on black, so a screen stays dim.
"""

from __future__ import annotations

import math

from display import fonts
from display.canvas import LIT, Canvas, PanelClass
from display.layout import line_height, text_width
from routines.state import Breath, ButtonFeedback, Side, State

PACER_LEVELS = 8  # distinct pacer sizes per inhale or exhale


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


def hint_texts(state: State) -> list[str]:
    """Ways to say what a press and a hold do here, longest first; [] for no hint.

    While the button is held past the hold time: what releasing will do instead.
    """
    if state.button_feedback is ButtonFeedback.HOLD:
        return [f"release: {state.hint_hold}" if state.hint_hold else "keep holding to stop"]
    press, hold = state.hint_press, state.hint_hold
    if press and hold:
        return [f"press: {press} · hold: {hold}", f"press {press} · hold {hold}",
                f"{press} · hold: {hold}", f"{press} · hold {hold}"]
    if press:
        return [f"press: {press}"]
    return [f"hold: {hold}"] if hold else []


def draw_hint(canvas: Canvas, state: State) -> None:
    """Claim the bottom rows for the hint line (nothing when there is no hint).

    The first of `hint_texts` that fits is drawn; compact panels always take the shortest
    (their 32 rows light up fast, and the text above needs the light). While the button is
    held past the hold time the line turns bold and says what releasing will do.
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
    fitting = [text for text in texts if text_width(text, font) <= canvas.inner_width]
    text = fitting[0] if fitting else texts[-1]
    canvas.text(canvas.width // 2, y, text, font, align="center", what="hint")


def draw_long_hint(canvas: Canvas, state: State) -> None:
    """Above the hint line: what a long hold does here ("long hold: not today"), when it is not
    "stop" and the panel has the rows; compact panels leave it to the release warning."""
    if not state.hint_long or canvas.style.kind is PanelClass.COMPACT:
        return
    font = canvas.style.hint
    y = canvas.take_bottom(line_height(font))
    canvas.text(canvas.width // 2, y, f"long hold: {state.hint_long}", font, align="center", what="hint")


def draw_progress_bar(canvas: Canvas, y: int, fraction: float) -> None:
    """A bar across the screen at row `y`, filled to `fraction` by a thin middle line.

    The outline is dotted (every other pixel) with solid ends: it reads as a frame but
    lights half the pixels of a solid one. A one-row bar (compact panels) is a track
    dotted every fourth pixel that fills in to every other pixel.
    """
    rows = canvas.style.bar_rows
    left, right, bottom = canvas.left, canvas.right - 1, y + rows - 1
    middle = y + rows // 2
    if rows < 3:
        filled = round((right - left) * min(1.0, max(0.0, fraction)))
        done = range(left, left + filled + 1, 2)
        to_do = range(done[-1] + 4, right, 4)
        canvas.draw.point([(x, middle) for x in (*done, *to_do, right)], fill=LIT)
        return
    canvas.draw.point([(x, row) for x in range(left + 2, right - 1, 2) for row in (y, bottom)], fill=LIT)
    canvas.draw.line((left, y + 1, left, bottom - 1), fill=LIT)
    canvas.draw.line((right, y + 1, right, bottom - 1), fill=LIT)
    filled = round((right - left - 3) * min(1.0, max(0.0, fraction)))
    if filled > 0:
        canvas.draw.line((left + 2, middle, left + 1 + filled, middle), fill=LIT)


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


def draw_pause_icon(canvas: Canvas, cx: int, cy: int, radius: int) -> None:
    """Two outlined bars, the usual pause sign, within `radius` of (cx, cy)."""
    bar = max(2, radius // 3)
    for left in (cx - bar - bar // 2 - 1, cx + bar // 2 + 1):
        canvas.draw.rectangle((left, cy - radius + 1, left + bar, cy + radius - 1), outline=LIT)
