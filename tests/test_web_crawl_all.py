"""Zero dead links: a crawl of every page from the home page (all pages, not a few levels), in each interface
language, over the real content on one live server. Every link and every script, stylesheet and image a page emits
must answer 2xx; the formats of each page (Turtle, JSON-LD, N-Triples, RDF/XML) are fetched once, in English."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from html import unescape
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import httpx
import pytest

pytestmark = pytest.mark.slow

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
LINK = re.compile(r'\b(?:href|src)="([^"#][^"]*)"')
# The API and the SPARQL endpoint have their own link tests (test_api_contract, test_sparql_protocol); the search
# pages are generated from what a reader types.
NOT_CRAWLED = ("/api/", "/search")


def same_language(target: str, lang: str) -> str | None:
    """The path of a same-origin link, without `lang=` (the cookie holds the language); None for a link to the same
    page in another language, which that language's crawl visits."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    query = parse_qsl(parts.query, keep_blank_values=True)
    if any(k == "lang" and v != lang for k, v in query):
        return None
    kept = urlencode([(k, v) for k, v in query if k != "lang"])
    return parts.path + (f"?{kept}" if kept else "")


def crawl(base: str, lang: str, skip: set[str]) -> tuple[dict[str, int], dict[str, str]]:
    """Every URL reachable from `/` (HTML pages are read for links; other answers only checked): url -> status,
    and for each url the first page that linked it."""
    statuses: dict[str, int] = {}
    found_on: dict[str, str] = {}
    with httpx.Client(base_url=base, timeout=120, cookies={"lang": lang}, headers={"Accept": BROWSER_ACCEPT}) as client:

        def visit(path: str) -> tuple[str, int, list[str]]:
            response = client.get(path)
            links: list[str] = []
            if response.headers.get("content-type", "").startswith("text/html") and not path.startswith(NOT_CRAWLED):
                for href in LINK.findall(response.text):
                    target = same_language(urljoin(path, unescape(href)), lang)
                    if target is not None:
                        links.append(target)
            return path, response.status_code, links

        frontier = ["/"]
        with ThreadPoolExecutor(4) as pool:
            while frontier:
                batch = [p for p in dict.fromkeys(frontier) if p not in statuses and p not in skip]
                statuses.update(dict.fromkeys(batch, 0))
                frontier = []
                for path, status, links in pool.map(visit, batch):
                    statuses[path] = status
                    for link in links:
                        if link not in statuses and link not in skip:
                            found_on.setdefault(link, path)
                            frontier.append(link)
    return statuses, found_on


@pytest.fixture(scope="module")
def crawled(live_server: Any) -> dict[str, tuple[dict[str, int], dict[str, str]]]:
    english = crawl(live_server.url, "en", set())
    formats = {p for p in english[0] if re.search(r"\.(ttl|nt|jsonld|rdf)$|[?&]format=", p)}
    result = {"en": english}
    for lang in ("fr", "es"):
        result[lang] = crawl(live_server.url, lang, formats)
    return result


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_every_link_of_every_page_answers_2xx(crawled: dict[str, Any], lang: str) -> None:
    statuses, found_on = crawled[lang]
    assert len(statuses) > 1000, "the crawl reached the whole site"
    broken = {path: (status, found_on.get(path)) for path, status in statuses.items() if not 200 <= status < 300}
    assert not broken, f"{len(broken)} dead links, such as {sorted(broken.items())[:20]}"


def test_pages_show_no_raw_blank_nodes(crawled: dict[str, Any], live_server: Any) -> None:
    statuses, _ = crawled["en"]
    pages = [p for p in statuses if not re.search(r"\.(ttl|nt|jsonld|rdf|css|js|svg|csv)$|format=", p)]
    with httpx.Client(base_url=live_server.url, timeout=60, headers={"Accept": "text/html"}) as client:
        shown = [p for p in pages[:400] if re.search(r">_:[A-Za-z0-9]", client.get(p).text)]
    assert not shown, shown[:10]
