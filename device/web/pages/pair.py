"""/pair: the pairing form, where the code shown on the device signs this phone in.

One answer for "no code" and "not the code" (trying tells nothing about whether a code is
live), and a wait after each wrong try from the same address (`pairing.TryDelay`).
"""

from __future__ import annotations

import logging
import math
import secrets

from flask import Blueprint, Response, g, redirect, render_template, request, url_for

from device import control
from device.pairing.code import CodeCheck, try_code
from device.web import security
from device.web.site import current_site

log = logging.getLogger("psoas.web")
pages = Blueprint("pair", __name__)

NOT_THE_CODE = ("That is not a code the device is showing. Type the 6 digits on its screen; if it shows "
                "none, hold the button while the screen is dark, then choose Pair a phone.")
REFUSALS = {  # what a try found -> (status, the words)
    CodeCheck.WRONG: (400, NOT_THE_CODE),
    CodeCheck.NO_CODE: (400, NOT_THE_CODE),
    CodeCheck.LOCKED: (403, "Too many wrong codes: that code no longer works. Show a new one on the device."),
    CodeCheck.EXPIRED: (403, "That code has expired. Show a new one on the device."),
}
WHY = {  # ?why= on the way here -> what the page says first
    "signed-out": "This phone is no longer paired: it was forgotten (on the Device page, or with "
                  "psoas web --forget-all). Pair it again with a new code from the device.",
    "forgotten": "This phone was forgotten and is signed out. To use the page again, pair it with a new code.",
}


@pages.route("/pair", methods=["GET", "POST"])
def pair():
    if g.phone is not None and request.method == "GET":
        return redirect(url_for("nights.tonight"))
    message, status = WHY.get(request.args.get("why", ""), ""), 200
    if request.method == "POST":
        site = current_site()
        client = request.remote_addr or "?"
        wait = site.try_delay.wait_left(client)
        if wait > 0:
            status, message = 429, f"Wait {math.ceil(wait)} s before the next try."
        else:
            found, _ = try_code(site.state_dir, request.form.get("code", ""), site.now)
            if found is CodeCheck.PAIRED:
                site.try_delay.right(client)
                return _signed_in()
            site.try_delay.wrong(client)
            status, message = REFUSALS[found]
            log.info("pairing refused: %s", found.value)
    secret = request.cookies.get(security.PAIR_COOKIE) or secrets.token_urlsafe(32)
    response = Response(render_template("pair.html", message=message, csrf=security.csrf_token(secret)),
                        status=status)
    response.set_cookie(security.PAIR_COOKIE, secret, httponly=True, samesite="Strict", path="/pair")
    return response


def _signed_in() -> Response:
    site = current_site()
    token, paired = site.phones.add(label(request.user_agent.string))
    log.info("a phone was paired (id %s)", paired.id)
    site.tell_daemon(control.PAIRED)
    response = redirect(url_for("nights.tonight"))
    response.set_cookie(security.SESSION_COOKIE, token, max_age=security.SESSION_SECONDS,
                        httponly=True, samesite="Strict", path="/")
    response.delete_cookie(security.PAIR_COOKIE, path="/pair")
    return response


def label(user_agent: str) -> str:
    """A short name for a phone from its browser's User-Agent (no more is kept)."""
    text = user_agent or ""
    for marker, name in (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android phone"),
                         ("Mac OS", "Mac"), ("Windows", "Windows PC"), ("Linux", "Linux computer")):
        if marker in text:
            return name
    return "browser"
