"""Direction-control characters (U+202E and its kind): refused in uploaded routine text, dropped
from what a page shows. One of them reverses the rest of a line ("Trojan Source"), so a title
could read as something it is not."""

from __future__ import annotations

import re

CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def problems(name: str, data: bytes) -> list[str]:
    """One line per line of `data` (UTF-8 routine text) that holds a direction control:
    "<name>:<line>: ...". Text that is not UTF-8 is the routine check's to report."""
    text = data.decode("utf-8", "replace")
    return [f"{name}:{number}: a direction-control character (U+{ord(found.group()):04X}) can make the text "
            "read as something else; remove it"
            for number, line in enumerate(text.splitlines(), 1) if (found := CONTROLS.search(line))]


def stripped(text: str) -> str:
    """`text` without direction controls."""
    return CONTROLS.sub("", text)
