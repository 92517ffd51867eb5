"""Accounts on a live service (uvicorn processes over an on-disk store, users made with the `mskg` command): log in
and out in real Chromium, CSRF refusals from another origin and from a stale form, the cookie flags (Secure behind
an HTTPS proxy), and accounts, sessions, tokens and the throttle surviving a restart over the same folder."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import WEB_CONTENT_DIR, LiveServer, free_port, require
from modernstats_kg.editing.throttle import FREE_FAILURES_PER_ACCOUNT
from test_accounts_http import csrf_of
from test_browser import ARTIFACTS, CHROMIUM_ARGS
from test_cli import mskg

PASSWORD = "a password for the browser"


def add_user(folder: Path, name: str, role: str, password: str = PASSWORD) -> None:
    result = mskg("users", "add", name, "--role", role, "--password-stdin", "--store", str(folder), stdin=password)
    assert result.returncode == 0, result.stderr


def server_env(folder: Path) -> dict[str, str]:
    return {"MSKG_STORE": str(folder), "MSKG_CONTENT_DIR": str(WEB_CONTENT_DIR)}


@pytest.fixture(scope="module")
def store_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("live-accounts")
    add_user(folder, "alice", "editor")
    return folder


@pytest.fixture(scope="module")
def server(store_folder: Path, start_server: Callable[..., LiveServer]) -> LiveServer:
    return start_server(server_env(store_folder))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = "/usr/bin/chromium"
    require(Path(executable).exists(), "Chromium not found: install it (Debian: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1100, "height": 800}, locale="en-GB")
    context.set_default_timeout(15_000)
    context.problems = []
    # errors other than the expected 401s of a wrong password and a logged-out /api/v1/me: CSP violations, scripts
    context.on(
        "console",
        lambda m: (
            context.problems.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    yield context
    context.close()


def browser_log_in(page: Any, base: str, name: str = "alice", password: str = PASSWORD) -> None:
    page.goto(base + "/login")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(base + "/login")
    page.get_by_text("Logged in as").wait_for()


def cookie(context: Any, name: str) -> dict[str, Any] | None:
    return next((c for c in context.cookies() if c["name"] == name), None)


@pytest.mark.browser
@pytest.mark.slow
def test_log_in_and_out_in_chromium(context: Any, server: LiveServer) -> None:
    page = context.new_page()
    page.goto(server.url + "/login")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "login.png"), full_page=True)
    page.get_by_label("User name").fill("alice")
    page.get_by_label("Password").fill("not her password")
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_role("alert").inner_text() == "Wrong user name or password."
    assert page.get_by_label("Password").input_value() == ""

    browser_log_in(page, server.url)
    assert page.locator(".user-name").inner_text() == "alice"
    session = cookie(context, "mskg_session")
    assert session is not None
    assert session["httpOnly"] is True and session["sameSite"] == "Lax" and session["secure"] is False
    assert "mskg_session" not in page.evaluate("document.cookie")  # out of reach of scripts
    me = page.goto(server.url + "/api/v1/me")
    assert me.status == 200 and '"name":"alice"' in page.content()

    page.goto(server.url + "/login")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(server.url + "/login")
    assert page.get_by_role("button", name="Log in").is_visible()
    assert cookie(context, "mskg_session") is None
    assert page.goto(server.url + "/api/v1/me").status == 401
    assert not context.problems, context.problems  # no CSP violation, no script error


class _AttackerPage(http.server.BaseHTTPRequestHandler):
    body = b""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def attacker_site(server: LiveServer) -> Iterator[str]:
    """A page on another origin (another port of 127.0.0.1: same site, so SameSite alone would not stop it) whose
    forms post to the service without the CSRF token."""
    _AttackerPage.body = f"""<!doctype html><title>prize</title>
<form id="logout" method="post" action="{server.url}/logout"><button>Claim your prize</button></form>
<form id="login" method="post" action="{server.url}/login">
<input type="hidden" name="name" value="alice"><input type="hidden" name="password" value="{PASSWORD}">
<button>Log in as me</button></form>""".encode()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), _AttackerPage)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.browser
@pytest.mark.slow
def test_forms_from_another_origin_are_refused(context: Any, server: LiveServer, attacker_site: str) -> None:
    page = context.new_page()
    browser_log_in(page, server.url)
    page.goto(attacker_site)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Claim your prize").click()
    assert navigation.value.status == 403
    assert page.locator("h1").inner_text() == "403 Forbidden"
    assert "CSRF token is missing or wrong" in page.locator("main").inner_text()
    assert page.goto(server.url + "/api/v1/me").status == 200  # still logged in: the forged logout did nothing

    stranger = context.browser.new_context()  # login CSRF: logging a victim in as someone else
    tab = stranger.new_page()
    tab.goto(attacker_site)
    with tab.expect_navigation() as navigation:
        tab.get_by_role("button", name="Log in as me").click()
    assert navigation.value.status == 403
    assert not [c for c in stranger.cookies() if c["name"] == "mskg_session"]
    stranger.close()


@pytest.mark.browser
@pytest.mark.slow
def test_a_stale_form_of_an_ended_session_is_refused(context: Any, server: LiveServer) -> None:
    stale = context.new_page()
    browser_log_in(stale, server.url)  # this tab keeps the logout form of the first session
    other = context.new_page()
    other.goto(server.url + "/login")
    other.get_by_role("button", name="Log out").click()
    browser_log_in(other, server.url)  # a new session, with a new token
    with stale.expect_navigation() as navigation:
        stale.get_by_role("button", name="Log out").click()
    assert navigation.value.status == 403
    assert "reload the page" in stale.locator("main").inner_text()
    assert other.goto(server.url + "/api/v1/me").status == 200


def test_cookies_are_secure_behind_an_https_proxy(server: LiveServer) -> None:
    """uvicorn trusts X-Forwarded-Proto from 127.0.0.1 (its default); the cookies then carry Secure."""
    proxied = {"X-Forwarded-Proto": "https"}
    with httpx.Client(base_url=server.url, headers=proxied) as client:
        form = client.get("/login")
        assert "secure" in form.headers["set-cookie"].lower()
        token = csrf_of(form.text)
        # the client keeps Secure cookies for HTTPS, and it talks plain HTTP to the "proxy": send it by hand
        sent = {"Cookie": f"mskg_login_csrf={form.cookies['mskg_login_csrf']}"}
        answer = client.post("/login", data={"csrf_token": token, "name": "alice", "password": PASSWORD}, headers=sent)
        assert answer.status_code == 303
        session_cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith("mskg_session="))
        assert "secure" in session_cookie.lower() and "httponly" in session_cookie.lower()
    plain = httpx.get(server.url + "/login")
    assert "secure" not in plain.headers["set-cookie"].lower()


def http_log_in(client: httpx.Client, name: str, password: str) -> httpx.Response:
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"csrf_token": token, "name": name, "password": password})


@pytest.mark.slow
def test_accounts_sessions_tokens_and_throttle_survive_a_restart(
    tmp_path: Path, start_server: Callable[..., LiveServer]
) -> None:
    add_user(tmp_path, "ada", "admin")
    first = start_server(server_env(tmp_path))
    add_user(tmp_path, "rob", "reviewer")  # while the server runs: seen at once
    token = mskg("tokens", "create", "rob", "--store", str(tmp_path)).stdout.strip()
    with httpx.Client(base_url=first.url) as browser_like:
        assert http_log_in(browser_like, "ada", PASSWORD).status_code == 303
        assert browser_like.get("/api/v1/me").json()["name"] == "ada"
        session_cookie = browser_like.cookies["mskg_session"]
    assert (
        httpx.get(first.url + "/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()["role"] == "reviewer"
    )
    with httpx.Client(base_url=first.url) as guesser:
        for attempt in range(FREE_FAILURES_PER_ACCOUNT):  # the free ones: the next failure starts the backoff
            assert http_log_in(guesser, "rob", f"guess {attempt}").status_code == 401
    first.stop()

    second = start_server(server_env(tmp_path))
    restored = httpx.Client(base_url=second.url, cookies={"mskg_session": session_cookie})
    assert restored.get("/api/v1/me").json() == {
        "name": "ada",
        "role": "admin",
        "roles": ["editor", "reviewer", "admin"],
        "authenticated_by": "session",
    }
    restored.close()
    bearer = {"Authorization": f"Bearer {token}"}
    assert httpx.get(second.url + "/api/v1/me", headers=bearer).json()["name"] == "rob"
    with httpx.Client(base_url=second.url) as client:
        # the restart took longer than the first backoff step (1 s): one more guess is checked, and had the count been
        # lost with the process it would be the first of five free ones; it is the sixth, so the next one waits
        assert http_log_in(client, "rob", "guess 5").status_code == 401
        throttled = http_log_in(client, "rob", PASSWORD)
        assert throttled.status_code == 429 and int(throttled.headers["retry-after"]) in {1, 2}
    assert mskg("tokens", "revoke", "rob", "--store", str(tmp_path)).returncode == 0
    assert httpx.get(second.url + "/api/v1/me", headers=bearer).status_code == 401  # revoked at once
    assert mskg("users", "remove", "ada", "--store", str(tmp_path)).returncode == 0
    with httpx.Client(base_url=second.url, cookies={"mskg_session": session_cookie}) as gone:
        assert gone.get("/api/v1/me").status_code == 401  # a removed user's sessions end with them
    second.stop()
