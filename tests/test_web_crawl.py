"""Every link the pages emit leads somewhere: a crawl from the home page, two levels deep, over the fixture content
and over the real content."""

from __future__ import annotations

import re
from html import unescape
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
HREF = re.compile(r'href="([^"#][^"]*)"')


def crawl(client: Any, start: str, depth: int) -> dict[str, int]:
    """Visit every same-origin link up to `depth` levels from `start`; returns path -> status."""
    seen: dict[str, int] = {}
    frontier = [start]
    client.cookies.clear()
    for level in range(depth + 1):
        following: list[str] = []
        for path in frontier:
            if path in seen:
                continue
            response = client.get(path, headers={"Accept": BROWSER_ACCEPT})
            seen[path] = response.status_code
            if level == depth or not response.headers.get("content-type", "").startswith("text/html"):
                continue
            for href in HREF.findall(response.text):
                target = urljoin(path, unescape(href))
                parts = urlsplit(target)
                if parts.scheme or parts.netloc or parts.path.startswith(("/sparql", "/api/")):
                    continue
                following.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        frontier = following
    client.cookies.clear()  # the language links set a cookie: leave the shared client as it was
    return seen


def test_every_link_two_levels_from_home_answers_200_on_the_fixture_content(page_client: Any) -> None:
    statuses = crawl(page_client, "/", depth=2)
    broken = {path: status for path, status in statuses.items() if status != 200}
    assert len(statuses) > 50
    assert not broken, broken


@pytest.mark.slow
def test_every_link_from_home_answers_200_on_the_real_content(real_page_client: Any) -> None:
    statuses = crawl(real_page_client, "/", depth=1)
    broken = {path: status for path, status in statuses.items() if status != 200}
    assert len(statuses) > 70
    assert not broken, broken
