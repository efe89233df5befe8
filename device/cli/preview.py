"""`psoas preview`: see every screen without hardware, as PNGs or a time-lapse GIF."""

from __future__ import annotations

import argparse
import os
import stat
from pathlib import Path

from PIL import Image

import display
from device import app
from device.cli import add_config_option
from device.config.load import load_config
from device.errors import PreviewError
from display.preview import write_gallery
from routines.loading import files
from routines.loading.files import shown
from routines.state import Phase
from routines.walk import walk
from routines.wording import counted

GIF_SCALE = 2  # the GIF is drawn at twice the panel's size, pixel for pixel
GIF_FRAME_MS = 80  # each GIF frame shows this long: half a second of routine time
HOLD_KEEP_SECONDS = (12.0, 4.0)  # of a long hold, keep the first and last seconds only




def register(subparsers) -> None:

    parser = subparsers.add_parser("preview", help="write every screen as PNG, or a routine as a GIF")
    add_config_option(parser)
    parser.add_argument("--out", metavar="DIR", help="write each screen as a 1-bit PNG plus a 4x copy")
    parser.add_argument("--gif", metavar="FILE", help="write a time-lapse GIF of a whole routine")
    parser.add_argument("--routine", metavar="NAME", help="routine for --gif (default: the config's)")
    parser.set_defaults(handler=main)


def main(args: argparse.Namespace) -> int:

    if not args.out and not args.gif:
        raise PreviewError("nothing to do: give --out DIR and/or --gif FILE")
    config = load_config(args.config)
    if args.out:

        try:
            written = write_gallery(Path(args.out))
        except OSError as exc:
            raise PreviewError(f"{shown(args.out)}: cannot write the gallery: {exc.strerror or exc}") from None
        print(f"preview: wrote {counted(len(written), 'file')} to {shown(args.out)}")
    if args.gif:
        count = write_gif(config, args.routine or config.routine.default, Path(args.gif))
        print(f"preview: wrote {shown(args.gif)} ({counted(count, 'frame')})")
    return 0


def write_gif(config, routine_name: str, path: Path) -> int:
    """Render `routine_name` from bedtime prompt to dark as a GIF; return the frame count."""
    refusal = _not_writable_here(path)
    if refusal:
        raise PreviewError(f"{shown(path)}: {refusal}")

    catalog = app.catalog(config)
    routine = catalog.routine(routine_name)
    frames, last = [], None
    for _, state in walk(routine, catalog.cards, app.engine_settings(config), frame_seconds=0.5):
        if state.phase is Phase.HOLD and _in_long_middle(state):
            continue
        image = display.render(state)
        if last is not None and image.tobytes() == last.tobytes():
            continue
        frames.append(image.resize((image.width * GIF_SCALE, image.height * GIF_SCALE), Image.NEAREST))
        last = image
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        frames[0].save(path, format="GIF", save_all=True, append_images=frames[1:], duration=GIF_FRAME_MS,
                       loop=0, optimize=True)  # a GIF whatever the name ends in
    except OSError as exc:
        raise PreviewError(f"{shown(path)}: cannot write the GIF: {exc.strerror or exc}") from None
    return len(frames)


def _not_writable_here(path: Path) -> str | None:
    """Why the GIF cannot be written at `path` (a directory, a FIFO that would block), or None."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # missing (it will be created) or unreachable (the write says why)
    if stat.S_ISDIR(mode):
        return f"is a directory; give a file name, e.g. {shown(path / 'routine.gif')}"
    if not stat.S_ISREG(mode):
        return f"is {files.kind(mode)}, not a file; choose another file name"
    return None


def _in_long_middle(state) -> bool:
    first, last = HOLD_KEEP_SECONDS
    held = state.total_seconds - state.remaining_seconds
    return held > first and state.remaining_seconds > last
