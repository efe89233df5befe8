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
    assert again.status_code == 403 and "no code" in again.get_data(as_text=True).lower()


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
    site, _ = make_site(tmp_path)
    client = create_app(site).test_client()
    code = new_code(site.state_dir, site.now)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    answers = [client.post("/pair", data={**pair_form(client), "code": wrong}) for _ in range(MAX_TRIES)]
    assert [a.status_code for a in answers] == [400] * (MAX_TRIES - 1) + [403]
    assert "1 try left" in answers[-2].get_data(as_text=True)
    assert "Too many wrong codes" in answers[-1].get_data(as_text=True)
    sixth = client.post("/pair", data={**pair_form(client), "code": code})
    assert sixth.status_code == 403 and security.SESSION_COOKIE not in sixth.headers.get("Set-Cookie", "")


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
    answer = client.post("/device/forget", data={"csrf": csrf_of(client.get("/device")), "phone": phone_id})
    assert answer.status_code == 302 and client.get("/").headers["Location"] == "/pair"


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
    assert answer.status_code == 400 if member.startswith("routines/") else answer.status_code in (200, 400)
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
    answer = client.post("/pair", data={**pair_form(client), "code": code})
    token = answer.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
    client.get("/")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "a phone was paired" in logged
    assert code not in logged and token not in logged
