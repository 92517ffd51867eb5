"""Browser sessions: a random id in an HttpOnly cookie, kept server-side only as its SHA-256 (a 256-bit random value
needs no slow hash: nothing can be guessed from the digest), with an expiry, revoked at logout; and the CSRF tokens
every form carries (one per session; before login, a double-submit cookie).

The cookies are SameSite=Lax and Secure when the request came over HTTPS: `request.url.scheme`, which uvicorn sets
from `X-Forwarded-Proto` when the proxy is one it trusts (`--forwarded-allow-ips`, 127.0.0.1 by default).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass, field

from fastapi import Request, Response

from .accounts import AccountStore, Role, User

SESSION_COOKIE = "mskg_session"
LOGIN_CSRF_COOKIE = "mskg_login_csrf"
CSRF_FIELD = "csrf_token"  # the hidden field of every form
CSRF_HEADER = "X-CSRF-Token"  # the same token for scripts in the page that send JSON
SESSION_LIFETIME_S = 8 * 3600


@dataclass(frozen=True)
class Session:
    """A signed-in browser. `csrf_token` goes into every form the session's pages render."""

    user: User
    expires_at: float
    csrf_token: str = field(repr=False)
    id_hash: str = field(repr=False)


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def start_session(accounts: AccountStore, user: User, now: float | None = None) -> tuple[str, Session]:
    """A new session for `user`: the id for the cookie (returned this once) and the session. Expired sessions of
    every user are dropped on the way."""
    now = time.time() if now is None else now
    session_id, csrf_token = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    session = Session(user, now + SESSION_LIFETIME_S, csrf_token, _digest(session_id))
    with accounts.transaction() as db:
        db.execute("DELETE FROM sessions WHERE expires_at <= ?", (now,))
        db.execute(
            "INSERT INTO sessions (id_hash, user_name, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
            (session.id_hash, user.name, csrf_token, now, session.expires_at),
        )
    return session_id, session


def find_session(accounts: AccountStore, session_id: str, now: float | None = None) -> Session | None:
    """The live session with this id; None when unknown, ended or expired (or its user was removed)."""
    now = time.time() if now is None else now
    if not session_id or len(session_id) > 128:
        return None
    id_hash = _digest(session_id)
    rows = accounts.fetch(
        "SELECT u.name, u.role, u.created_at, s.csrf_token, s.expires_at, u.organization FROM sessions s "
        "JOIN users u ON u.name = s.user_name WHERE s.id_hash = ? AND s.expires_at > ?",
        id_hash,
        now,
    )
    if not rows:
        return None
    name, role, created, csrf_token, expires_at, organization = rows[0]
    return Session(User(name, Role(role), created, organization=organization), expires_at, csrf_token, id_hash)


def end_session(accounts: AccountStore, session: Session) -> None:
    with accounts.transaction() as db:
        db.execute("DELETE FROM sessions WHERE id_hash = ?", (session.id_hash,))


def tokens_match(expected: str, given: str | None) -> bool:
    return bool(expected) and given is not None and hmac.compare_digest(expected.encode(), given.encode())


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def set_session_cookie(request: Request, response: Response, session_id: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        max_age=SESSION_LIFETIME_S,
        path="/",
        httponly=True,
        samesite="lax",
        secure=is_https(request),
    )


def clear_cookie(request: Request, response: Response, name: str, path: str = "/") -> None:
    response.delete_cookie(name, path=path, httponly=True, samesite="lax", secure=is_https(request))


def login_csrf_value(request: Request) -> str:
    """The CSRF token of the login form: the one this browser already holds in its cookie, or a new one (double
    submit: the POST must carry in its form the value of the cookie, which another site can neither read nor set)."""
    token = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if 32 <= len(token) <= 64 and token.replace("-", "").replace("_", "").isalnum():
        return token
    return secrets.token_urlsafe(32)


def set_login_csrf_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, path="/login", httponly=True, samesite="strict", secure=is_https(request)
    )
