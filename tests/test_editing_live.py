"""Acknowledged edits appear at once everywhere, on a live service (uvicorn over an on-disk store, real content):
after a 2xx from the mapping API, `/sparql` (answer cache and every query worker process), the pages (page cache,
ETags) and the JSON API (catalog, ETags) all give the new state; none serves a stale answer."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from conftest import LiveServer
from modernstats_kg.editing.accounts import AccountStore, Role

MAPPING = "5.3-coreInput-instanceVariable"
QUERY = (
    "SELECT ?j WHERE { <http://id.unece.org/mappings/informationMapping/5.3-coreInput-instanceVariable> "
    "<http://id.unece.org/def/mapping#justification> ?j }"
)


@pytest.fixture(scope="module")
def editing_server(
    tmp_path_factory: pytest.TempPathFactory, start_server: Callable[..., LiveServer]
) -> tuple[LiveServer, str]:
    folder: Path = tmp_path_factory.mktemp("live-editing")
    accounts = AccountStore.in_folder(folder)
    accounts.add_user("alice", Role.EDITOR, "alice's long password")
    token = accounts.create_token("alice")
    accounts.close()
    return start_server({"MSKG_STORE": str(folder), "MSKG_QUERY_WORKERS": "3"}), token


def sparql_justifications(client: httpx.Client) -> tuple[set[str], str]:
    response = client.get("/sparql", params={"query": QUERY}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    rows = response.json()["results"]["bindings"]
    return {row["j"]["value"] for row in rows}, response.headers.get("x-cache", "")


@pytest.mark.slow
def test_an_acknowledged_edit_is_served_at_once_by_sparql_every_worker_the_pages_and_the_api(
    editing_server: tuple[LiveServer, str],
) -> None:
    server, token = editing_server
    with httpx.Client(base_url=server.url, timeout=60) as client:
        # warm every cache: the /sparql answer cache (a repeat is a hit), the page and API ETags, the catalog
        before, _ = sparql_justifications(client)
        assert sparql_justifications(client)[1] == "hit"
        page = client.get("/activities/subProcess/5.3", headers={"Accept": "text/html"})
        api = client.get("/api/v1/subprocesses/5.3")
        assert page.status_code == api.status_code == 200
        (old,) = before
        assert old in page.text and old in api.text

        mapping = client.get(f"/api/v1/mappings/{MAPPING}")
        new = "Checked against what each variable is expected to hold (edited live)."
        edited = client.patch(
            f"/api/v1/mappings/{MAPPING}",
            json={"justification": new, "comment": "live test"},
            headers={"Authorization": f"Bearer {token}", "If-Match": mapping.headers["etag"]},
        )
        assert edited.status_code == 200, edited.text

        # every query worker (several requests, so several workers) and the answer cache give the new state
        for _ in range(8):
            answer, _cache = sparql_justifications(client)
            assert answer == {new}
        page_after = client.get(
            "/activities/subProcess/5.3", headers={"Accept": "text/html", "If-None-Match": page.headers["etag"]}
        )
        assert page_after.status_code == 200 and new in page_after.text and old not in page_after.text
        api_after = client.get("/api/v1/subprocesses/5.3", headers={"If-None-Match": api.headers["etag"]})
        assert api_after.status_code == 200 and new in json.dumps(api_after.json())
        assert client.get(f"/api/v1/mappings/{MAPPING}").json()["justification"] == new
        history = client.get(f"/api/v1/mappings/{MAPPING}/history").json()["items"]
        assert history[0]["comment"] == "live test"
