"""The phone page's security rules, one test each: the pairing code, the session, CSRF,
cross-site requests, headers, upload limits and file names, and nothing secret in the logs."""

from __future__ import annotations

import io
import json
import logging
import zipfile

import pytest
from web_helpers import FakeTime, csrf_of, make_site, paired_client

from device.pairing.code import CODE_SECONDS, MAX_TRIES, new_code
from device.web import security
from device.web.app import create_app
from device.web.phones import FILE_NAME as PHONES

PAGES = ["/", "/bedtimes", "/routines", "/progress", "/data", "/device",
         "/data/export.csv", "/data/export.json", "/data/backup"]
POSTS = ["/bedtimes", "/routines/upload", "/routines/delete", "/data/restore", "/device/forget"]


def pair_form(client):
    page = client.get("/pair")
    return {"csrf": csrf_of(page)}


def test_the_code_is_six_random_digits_and_single_use(tmp_path):
    site, told = make_site(tmp_path)
    codes = {new_code(site.state_dir) for _ in range(20)}
    assert all(len(code) == 6 and code.isdigit() for code in codes) and len(codes) > 15
    client = create_app(site).test_client()
    code = new_code(site.state_dir, site.now)
    assert client.post("/pair", data={**pair_form(client), "code": code}).status_code == 302
    assert told == ["paired"]  # the device closes its pairing screen
    other = create_app(site).test_client()
    again = other.post("/pair", data={**pair_form(other), "code": code})
    assert again.status_code == 400 and "not a code the device is showing" in again.get_data(as_text=True)


def test_an_expired_code_is_refused(tmp_path):
    clock = FakeTime()
    site, _ = make_site(tmp_path, now=clock)
    client = create_app(site).test_client()
    code = new_code(site.state_dir, clock)
    clock.now += CODE_SECONDS + 1
    answer = client.post("/pair", data={**pair_form(client), "code": code})
    assert answer.status_code == 403 and "expired" in answer.get_data(as_text=True)
    assert security.SESSION_COOKIE not in answer.headers.get("Set-Cookie", "")


def test_the_sixth_try_fails_even_with_the_right_code(tmp_path):
    clock = FakeTime()
    site, _ = make_site(tmp_path, now=clock)
    client = create_app(site).test_client()
    code = new_code(site.state_dir, site.now)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    answers = []
    for _ in range(MAX_TRIES):
        answers.append(client.post("/pair", data={**pair_form(client), "code": wrong}))
        clock.now += 20  # past each wait after a wrong try (2, 4, 8, 16 s), within the code's 2 minutes
    assert [a.status_code for a in answers] == [400] * (MAX_TRIES - 1) + [403]
    assert "Too many wrong codes" in answers[-1].get_data(as_text=True)
    clock.now += 20  # past the 32 s wait after the fifth
    sixth = client.post("/pair", data={**pair_form(client), "code": code})
    assert sixth.status_code == 400 and security.SESSION_COOKIE not in sixth.headers.get("Set-Cookie", "")
    assert "not a code the device is showing" in sixth.get_data(as_text=True)  # the code is gone


def test_session_cookie_is_httponly_strict_and_stored_hashed(tmp_path):
    site, _ = make_site(tmp_path)
    client = create_app(site).test_client()
    answer = client.post("/pair", data={**pair_form(client), "code": new_code(site.state_dir, site.now)})
    cookie = answer.headers["Set-Cookie"]
    token = cookie.split(";")[0].split("=", 1)[1]
    assert len(token) >= 40 and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    stored = (site.state_dir / PHONES).read_text()
    assert token not in stored and len(json.loads(stored)[0]["token_sha256"]) == 64
    assert (site.state_dir / PHONES).stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("path", PAGES)
def test_without_a_session_every_page_redirects_to_pairing(tmp_path, path):
    site, _ = make_site(tmp_path)
    answer = create_app(site).test_client().get(path)
    assert answer.status_code == 302 and answer.headers["Location"] == "/pair"


@pytest.mark.parametrize("path", POSTS)
def test_without_a_session_every_post_is_refused(tmp_path, path):
    site, _ = make_site(tmp_path)
    client = create_app(site).test_client()
    client.set_cookie(security.SESSION_COOKIE, "made-up-token")
    answer = client.post(path, data={"csrf": security.csrf_token("made-up-token")})
    assert answer.status_code == 403


def test_a_forgotten_phone_is_signed_out(tmp_path):
    site, _ = make_site(tmp_path)
    client = paired_client(site)
    phone_id = json.loads((site.state_dir / PHONES).read_text())[0]["id"]
    confirm = client.get(f"/device/forget?phone={phone_id}")
    assert "Forget this phone?" in confirm.get_data(as_text=True)
    answer = client.post("/device/forget", data={"csrf": csrf_of(confirm), "phone": phone_id})
    assert answer.status_code == 302 and answer.headers["Location"] == "/pair?why=forgotten"
    assert "This phone was forgotten" in client.get(answer.headers["Location"]).get_data(as_text=True)
    assert client.get("/").headers["Location"] == "/pair"


@pytest.mark.parametrize("path", POSTS + ["/pair"])
def test_a_post_without_the_csrf_token_is_refused(tmp_path, path):
    site, _ = make_site(tmp_path)
    client = paired_client(site)
    assert client.post(path, data={"bedtime.friday": "23:00"}).status_code == 403
    assert client.post(path, data={"csrf": "0" * 64}).status_code == 403


@pytest.mark.parametrize("headers", [{"Origin": "http://evil.example"}, {"Sec-Fetch-Site": "cross-site"},
                                     {"Origin": "null"}, {"Sec-Fetch-Site": "same-site"}])
def test_a_cross_site_post_is_refused_even_with_session_and_token(tmp_path, headers):
    site, told = make_site(tmp_path)
    client = paired_client(site)
    form = {"csrf": csrf_of(client.get("/bedtimes")), "bedtime.friday": "23:30"}
    answer = client.post("/bedtimes", data=form, headers=headers)
    assert answer.status_code == 403 and not (site.state_dir / "settings.toml").exists()
    assert told == ["paired"]


def test_every_answer_has_the_security_headers(tmp_path):
    site, _ = make_site(tmp_path)
    client = paired_client(site)
    for path in PAGES + ["/pair", "/static/style.css"]:
        headers = client.get(path).headers
        assert "default-src 'self'" in headers["Content-Security-Policy"], path
        assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff", path


def test_an_oversized_upload_is_refused_and_nothing_written(tmp_path):
    site, _ = make_site(tmp_path)
    client = paired_client(site)
    big = b"# " + b"x" * security.ROUTINE_LIMIT + b"\n"
    answer = client.post("/routines/upload", content_type="multipart/form-data",
                         data={"csrf": csrf_of(client.get("/routines")), "routine": (io.BytesIO(big), "big.toml")})
    assert answer.status_code == 413 and "too big" in answer.get_data(as_text=True)
    assert not (site.state_dir / "routines").exists()
    huge = b"x" * (security.BODY_LIMIT + 1)
    answer = client.post("/data/restore", content_type="multipart/form-data",
                         data={"csrf": csrf_of(client.get("/data")), "backup": (io.BytesIO(huge), "b.zip")})
    assert answer.status_code == 413


@pytest.mark.parametrize("name", ["../evil.toml", "..\\evil.toml", "sub/evil.toml", "/etc/evil.toml", ".hidden.toml",
                                  "evil.toml.py", "evil.py", "ev il.toml", "évil.toml", "..toml"])
def test_path_tricks_in_an_uploaded_file_name_are_refused(tmp_path, name):
    site, _ = make_site(tmp_path)
    client = paired_client(site)
    routine = b'title = "Evil"\n[[step]]\nstretch = "knee-hug"\nhold_seconds = 25\n'
    answer = client.post("/routines/upload", content_type="multipart/form-data",
                         data={"csrf": csrf_of(client.get("/routines")), "routine": (io.BytesIO(routine), name)})
    assert answer.status_code == 400 and "file name must be like" in answer.get_data(as_text=True)
    written = [p for p in tmp_path.rglob("*") if "evil" in p.name.lower()]
    assert written == []


@pytest.mark.parametrize("member", ["routines/../../evil.toml", "routines/sub/evil.toml", "../evil.toml"])
def test_path_tricks_inside_a_backup_are_refused(tmp_path, member):
    site, _ = make_site(tmp_path)
    client = paired_client(site)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("manifest.json", json.dumps({"format": "psoas-companion backup", "version": 1}))
        z.writestr(member, 'title = "Evil"\n[[step]]\nstretch = "knee-hug"\nhold_seconds = 25\n')
    answer = client.post("/data/restore", content_type="multipart/form-data",
                         data={"csrf": csrf_of(client.get("/data")), "backup": (io.BytesIO(archive.getvalue()), "b.zip")})
    text = answer.get_data(as_text=True)
    assert answer.status_code == 400 if member.startswith("routines/") else answer.status_code in (302, 400)
    assert [p for p in tmp_path.rglob("*") if "evil" in p.name.lower()] == []
    if member.startswith("routines/"):
        assert "not allowed" in text


def test_delete_only_takes_own_routine_files(tmp_path):
    site, _ = make_site(tmp_path)
    client = paired_client(site)
    for name in ("../config.toml", "full.toml", "../../config.toml"):
        answer = client.post("/routines/delete", data={"csrf": csrf_of(client.get("/routines")), "file": name})
        assert answer.status_code == 400
    assert (tmp_path / "config.toml").exists()


def test_no_code_or_token_in_the_logs(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    site, _ = make_site(tmp_path)
    client = create_app(site).test_client()
    code = new_code(site.state_dir, site.now)
    client.post("/pair", data={**pair_form(client), "code": "000000" if code != "000000" else "111111"})
    site.now.now += 60  # past the wait after a wrong try
    answer = client.post("/pair", data={**pair_form(client), "code": code})
    token = answer.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
    client.get("/")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "a phone was paired" in logged
    assert code not in logged and token not in logged


@pytest.mark.parametrize("host, allowed", [
    ("bedside", True), ("bedside.local:8080", True), ("BEDSIDE.LOCAL.", True), ("localhost:8080", True),
    ("192.168.1.20:8080", True), ("[fe80::1]:8080", True), ("configured.example", True),
    ("evil.example", False), ("evil.example:8080", False), ("bedside.evil.example", False), ("", False),
    ("bedside.local.evil.example", False)])
def test_only_the_device_own_names_and_addresses_are_hosts(host, allowed):
    names = security.allowed_hosts("configured.example", machine="bedside")
    assert security.host_allowed(host, names) is allowed


def test_a_foreign_host_gets_400_before_any_page(tmp_path):
    site, told = make_site(tmp_path)
    client = create_app(site).test_client()
    code = new_code(site.state_dir, site.now)
    page = client.get("/pair")
    for method, path in (("GET", "/pair"), ("GET", "/"), ("GET", "/static/style.css"), ("POST", "/pair")):
        answer = client.open(path, method=method, headers={"Host": "evil.example:8080",
                                                           "Origin": "http://evil.example:8080"},
                             data={"csrf": csrf_of(page), "code": code})
        text = answer.get_data(as_text=True)
        assert answer.status_code == 400 and "device's own name" in text.replace("&#39;", "'"), path
        assert answer.headers["X-Frame-Options"] == "DENY" and 'href="/static/style.css"' in text
    assert told == [] and (site.state_dir / "pairing.json").exists()  # the code was not touched
    address = "http://127.0.0.1:8080"
    page = client.get("/pair", base_url=address)
    by_address = client.post("/pair", base_url=address, headers={"Origin": address},
                             data={"csrf": csrf_of(page), "code": code})
    assert by_address.status_code == 302 and told == ["paired"]


def test_an_origin_must_be_an_allowed_host_not_just_match_host(tmp_path):
    site, _ = make_site(tmp_path)
    site.host_names = security.allowed_hosts("", machine="bedside")
    client = paired_client(site)
    form = {"csrf": csrf_of(client.get("/bedtimes")), "bedtime.friday": "23:30"}
    for host, origin in (("bedside.local", "http://evil.example"), ("bedside.local:8080", "http://bedside.local:9999")):
        answer = client.post("/bedtimes", data=form, headers={"Host": host, "Origin": origin})
        assert answer.status_code == 403, (host, origin)


def test_the_code_as_the_screen_shows_it_is_taken(tmp_path):
    site, _ = make_site(tmp_path)
    client = create_app(site).test_client()
    code = new_code(site.state_dir, site.now)
    assert 'maxlength' not in client.get("/pair").get_data(as_text=True)
    answer = client.post("/pair", data={**pair_form(client), "code": f" {code[:3]} {code[3:]}\t"})
    assert answer.status_code == 302


def test_no_code_and_a_wrong_code_get_one_answer_and_a_wrong_try_makes_the_client_wait(tmp_path):
    clock = FakeTime()
    site, _ = make_site(tmp_path, now=clock)
    client = create_app(site).test_client()
    none = client.post("/pair", data={**pair_form(client), "code": "123456"})
    clock.now += 120  # long after: the wait starts from 2 s again
    code = new_code(site.state_dir, clock)
    wrong = client.post("/pair", data={**pair_form(client), "code": f"{(int(code) + 1) % 1_000_000:06d}"})
    assert (none.status_code, none.get_data()) == (wrong.status_code, wrong.get_data())
    hurried = client.post("/pair", data={**pair_form(client), "code": code})
    assert hurried.status_code == 429 and "Wait 2 s" in hurried.get_data(as_text=True)
    assert json.loads((site.state_dir / "pairing.json").read_text())["tries"] == 1  # the wait costs no try
    clock.now += 2
    assert client.post("/pair", data={**pair_form(client), "code": code}).status_code == 302


def test_error_pages_are_dark_plain_and_carry_the_headers(tmp_path, monkeypatch):
    site, _ = make_site(tmp_path)
    client = paired_client(site)
    app = client.application
    monkeypatch.setitem(app.view_functions, "nights.progress", lambda: 1 / 0)
    for path, method, status, words in (("/nowhere", "GET", 404, "There is no page at this address"),
                                        ("/data/restore/confirm", "GET", 405, "does not take this kind"),
                                        ("/progress", "GET", 500, "Something went wrong on the device")):
        answer = client.open(path, method=method)
        text = answer.get_data(as_text=True)
        assert answer.status_code == status and words in text, path
        assert 'href="/static/style.css"' in text and "Traceback" not in text and "Werkzeug" not in text
        assert "default-src 'self'" in answer.headers["Content-Security-Policy"]


def test_waitress_refuses_a_huge_body_with_the_dark_page(tmp_path):
    import http.client  # noqa: PLC0415 - only here
    import threading  # noqa: PLC0415

    from device.web.server import create_server  # noqa: PLC0415

    site, _ = make_site(tmp_path)
    server = create_server(create_app(site), host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.effective_port, timeout=10)
        connection.putrequest("POST", "/data/restore")
        connection.putheader("Content-Length", str(64 * 1024 * 1024))
        connection.putheader("Content-Type", "multipart/form-data; boundary=x")
        connection.endheaders()
        answer = connection.getresponse()
        text = answer.read().decode()
        assert answer.status == 413 and "too big: the limit is 8192 KiB" in text
        assert answer.getheader("Content-Type").startswith("text/html") and "max_body" not in text
        assert answer.getheader("X-Frame-Options") == "DENY" and 'href="/static/style.css"' in text
    finally:
        server.close()
        thread.join(10)


def test_a_file_name_that_is_not_utf8_gets_words_about_the_name(tmp_path):
    site, _ = make_site(tmp_path)
    client = paired_client(site)
    csrf = csrf_of(client.get("/routines"))
    body = (b'--XX\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n' + csrf.encode() +
            b'\r\n--XX\r\nContent-Disposition: form-data; name="routine"; filename="g\xe9ntle.toml"\r\n'
            b"Content-Type: application/octet-stream\r\n\r\ntitle = 'x'\r\n--XX--\r\n")
    answer = client.post("/routines/upload", data=body, content_type="multipart/form-data; boundary=XX")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 400 and "file name that is not UTF-8" in text and "out of date" not in text


def test_after_forget_all_the_pair_page_says_why(tmp_path):
    site, _ = make_site(tmp_path)
    client = paired_client(site)
    site.phones.forget_all()
    answer = client.get("/bedtimes")
    assert answer.headers["Location"] == "/pair?why=signed-out"
    assert "no longer paired" in client.get(answer.headers["Location"]).get_data(as_text=True)
