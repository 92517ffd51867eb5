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


# --- the SPARQL editor (YASGUI, vendored) ---------------------------------------------------------------------

CLASSES_QUERY = (
    "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "SELECT ?class ?label WHERE { ?class a owl:Class ; rdfs:label ?label } ORDER BY ?label LIMIT 120"
)


def editor(page: Any) -> Any:
    """The CodeMirror instance of the current YASGUI tab."""
    current = page.locator(".yasqe .CodeMirror >> visible=true").first
    current.wait_for()
    return current


def set_query(page: Any, text: str) -> None:
    editor(page).evaluate("(element, text) => element.CodeMirror.setValue(text)", text)


def test_yasgui_runs_a_query_pages_the_table_and_links_to_pages(offline_page: Any) -> None:
    page = offline_page
    page.goto(page.base + "/sparql")
    assert page.locator("[data-sparql-plain]").is_hidden()  # the editor replaced the plain form
    set_query(page, CLASSES_QUERY)
    page.locator(".yasqe_queryButton").click()
    rows = page.locator(".yasr table.dataTable tbody tr")
    rows.first.wait_for()
    assert rows.count() == 50  # the first page of 120 rows
    page.locator(".yasr .dt-paging button, .yasr .paginate_button").filter(has_text="2").first.click()
    first_cell = "document.querySelector('.yasr table.dataTable tbody tr td').innerText.trim()"
    page.wait_for_function(f"() => {first_cell} === '51'")
    # syntax highlighting: keywords and variables are tokens of their own
    assert page.locator(".yasqe .cm-keyword").count() >= 3 and page.locator(".yasqe .cm-atom").count() >= 2
    # downloads follow the query, in every format of a SELECT answer
    downloads = page.locator("#sparql-downloads a[data-format]:not([hidden])")
    assert {downloads.nth(i).get_attribute("data-format") for i in range(downloads.count())} == {
        "json",
        "xml",
        "csv",
        "tsv",
    }
    assert "ORDER+BY" in (downloads.first.get_attribute("href") or "")
    link = page.locator(".yasr a.iri").first
    href = link.get_attribute("href") or ""
    assert href.startswith(("/def/", "/resource?iri=")), href
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "sparql-yasgui.png", full_page=True)
    link.click()
    page.wait_for_url(re.compile(r"/(def|resource)"))
    assert page.locator("h1").count() == 1
    assert not page.problems, page.problems
    assert not page.outside, page.outside


def test_yasgui_completes_prefixes_and_terms_of_this_graph(offline_page: Any) -> None:
    page = offline_page
    page.goto(page.base + "/sparql")
    set_query(page, "PREFIX gsim: <http://id.unece.org/def/gsim#>\nSELECT * WHERE { ?x a gsim:InstanceVa")
    editor(page).evaluate("element => { const cm = element.CodeMirror; cm.focus(); cm.setCursor(cm.lineCount(), 0); }")
    page.keyboard.press("Control+Space")
    hints = page.locator(".CodeMirror-hints li")
    hints.first.wait_for()
    assert "gsim:InstanceVariable" in hints.all_inner_texts()
    page.keyboard.press("Enter")
    assert "a gsim:InstanceVariable" in editor(page).evaluate("element => element.CodeMirror.getValue()")
    assert not page.problems, page.problems
    assert not page.outside, page.outside


def test_yasgui_marks_the_parser_error_where_it_stopped(offline_page: Any) -> None:
    page = offline_page
    page.goto(page.base + "/sparql")
    set_query(page, "SELECT * WHERE {\n  ?s foo:bar ?o\n}")
    page.locator(".yasqe_queryButton").click()
    mark = page.locator(".yasqe .sparql-error-mark")
    mark.wait_for()
    assert mark.inner_text() == "foo:bar"  # the word the parser could not take
    flag = page.locator(".yasqe .sparql-error-flag")
    assert "Prefix not found" in (flag.get_attribute("title") or "")
    assert "line 2, column" in (flag.get_attribute("title") or "")
    assert "Prefix not found" in page.locator(".yasr").inner_text()
    # the endpoint's 400 answer is logged by the browser itself; nothing else may be
    others = [p for p in page.problems if "status of 400" not in p]
    assert not others, others
    assert not page.outside, page.outside


def test_yasgui_keeps_tabs_and_history_across_visits(offline_page: Any) -> None:
    page = offline_page
    page.goto(page.base + "/sparql")
    page.locator(".yasgui .tabPanel, .yasgui .tabsList").first.wait_for()
    page.locator(".yasgui .addTab").click()
    set_query(page, "SELECT ?thing WHERE { ?thing ?p ?o } LIMIT 3")
    page.locator(".yasqe_queryButton >> visible=true").click()
    page.locator(".yasr table.dataTable tbody tr >> visible=true").first.wait_for()
    tabs_before = page.locator(".yasgui .tabsList .tab").count()
    assert tabs_before >= 2
    page.reload()
    editor(page)
    assert page.locator(".yasgui .tabsList .tab").count() == tabs_before
    assert "?thing" in editor(page).evaluate("element => element.CodeMirror.getValue()")
    assert not page.problems, page.problems
