"""/data: the journal's export (CSV, JSON), the backup file, restoring one (after a confirmation
that says what is in it), and what earlier restores kept aside, each with "put it back".

An uploaded backup waits for its confirmation in memory (`Pending`, at most `PENDING_MAX` of
them, for `PENDING_SECONDS`), never on the SD card; it is checked again when confirmed.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from dataclasses import dataclass, field

from flask import Blueprint, Response, abort, g, redirect, render_template, request, url_for

from device.errors import BackupError
from device.journal.export import csv_text, json_text
from device.web import backup, kept, restore
from device.web.pages.outcome import changed, done_text
from device.web.site import current_site
from routines.wording import counted

log = logging.getLogger("psoas.web")
pages = Blueprint("data", __name__)
PENDING_SECONDS = 600.0
PENDING_MAX = 2
DONE = {
    "restored": "Restored the backup. What you had is kept aside below.",
    "put-back": "Put back. What you had just before is kept aside below.",
    "removed": "Removed.",
}


@dataclass
class Pending:
    """Uploaded backups waiting to be confirmed: token -> (phone id, bytes, what is in it, when
    it expires, in `time.monotonic` seconds)."""

    uploads: dict[str, tuple[str, bytes, list[str], float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def hold(self, phone_id: str, data: bytes, lines: list[str]) -> str:
        token = secrets.token_urlsafe(16)
        with self.lock:
            self.uploads[token] = (phone_id, data, lines, time.monotonic() + PENDING_SECONDS)
            while len(self.uploads) > PENDING_MAX:
                self.uploads.pop(next(iter(self.uploads)))
        return token

    def get(self, token: str, phone_id: str, take: bool = False) -> tuple[bytes, list[str]] | None:
        """(the backup, what is in it) held for this phone under `token`; `take` forgets it."""
        with self.lock:
            held = self.uploads.get(token)
            if held is None or held[0] != phone_id or held[3] < time.monotonic():
                return None
            if take:
                del self.uploads[token]
            return held[1], held[2]


PENDING = Pending()


@pages.get("/data")
def page():
    return _page()


def _page(problems=(), status: int = 200):
    state_dir = current_site().state_dir
    keepings = [{"id": k.id, "when": k.when.strftime("%d %b %Y %H:%M"), "what": kept.summary(k)}
                for k in kept.listing(state_dir, kept.RESTORE)]
    return render_template("data.html", done=done_text(DONE), problems=list(problems), keepings=keepings), status


@pages.get("/data/export.<kind>")
def export(kind):
    if kind not in ("csv", "json"):
        abort(404)
    site = current_site()
    history, problem = site.history()
    if problem:
        return render_template("error.html", title="Journal unreadable", message=problem), 500
    text = csv_text(history) if kind == "csv" else json_text(history, site.local_now())
    return download(text.encode(), f"psoas-nights.{kind}", "text/csv" if kind == "csv" else "application/json")


@pages.get("/data/backup")
def make_backup():
    site = current_site()
    moment = site.local_now()
    name = f"psoas-backup-{moment.strftime('%Y-%m-%d')}.zip"
    return download(backup.make_backup(site.state_dir, moment), name, "application/zip")


@pages.post("/data/restore")
def upload():
    """Check an uploaded backup; if it is good, ask to confirm (it waits in memory)."""
    upload = request.files.get("backup")
    if upload is None or not upload.filename:
        return _page(problems=["Choose a backup file first."], status=400)
    data = upload.read()
    try:
        checked = restore.check(current_site().state_dir, data)
    except BackupError as error:
        return _page(problems=[str(error)], status=400)
    return redirect(url_for("data.confirm", token=PENDING.hold(g.phone.id, data, _contents(checked))))


def _contents(checked: backup.Backup) -> list[str]:
    """What a checked backup holds, one line each, for the confirmation."""
    return [f"made {checked.made_at.replace('T', ' ')[:16] or 'at an unknown time'}",
            f"{counted(checked.nights, 'night')} and {counted(checked.mornings, 'morning answer')}"
            if checked.rows is not None else "no journal (yours stays)",
            "the settings made on the phone" if checked.settings is not None else "no settings (yours stay)",
            f"own routines: {', '.join(p.stem for p in checked.routines) or 'none'}"]


@pages.get("/data/restore")
def confirm():
    token = request.args.get("token", "")
    held = PENDING.get(token, g.phone.id)
    if held is None:
        return redirect(url_for("data.page"))
    _, lines = held
    return render_template("confirm.html", title="Restore this backup?", lines=lines,
                           note="What you have now is kept aside on the device: you can put it back.",
                           action=url_for("data.restore_now"), fields={"token": token}, button="Restore",
                           cancel=url_for("data.page"))


@pages.post("/data/restore/confirm")
def restore_now():
    site = current_site()
    held = PENDING.get(request.form.get("token", ""), g.phone.id, take=True)
    if held is None:
        return _page(problems=["That backup is no longer waiting here: choose the file again."], status=400)
    try:
        restore.restore(site.state_dir, held[0], site.local_now())
    except BackupError as error:
        return _page(problems=[str(error)], status=400)
    log.info("backup restored")
    return changed("data.page", "restored", site.tell_daemon())


@pages.post("/data/kept/put-back")
def put_back():
    site = current_site()
    keeping = kept.find(site.state_dir, kept.RESTORE, request.form.get("kept", ""))
    if keeping is None:
        return _page(problems=["That is no longer kept aside."], status=400)
    try:
        restore.put_back(site.state_dir, keeping, site.local_now())
    except BackupError as error:
        return _page(problems=[str(error)], status=400)
    log.info("a restore was put back")
    return changed("data.page", "put-back", site.tell_daemon())


@pages.route("/data/kept/remove", methods=["GET", "POST"])
def remove():
    site = current_site()
    kept_id = request.values.get("kept", "")
    keeping = kept.find(site.state_dir, kept.RESTORE, kept_id)
    if keeping is None:
        return redirect(url_for("data.page"))
    if request.method == "GET":
        return render_template("confirm.html", title="Remove this for good?",
                               lines=[f"kept {keeping.when.strftime('%d %b %Y %H:%M')}: {kept.summary(keeping)}"],
                               note="It cannot be put back after this.", action=url_for("data.remove"),
                               fields={"kept": keeping.id}, button="Remove", cancel=url_for("data.page"))
    kept.remove(keeping)
    return changed("data.page", "removed")


def download(payload: bytes, name: str, mimetype: str) -> Response:
    """`payload` as a file the browser saves as `name`."""
    response = Response(payload, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
