"""The phone page: a Flask app, server-rendered HTML that works without JavaScript.

Pages (blueprints in `device.web.pages`): Tonight, Bedtimes (and the other settings a person
changes from bed), Routines, Progress, Data, Device; and Pair, the only page open without a
session. Every request passes the rules of `device.web.security` (`guard`, below). Settings are
saved as phone settings (`device.config.phone_settings`), checked whole before anything is written; the
daemon hears of every change through its control socket (`device.control`). The journal is only
read (SQLite beside the daemon's writer), except by a restore, which goes through
`device.web.backup`.

Flask with waitress: both pure Python, in Debian (python3-flask, python3-waitress), with
threads instead of an event loop (the work is small synchronous SQLite reads and file writes),
and about 30 MB resident on a Pi Zero 2 W's 512 MB. Jinja2 escapes every value it shows.
"""

from __future__ import annotations

from flask import Flask, Response, abort, g, redirect, request, url_for

from device.web import errors, security
from device.web.pages import data, device, nights, pair, routines, settings
from device.web.site import EXTENSION, Site, current_site
from routines.wording import plural

__all__ = ["PAGES", "Site", "create_app"]

OPEN_PATHS = ("/pair", "/static/")  # the only paths served without a session
BLUEPRINTS = (pair.pages, nights.pages, settings.pages, routines.pages, data.pages, device.pages)
PAGES = (("nights.tonight", "Tonight"), ("settings.bedtimes", "Bedtimes"), ("routines.page", "Routines"),
         ("nights.progress", "Progress"), ("data.page", "Data"), ("device.page", "Device"))  # the nav


def create_app(site: Site) -> Flask:
    """The WSGI app for `site` (serve it with `device.web.server.create_server`: `device.cli.web`)."""
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=security.BODY_LIMIT, SESSION_COOKIE_NAME="psoas_unused")
    app.extensions[EXTENSION] = site
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    app.before_request(guard)
    app.after_request(headers)
    app.context_processor(shared)
    errors.register(app)
    return app


def guard():
    """Before every request: its host; who is signed in; a change must be same-site, signed in
    and carry its CSRF token. A session cookie nobody has any more goes to /pair, saying why."""
    site = current_site()
    if not security.host_allowed(request.host, site.host_names):
        names = ", ".join(sorted(name for name in site.host_names if name != "localhost"))
        abort(400, f"This page answers only to the device's own names ({names}) or its IP address: "
                   "open it by one of those.")
    g.token = request.cookies.get(security.SESSION_COOKIE)
    g.phone = site.phones.find(g.token)
    if request.path == "/routines/upload":
        request.max_content_length = security.ROUTINE_LIMIT
    if request.method not in ("GET", "HEAD"):
        if not security.same_site(request.headers, request.host, site.host_names):
            abort(403, "This change came from another site; open the page itself and try again.")
        secret = request.cookies.get(security.PAIR_COOKIE) if request.path == "/pair" else g.token
        if request.path != "/pair" and g.phone is None:
            abort(403, "This phone is not paired; pair it first.")
        if _unreadable_form():
            abort(400, "The form could not be read: a file name that is not UTF-8 text can do that. "
                       "Rename the file (letters, digits, - and _ only) and try again.")
        if not security.csrf_ok(secret, request.form.get("csrf")):
            abort(403, "The form was out of date; reload the page and try again.")
    elif g.phone is None and not request.path.startswith(OPEN_PATHS):
        response = redirect(url_for("pair.pair", why="signed-out" if g.token else None))
        if g.token:  # a session no phone has any more: forgotten here or with --forget-all
            response.delete_cookie(security.SESSION_COOKIE, path="/")
        return response
    return None


def _unreadable_form() -> bool:
    """True for a file form with a body that came out empty: Werkzeug drops the whole form when a
    file name in it is not UTF-8."""
    return (request.mimetype == "multipart/form-data" and bool(request.content_length)
            and not request.form and not request.files)


def headers(response: Response) -> Response:
    security.add_headers(response, page=not request.path.startswith("/static/"))
    return response


def shared() -> dict:
    """What every template may use: the CSRF token, the nav and which tab this page is under."""
    token = g.get("token") if g.get("phone") else request.cookies.get(security.PAIR_COOKIE)
    return {"csrf": security.csrf_token(token) if token else "", "pages": PAGES,
            "page": current_tab(), "plural": plural}


def current_tab() -> str | None:
    """The nav entry this request belongs to: its own page, or the page of its blueprint
    (an upload, a confirmation, a refused form) when it is not a page of the nav itself."""
    endpoints = [endpoint for endpoint, _ in PAGES]
    if request.endpoint in endpoints:
        return request.endpoint
    return next((e for e in endpoints if e.split(".")[0] == request.blueprint), None)
