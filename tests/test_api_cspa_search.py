"""CSPA services and search in the JSON API (`/api/v1/cspa/...`, `/api/v1/subprocesses/{code}/services`,
`/api/v1/search`), checked against the CSPA graph and the labels of the graph.

Tests taking `backend_client` send their requests to a live service over the real content on each backend
(embedded and Virtuoso), with expectations read from the in-process embedded store or the reference.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from conftest import app_state, every_item

PREFIXES = """PREFIX cspa: <http://id.unece.org/def/cspa#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""
MODEL_ORDER = ["GSBPM", "GSIM", "GAMSO", "CSPA", "COOS", "Mapping", "Other"]


@pytest.fixture(scope="module")
def client(real_page_client: TestClient) -> TestClient:
    """The session's in-process app over the real content (loaded once for every module that reads it)."""
    return real_page_client


def select(client: TestClient, sparql: str) -> list[dict[str, str]]:
    result = app_state(client).service.store.query(PREFIXES + sparql)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


@pytest.fixture(scope="module")
def services(client: TestClient) -> dict[str, dict[str, set[str]]]:
    """service IRI -> {"supports", "inputs", "outputs"} from the CSPA graph."""
    found: dict[str, dict[str, set[str]]] = {}
    for row in select(client, "SELECT ?s WHERE { ?s a cspa:StatisticalService }"):
        found[row["s"]] = {"supports": set(), "inputs": set(), "outputs": set()}
    for key, prop in (("supports", "supportsSubProcess"), ("inputs", "hasInput"), ("outputs", "hasOutput")):
        for row in select(client, f"SELECT ?s ?o WHERE {{ ?s a cspa:StatisticalService ; cspa:{prop} ?o }}"):
            found[row["s"]][key].add(row["o"])
    return found


# --- CSPA ------------------------------------------------------------------------------------------------------------


def test_service_list_is_the_catalogue_with_supported_subprocesses(
    backend_client: httpx.Client, services: dict[str, dict[str, set[str]]]
) -> None:
    assert services, "the CSPA graph has no services"
    items = every_item(backend_client, "/api/v1/cspa/services", 3)
    assert sorted(item["iri"] for item in items) == sorted(services)
    for item in items:
        assert {sp["iri"] for sp in item["supports"]} == services[item["iri"]]["supports"]


def test_service_detail_equals_the_cspa_graph(
    backend_client: httpx.Client, services: dict[str, dict[str, set[str]]]
) -> None:
    for iri, expected in services.items():
        name = iri.rsplit("/", 1)[1]
        response = backend_client.get(f"/api/v1/cspa/services/{name}")
        assert response.status_code == 200, name
        body = response.json()
        assert body["iri"] == iri and body["name"] == name
        assert {c["iri"] for c in body["inputs"]} == expected["inputs"]
        assert {c["iri"] for c in body["outputs"]} == expected["outputs"]
        assert {sp["iri"] for sp in body["supports"]} == expected["supports"]
        assert body["description"].get("en")


def test_service_level_is_the_catalogue_level(client: TestClient) -> None:
    rows = select(client, "SELECT ?s ?level WHERE { ?s cspa:catalogueLevel ?level }")
    assert rows
    for row in rows:
        body = client.get(f"/api/v1/cspa/services/{row['s'].rsplit('/', 1)[1]}").json()
        assert body["level"]["iri"] == row["level"]


def test_services_of_a_subprocess_are_those_supporting_it(
    backend_client: httpx.Client, services: dict[str, dict[str, set[str]]]
) -> None:
    codes = {sp.rsplit("/", 1)[1] for s in services.values() for sp in s["supports"]}
    assert codes
    for code in codes | {"1.1"}:
        listed = every_item(backend_client, f"/api/v1/subprocesses/{code}/services", 50)
        activity = f"http://id.unece.org/activities/subProcess/{code}"
        expected = {s for s, v in services.items() if activity in v["supports"]}
        assert {item["iri"] for item in listed} == expected, code
        filtered = every_item(backend_client, "/api/v1/cspa/services", 50, subprocess=code)
        assert {item["iri"] for item in filtered} == expected, code


def test_unknown_service_and_subprocess_are_404_naming_them(client: TestClient) -> None:
    response = client.get("/api/v1/cspa/services/noSuchService")
    assert response.status_code == 404 and "noSuchService" in response.text
    response = client.get("/api/v1/subprocesses/9.9/services")
    assert response.status_code == 404 and "9.9" in response.text


@pytest.mark.parametrize(
    "path",
    ["/api/v1/cspa/services/bad%20name!", "/api/v1/cspa/services?subprocess=five", "/api/v1/cspa/services?offset=x"],
)
def test_malformed_cspa_parameter_is_422(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 422


# --- search ----------------------------------------------------------------------------------------------------------


def hits(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [hit for group in body["groups"] for hit in group["items"]]


def test_search_by_code_finds_the_subprocess_first(backend_client: httpx.Client) -> None:
    body = backend_client.get("/api/v1/search", params={"q": "5.3"}).json()
    assert body["groups"][0]["model"] == "GSBPM"
    first = body["groups"][0]["items"][0]
    assert first["iri"] == "http://id.unece.org/activities/subProcess/5.3" and first["kind"] == "code"


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_search_finds_every_subprocess_by_its_label_in_each_language(backend_client: httpx.Client, lang: str) -> None:
    items = backend_client.get("/api/v1/subprocesses", params={"limit": 500}).json()["items"]
    for item in items:
        params = {"q": item["labels"][lang], "lang": lang, "model": "GSBPM"}
        body = backend_client.get("/api/v1/search", params=params).json()
        assert item["iri"] in {hit["iri"] for hit in hits(body)}, (lang, item["labels"][lang])


def test_search_ignores_case_and_accents(backend_client: httpx.Client) -> None:
    french = backend_client.get("/api/v1/subprocesses/5.3", params={"lang": "fr"}).json()["label"]
    plain = french.upper().replace("É", "E").replace("È", "E")
    body = backend_client.get("/api/v1/search", params={"q": plain}).json()
    assert "http://id.unece.org/activities/subProcess/5.3" in {hit["iri"] for hit in hits(body)}


def test_search_finds_synonyms(backend_client: httpx.Client, client: TestClient) -> None:
    rows = select(
        client,
        """SELECT ?c ?alt WHERE {
        ?c skos:altLabel ?alt . FILTER(STRSTARTS(STR(?c), "http://id.unece.org/def/gsim#")) } LIMIT 20""",
    )
    assert rows, "no GSIM class has a synonym"
    for row in rows:
        body = backend_client.get("/api/v1/search", params={"q": row["alt"], "limit": 500}).json()
        found = {hit["iri"]: hit for hit in hits(body)}
        assert row["c"] in found, row


def test_search_finds_gsim_1_2_names_as_old_names(backend_client: httpx.Client, client: TestClient) -> None:
    rows = select(
        client,
        """SELECT ?c WHERE { ?c owl:deprecated true .
        FILTER(STRSTARTS(STR(?c), "http://id.unece.org/def/gsim#")) }""",
    )
    assert rows
    for row in rows:
        name = backend_client.get(f"/api/v1/gsim/classes/{row['c'].rsplit('#', 1)[1]}").json()["label"]
        body = backend_client.get("/api/v1/search", params={"q": name, "model": "GSIM"}).json()
        found = {hit["iri"]: hit for hit in hits(body)}
        assert found.get(row["c"], {}).get("kind") == "old name", name


def test_search_groups_follow_the_model_order_with_counts(backend_client: httpx.Client) -> None:
    body = backend_client.get("/api/v1/search", params={"q": "data", "limit": 500}).json()
    models = [group["model"] for group in body["groups"]]
    assert len(models) > 1
    assert models == sorted(models, key=MODEL_ORDER.index)
    assert body["counts"] == {g["model"]: len(g["items"]) for g in body["groups"]}
    assert sum(body["counts"].values()) == body["total"]
    assert all(hit["model"] == group["model"] for group in body["groups"] for hit in group["items"])


@pytest.mark.parametrize("limit", [1, 7, 25])
def test_search_pages_cover_the_results_exactly_once(client: TestClient, limit: int) -> None:
    whole = client.get("/api/v1/search", params={"q": "data", "limit": 500}).json()
    assert whole["total"] > limit
    seen: list[str] = []
    page = client.get("/api/v1/search", params={"q": "data", "limit": limit}).json()
    while True:
        assert page["counts"] == whole["counts"] and page["total"] == whole["total"]
        seen += [hit["iri"] for hit in hits(page)]
        if page["next"] is None:
            break
        page = client.get(page["next"]).json()
    assert seen == [hit["iri"] for hit in hits(whole)]


def test_search_model_filter_keeps_one_model(client: TestClient) -> None:
    body = client.get("/api/v1/search", params={"q": "data", "model": "GSIM", "limit": 500}).json()
    assert [g["model"] for g in body["groups"]] == ["GSIM"]
    everything = client.get("/api/v1/search", params={"q": "data", "limit": 500}).json()
    assert body["total"] == everything["counts"]["GSIM"]


def test_search_without_match_is_an_empty_result(client: TestClient) -> None:
    body = client.get("/api/v1/search", params={"q": "zzqqxx-nothing"}).json()
    assert body["total"] == 0 and body["groups"] == [] and body["next"] is None


@pytest.mark.parametrize(
    "params", [{}, {"q": ""}, {"q": "x" * 1000}, {"q": "data", "model": "Nope"}, {"q": "data", "limit": "0"}]
)
def test_malformed_search_is_422(client: TestClient, params: dict[str, str]) -> None:
    response = client.get("/api/v1/search", params=params)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/json")
