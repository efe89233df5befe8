"""Write every sample screen as PNG files, to see the screens without hardware."""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

from PIL import Image

from display.render import PANEL_SIZES, render
from display.samples import sample_states
from routines.state import State

GALLERY_SIZES = PANEL_SIZES
ENLARGEMENT = 4  # the enlarged copy is this many times the real size


def gallery_name(name: str, size: tuple[int, int], enlarged: bool = False) -> str:
    """File name of one gallery image, e.g. "hold-128x64.png" or "hold-128x64@4x.png"."""
    suffix = f"@{ENLARGEMENT}x" if enlarged else ""
    return f"{name}-{size[0]}x{size[1]}{suffix}.png"


def write_gallery(out_dir: Path | str, sizes: Iterable[tuple[int, int]] = GALLERY_SIZES) -> list[Path]:
    """Write each sample state at each size in `sizes` (width, height pixels) into
    `out_dir` (created if missing): a 1-bit PNG at real size and an enlarged copy.

    Returns the paths written. OSError propagates for the caller to report.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for size in sizes:
        for name, state in sample_states().items():
            image = render(state, size)
            big = image.resize((size[0] * ENLARGEMENT, size[1] * ENLARGEMENT), Image.NEAREST)
            for picture, enlarged in ((image, False), (big, True)):
                path = out / gallery_name(name, size, enlarged)
                picture.save(path)
                written.append(path)
    return written


def screen_text(state: State) -> str:
    """What a screen says, in one line, for a reader that cannot see the picture."""
    words = [state.title or state.routine_title, *state.lines, state.cue]
    return " · ".join(word for word in words if word) or state.phase.value


def png_bytes(image: Image.Image) -> bytes:
    """`image` as the bytes of a PNG file (a 1-bit 128×64 frame is a few hundred bytes)."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
