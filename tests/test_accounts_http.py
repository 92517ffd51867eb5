"""Accounts over HTTP, in process over a real on-disk store and accounts file: bearer tokens and session cookies,
401 and 403 in the service's error shape, CSRF, the login throttle, the in-memory store's 503, and no credential in
any log line, repr or error body."""

from __future__ import annotations

import itertools
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import pytest
from fastapi import APIRouter, Depends, FastAPI
from fastapi.testclient import TestClient

from conftest import WEB_CONTENT_DIR
from modernstats_kg.app import create_app
from modernstats_kg.editing.accounts import AccountStore, Role, User
from modernstats_kg.editing.auth import Identity, accounts_of_app, current_identity, require_role
from modernstats_kg.editing.sessions import SESSION_COOKIE, SESSION_LIFETIME_S, start_session
from modernstats_kg.editing.throttle import FREE_FAILURES_PER_ACCOUNT, FREE_FAILURES_PER_ADDRESS, LoginThrottle
from modernstats_kg.settings import Settings

THROTTLE_BASE_S = 5.0
PASSWORDS = {"alice": "alice's long password", "rob": "rob reviews things", "ada": "ada administers it"}
ROLES = {"alice": Role.EDITOR, "rob": Role.REVIEWER, "ada": Role.ADMIN}
_addresses = itertools.count(1)


def mount_test_routes(app: FastAPI) -> None:
    """Routes that exist only in the test app, placed before the page dispatcher (which answers any path)."""
    router = APIRouter()

    @router.post("/test-only/review")
    async def review(user: Annotated[User, Depends(require_role(Role.REVIEWER))]) -> dict[str, str]:
        return {"by": user.name}

    @router.get("/test-only/admin")
    async def admin(user: Annotated[User, Depends(require_role(Role.ADMIN))]) -> dict[str, str]:
        return {"by": user.name}

    @router.post("/test-only/edit")
    async def edit(identity: Annotated[Identity, Depends(current_identity)]) -> dict[str, str]:
        return {"by": identity.user.name}

    before = len(app.router.routes)
    app.include_router(router)
    added = app.router.routes[before:]
    del app.router.routes[before:]
    app.router.routes[0:0] = added


@dataclass
class Service:
    app: FastAPI
    folder: Path
    tokens: dict[str, str]

    def client(self, **kwargs: Any) -> TestClient:
        """A fresh client (no cookies) from an address of its own, so throttled tests do not meet."""
        return TestClient(self.app, client=(f"192.0.2.{next(_addresses)}", 50000), **kwargs)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    folder = tmp_path_factory.mktemp("accounts-store")
    setup = AccountStore.in_folder(folder)  # as the `mskg users` command would, from another connection
    for name, password in PASSWORDS.items():
        setup.add_user(name, ROLES[name], password)
    tokens = {name: setup.create_token(name) for name in PASSWORDS}
    setup.close()
    app = create_app(Settings(store=str(folder), content_dir=WEB_CONTENT_DIR))
    mount_test_routes(app)
    # a first wait of a few seconds rather than one: on a loaded machine a login can take longer than a second
    accounts_of_app(app)
    app.state.login_throttle.base_delay_s = THROTTLE_BASE_S
    yield Service(app, folder, tokens)
    app.state.service.store.close()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF field in the form"
    return match.group(1)


def log_in(client: TestClient, name: str, password: str, **form: str) -> Any:
    token = csrf_of(client.get("/login").text)
    return client.post(
        "/login", data={"csrf_token": token, "name": name, "password": password, **form}, follow_redirects=False
    )


def assert_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["ok"] is False and body["status"] == status and body["error"]
    return body


def test_me_names_the_user_and_role_of_a_bearer_token(service: Service) -> None:
    client = service.client()
    for name, token in service.tokens.items():
        answer = client.get("/api/v1/me", headers=bearer(token))
        assert answer.status_code == 200
        assert answer.json()["name"] == name and answer.json()["role"] == ROLES[name].value
        assert answer.json()["authenticated_by"] == "token"
        assert answer.headers["cache-control"] == "no-store"
    assert client.get("/api/v1/me", headers=bearer(service.tokens["rob"])).json()["roles"] == ["editor", "reviewer"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer mskg_0123456789abcdef_" + "A" * 43},  # well-formed, unknown
        {"Authorization": "Bearer not-a-token"},
        {"Authorization": "Basic YWxpY2U6cGFzc3dvcmQ="},
        {"Authorization": "Bearer "},
    ],
    ids=["none", "unknown-token", "malformed", "basic", "empty"],
)
def test_no_valid_credentials_is_401_in_the_error_shape(service: Service, headers: dict[str, str]) -> None:
    answer = service.client().get("/api/v1/me", headers=headers)
    body = assert_error(answer, 401)
    assert answer.headers["www-authenticate"].startswith("Bearer")
    assert "token" in body["error"].lower() or "log in" in body["error"]


def test_a_tampered_token_is_refused(service: Service) -> None:
    token = service.tokens["alice"]
    client = service.client()
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200  # now cached as verified
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert_error(client.get("/api/v1/me", headers=bearer(flipped)), 401)


def test_roles_are_ordered_editor_reviewer_admin(service: Service) -> None:
    client = service.client()
    refused = client.post("/test-only/review", headers=bearer(service.tokens["alice"]))
    body = assert_error(refused, 403)
    assert "reviewer" in body["error"] and "alice is editor" in body["error"]
    for name in ("rob", "ada"):
        assert client.post("/test-only/review", headers=bearer(service.tokens[name])).json() == {"by": name}
    assert_error(client.get("/test-only/admin", headers=bearer(service.tokens["rob"])), 403)
    assert client.get("/test-only/admin", headers=bearer(service.tokens["ada"])).json() == {"by": "ada"}
    assert_error(client.post("/test-only/review"), 401)


def test_a_revoked_token_stops_working_at_once(service: Service) -> None:
    other = AccountStore.in_folder(service.folder)  # another process's connection, as `mskg tokens revoke` has
    token = other.create_token("alice")
    client = service.client()
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    other.revoke_tokens("alice")
    assert_error(client.get("/api/v1/me", headers=bearer(token)), 401)
    service.tokens["alice"] = other.create_token("alice")
    other.close()


def test_login_sets_a_session_cookie_that_authenticates(service: Service) -> None:
    client = service.client()
    answer = log_in(client, "alice", PASSWORDS["alice"], next="/activities/subProcess/5.3")
    assert answer.status_code == 303 and answer.headers["location"] == "/activities/subProcess/5.3"
    cookie = answer.headers["set-cookie"]
    assert f"{SESSION_COOKIE}=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain HTTP
    me = client.get("/api/v1/me")
    assert me.json()["name"] == "alice" and me.json()["authenticated_by"] == "session"
    page = client.get("/login")
    assert "Logged in as" in page.text and "alice" in page.text
    assert page.headers["cache-control"] == "no-store" and "etag" not in page.headers


def test_the_session_cookie_is_secure_over_https(service: Service) -> None:
    client = service.client(base_url="https://testserver")
    form = client.get("/login")
    assert "Secure" in form.headers["set-cookie"]
    answer = log_in(client, "rob", PASSWORDS["rob"])
    session_cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE))
    assert "Secure" in session_cookie and "HttpOnly" in session_cookie


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:x"])
def test_login_never_redirects_off_site(service: Service, target: str) -> None:
    answer = log_in(service.client(), "alice", PASSWORDS["alice"], next=target)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"


def test_a_session_post_needs_its_csrf_token(service: Service) -> None:
    client = service.client()
    log_in(client, "rob", PASSWORDS["rob"])
    token = csrf_of(client.get("/login").text)
    body = assert_error(client.post("/test-only/review"), 403)
    assert "CSRF" in body["error"]
    assert_error(client.post("/test-only/review", data={"csrf_token": "wrong"}), 403)
    assert_error(client.post("/test-only/review", headers={"X-CSRF-Token": token + "x"}), 403)
    assert client.post("/test-only/review", data={"csrf_token": token}).json() == {"by": "rob"}
    assert client.post("/test-only/review", headers={"X-CSRF-Token": token}).json() == {"by": "rob"}
    page = client.post("/test-only/edit", headers={"Accept": "text/html"})
    assert page.status_code == 403 and page.headers["content-type"].startswith("text/html")
    assert "CSRF token is missing or wrong" in page.text


def test_the_login_form_needs_its_own_csrf_token(service: Service) -> None:
    client = service.client()
    client.get("/login")
    form = {"name": "alice", "password": PASSWORDS["alice"]}
    assert_error(client.post("/login", data=form, follow_redirects=False), 403)
    assert_error(client.post("/login", data={**form, "csrf_token": "x" * 43}, follow_redirects=False), 403)
    assert_error(client.get("/api/v1/me"), 401)


def test_logout_ends_the_session_on_the_server(service: Service) -> None:
    client = service.client()
    log_in(client, "alice", PASSWORDS["alice"])
    session_id = client.cookies[SESSION_COOKIE]
    token = csrf_of(client.get("/login").text)
    assert_error(client.post("/logout", follow_redirects=False), 403)  # no token: still logged in
    assert client.get("/api/v1/me").status_code == 200
    answer = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"
    assert f'{SESSION_COOKIE}=""' in answer.headers["set-cookie"]
    replay = service.client(cookies={SESSION_COOKIE: session_id})  # the old cookie, kept by a thief
    body = assert_error(replay.get("/api/v1/me"), 401)
    assert "ended or expired" in body["error"]


def test_an_expired_session_is_refused(service: Service) -> None:
    accounts: AccountStore = service.app.state.accounts
    user = accounts.user("alice")
    assert user is not None
    session_id, _ = start_session(accounts, user, now=time.time() - SESSION_LIFETIME_S - 1)
    assert_error(service.client(cookies={SESSION_COOKIE: session_id}).get("/api/v1/me"), 401)


def test_a_wrong_password_answers_401_with_the_form_again(service: Service) -> None:
    client = service.client()
    answer = log_in(client, "alice", "not the password")
    assert answer.status_code == 401 and "Wrong user name or password" in answer.text
    assert 'value="alice"' in answer.text and "not the password" not in answer.text
    unknown = log_in(client, "nobody", "not the password")
    assert unknown.status_code == 401 and "Wrong user name or password" in unknown.text
    assert log_in(client, "", "").status_code == 400


@pytest.mark.slow
def test_failed_logins_are_throttled_per_account(service: Service) -> None:
    accounts = AccountStore.in_folder(service.folder)
    accounts.add_user("tim", Role.EDITOR, "tim's real password")
    for attempt in range(FREE_FAILURES_PER_ACCOUNT):
        assert log_in(service.client(), "tim", f"guess {attempt}").status_code == 401  # each from a new address
    refused = log_in(service.client(), "tim", "tim's real password")  # even the right one waits
    assert refused.status_code == 429 and "Too many failed attempts" in refused.text
    retry_after = int(refused.headers["retry-after"])
    assert 1 <= retry_after <= THROTTLE_BASE_S + 1
    assert service.client().get("/api/v1/me").status_code == 401
    # the count is in the accounts file: another process (or a restart) sees it
    other = LoginThrottle(AccountStore.in_folder(service.folder))
    assert other.wait_s("tim", "198.51.100.7", time.time()) > 0
    time.sleep(retry_after)
    client = service.client()
    assert log_in(client, "tim", "tim's real password").status_code == 303
    assert client.get("/api/v1/me").json()["name"] == "tim"
    assert accounts.login_failures("tim").count == 0  # a success clears them


@pytest.mark.slow
def test_failed_logins_are_throttled_per_client_address(service: Service) -> None:
    client = service.client()
    for attempt in range(FREE_FAILURES_PER_ADDRESS):  # a different name each time: no account reaches its limit
        assert log_in(client, f"sprayed{attempt}", "password1").status_code == 401
    answer = log_in(client, "alice", PASSWORDS["alice"])
    assert answer.status_code == 429 and int(answer.headers["retry-after"]) >= 1
    assert log_in(service.client(), "alice", PASSWORDS["alice"]).status_code == 303  # another address is free


def test_without_a_data_folder_login_says_how_to_start_one() -> None:
    app = create_app(Settings(content_dir=WEB_CONTENT_DIR))
    client = TestClient(app)
    page = client.get("/login", headers={"Accept": "text/html"})
    assert page.status_code == 503 and "--store DIR" in page.text
    for answer in (client.get("/api/v1/me"), client.post("/login", data={"name": "a", "password": "b"})):
        body = assert_error(answer, 503)
        assert "mskg serve --store DIR" in body["error"]


def test_no_credential_reaches_a_log_line_a_repr_or_an_error_body(
    service: Service, caplog: pytest.LogCaptureFixture
) -> None:
    accounts = AccountStore.in_folder(service.folder)
    accounts.add_user("leak", Role.ADMIN, "leak-check password 42")
    token = accounts.create_token("leak")
    secrets_sent = ["leak-check password 42", token, token.split("_", 2)[2], "a wrong guess 99"]
    seen: list[str] = []
    caplog.set_level(logging.DEBUG)
    client = service.client(raise_server_exceptions=False)
    for headers in ({}, {"Accept": "text/html"}):
        answers = [
            log_in(client, "leak", "a wrong guess 99"),
            client.get("/api/v1/me", headers={**headers, **bearer(token[:-2] + "zz")}),
            client.get("/api/v1/me", headers={**headers, "Authorization": f"Basic {token}"}),
            client.post("/test-only/edit", headers=headers, data={"password": secrets_sent[0]}),
            client.post("/login", data={"name": "leak", "password": secrets_sent[0], "csrf_token": "x"}),
        ]
        seen += [a.text + str(a.headers) for a in answers]
    log_in(client, "leak", secrets_sent[0])
    seen.append(client.get("/api/v1/me", headers=bearer(token)).text)
    session = start_session(accounts, accounts.user("leak") or pytest.fail("no user"))[1]
    seen += [
        repr(accounts),
        repr(service.app.state.accounts),
        repr(service.app.state.login_throttle),
        repr(accounts.user("leak")),
        repr(session),
        repr(Identity(session.user, session)),
        caplog.text,
        *(record.getMessage() + repr(record.args) for record in caplog.records),
    ]
    assert "login refused for user 'leak'" in caplog.text and "user 'leak' (admin) logged in" in caplog.text
    for text in seen:
        for secret in [*secrets_sent, session.csrf_token, session.id_hash]:
            assert secret not in text
        assert "$argon2" not in text
