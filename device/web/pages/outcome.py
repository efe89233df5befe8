"""After a change, every page answers with a redirect to itself (POST-redirect-GET): a reload
never repeats the change. What happened travels as a short word in the address (`?done=saved`),
which the page turns into its own sentence; `asleep=1` adds that the device is not running now.
"""

from __future__ import annotations

from flask import redirect, request, url_for

ASLEEP = "The device is not running now; it uses this when it starts."


def changed(endpoint: str, done: str, told: bool = True, **params):
    """Redirect to `endpoint`'s page saying `done`; `told` False: no daemon heard of it."""
    return redirect(url_for(endpoint, done=done, asleep=None if told else 1, **params))


def done_text(words: dict[str, str], **values) -> str:
    """The sentence for this request's `?done=` from `words` ("" when there is none),
    formatted with `values`, and the note when the device is not running."""
    text = words.get(request.args.get("done", ""), "")
    if not text:
        return ""
    text = text.format(**values)
    return f"{text} {ASLEEP}" if request.args.get("asleep") else text
