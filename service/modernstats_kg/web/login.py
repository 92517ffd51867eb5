"""`/login` (GET: the form, or who is signed in; POST: check the password, start a session) and `/logout` (POST).

The login form is protected against cross-site posts by a double-submit token (a SameSite=Strict cookie and the
same value in a hidden field); the logout form, like every form of a signed-in browser, by the session's token.
Failed logins are throttled (`editing/throttle.py`): too early an attempt answers 429 with Retry-After.
On a service without a data folder both answer 503 with how to start one.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ..conneg import set_vary
from ..editing.accounts import MAX_PASSWORD_LENGTH, AccountStore, User
from ..editing.auth import REALM, AccountsDep, CsrfRefused, browser_session, check_csrf, get_login_throttle
from ..editing.sessions import (
    CSRF_FIELD,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    Session,
    clear_cookie,
    end_session,
    find_session,
    login_csrf_value,
    set_login_csrf_cookie,
    set_session_cookie,
    start_session,
    tokens_match,
)
from ..editing.throttle import LoginThrottle
from .templating import render

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)

SessionDep = Annotated[Session | None, Depends(browser_session)]
ThrottleDep = Annotated[LoginThrottle, Depends(get_login_throttle)]
AFTER_LOGIN = "/login"


def safe_next(value: object) -> str:
    """Where to go after logging in: a path on this site only (never `//host` or another scheme)."""
    if not isinstance(value, str) or not value.startswith("/") or value.startswith(("//", "/\\")):
        return AFTER_LOGIN
    if len(value) > 2000 or any(ord(c) < 0x20 or c == "\\" for c in value):
        return AFTER_LOGIN
    return value


def _page(
    request: Request,
    *,
    session: Session | None,
    status_code: int = 200,
    message: str = "",
    message_args: Mapping[str, object] | None = None,
    name: str = "",
    next_path: str = AFTER_LOGIN,
    headers: dict[str, str] | None = None,
) -> Response:
    csrf_token = login_csrf_value(request)
    context: dict[str, Any] = {
        "session": session,
        "csrf_field": CSRF_FIELD,
        "csrf_token": csrf_token,
        "message": message,  # a key of the `login_` strings (i18n_pages), filled with `message_args`
        "message_args": message_args or {},
        "name": name,
        "next": next_path,
    }
    response = render(request, "login.html", context, status_code=status_code, lang="en")
    for validator in ("etag", "last-modified"):  # personal and holding a token: never cached, never revalidated
        if validator in response.headers:
            del response.headers[validator]
    response.headers["Cache-Control"] = "no-store"
    set_vary(response, "Cookie")
    response.headers.update(headers or {})
    if session is None:
        set_login_csrf_cookie(request, response, csrf_token)
    return response


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, session: SessionDep, next: str = AFTER_LOGIN) -> Response:
    return _page(request, session=session, next_path=safe_next(next))


def _check_login(
    accounts: AccountStore, throttle: LoginThrottle, name: str, password: str, address: str
) -> User | float:
    """The user, or how many seconds the throttle makes this attempt wait (0.0: the password was wrong)."""
    now = time.time()
    wait = throttle.wait_s(name, address, now)
    if wait > 0:
        return wait
    user = accounts.check_password(name, password) if len(password) <= MAX_PASSWORD_LENGTH else None
    if user is None:
        throttle.failed(name, address, now)
        return 0.0
    throttle.succeeded(name)
    return user


@router.post("/login")
async def login(request: Request, accounts: AccountsDep, throttle: ThrottleDep) -> Response:
    form = await request.form()
    given = form.get(CSRF_FIELD)
    if not tokens_match(request.cookies.get(LOGIN_CSRF_COOKIE, ""), given if isinstance(given, str) else None):
        raise CsrfRefused()
    name, password = form.get("name"), form.get("password")
    next_path = safe_next(form.get("next"))
    name = name.strip() if isinstance(name, str) else ""
    if not name or not isinstance(password, str) or not password:
        return _page(request, session=None, status_code=400, message="missing", name=name, next_path=next_path)
    address = request.client.host if request.client else "unknown"
    outcome = await run_in_threadpool(_check_login, accounts, throttle, name, password, address)
    if isinstance(outcome, float):
        log.info("login refused for user %r from %s (%s)", name, address, "throttled" if outcome > 0 else "wrong")
        if outcome > 0:
            seconds = math.ceil(outcome)
            retry = {"Retry-After": str(seconds)}
            args = {"seconds": seconds}
            return _page(
                request,
                session=None,
                status_code=429,
                message="throttled",
                message_args=args,
                name=name,
                next_path=next_path,
                headers=retry,
            )
        challenge = {"WWW-Authenticate": REALM}
        return _page(
            request, session=None, status_code=401, message="wrong", name=name, next_path=next_path, headers=challenge
        )
    previous = request.cookies.get(SESSION_COOKIE)
    old_session = find_session(accounts, previous) if previous else None
    if old_session is not None:
        end_session(accounts, old_session)  # a fresh id at every login: no session fixation
    session_id, _ = start_session(accounts, outcome)
    log.info("user %r (%s) logged in from %s", outcome.name, outcome.role.value, address)
    response = RedirectResponse(next_path, status_code=303)
    set_session_cookie(request, response, session_id)
    clear_cookie(request, response, LOGIN_CSRF_COOKIE, path="/login")
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/logout")
async def logout(request: Request, accounts: AccountsDep, session: SessionDep) -> Response:
    if session is not None:
        await check_csrf(request, session)
        end_session(accounts, session)
    response = RedirectResponse(AFTER_LOGIN, status_code=303)
    clear_cookie(request, response, SESSION_COOKIE)
    response.headers["Cache-Control"] = "no-store"
    return response
