"""`psoas preview`: see every screen without hardware, as PNGs or a time-lapse GIF.

The GIF's file name must end in `.gif` (any case): a name such as `x.png` or `out` is a usage
error (exit 2) rather than a GIF under a name that says otherwise. Only a new or regular file
is written (`routines.loading.files.not_a_file`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from PIL import Image

import display
from device import assemble
from device.cli import add_config_option
from device.config.checks import check_routine_names, routine_argument
from device.config.load import load_config
from device.errors import PreviewError
from display.preview import write_gallery
from routines.loading.files import not_a_file, shown
from routines.model import Routine
from routines.state import Phase
from routines.walk import walk
from routines.wording import counted

GIF_SCALE = 2  # the GIF is drawn at twice the panel's size, pixel for pixel
GIF_FRAME_MS = 80  # each GIF frame shows this long: half a second of routine time
HOLD_KEEP_SECONDS = (12.0, 4.0)  # of a long hold, keep the first and last seconds only
GIF_SUFFIX = ".gif"


def gif_name(text: str) -> str:
    """An argparse type: a file name ending in .gif (any case)."""
    if not text.lower().endswith(GIF_SUFFIX):
        example = (Path(text).stem or "routine") + GIF_SUFFIX
        raise argparse.ArgumentTypeError(f"{text!r} does not end in {GIF_SUFFIX}; the file is a GIF, "
                                         f"so name it like one, e.g. {example!r}")
    return text


def add_arguments(parser) -> None:
    """`psoas preview [--out DIR] [--gif FILE] [--routine NAME] [--config PATH]`."""
    add_config_option(parser)
    parser.add_argument("--out", metavar="DIR", help="write each screen as a 1-bit PNG plus a 4x copy")
    parser.add_argument("--gif", metavar="FILE", type=gif_name,
                        help="write a time-lapse GIF of a whole routine to FILE, a name ending in .gif "
                             "(any other name is refused); only a new or regular file is replaced")
    parser.add_argument("--routine", metavar="NAME", help="routine for --gif (default: the config's)")


def run(args: argparse.Namespace) -> int:
    if not args.out and not args.gif:
        raise PreviewError("nothing to do: give --out DIR and/or --gif FILE")
    config = load_config(args.config)
    routine = catalog = None
    if args.gif:  # a wrong routine name fails before anything is written, as for `run` and `demo`
        catalog = assemble.catalog(config)
        check_routine_names(config, catalog)
        routine = (routine_argument(catalog, args.routine, "--routine") if args.routine
                   else catalog.routine(config.routine.default))
    if args.out:
        try:
            written = write_gallery(Path(args.out))
        except OSError as exc:
            raise PreviewError(f"{shown(args.out)}: cannot write the gallery: {exc.strerror or exc}") from None
        print(f"preview: wrote {counted(len(written), 'file')} to {shown(args.out)}")
    if args.gif:
        count = write_gif(config, catalog, routine, Path(args.gif))
        print(f"preview: wrote {shown(args.gif)} ({counted(count, 'frame')})")
    return 0


def write_gif(config, catalog, routine: Routine, path: Path) -> int:
    """Render `routine` from bedtime prompt to dark as a GIF; return the frame count."""
    refusal = not_a_file(path)
    if refusal:
        raise PreviewError(f"--gif {shown(path)}: {refusal}")
    frames, last = [], None
    for _, state in walk(routine, catalog.cards, assemble.engine_settings(config), frame_seconds=0.5):
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
                       loop=0, optimize=True)
    except OSError as exc:
        raise PreviewError(f"{shown(path)}: cannot write the GIF: {exc.strerror or exc}") from None
    return len(frames)


def _in_long_middle(state) -> bool:
    first, last = HOLD_KEEP_SECONDS
    held = state.total_seconds - state.remaining_seconds
    return held > first and state.remaining_seconds > last
