"""The rules every request passes: its host, who is signed in, CSRF, same-origin POSTs, size limits, headers.

- The `Host` a request names must be one of this device's own names (`allowed_hosts`): its
  host name, `<name>.local`, the configured `[web] host`, `localhost`, or an IP literal.
  Anything else (DNS rebinding: a foreign name resolving to this device) gets 400 before any
  page runs.

- A session is the `psoas_session` cookie (`HttpOnly`, `SameSite=Strict`), whose SHA-256 is
  in `phones.json`. Without one, a page redirects to /pair and anything else answers 403.
- Every POST carries `csrf`, an HMAC of the session token (or, on the pairing form, of the
  `psoas_pair` cookie set with that form), and must come from this site: a `Sec-Fetch-Site`
  other than same-origin / none, or an `Origin` that is not one of the allowed hosts (and the
  host the request names), is refused (403).
- Bodies are capped: `ROUTINE_LIMIT` for a routine upload, `BODY_LIMIT` for anything else.
- Every answer gets `Content-Security-Policy` (default-src 'self'), `X-Frame-Options: DENY`,
  `X-Content-Type-Options: nosniff`, no referrer to other sites, and pages are not cached.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import socket
from urllib.parse import urlsplit

SESSION_COOKIE = "psoas_session"
PAIR_COOKIE = "psoas_pair"
SESSION_SECONDS = 400 * 24 * 3600  # browsers cap cookie lifetimes at 400 days
ROUTINE_LIMIT = 64 * 1024  # bytes
BODY_LIMIT = 8 * 1024 * 1024  # bytes: a backup
CSP = ("default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
       "object-src 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # no-referrer would make browsers send `Origin: null`
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def csrf_token(secret: str) -> str:
    """The CSRF token that goes with a session token (or the pairing cookie)."""
    return hmac.new(secret.encode(), b"psoas-companion csrf", hashlib.sha256).hexdigest()


def csrf_ok(secret: str | None, given: str | None) -> bool:
    return bool(secret and given) and hmac.compare_digest(csrf_token(secret), given)


def allowed_hosts(configured: str = "", machine: str | None = None) -> frozenset[str]:
    """The names the page answers to: this machine's host name (`machine`, default
    `socket.gethostname()`) and `<name>.local`, the configured `[web] host`, and localhost.
    IP literals are allowed besides (`host_allowed`)."""
    machine = (socket.gethostname() if machine is None else machine).lower().rstrip(".")
    short = machine.split(".")[0]
    names = {"localhost", machine, short, f"{short}.local", configured.lower().rstrip(".")}
    return frozenset(name for name in names if name and name != "*")


def host_name(netloc: str) -> str:
    """The host of a `Host` header or an origin's netloc, without port or IPv6 brackets."""
    text = netloc.strip().lower()
    if text.startswith("["):
        return text[1:].split("]", 1)[0]
    return text.rsplit(":", 1)[0] if text.count(":") == 1 else text


def host_allowed(netloc: str, allowed: frozenset[str]) -> bool:
    """True when `netloc` (host[:port]) names this device: an allowed name or an IP literal."""
    name = host_name(netloc).rstrip(".")
    if not name:
        return False
    if name in allowed:
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def same_site(headers, host: str, allowed: frozenset[str]) -> bool:
    """False for a request another site's page made (the browser says so in these headers):
    a cross-site `Sec-Fetch-Site`, or an `Origin` that is not this device as the request names it."""
    fetch_site = headers.get("Sec-Fetch-Site")
    if fetch_site and fetch_site not in ("same-origin", "none"):
        return False
    origin = headers.get("Origin")
    if origin is not None:
        netloc = urlsplit(origin).netloc.lower()
        return host_allowed(netloc, allowed) and netloc == host.lower()
    return True


def add_headers(response, page: bool) -> None:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if page:
        response.headers["Cache-Control"] = "no-store"
