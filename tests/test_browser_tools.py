"""The tools of the linked-data engineer in a real headless Chromium, offline (every request that leaves the server
is refused) and under the site's Content Security Policy: the API viewers `/docs` and `/redoc`, the SPARQL editor."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from test_browser import ARTIFACTS, browser  # noqa: F401  (the shared Chromium)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def offline_page(browser: Any, live_server: Any) -> Iterator[Any]:  # noqa: F811
    """A tab that may only reach the live server; console errors, page errors and outside requests are collected."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
    outside: list[str] = []

    def only_the_server(route: Any) -> None:
        if route.request.url.startswith(live_server.url) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_server)
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    problems: list[str] = []
    tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: problems.append(str(e)))
    tab.base = live_server.url
    tab.problems = problems
    tab.outside = outside
    yield tab
    context.close()


def test_swagger_ui_renders_every_operation_offline(offline_page: Any) -> None:
    page = offline_page
    page.goto(page.base + "/")
    page.locator("footer").get_by_role("link", name="API (Swagger UI)").click()
    page.wait_for_url("**/docs")
    page.locator(".opblock").first.wait_for()
    operations = page.locator(".opblock-summary-path")
    paths = {operations.nth(i).inner_text().replace("\u200b", "") for i in range(operations.count())}
    assert "/api/v1/gsim/classes" in paths, paths
    page.locator(".opblock").first.locator(".opblock-summary").click()  # an operation opens
    page.locator(".opblock-body").first.wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "docs-swagger.png")
    assert not page.problems, page.problems
    assert not page.outside, page.outside


def test_redoc_renders_every_operation_offline(offline_page: Any) -> None:
    page = offline_page
    page.goto(page.base + "/docs")
    page.get_by_role("link", name="ReDoc", exact=True).click()
    page.wait_for_url("**/redoc")
    page.locator("[data-section-id^='operation/']").first.wait_for()
    assert page.locator("[data-section-id^='operation/']").count() >= 10
    assert page.get_by_text(re.compile(r"/api/v1/gsim/classes")).count() >= 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "docs-redoc.png")
    assert not page.problems, page.problems
    assert not page.outside, page.outside
