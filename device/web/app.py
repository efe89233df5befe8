"""The phone page: a Flask app, server-rendered HTML that works without JavaScript.

Pages: Tonight, Bedtimes (and the other settings a person changes from bed), Routines, Progress,
Data, Device; and Pair, the only page open without a session. Every request passes the rules of
`device.web.security`. Settings are saved as phone settings (`device.config.phone_settings`), checked
whole before anything is written; the daemon hears of every change through its control socket
(`device.control`). The journal is only read (SQLite beside the daemon's writer), except by a
restore, which goes through `device.web.backup`.

Flask with waitress: both pure Python, in Debian (python3-flask, python3-waitress), with
threads instead of an event loop (the work is small synchronous SQLite reads and file writes),
and about 30 MB resident on a Pi Zero 2 W's 512 MB. Jinja2 escapes every value it shows.
"""

from __future__ import annotations

import logging
import secrets
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from flask import Flask, Response, abort, g, redirect, render_template, request, url_for
from markupsafe import Markup

from device import control
from device.bedtime.plan import BedtimePlan
from device.clocks.zones import zone_source
from device.config import phone_settings
from device.config.load import Config, load_config
from device.config.schema import WEEKDAYS
from device.errors import ConfigError, JournalUnreadableError
from device.health.checks import check_config, check_packages, check_pin_clashes, check_python
from device.journal import streaks
from device.journal.export import csv_text, json_text
from device.journal.reader import History, read_history
from device.journal.report import build_report, change_text, duration_text, streak_text, tighter_text, week_text
from device.web import backup, forms, security
from device.web.heatmap_svg import heatmap_svg, morning_svg
from device.pairing.code import CodeCheck, try_code
from device.web.phones import Phones
from routines.describe import describe, minutes
from routines.loading.catalog import check_files, load_catalog
from routines.morning import average_text
from routines.state import Outcome
from routines.wording import counted, plural

log = logging.getLogger("psoas.web")

OPEN_PATHS = ("/pair", "/static/")  # the only paths served without a session
ENDINGS = {Outcome.FINISHED: "finished", Outcome.STOPPED: "stopped early", Outcome.SKIPPED: "skipped",
           None: "cut off"}  # how "Last night" on the Tonight page says it ended
PAGES = (("tonight", "Tonight"), ("bedtimes", "Bedtimes"), ("routines", "Routines"),
         ("progress", "Progress"), ("data", "Data"), ("device", "Device"))


@dataclass
class Site:
    """What the pages read and write: the config file, the state dir, the clocks."""

    config_path: str | None
    state_dir: Path
    now: Callable[[], float] = time.time  # wall-clock seconds: the pairing code's expiry
    local_now: Callable[[], datetime] = lambda: datetime.now().astimezone()  # noqa: E731
    notify: Callable[[Path, str], bool] = control.send

    def base_config(self) -> Config:
        """The config file over the defaults, without the phone's settings (raises ConfigError)."""
        return load_config(self.config_path)

    def config(self) -> Config:
        return phone_settings.with_phone(self.base_config(), self.state_dir)

    def tell_daemon(self, word: str = control.SETTINGS) -> None:
        if not self.notify(self.state_dir, word):
            log.info("no daemon is listening; it reads the change when it starts")


def create_app(site: Site) -> Flask:
    """The WSGI app for `site` (serve it with waitress: `device.cli.web`)."""
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=security.BODY_LIMIT, SESSION_COOKIE_NAME="psoas_unused")
    phones = Phones(site.state_dir)

    @app.before_request
    def guard():
        g.token = request.cookies.get(security.SESSION_COOKIE)
        g.phone = phones.find(g.token)
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
            return redirect(url_for("pair"))

    @app.after_request
    def headers(response: Response):
        security.add_headers(response, page=not request.path.startswith("/static/"))
        return response

    @app.context_processor
    def shared():
        token = g.get("token") if g.get("phone") else request.cookies.get(security.PAIR_COOKIE)
        return {"csrf": security.csrf_token(token) if token else "", "pages": PAGES,
                "page": request.endpoint, "plural": plural}

    @app.errorhandler(403)
    @app.errorhandler(404)
    @app.errorhandler(405)
    def refused(error):
        return render_template("error.html", title=error.name, message=error.description), error.code

    @app.errorhandler(413)
    def too_big(error):
        limit = security.ROUTINE_LIMIT if request.path == "/routines/upload" else security.BODY_LIMIT
        message = f"That file is too big: the limit is {limit // 1024} KiB. Nothing was saved."
        return render_template("error.html", title="Too big", message=message), 413

    @app.errorhandler(ConfigError)
    def config_error(error):
        return render_template("error.html", title="Config file has problems",
                               message="Fix these in the config file (psoas config --check):",
                               lines=error.problems), 500

    # -- pairing -------------------------------------------------------------------------

    @app.route("/pair", methods=["GET", "POST"])
    def pair():
        if g.phone is not None and request.method == "GET":
            return redirect(url_for("tonight"))
        message, status = "", 200
        if request.method == "POST":
            found, left = try_code(site.state_dir, request.form.get("code", ""), site.now)
            if found is CodeCheck.PAIRED:
                token, paired = phones.add(_label(request.user_agent.string))
                log.info("a phone was paired (id %s)", paired.id)
                site.tell_daemon(control.PAIRED)
                response = redirect(url_for("tonight"))
                response.set_cookie(security.SESSION_COOKIE, token, max_age=security.SESSION_SECONDS,
                                    httponly=True, samesite="Strict", path="/")
                response.delete_cookie(security.PAIR_COOKIE, path="/pair")
                return response
            status = 400 if found is CodeCheck.WRONG else 403
            message = {
                CodeCheck.WRONG: f"That is not the code. {counted(left, 'try', 'tries')} left.",
                CodeCheck.LOCKED: "Too many wrong codes: that code no longer works. Show a new one on the device.",
                CodeCheck.EXPIRED: "That code has expired. Show a new one on the device.",
                CodeCheck.NO_CODE: "There is no code to use. On the device: hold the button in the dark, "
                                   "then choose Pair a phone.",
            }[found]
            log.info("pairing refused: %s", found.value)
        secret = request.cookies.get(security.PAIR_COOKIE) or secrets.token_urlsafe(32)
        response = Response(render_template("pair.html", message=message, csrf=security.csrf_token(secret)),
                            status=status)
        response.set_cookie(security.PAIR_COOKIE, secret, httponly=True, samesite="Strict", path="/pair")
        return response

    # -- pages ---------------------------------------------------------------------------

    @app.get("/")
    def tonight():
        config = site.config()
        catalog = load_catalog(config.routine_dirs())
        zone = zone_source(config.bedtime.time_zone)()
        plan = BedtimePlan.from_config(config)
        window = plan.next_window(datetime.now(timezone.utc), zone)
        upcoming = None
        if window is not None:
            routine = catalog.routines.get(window.plan.routine)
            upcoming = {"when": window.start.astimezone(zone).strftime("%A %H:%M"),
                        "routine": routine.title if routine else window.plan.routine,
                        "minutes": round(minutes(routine, config.routine)) if routine else None}
        history, problem = _history(site.state_dir)
        report = build_report(history, streaks.night_date(site.local_now()))
        last = history.nights[-1] if history.nights else None
        return render_template("tonight.html", upcoming=upcoming, enabled=config.bedtime.enabled,
                               last=last, last_ending=ENDINGS[last.outcome] if last else "",
                               last_minutes=round(last.held_seconds / 60) if last else 0,
                               streak=streak_text(report), problem=problem)

    @app.route("/bedtimes", methods=["GET", "POST"])
    def bedtimes():
        base = site.base_config()
        problems, saved, status = {}, False, 200
        submitted = None
        if request.method == "POST":
            values, problems = forms.parse_form(request.form)
            if not problems:  # only what differs is a phone setting: the file's others stay in charge
                effective = phone_settings.with_phone(base, site.state_dir)
                changes = {(section, key): value for (section, key), value in values.items()
                           if getattr(getattr(effective, section), key) != value}
                problems = phone_settings.save(site.state_dir, base, changes)
            if problems:
                submitted, status = request.form, 400
            else:
                site.tell_daemon()
                saved = True
        config = phone_settings.with_phone(base, site.state_dir)
        catalog = load_catalog(config.routine_dirs())

        def field(section, key):
            name = f"{section}.{key}"
            value = submitted.get(name, "") if submitted is not None else forms.shown(
                getattr(getattr(config, section), key))
            where = config.where(section, key)
            origin = ("set here" if where.endswith("(phone)") else
                      "default" if where == "defaults" else f"config file {where.rsplit('/', 1)[-1]}")
            return {"name": name, "value": value, "problem": problems.get((section, key)), "origin": origin}

        others = [f"{section}/{key}: {message}" for (section, key), message in problems.items()
                  if (section, key) not in phone_settings.PHONE_KEYS]  # a clash with a key of the config file
        return render_template("bedtimes.html", field=field, days=WEEKDAYS, saved=saved, others=others,
                               routines=sorted(catalog.routines.values(), key=lambda r: r.name),
                               default_routine=config.routine.default, problem_count=len(problems)), status

    @app.get("/routines")
    def routines_page():
        return _routines(site)

    @app.post("/routines/upload")
    def upload_routine():
        upload = request.files.get("routine")
        if upload is None or not upload.filename:
            return _routines(site, problems=["Choose a routine file (.toml) first."], status=400)
        name = Path(upload.filename.replace("\\", "/")).name if upload.filename else ""
        if name != upload.filename or not backup.is_routine_file_name(name):
            return _routines(site, status=400, problems=[
                f"{upload.filename!r}: the file name must be like gentle.toml (letters, digits, - and _ only)"])
        data = upload.read(security.ROUTINE_LIMIT + 1)
        if len(data) > security.ROUTINE_LIMIT:
            abort(413)
        with tempfile.TemporaryDirectory(dir=site.state_dir, prefix=".upload-") as scratch:
            path = Path(scratch) / name
            path.write_bytes(data)
            problems, warnings = check_files([path])  # exactly `psoas routines check`
            problems = [line.replace(f"{scratch}/", "") for line in problems]
            warnings = [line.replace(f"{scratch}/", "") for line in warnings]
            if problems:
                return _routines(site, problems=problems, warnings=warnings, status=400)
            own = phone_settings.own_routines_dir(site.state_dir)
            own.mkdir(mode=0o700, exist_ok=True)
            path.chmod(0o600)
            path.replace(own / name)
        log.info("routine file uploaded: %s", name)
        site.tell_daemon()
        return _routines(site, done=f"Saved {name}.", warnings=warnings)

    @app.post("/routines/delete")
    def delete_routine():
        name = request.form.get("file", "")
        own = phone_settings.own_routines_dir(site.state_dir)
        if not backup.is_routine_file_name(name) or not (own / name).is_file():
            return _routines(site, problems=[f"{name!r}: no such routine of your own"], status=400)
        base = site.base_config()
        config = phone_settings.with_phone(base, site.state_dir)
        stem = name.removesuffix(".toml")
        users = [f"{day.title()}" for day in WEEKDAYS if getattr(config.bedtime, f"{day}_routine") == stem]
        if users:
            return _routines(site, status=400, problems=[
                f"{stem} is the routine for {', '.join(users)}: choose another one on Bedtimes first"])
        (own / name).unlink()
        log.info("routine file deleted: %s", name)
        site.tell_daemon()
        return _routines(site, done=f"Deleted {name}.")

    @app.get("/progress")
    def progress():
        history, problem = _history(site.state_dir)
        report = build_report(history, streaks.night_date(site.local_now()))
        mornings = {"now": _week(report.mornings.now), "before": _week(report.mornings.before),
                    "change": change_text(report.mornings)}
        return render_template("progress.html", report=report, svg=Markup(heatmap_svg(report)),
                               mornings_svg=Markup(morning_svg(report)), mornings=mornings,
                               streak=streak_text(report), tighter=tighter_text(report),
                               held=duration_text(report.total_minutes), problem=problem)

    @app.get("/data")
    def data():
        return render_template("data.html")

    @app.get("/data/export.<kind>")
    def export(kind):
        if kind not in ("csv", "json"):
            abort(404)
        history, problem = _history(site.state_dir)
        if problem:
            return render_template("error.html", title="Journal unreadable", message=problem), 500
        text = csv_text(history) if kind == "csv" else json_text(history, site.local_now())
        return _download(text.encode(), f"psoas-nights.{kind}",
                         "text/csv" if kind == "csv" else "application/json")

    @app.get("/data/backup")
    def download_backup():
        moment = site.local_now()
        name = f"psoas-backup-{moment.strftime('%Y-%m-%d')}.zip"
        return _download(backup.make_backup(site.state_dir, moment), name, "application/zip")

    @app.post("/data/restore")
    def restore():
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

    @app.get("/device")
    def device():
        return _device(site, phones)

    @app.post("/device/forget")
    def forget():
        phone_id = request.form.get("phone", "")
        if not phones.forget(phone_id):
            return _device(site, phones, problem="No such phone."), 400
        log.info("a phone was forgotten (id %s)", phone_id)
        if phone_id == g.phone.id:
            response = redirect(url_for("pair"))
            response.delete_cookie(security.SESSION_COOKIE, path="/")
            return response
        return _device(site, phones, done="Forgotten.")

    return app


def _routines(site: Site, problems=(), warnings=(), done: str = "", status: int = 200):
    config = site.config()
    catalog = load_catalog(config.routine_dirs())
    own = phone_settings.own_routines_dir(site.state_dir)
    rows = []
    for name in sorted(catalog.routines):
        routine = catalog.routines[name]
        source = Path(str(routine.source))
        mine = source.parent == own and source.is_file()
        rows.append({"name": name, "title": routine.title, "minutes": minutes(routine, config.routine),
                     "own": source.name if mine else "", "built_in": routine.source == "built-in",
                     "lines": describe(routine, minutes(routine, config.routine))[1:]})
    return render_template("routines.html", rows=rows, problems=list(problems), warnings=list(warnings),
                           done=done, limit_kib=security.ROUTINE_LIMIT // 1024), status


def _device(site: Site, phones: Phones, problem: str = "", done: str = ""):
    checks = [check_python(), check_packages()]
    result, config = check_config(site.config_path)
    checks.append(result)
    if config is not None:
        checks.append(check_pin_clashes(site.config()))  # with haptics as set on the phone
    try:
        version = metadata.version("psoas-companion")
    except metadata.PackageNotFoundError:
        version = "unknown"
    running = control.socket_path(site.state_dir).exists()
    return render_template("device.html", checks=checks, version=version, phones=phones.all(),
                           this_phone=g.phone.id, running=running, problem=problem, done=done,
                           state_dir=site.state_dir)


def _week(week) -> str:
    """A week of mornings for the page: its 7-day average (or "–"), then `week_text`."""
    return f"{'–' if week.average is None else average_text(week.average)} · {week_text(week)}"


def _history(state_dir: Path):
    try:
        return read_history(state_dir), ""
    except JournalUnreadableError as error:
        return History(), str(error)


def _download(payload: bytes, name: str, mimetype: str) -> Response:
    response = Response(payload, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _label(user_agent: str) -> str:
    """A short name for a phone from its browser's User-Agent (no more is kept)."""
    text = user_agent or ""
    for marker, name in (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android phone"),
                         ("Mac OS", "Mac"), ("Windows", "Windows PC"), ("Linux", "Linux computer")):
        if marker in text:
            return name
    return "browser"
