"""The pages in a real headless Chromium: click through the GSBPM matrix to a sub-process, to a GSIM input, to
another sub-process that puts it out; autocomplete; language switch; keyboard; no CSP violations; screenshots of
the home and a sub-process page (phone and laptop) saved to `test-artifacts/` for a look."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import rdflib

from conftest import PROJECT_ROOT, require

pytestmark = pytest.mark.browser

ARTIFACTS = PROJECT_ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SKOS = rdflib.namespace.SKOS


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    require(Path(executable).exists(), "Chromium not found: install it (Debian: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    problems: list[str] = []
    tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: problems.append(str(e)))
    tab.base = live_server.url
    tab.problems = problems
    yield tab
    context.close()


def test_click_from_the_matrix_to_a_subprocess_to_its_input_to_another_producer(page: Any) -> None:
    page.goto(page.base + "/")
    page.locator("ol.phases").get_by_role("link", name=re.compile(r"^5\.3\b")).click()
    page.wait_for_url("**/activities/subProcess/5.3")
    assert page.locator("h1").inner_text().startswith("5.3")

    # follow the first GSIM input to its class page
    first_input = page.locator("section[aria-labelledby=inputs-title] table tbody th a").first
    class_name = first_input.inner_text()
    first_input.click()
    page.wait_for_url(re.compile(r"/def/gsim/\w+$"))
    assert page.locator("h1").inner_text().startswith(class_name)

    # from the class page, go to another sub-process that puts it out
    producers = page.locator("section[aria-labelledby=used-title] table").nth(1).locator("tbody th a")
    assert producers.count() > 0, f"no sub-process puts out {class_name}"
    other = next(i for i in range(producers.count()) if not producers.nth(i).inner_text().startswith("5.3"))
    target = producers.nth(other)
    code = target.inner_text().split()[0]
    target.click()
    page.wait_for_url(re.compile(r"/activities/(subProcess|overarchingActivity)/"))
    assert page.locator("h1").inner_text().startswith(code)
    outputs = page.locator("section[aria-labelledby=outputs-title]")
    assert outputs.get_by_role("link", name=class_name, exact=True).count() >= 1
    assert not page.problems, page.problems


def test_autocomplete_offers_matches_and_opens_the_chosen_one(page: Any) -> None:
    page.goto(page.base + "/")
    box = page.get_by_role("combobox", name=re.compile("Search", re.I))
    box.fill("review and val")
    option = page.locator("#site-q-list li").first
    option.wait_for(state="visible")
    assert "5.3" in option.inner_text()
    assert box.get_attribute("aria-expanded") == "true"
    box.press("ArrowDown")
    # the combobox pattern: the active option is named by aria-activedescendant and is aria-selected
    active = box.get_attribute("aria-activedescendant") or ""
    assert page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    assert page.get_by_role("listbox").get_by_role("option").count() >= 1
    box.press("Enter")
    page.wait_for_url("**/activities/subProcess/5.3")
    assert not page.problems, page.problems


def test_search_works_without_javascript(browser: Any, live_server: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(live_server.url + "/")
    tab.get_by_role("combobox").fill("instance variable")
    tab.get_by_role("button", name=re.compile("Search", re.I)).click()
    tab.wait_for_url(re.compile(r"/search\?q="))
    assert tab.get_by_role("link", name="Instance Variable", exact=True).count() >= 1
    context.close()


def test_language_switch_changes_labels_and_sticks(page: Any, reference_dir: Path) -> None:
    coos = rdflib.Graph().parse(reference_dir / "coos" / "coos.ttl")
    sp = rdflib.URIRef("http://id.unece.org/activities/subProcess/5.3")
    french = next(
        str(o) for o in coos.objects(sp, SKOS.prefLabel) if isinstance(o, rdflib.Literal) and o.language == "fr"
    )
    page.goto(page.base + "/activities/subProcess/5.3")
    page.get_by_role("navigation", name="Language", exact=True).get_by_role("link", name="FR").click()
    page.wait_for_url(re.compile(r"lang=fr"))
    assert page.locator("html").get_attribute("lang") == "fr"
    assert french in page.locator("h1").inner_text()
    page.goto(page.base + "/activities/subProcess/5.3")  # no parameter: the cookie keeps French
    assert french in page.locator("h1").inner_text()


def test_keyboard_reaches_the_skip_link_first_and_focus_is_visible(page: Any) -> None:
    page.goto(page.base + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#matrix"  # on the home page, the first skip link goes to the matrix


@pytest.mark.parametrize(("name", "width", "height"), [("laptop", 1366, 900), ("phone", 390, 844)])
def test_screenshots_of_home_and_a_subprocess_page(
    browser: Any, live_server: Any, name: str, width: int, height: int
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
    tab = context.new_page()
    for slug, path in (
        ("home", "/"),
        ("subprocess-5.3", "/activities/subProcess/5.3"),
        ("gsim-group", "/def/gsim/BusinessGroup"),
        ("gsim-class", "/def/gsim/ProcessStep"),
        ("az-index", "/browse/gsim/a-z"),
        ("tree", "/browse/gsbpm/tree"),
    ):
        tab.goto(live_server.url + path)
        shot = ARTIFACTS / f"{slug}-{name}.png"
        tab.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        if tab.locator("figure.diagram-wrap").count():
            tab.locator("figure.diagram-wrap").first.screenshot(path=str(ARTIFACTS / f"{slug}-diagram-{name}.png"))
        overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{path} scrolls sideways on a {name} ({overflow}px)"
    context.close()
