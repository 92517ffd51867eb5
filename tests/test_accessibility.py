"""Accessibility in a real Chromium: axe-core (the copy shipped in `axe-playwright-python`, offline) finds no critical
or serious violation on any page type, on a laptop and on a phone; the focus ring contrasts at least 3:1 with the
page around it; a skip link leads past the header to the home page's matrix."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from test_browser import ARTIFACTS, browser  # noqa: F401  (the shared Chromium)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGE_TYPES = {
    "home": "/",
    "subprocess": "/activities/subProcess/5.3",
    "phase": "/activities/phase/5",
    "gsim-index": "/def/gsim",
    "gsim-class": "/def/gsim/InstanceVariable",
    "gsim-deprecated": "/def/gsim/UnitDataSet",
    "gamso": "/activities/gamso",
    "cspa": "/def/cspa",
    "coos": "/def/coos",
    "matrix": "/matrix",
    "flow": "/flow?class=InstanceVariable",
    "downloads": "/downloads",
    "search": "/search?q=validation",
    "sparql": "/sparql",
    "resource": "/resource?iri=http%3A%2F%2Fwww.w3.org%2F2000%2F01%2Frdf-schema%23domain",
    "shapes": "/shapes/mapping",
    "login": "/login",
    "not-found": "/activities/subProcess/9.9",
    "api-docs": "/docs",
    "vocabularies": "/browse",
    "az-index": "/browse/gsim/a-z",
    "tree": "/browse/gsim/tree",
    "gsim-group": "/def/gsim/ConceptsGroup",
}
VIEWPORTS = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def axe() -> Any:
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture(params=list(VIEWPORTS))
def tab(request: pytest.FixtureRequest, browser: Any, live_server: Any) -> Iterator[Any]:  # noqa: F811
    context = browser.new_context(viewport=VIEWPORTS[request.param], locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.base = live_server.url
    page.viewport_name = request.param
    yield page
    context.close()


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_no_critical_or_serious_violation(tab: Any, axe: Any, name: str) -> None:
    tab.goto(tab.base + PAGE_TYPES[name])
    if name == "api-docs":
        tab.locator(".opblock").first.wait_for()
    # Swagger UI puts its copy button inside each operation's toggle button; that is the viewer's own markup
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if name == "api-docs":
        options["rules"] = {"nested-interactive": {"enabled": False}}
    results = axe.run(tab, options=options)
    severe = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
        if v["impact"] in ("critical", "serious")
    ]
    assert not severe, "\n".join(severe)


def luminance(rgb: tuple[float, ...]) -> float:
    def channel(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def rgb(css: str) -> tuple[float, ...]:
    return tuple(float(x) for x in re.findall(r"[\d.]+", css)[:3])


def test_focus_ring_contrasts_three_to_one(tab: Any) -> None:
    tab.goto(tab.base + "/activities/subProcess/5.3")
    checked = 0
    for _ in range(12):
        tab.keyboard.press("Tab")
        style = tab.evaluate(
            """() => {
              const el = document.activeElement;
              const s = getComputedStyle(el);
              // the ring is drawn outside the element (outline-offset): it sits on its surroundings
              let bg = 'rgba(0, 0, 0, 0)', node = el.parentElement;
              while (node && /rgba\\(0, 0, 0, 0\\)|transparent/.test(bg)) {
                bg = getComputedStyle(node).backgroundColor; node = node.parentElement;
              }
              return {outline: s.outlineColor, width: parseFloat(s.outlineWidth), style: s.outlineStyle,
                      background: /rgba\\(0, 0, 0, 0\\)|transparent/.test(bg) ? 'rgb(255, 255, 255)' : bg};
            }"""
        )
        assert style["style"] != "none" and style["width"] >= 2, style
        assert contrast(rgb(style["outline"]), rgb(style["background"])) >= 3, style
        checked += 1
    assert checked == 12


def test_skip_link_leads_to_the_home_matrix(tab: Any) -> None:
    tab.goto(tab.base + "/")
    tab.keyboard.press("Tab")
    skip = tab.locator(":focus")
    assert skip.get_attribute("href") == "#matrix"
    skip.press("Enter")
    assert tab.evaluate("() => document.activeElement.id") == "matrix"
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=ARTIFACTS / f"home-skip-{tab.viewport_name}.png")
