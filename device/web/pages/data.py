"""/data: the journal's export (CSV, JSON), the backup file, and restoring one."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, abort, render_template, request

from device.journal.export import csv_text, json_text
from device.web import backup
from device.web.site import current_site

log = logging.getLogger("psoas.web")
pages = Blueprint("data", __name__)


@pages.get("/data")
def page():
    return render_template("data.html")


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
def restore():
    site = current_site()
    upload = request.files.get("backup")
    if upload is None or not upload.filename:
        return render_template("data.html", problems=["Choose a backup file first."]), 400
    try:
        done = backup.restore(site.state_dir, upload.read(), site.local_now())
    except backup.BackupError as error:
        return render_template("data.html", problems=[str(error)]), 400
    log.info("backup restored")
    site.tell_daemon()
    return render_template("data.html", done=done)


def download(payload: bytes, name: str, mimetype: str) -> Response:
    """`payload` as a file the browser saves as `name`."""
    response = Response(payload, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
