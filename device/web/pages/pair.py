"""/pair: the pairing form, where the code shown on the device signs this phone in."""

from __future__ import annotations

import logging
import secrets

from flask import Blueprint, Response, g, redirect, render_template, request, url_for

from device import control
from device.web import security
from device.web.pairing import CodeCheck, try_code
from device.web.site import current_site
from routines.wording import counted

log = logging.getLogger("psoas.web")
pages = Blueprint("pair", __name__)


@pages.route("/pair", methods=["GET", "POST"])
def pair():
    if g.phone is not None and request.method == "GET":
        return redirect(url_for("nights.tonight"))
    message, status = "", 200
    if request.method == "POST":
        site = current_site()
        found, left = try_code(site.state_dir, request.form.get("code", ""), site.now)
        if found is CodeCheck.PAIRED:
            return _signed_in()
        status = 400 if found is CodeCheck.WRONG else 403
        message = _refusal(found, left)
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


def _refusal(found: CodeCheck, left: int) -> str:
    return {
        CodeCheck.WRONG: f"That is not the code. {counted(left, 'try', 'tries')} left.",
        CodeCheck.LOCKED: "Too many wrong codes: that code no longer works. Show a new one on the device.",
        CodeCheck.EXPIRED: "That code has expired. Show a new one on the device.",
        CodeCheck.NO_CODE: "There is no code to use. On the device: hold the button in the dark, "
                           "then choose Pair a phone.",
    }[found]


def label(user_agent: str) -> str:
    """A short name for a phone from its browser's User-Agent (no more is kept)."""
    text = user_agent or ""
    for marker, name in (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android phone"),
                         ("Mac OS", "Mac"), ("Windows", "Windows PC"), ("Linux", "Linux computer")):
        if marker in text:
            return name
    return "browser"
