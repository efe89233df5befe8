"""The phone page's HTTP server: waitress, with its own refusals dark and in plain words.

waitress answers a few requests itself before Flask sees them (a body over
`max_request_body_size`, a request it cannot parse) with white text/plain pages. `DarkChannel`
makes those pages like the app's own error page: dark, one line, with the security headers.
The body limit is set a little above Flask's (`BODY_SLACK`), so the app answers an upload
that is only somewhat too big itself (413) and waitress only the absurd ones.
"""

from __future__ import annotations

import html

import waitress
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer
from waitress.task import ErrorTask

from device.web import security

BODY_SLACK = 1024 * 1024  # bytes: multipart overhead above the app's own limit
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="dark">
<title>{title} · psoas companion</title><link rel="stylesheet" href="/static/style.css"></head>
<body><main><h1>{title}</h1><p class="problem">{message}</p><p><a href="/">Back to the page</a></p></main></body></html>
"""
WORDS = {  # waitress's status -> the line a person reads
    413: "That file is too big: the limit is {limit} KiB. Nothing was saved.",
    400: "The device could not read that request. Go back, reload the page and try again.",
}


class DarkErrorTask(ErrorTask):
    """waitress's own error answer, as a dark page with the security headers."""

    def execute(self):
        error = self.request.error
        code = getattr(error, "code", 400)
        title = "Too big" if code == 413 else "Not understood"
        message = WORDS.get(code, WORDS[400]).format(limit=security.BODY_LIMIT // 1024)
        body = PAGE.format(title=html.escape(title), message=html.escape(message)).encode()
        self.status = f"{code} {getattr(error, 'reason', 'Bad Request')}"
        self.response_headers.extend([("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store"),
                                      *security.HEADERS.items()])
        if hasattr(self, "set_close_on_finish"):  # waitress 3
            self.set_close_on_finish()
        else:  # waitress 2 (Debian Bookworm)
            self.response_headers.append(("Connection", "close"))
            self.close_on_finish = True
        self.content_length = len(body)
        self.write(body)


class DarkChannel(HTTPChannel):
    error_task_class = DarkErrorTask


def create_server(app, **options):
    """`waitress.create_server(app, **options)` with dark refusals and the body limit set."""
    options.setdefault("max_request_body_size", security.BODY_LIMIT + BODY_SLACK)
    server = waitress.create_server(app, **options)
    for candidate in {id(s): s for s in [server, *getattr(server, "map", {}).values()]}.values():
        if isinstance(candidate, BaseWSGIServer):
            candidate.channel_class = DarkChannel
    return server
