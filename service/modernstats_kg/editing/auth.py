"""Who is asking: the FastAPI dependencies `current_user` and `require_role(role)`.

Credentials come from `Authorization: Bearer TOKEN` (scripts) or the session cookie (browsers). Without valid ones
the answer is 401, with the wrong role 403, both in the service's one error shape. A request that acts through a
session cookie with an unsafe method (POST, PUT, PATCH, DELETE) must carry the session's CSRF token, in the form
field `csrf_token` or the `X-CSRF-Token` header: without it, 403. Bearer requests need none (a browser never adds
that header by itself). On a service without a data folder, every one of them answers 503 saying how to start one.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from starlette.concurrency import run_in_threadpool

from ..errors import Forbidden, ServiceError, ServiceUnavailable
from .accounts import AccountError, AccountStore, Role, User, accounts_folder, no_accounts_message
from .sessions import CSRF_FIELD, CSRF_HEADER, SESSION_COOKIE, Session, find_session, tokens_match
from .throttle import LoginThrottle

REALM = 'Bearer realm="ModernStats KG"'
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

_open_lock = threading.Lock()


class Unauthorized(ServiceError):
    """No valid credentials (401): the answer names how to get some, never what was sent."""

    status = 401

    def __init__(self, message: str, *, error: str | None = None):
        challenge = f'{REALM}, error="{error}"' if error else REALM
        super().__init__(message, headers={"WWW-Authenticate": challenge})


class TooManyRequests(ServiceError):
    status = 429


class CsrfRefused(Forbidden):
    def __init__(self) -> None:
        super().__init__(
            "this form is out of date or did not come from this site (its CSRF token is missing or wrong): "
            "reload the page and send it again"
        )


def accounts_of_app(app: FastAPI) -> AccountStore:
    """The accounts of the service's data folder, opened once per app; 503 when it has none."""
    accounts: AccountStore | None = getattr(app.state, "accounts", None)
    if accounts is not None:
        return accounts
    store = app.state.service.settings.store
    folder = accounts_folder(store)
    if folder is None:
        raise ServiceUnavailable(no_accounts_message(store))
    with _open_lock:
        accounts = getattr(app.state, "accounts", None)
        if accounts is None:
            try:
                accounts = AccountStore.in_folder(folder)
            except AccountError as exc:
                raise ServiceUnavailable(str(exc)) from exc
            app.state.accounts = accounts
            app.state.login_throttle = LoginThrottle(accounts)
    return accounts


async def get_accounts(request: Request) -> AccountStore:
    return accounts_of_app(request.app)


async def get_login_throttle(request: Request) -> LoginThrottle:
    accounts_of_app(request.app)
    throttle: LoginThrottle = request.app.state.login_throttle
    return throttle


AccountsDep = Annotated[AccountStore, Depends(get_accounts)]


@dataclass(frozen=True)
class Identity:
    """The user behind a request, and the browser session it came through (None for a bearer token)."""

    user: User
    session: Session | None = None


async def browser_session(request: Request, accounts: AccountsDep) -> Session | None:
    """The live session of the request's cookie, if any (no CSRF check: for pages that render forms)."""
    session_id = request.cookies.get(SESSION_COOKIE)
    return find_session(accounts, session_id) if session_id else None


async def check_csrf(request: Request, session: Session) -> None:
    """403 unless the request carries the session's CSRF token (header, or the form field of a form post)."""
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(FORM_TYPES):
        value = (await request.form()).get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not tokens_match(session.csrf_token, given):
        raise CsrfRefused()


async def current_identity(request: Request, accounts: AccountsDep) -> Identity:
    authorization = request.headers.get("authorization")
    if authorization is not None:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized(
                "unsupported Authorization header: send `Authorization: Bearer TOKEN`", error="invalid_request"
            )
        user = await run_in_threadpool(accounts.user_for_token, token.strip())
        if user is None:
            raise Unauthorized(
                "invalid or revoked API token: create one with `mskg tokens create NAME`", error="invalid_token"
            )
        return Identity(user)
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id is None:
        raise Unauthorized("log in first: send `Authorization: Bearer TOKEN`, or log in at /login in a browser")
    session = find_session(accounts, session_id)
    if session is None:
        raise Unauthorized("your session has ended or expired: log in again at /login")
    if request.method not in SAFE_METHODS:
        await check_csrf(request, session)
    return Identity(session.user, session)


IdentityDep = Annotated[Identity, Depends(current_identity)]


async def current_user(identity: IdentityDep) -> User:
    return identity.user


def require_role(role: Role) -> Callable[[Identity], Awaitable[User]]:
    """A dependency: the current user, who must hold `role` or a role above it (403 otherwise)."""

    async def user_with_role(identity: IdentityDep) -> User:
        user = identity.user
        if not user.can(role):
            raise Forbidden(f"this needs the {role.value} role or above; {user.name} is {user.role.value}")
        return user

    return user_with_role
