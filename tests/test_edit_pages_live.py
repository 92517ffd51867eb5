"""The editing pages in real Chromium on a live service (uvicorn over a durable temp store with the real content, an
editor and a reviewer made with `mskg users add`): propose from the 5.3 page's link with the pick lists, see the
mapping on its page, in the review queue and in "my changes"; four-eyes review; a stale form's 412 conflict page;
CSRF refusal; the 422 report on the form. No CSP violation or script error on the way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import LiveServer
from test_accounts_live import add_user, browser, browser_log_in  # noqa: F401 - `browser` is a shared fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MAPPING = "5.3-coreInput-population"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, start_server: Callable[..., LiveServer]) -> LiveServer:
    folder: Path = tmp_path_factory.mktemp("live-edit-pages")
    add_user(folder, "alice", "editor")
    add_user(folder, "rob", "reviewer")
    return start_server({"MSKG_STORE": str(folder)})


def changes_total(server: LiveServer) -> int:
    total: int = httpx.get(server.url + "/api/v1/changes", timeout=30).json()["total"]
    return total


def status_of(server: LiveServer, mapping_id: str) -> str:
    status: str = httpx.get(f"{server.url}/api/v1/mappings/{mapping_id}", timeout=30).json()["status"]
    return status


def test_propose_review_and_the_refusals_in_chromium(browser: Any, server: LiveServer) -> None:  # noqa: F811
    def new_context() -> Any:
        ctx = browser.new_context(viewport={"width": 1100, "height": 800}, locale="en-GB")
        ctx.set_default_timeout(30_000)
        ctx.problems = []
        ctx.on(  # the refused posts (403, 412, 422) are expected; a CSP violation or a script error is not
            "console",
            lambda m: (
                ctx.problems.append(m.text)
                if m.type == "error" and not m.text.startswith("Failed to load resource")
                else None
            ),
        )
        return ctx

    editor, reviewer = new_context(), new_context()
    try:
        page = editor.new_page()
        browser_log_in(page, server.url, "alice")
        page.goto(server.url + "/activities/subProcess/5.3")
        page.get_by_role("link", name="Propose a mapping").click()
        page.wait_for_url("**/edit/propose?activity=5.3")
        assert page.locator("#f-activity").input_value() == "5.3"  # pre-filled from the link
        # a change a shape refuses: the report on the form, the input kept, nothing written
        before = changes_total(server)
        page.select_option("#f-class", "InformationSet")
        page.select_option("#f-role", "CoreInput")
        page.get_by_label("Justification").fill("The review reads the population of units.")
        page.get_by_label("Comment (why this change)").fill("first try")
        with page.expect_response(lambda r: r.url.endswith("/edit/propose") and r.request.method == "POST") as sent:
            page.get_by_role("button", name="Propose").click()
        assert sent.value.status == 422
        assert "no abstract class" in page.get_by_role("alert").inner_text()
        assert page.locator("#f-class").input_value() == "InformationSet"
        assert page.get_by_label("Justification").input_value() == "The review reads the population of units."
        assert changes_total(server) == before

        page.select_option("#f-class", "Population")
        page.get_by_role("button", name="Propose").click()
        page.wait_for_url(f"**/edit/mappings/{MAPPING}")
        assert page.locator("td.status").inner_text() == "proposed"
        assert page.get_by_role("button", name="Endorse").count() == 0  # an editor does not review
        page.goto(server.url + "/review?phase=5&author=alice")
        assert page.locator(f'a[href="/edit/mappings/{MAPPING}"]').count() == 1
        page.goto(server.url + "/me/changes")
        page.locator(f'a[href="/edit/mappings/{MAPPING}"]').first.click()
        page.wait_for_url(f"**/edit/mappings/{MAPPING}")

        # the reviewer endorses it
        review_page = reviewer.new_page()
        browser_log_in(review_page, server.url, "rob")
        review_page.goto(f"{server.url}/edit/mappings/{MAPPING}")
        review_page.locator("#r-comment").fill("Holds: the population frames the check.")
        review_page.get_by_role("button", name="Endorse").click()
        review_page.wait_for_url(f"**/edit/mappings/{MAPPING}")
        assert review_page.locator("td.status").inner_text() == "endorsed"
        assert status_of(server, MAPPING) == "endorsed"

        # a stale form: alice's page was made before rob's change
        page.goto(f"{server.url}/edit/mappings/{MAPPING}")
        page.locator("#e-justification").fill("Alice's wording.")
        page.locator("#e-comment").fill("reword")
        review_page.goto(f"{server.url}/edit/mappings/{MAPPING}")
        review_page.locator("#e-justification").fill("Rob's wording.")
        review_page.locator("#e-comment").fill("reword first")
        review_page.get_by_role("button", name="Save the change").click()
        review_page.wait_for_url(f"**/edit/mappings/{MAPPING}")
        before = changes_total(server)
        with page.expect_response(lambda r: r.url.endswith("/update")) as sent:
            page.get_by_role("button", name="Save the change").click()
        assert sent.value.status == 412
        conflict = page.locator("table.conflict").inner_text()
        assert "Rob's wording." in conflict and "Alice's wording." in conflict
        assert changes_total(server) == before
        page.get_by_role("link", name="Start again from the current state").click()
        page.wait_for_url(f"**/edit/mappings/{MAPPING}")
        assert page.locator("#e-justification").input_value() == "Rob's wording."

        # a form whose CSRF token is wrong, or missing: 403, nothing written
        for token in ("wrong", None):
            page.goto(f"{server.url}/edit/mappings/{MAPPING}")
            field = page.locator('form[action$="/comment"] input[name="csrf_token"]')
            if token is None:
                field.evaluate("e => e.remove()")
            else:
                field.evaluate("e => { e.value = 'wrong' }")
            page.locator("#c-comment").fill("should not land")
            with page.expect_response(lambda r: r.url.endswith("/comment")) as sent:
                page.get_by_role("button", name="Comment").click()
            assert sent.value.status == 403
            assert changes_total(server) == before
        assert not editor.problems, editor.problems
        assert not reviewer.problems, reviewer.problems
    finally:
        editor.close()
        reviewer.close()
