"""The rules every request passes: who is signed in, CSRF, same-origin POSTs, size limits, headers.

- A session is the `psoas_session` cookie (`HttpOnly`, `SameSite=Strict`), whose SHA-256 is
  in `phones.json`. Without one, a page redirects to /pair and anything else answers 403.
- Every POST carries `csrf`, an HMAC of the session token (or, on the pairing form, of the
  `psoas_pair` cookie set with that form), and must come from this site: a `Sec-Fetch-Site`
  other than same-origin / none, or an `Origin` naming another host, is refused (403).
- Bodies are capped: `ROUTINE_LIMIT` for a routine upload, `BODY_LIMIT` for anything else.
- Every answer gets `Content-Security-Policy` (default-src 'self'), `X-Frame-Options: DENY`,
  `X-Content-Type-Options: nosniff`, no referrer to other sites, and pages are not cached.
"""

from __future__ import annotations

import hashlib
import hmac
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


def same_site(headers, host: str) -> bool:
    """False for a request another site's page made (the browser says so in these headers)."""
    fetch_site = headers.get("Sec-Fetch-Site")
    if fetch_site and fetch_site not in ("same-origin", "none"):
        return False
    origin = headers.get("Origin")
    if origin is not None:
        return urlsplit(origin).netloc.lower() == host.lower()
    return True


def add_headers(response, page: bool) -> None:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if page:
        response.headers["Cache-Control"] = "no-store"
