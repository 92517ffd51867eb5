"""The service over real HTTP: a uvicorn process on a free loopback port answers /health and /sparql."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from conftest import LiveServer, free_port
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
    response = httpx.get(
        f"{live_server.url}/sparql", params={"query": "SELECT ?x WHERE {"}, headers={"Accept": "application/json"}
    )
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


@pytest.mark.parametrize("workers", [1, 2])
def test_mskg_serve_prints_its_url_and_answers_queries(workers: int) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "modernstats_kg", "serve", "--port", str(port), "--workers", str(workers)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        answered = None
        while time.monotonic() < deadline and answered is None:
            try:
                answered = httpx.get(
                    f"http://127.0.0.1:{port}/sparql",
                    params={"query": "ASK { ?s ?p ?o }"},
                    headers={"Accept": "application/sparql-results+json"},
                    timeout=2,
                )
            except httpx.TransportError:
                time.sleep(0.1)
        assert answered is not None and answered.status_code == 200
        assert answered.json()["boolean"] is True
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=20)
    assert f"http://127.0.0.1:{port}/" in stderr
