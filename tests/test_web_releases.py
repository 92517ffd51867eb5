"""The releases pages: the list, a changelog, stable dump URLs, the comparison of two releases in the browser."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from modernstats_kg.app import create_app
from modernstats_kg.roundtrip.releases import create_release
from modernstats_kg.roundtrip.snapshot import from_folder
from modernstats_kg.settings import Settings


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, web_content_dir: Path) -> Iterator[Any]:
    base = tmp_path_factory.mktemp("releases")
    edited = base / "edited"
    shutil.copytree(web_content_dir, edited)
    mapping = edited / "mappings" / "gsim-gsbpm.ttl"
    old = '"Collection puts out the raw responses as a test data set."@en'
    mapping.write_text(mapping.read_text("utf-8").replace(old, '"Rewritten <b>for</b> the second release."@en'))
    data = base / "store"
    create_release(
        data, "2026.1", "First", from_folder(web_content_dir), comments_from=web_content_dir, today="2026-01-10"
    )
    create_release(data, "2026.2", "Second", from_folder(edited), comments_from=web_content_dir, today="2026-02-10")
    with TestClient(create_app(Settings(content_dir=web_content_dir, store=str(data)))) as test_client:
        yield test_client


def test_releases_are_listed_newest_first_with_their_notes(client: TestClient) -> None:
    page = client.get("/releases")
    assert page.status_code == 200
    assert page.text.index("2026.2") < page.text.index('href="/releases/2026.1"')
    assert "Second" in page.text and 'action="/releases/compare"' in page.text


def test_a_release_page_shows_its_changelog_and_dumps(client: TestClient) -> None:
    page = client.get("/releases/2026.2")
    assert page.status_code == 200
    assert "1 changed" in page.text and "Rewritten &lt;b&gt;for&lt;/b&gt;" in page.text, "escaped, field by field"
    assert 'href="/releases/2026.2/dataset.nq"' in page.text
    dump = client.get("/releases/2026.2/content/mappings/gsim-gsbpm.ttl")
    assert dump.status_code == 200 and dump.headers["content-type"].startswith("text/turtle")
    assert "/release/2026.2>" in dump.text and "immutable" in dump.headers["cache-control"]


def test_two_releases_compare_in_the_browser(client: TestClient) -> None:
    page = client.get("/releases/compare", params={"from": "2026.1", "to": "2026.2"})
    assert page.status_code == 200 and "map:justification" not in page.text  # full IRIs in the table
    assert "http://id.unece.org/def/mapping#justification" in page.text and "Rewritten" in page.text


@pytest.mark.parametrize(
    "path", ["/releases/nope", "/releases/2026.1/../../accounts.sqlite", "/releases/2026.1/missing.ttl"]
)
def test_unknown_releases_and_files_are_404(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404
    assert client.get("/releases/compare", params={"from": "2026.1", "to": "x" * 65}).status_code in (404, 422)
