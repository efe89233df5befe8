"""TerminalDisplay: half-block text of a 1-bit frame, drawn in place with a legend."""

import io

from PIL import Image

from device.emulated.terminal_display import HOME, SHOW_CURSOR, TerminalDisplay
from device.screen_output import ScreenOutput


def small_image() -> Image.Image:
    """4×3: row 0 = #.#., row 1 = ##.., row 2 = ...#"""
    image = Image.new("1", (4, 3))
    for x, y in [(0, 0), (2, 0), (0, 1), (1, 1), (3, 2)]:
        image.putpixel((x, y), 1)
    return image


def test_to_text_maps_two_pixel_rows_to_one_text_row():
    assert TerminalDisplay.to_text(small_image()) == "█▄▀ \n   ▀"


def test_to_text_accepts_any_mode_and_a_full_frame():
    image = Image.new("L", (128, 64), 255)
    lines = TerminalDisplay.to_text(image).split("\n")
    assert len(lines) == 32
    assert all(line == "█" * 128 for line in lines)


def test_display_draws_at_home_with_the_legend_under_the_frame():
    stream = io.StringIO()
    screen = TerminalDisplay(stream, legend="space: press  q: quit")
    screen.display(small_image())
    screen.display(Image.new("1", (4, 3)))
    first, second = stream.getvalue().split(HOME)[1:3]
    assert "█▄▀ " in first and first.index("█▄▀ ") < first.index("space: press  q: quit")
    assert "    \x1b[K\n    \x1b[K\nspace: press  q: quit\x1b[K\n" in second
    assert "\n" * 2 not in stream.getvalue()  # drawn in place, never scrolled by blank lines


def test_an_unchanged_frame_is_skipped_by_the_screen_output_not_the_terminal():
    stream = io.StringIO()
    output = ScreenOutput(TerminalDisplay(stream))
    output.show(small_image())
    written = stream.getvalue()
    output.show(small_image())
    assert stream.getvalue() == written


def test_panel_off_blanks_the_frame_and_panel_on_brings_it_back():
    stream = io.StringIO()
    screen = TerminalDisplay(stream, legend="legend")
    screen.display(small_image())
    stream.truncate(0), stream.seek(0)
    screen.panel_off()
    assert "█" not in stream.getvalue() and "legend" in stream.getvalue()
    screen.display(Image.new("1", (4, 3), 1))  # remembered, not shown while off
    assert "█" not in stream.getvalue()
    screen.panel_on()
    assert "████" in stream.getvalue()


def test_close_shows_the_cursor_again():
    stream = io.StringIO()
    screen = TerminalDisplay(stream)
    screen.display(small_image())
    screen.close()
    assert stream.getvalue().endswith(SHOW_CURSOR)
