"""The task proposal form in real Chromium on a live service (uvicorn over a durable temp store with the real content;
an organisation registered and an editor acting for it, made with `mskg`): open the form from the 5.3 page's link,
fill it with the pick lists, see the shapes' 422 report on the form with the input kept and nothing written, then
land on the new task's page and find the task on the 5.3 page. No CSP violation or script error on the way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import LiveServer
from test_accounts_live import add_user, browser, browser_log_in  # noqa: F401 - `browser` is a shared fixture
from test_cli import mskg

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ORGANIZATION = "xa-stat"
TASK = f"{ORGANIZATION}/5.3.7"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, start_server: Callable[..., LiveServer]) -> LiveServer:
    folder: Path = tmp_path_factory.mktemp("live-task-form")
    add_user(folder, "ada", "admin")
    add_user(folder, "alice", "editor")
    store = ("--store", str(folder))
    registered = mskg(
        "organisations", "add", ORGANIZATION, "--kind", "nsi", "--name", "Example Statistics A", "--country", "XA",
        "--user", "ada", *store,
    )  # fmt: skip
    assert registered.returncode == 0, registered.stderr
    acting = mskg("users", "organisation", "alice", ORGANIZATION, *store)
    assert acting.returncode == 0, acting.stderr
    return start_server({"MSKG_STORE": str(folder)})


def tasks_of(server: LiveServer) -> list[str]:
    answer = httpx.get(f"{server.url}/api/v1/tasks", params={"organization": ORGANIZATION}, timeout=30).json()
    return [task["id"] for task in answer["items"]]


def test_an_editor_proposes_a_task_with_the_form_in_chromium(browser: Any, server: LiveServer) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 1100, "height": 800}, locale="en-GB")
    context.set_default_timeout(30_000)
    problems: list[str] = []
    context.on(  # the refused post (422) is expected; a CSP violation or a script error is not
        "console",
        lambda m: (
            problems.append(m.text) if m.type == "error" and not m.text.startswith("Failed to load resource") else None
        ),
    )
    try:
        page = context.new_page()
        browser_log_in(page, server.url, "alice")
        page.goto(server.url + "/activities/subProcess/5.3")
        page.get_by_role("link", name="Propose a task for this sub-process").click()
        page.wait_for_url("**/tasks/propose?activity=5.3")
        assert page.locator("#task-organization").input_value() == ORGANIZATION
        assert page.locator("#task-subprocess").input_value() == "5.3"  # pre-filled from the link
        assert page.locator("#task-code").input_value() == "5.3."

        # a task the shapes refuse (its code is not under its sub-process): the report on the form, input kept
        page.locator("#task-code").fill("5.4.7")
        page.locator("#task-name").fill("Check value ranges")
        page.locator("#task-description").fill("Flag each value that lies outside the valid range of its variable.")
        page.select_option("#task-inputs", ["InstanceVariable"])
        page.select_option("#task-outputs", ["DataSet"])
        page.locator("#task-comment").fill("our range checks")
        with page.expect_response(lambda r: r.url.endswith("/tasks/propose") and r.request.method == "POST") as sent:
            page.get_by_role("button", name="Submit the task").click()
        assert sent.value.status == 422
        report = page.locator("#task-refused").inner_text()
        assert "must start with the code of the GSBPM sub-process" in report, report
        assert page.locator("#task-code").input_value() == "5.4.7"
        assert page.locator("#task-name").input_value() == "Check value ranges"
        assert page.locator("#task-inputs").evaluate("s => [...s.selectedOptions].map(o => o.value)") == [
            "InstanceVariable"
        ]
        assert page.locator("#task-outputs").evaluate("s => [...s.selectedOptions].map(o => o.value)") == ["DataSet"]
        assert tasks_of(server) == []

        # the code put right: the task is written and its page shown
        page.locator("#task-code").fill("5.3.7")
        page.get_by_role("button", name="Submit the task").click()
        page.wait_for_url(f"**/activities/task/{TASK}")
        assert "Check value ranges" in page.locator("h1").inner_text()
        assert tasks_of(server) == [TASK]
        task = httpx.get(f"{server.url}/api/v1/tasks/{TASK}", timeout=30).json()
        assert (task["status"], task["inputs"], task["outputs"], task["authors"]) == (
            "proposed",
            ["InstanceVariable"],
            ["DataSet"],
            ["alice"],
        )

        # listed among the contributed tasks of 5.3, with its organisation: the browser's copy of the page (seen
        # before the task was written) is checked again, not reused
        page.goto(server.url + "/activities/subProcess/5.3")
        contributed = page.locator("section.tasks", has=page.locator("#contributed-title"))
        assert contributed.locator(f'a[href="/activities/task/{TASK}"]').count() == 1
        assert "Example Statistics A" in contributed.inner_text()
        assert not problems, problems
    finally:
        context.close()
