"""/device: the checks of `psoas doctor` that make sense from a phone, whether the daemon is
listening, the version, the paired phones (forget one, after a confirmation), and what the
device does now: its screen as a picture that a static script refreshes while the page is open
(`/device/screen.png`, `device.live.link`), since when the daemon runs, last night, the next
bedtime, the log's last warnings, and "start now" / "skip tonight", sent on the control socket
for the daemon's loop to decide (`device.live.remote`).
"""

from __future__ import annotations

import logging
from datetime import datetime
from importlib import metadata

from flask import Blueprint, Response, abort, g, redirect, render_template, request, url_for

from device import control
from device.health.checks import check_config, check_packages, check_pin_clashes, check_python
from device.web import security
from device.web.pages.nights import ENDINGS
from device.web.pages.outcome import changed, done_text
from device.web.site import Site, current_site

log = logging.getLogger("psoas.web")
pages = Blueprint("device", __name__)
DONE = {"forgotten": "Forgotten: that phone is signed out."}


@pages.get("/device")
def page():
    return _page(done=done_text(DONE))


@pages.get("/device/screen.png")
def screen():
    """The device's screen now (1-bit PNG at the panel's size); 404 when the daemon publishes none."""
    site = current_site()
    site.live.watch()
    frame = site.live.frame()
    if frame is None:
        abort(404, "No picture of the screen: the daemon is not running.")
    return Response(frame, mimetype="image/png")


@pages.post("/device/start")
def start():
    return _command(control.START, "started")


@pages.post("/device/skip")
def skip():
    return _command(control.SKIP, "skipped")


def _command(word: str, done: str):
    """Send `word` to the daemon, wait briefly for its answer, then back to the page (its answer shows there)."""
    site = current_site()
    live = site.live
    before = (live.status() or {}).get("last_command")
    live.watch()
    if not site.tell_daemon(word):
        live.forget()
        return _page(problem=f"The daemon is not running, so nothing was {done}."), 503
    live.wait_for(lambda: (live.status() or {}).get("last_command") != before)
    return redirect(url_for("device.page"))


@pages.route("/device/forget", methods=["GET", "POST"])
def forget():
    site = current_site()
    phone_id = request.values.get("phone", "")
    phone = next((p for p in site.phones.all() if p.id == phone_id), None)
    if phone is None:
        return _page(problem="No such phone."), 400
    if request.method == "GET":
        this_one = phone.id == g.phone.id
        return render_template("confirm.html", title=f"Forget {'this phone' if this_one else phone.label}?",
                               lines=[f"{phone.label}, paired {phone.paired_at[:10]}"],
                               note="It is signed out at once; to use the page again it must be paired anew "
                                    "with a code from the device." if this_one else
                                    "It is signed out at once; it can be paired again with a code from the device.",
                               action=url_for("device.forget"), fields={"phone": phone.id}, button="Forget",
                               cancel=url_for("device.page"))
    if not site.phones.forget(phone_id):
        return _page(problem="No such phone."), 400
    log.info("a phone was forgotten (id %s)", phone_id)
    if phone_id == g.phone.id:
        response = redirect(url_for("pair.pair", why="forgotten"))
        response.delete_cookie(security.SESSION_COOKIE, path="/")
        return response
    return changed("device.page", "forgotten")


def _page(problem: str = "", done: str = ""):
    site = current_site()
    checks = [check_python(), check_packages()]
    result, config = check_config(site.config_path)
    checks.append(result)
    if config is not None:
        checks.append(check_pin_clashes(site.config()))  # with haptics as set on the phone
    try:
        version = metadata.version("psoas-companion")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return render_template("device.html", checks=checks, version=version, phones=site.phones.all(),
                           this_phone=g.phone.id, running=control.listening(site.state_dir), problem=problem,
                           done=done, state_dir=site.state_dir, now=_now(site))



def _now(site: Site) -> dict | None:
    """What the Device page's "Now" card shows; None when no daemon listens."""
    if not site.live.watch():
        return None
    status = site.live.status() or {}
    history, _ = site.history()
    last = history.nights[-1] if history.nights else None
    upcoming = status.get("next_bedtime") or {}
    command = status.get("last_command") or {}
    return {
        "since": _when(status.get("since")),
        "screen": status.get("screen") == "on",
        "in_routine": bool(status.get("in_routine")),
        "start_routine": status.get("start_routine") or "tonight's routine",
        "tonight_had": bool(status.get("tonight_had")),
        "next": f"{_when(upcoming.get('at'))}, {upcoming.get('routine')}" if upcoming.get("at") else "",
        "last": (f"{last.night_date.strftime('%a %d %b')}: {last.routine or 'a routine'}, {ENDINGS[last.outcome]}"
                 if last else ""),
        "warnings": [(_when(line.get("at")), line.get("text", "")) for line in status.get("warnings") or ()
                     if isinstance(line, dict)],
        "command": (_when(command.get("at"), "%H:%M"), command.get("text", "")) if command.get("text") else None,
    }


def _when(text, form: str = "%a %d %b %H:%M") -> str:
    """An ISO time from the daemon's status, as the page says it ("Mon 06 May 21:00"); "" if none."""
    try:
        return datetime.fromisoformat(text).strftime(form)
    except (TypeError, ValueError):
        return ""
