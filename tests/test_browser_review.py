"""The reviewer's pages in a real headless Chromium, at a laptop width (1280 px) and a phone width (390 px): the
full matrix keeps its headers in view while it scrolls, the page body never overflows sideways (only the matrix and
diagram boxes scroll, on purpose), touch targets are at least 24 px, no word is broken mid-letter; screenshots go to
`test-artifacts/`."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import PROJECT_ROOT, require

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = PROJECT_ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS = {"laptop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
PAGES = {
    "matrix": "/matrix",
    "matrix-filtered": "/matrix?phase=5&role=CoreInput",
    "mapping-list": "/matrix/list?activity=5.3",
    "flow-subprocess": "/flow?activity=5.3",
    "flow-class": "/flow?class=DataSet",
    "flow-gaps": "/flow/gaps",
    "subprocess": "/activities/subProcess/5.3",
    "vocabularies": "/browse",
    "az-index": "/browse/gsim/a-z",
    "tree-gsbpm": "/browse/gsbpm/tree",
    "tree-gsim": "/browse/gsim/tree",
    "gsim-group": "/def/gsim/ConceptsGroup",
    "downloads": "/downloads",
}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    require(Path(executable).exists(), "Chromium not found: install it (Debian: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(params=sorted(VIEWPORTS))
def tab(request: pytest.FixtureRequest, browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=VIEWPORTS[request.param], locale="en-GB", has_touch=request.param == "phone")
    page = context.new_page()
    page.set_default_timeout(20_000)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.base = live_server.url
    page.problems = problems
    page.viewport_name = request.param
    yield page
    context.close()


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"review-{name}-{page.viewport_name}.png"))


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_body_does_not_overflow_and_targets_are_big_enough(tab: Any, name: str) -> None:
    tab.goto(tab.base + PAGES[name])
    _shot(tab, name)
    width = tab.evaluate("innerWidth")
    # only the deliberate scroll boxes (the matrix, tables, diagrams) may be wider than the screen
    assert tab.evaluate("document.documentElement.scrollWidth") <= width, "the page body scrolls sideways"
    small = tab.evaluate(
        """() => [...document.querySelectorAll(
             'main table.full-matrix a, .matrix-filters select, .matrix-filters button, nav.letters a')]
           .map(a => a.getBoundingClientRect()).filter(r => r.width > 0 && (r.height < 24 || r.width < 24)).length"""
    )
    assert small == 0, f"{small} touch targets under 24 px"
    broken = tab.evaluate(
        """() => [...document.querySelectorAll('main a, main th, main td, main p')]
           .filter(e => { const s = getComputedStyle(e);
                          return s.overflowWrap === 'anywhere' || s.wordBreak === 'break-all'; })
           .length"""
    )
    assert broken == 0, "text that may break mid-word"
    assert not tab.problems, tab.problems


def test_matrix_headers_stay_in_view_while_it_scrolls(tab: Any) -> None:
    tab.goto(tab.base + "/matrix")
    box = tab.locator(".matrix-scroll")
    box.scroll_into_view_if_needed()
    before = tab.evaluate("document.querySelector('.matrix-scroll').getBoundingClientRect().toJSON()")
    tab.evaluate(
        "(() => { const s = document.querySelector('.matrix-scroll'); s.scrollTop = 700; s.scrollLeft = 1500; })()"
    )
    assert tab.evaluate("document.querySelector('.matrix-scroll').scrollLeft") > 0, "the matrix does not scroll"
    corner = tab.evaluate("document.querySelector('table.full-matrix th.corner').getBoundingClientRect().toJSON()")
    cls = tab.evaluate(
        "document.querySelector('table.full-matrix tr.classes th:nth-child(40)').getBoundingClientRect().toJSON()"
    )
    row = tab.evaluate(
        "document.querySelector('table.full-matrix tbody tr:nth-child(20) th').getBoundingClientRect().toJSON()"
    )
    _shot(tab, "matrix-scrolled")
    assert abs(corner["top"] - before["top"]) <= 2 and abs(corner["left"] - before["left"]) <= 2
    assert before["top"] - 1 <= cls["top"] <= before["top"] + 60, "class headers scrolled out of view"
    assert abs(row["left"] - before["left"]) <= 2, "row headers scrolled out of view"
    # the scroll box fits the screen: the page itself does not scroll sideways
    assert tab.evaluate("document.documentElement.scrollWidth") <= tab.evaluate("innerWidth")


def test_matrix_filter_form_narrows_the_view(tab: Any) -> None:
    tab.goto(tab.base + "/matrix")
    everything = int(tab.locator("#shown-count").inner_text())
    tab.select_option("#f-phase", "5")
    tab.select_option("#f-role", "CoreInput")
    tab.get_by_role("button", name="Apply filters").click()
    tab.wait_for_url("**/matrix?*phase=5*")
    narrowed = int(tab.locator("#shown-count").inner_text())
    assert 0 < narrowed < everything
    rows = tab.locator("table.full-matrix tbody th .code").all_inner_texts()
    assert rows and all(code.startswith("5.") for code in rows)
    href = tab.get_by_role("link", name="CSV of this view (one line per mapping)").get_attribute("href")
    assert "phase=5" in href and "role=CoreInput" in href
