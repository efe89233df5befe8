"""The phone page: a Flask app, server-rendered HTML that works without JavaScript.

Pages (blueprints in `device.web.pages`): Tonight, Bedtimes (and the other settings a person
changes from bed), Routines, Progress, Data, Device; and Pair, the only page open without a
session. Every request passes the rules of `device.web.security` (`guard`, below). Settings are
saved as phone settings (`device.config.phone`), checked whole before anything is written; the
daemon hears of every change through its control socket (`device.control`). The journal is only
read (SQLite beside the daemon's writer), except by a restore, which goes through
`device.web.backup`.

Flask with waitress: both pure Python, in Debian (python3-flask, python3-waitress), with
threads instead of an event loop (the work is small synchronous SQLite reads and file writes),
and about 30 MB resident on a Pi Zero 2 W's 512 MB. Jinja2 escapes every value it shows.
"""

from __future__ import annotations

from flask import Flask, Response, abort, g, redirect, render_template, request, url_for

from device.errors import ConfigError
from device.web import security
from device.web.pages import data, device, nights, pair, routines, settings
from device.web.site import EXTENSION, Site, current_site
from routines.wording import plural

__all__ = ["PAGES", "Site", "create_app"]

OPEN_PATHS = ("/pair", "/static/")  # the only paths served without a session
BLUEPRINTS = (pair.pages, nights.pages, settings.pages, routines.pages, data.pages, device.pages)
PAGES = (("nights.tonight", "Tonight"), ("settings.bedtimes", "Bedtimes"), ("routines.page", "Routines"),
         ("nights.progress", "Progress"), ("data.page", "Data"), ("device.page", "Device"))  # the nav


def create_app(site: Site) -> Flask:
    """The WSGI app for `site` (serve it with waitress: `device.cli.web`)."""
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=security.BODY_LIMIT, SESSION_COOKIE_NAME="psoas_unused")
    app.extensions[EXTENSION] = site
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    app.before_request(guard)
    app.after_request(headers)
    app.context_processor(shared)
    for code in (403, 404, 405):
        app.register_error_handler(code, refused)
    app.register_error_handler(413, too_big)
    app.register_error_handler(ConfigError, config_error)
    return app


def guard():
    """Before every request: who is signed in; a change must be same-site, signed in and carry CSRF."""
    g.token = request.cookies.get(security.SESSION_COOKIE)
    g.phone = current_site().phones.find(g.token)
    if request.path == "/routines/upload":
        request.max_content_length = security.ROUTINE_LIMIT
    if request.method not in ("GET", "HEAD"):
        if not security.same_site(request.headers, request.host):
            abort(403, "This change came from another site; open the page itself and try again.")
        secret = request.cookies.get(security.PAIR_COOKIE) if request.path == "/pair" else g.token
        if request.path != "/pair" and g.phone is None:
            abort(403, "This phone is not paired; pair it first.")
        if not security.csrf_ok(secret, request.form.get("csrf")):
            abort(403, "The form was out of date; reload the page and try again.")
    elif g.phone is None and not request.path.startswith(OPEN_PATHS):
        return redirect(url_for("pair.pair"))
    return None


def headers(response: Response) -> Response:
    security.add_headers(response, page=not request.path.startswith("/static/"))
    return response


def shared() -> dict:
    """What every template may use: the CSRF token, the nav and which page this is."""
    token = g.get("token") if g.get("phone") else request.cookies.get(security.PAIR_COOKIE)
    return {"csrf": security.csrf_token(token) if token else "", "pages": PAGES,
            "page": request.endpoint, "plural": plural}


def refused(error):
    return render_template("error.html", title=error.name, message=error.description), error.code


def too_big(error):
    limit = security.ROUTINE_LIMIT if request.path == "/routines/upload" else security.BODY_LIMIT
    message = f"That file is too big: the limit is {limit // 1024} KiB. Nothing was saved."
    return render_template("error.html", title="Too big", message=message), 413


def config_error(error):
    return render_template("error.html", title="Config file has problems",
                           message="Fix these in the config file (psoas config --check):",
                           lines=error.problems), 500
