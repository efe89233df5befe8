"""The phone page's error pages: dark, in plain words, one line, with the security headers.

Flask's own refusals (400, 403, 404, 405, 413, 500) get words a person understands; a storage
fault (any `OSError` or `sqlite3.Error` while a page reads or writes the state dir) names the
storage and what to do, never the file the person sent, and shows no traceback. Anything else
unexpected is logged with its traceback (the log, not the page) and answered the same calm way.
The waitress server's own refusals before Flask runs are in `device.web.server`.
"""

from __future__ import annotations

import logging
import sqlite3

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from device.errors import ConfigError
from device.web import security
from device.web.site import current_site

log = logging.getLogger("psoas.web")

WORDS = {  # status -> (title, the line a person reads) when the refusal brings no words of its own
    400: ("Not understood", "The device could not read that request. Go back, reload the page and try again."),
    403: ("Not allowed", "This phone may not do that. Reload the page and try again."),
    404: ("Not here", "There is no page at this address."),
    405: ("Not here", "That address does not take this kind of request. Open the page itself."),
    413: ("Too big", "That file is too big. Nothing was saved."),
    500: ("Something went wrong", "Something went wrong on the device, and nothing was changed. "
                                  "Try again; if it keeps happening, see the log (journalctl -u psoas-web)."),
}


def register(app: Flask) -> None:
    """Answer every refusal and fault of `app` with a dark page."""
    app.register_error_handler(HTTPException, refused)
    app.register_error_handler(ConfigError, config_error)
    app.register_error_handler(OSError, storage_fault)
    app.register_error_handler(sqlite3.Error, storage_fault)
    app.register_error_handler(Exception, unexpected)


def page(status: int, title: str, message: str, lines=()):
    return render_template("error.html", title=title, message=message, lines=list(lines)), status


def refused(error: HTTPException):
    code = error.code or 500
    if isinstance(error, InternalServerError) and error.original_exception is not None:
        return unexpected(error.original_exception)
    if code == 413:
        limit = security.ROUTINE_LIMIT if request.path == "/routines/upload" else security.BODY_LIMIT
        return page(413, "Too big", f"That file is too big: the limit is {limit // 1024} KiB. Nothing was saved.")
    title, message = WORDS.get(code, (error.name, WORDS[400][1]))
    if error.description and error.description != type(error).description:
        message = error.description  # our own words, given with abort()
    return page(code, title, message)


def config_error(error: ConfigError):
    return page(500, "Config file has problems", "Fix these in the config file (psoas config --check):",
                error.problems)


def storage_fault(error: Exception):
    """A read or write of the state dir failed: one line naming the storage and the fix."""
    reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
    log.error("storage fault in %s %s: %s", request.method, request.path, reason)
    return page(500, "Storage problem",
                f"The device's storage failed ({reason}) in {current_site().state_dir}: the change was not "
                "saved, or may not last. Free some space or check the SD card, then try again.")


def unexpected(error: BaseException):
    if isinstance(error, (OSError, sqlite3.Error)):
        return storage_fault(error)
    if isinstance(error, HTTPException):
        return refused(error)
    log.error("unexpected error in %s %s", request.method, request.path, exc_info=error)
    return page(500, *WORDS[500])
