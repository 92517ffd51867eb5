"""The service over real HTTP: a uvicorn process on a free loopback port answers /health and /sparql."""

from __future__ import annotations

from pathlib import Path

import httpx

from conftest import LiveServer
from modernstats_kg.content import content_files, fingerprint
from modernstats_kg.content import default_content_root as content_root


def test_health_reports_ready_with_the_content_version_and_size(live_server: LiveServer) -> None:
    response = httpx.get(f"{live_server.url}/health")
    assert response.status_code == 200
    body = response.json()
    assert body["ready"] is True
    root = content_root()
    assert body["content_version"] == fingerprint(content_files(root), root)
    assert body["triples"] > 1000
    assert body["graphs"] == len(content_files(root))


def test_sparql_get_answers_json_results_over_http(live_server: LiveServer) -> None:
    query = (
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?code WHERE { "
        "<http://id.unece.org/activities/subProcess/5.3> skos:notation ?code }"
    )
    response = httpx.get(
        f"{live_server.url}/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert [b["code"]["value"] for b in response.json()["results"]["bindings"]] == ["5.3"]


def test_sparql_syntax_error_is_a_400_not_a_500(live_server: LiveServer) -> None:
    response = httpx.get(f"{live_server.url}/sparql", params={"query": "SELECT ?x WHERE {"},
                         headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert "syntax" in response.text.lower()


def test_server_on_a_disk_store_serves_what_load_put_there(start_server: object, tmp_path: Path) -> None:
    from modernstats_kg.loader import load_content
    from modernstats_kg.store import EmbeddedStore

    location = tmp_path / "store"
    store = EmbeddedStore(location)
    outcome = load_content(store)
    store.close()
    del store
    server = start_server({"MSKG_STORE": str(location)})  # type: ignore[operator]
    body = httpx.get(f"{server.url}/health").json()
    assert body["triples"] == outcome.triples and body["content_version"] == outcome.version
