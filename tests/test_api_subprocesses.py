"""The GSBPM part of the JSON API (`/api/v1/subprocesses`, `/api/v1/phases`), checked against the reference COOS file
and against direct SPARQL over the mapping graph.

Tests taking `backend_client` send their requests to a live service over the real content on each backend
(embedded and Virtuoso), with expectations read from the in-process embedded store or the reference.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from conftest import app_state

SKOS = "http://www.w3.org/2004/02/skos/core#"
SUBPROCESS = "http://id.unece.org/activities/subProcess/"
GSBPM = "http://id.unece.org/activities/gsbpm"


@pytest.fixture(scope="module")
def client(real_page_client: TestClient) -> TestClient:
    """The session's in-process app over the real content (loaded once for every module that reads it)."""
    return real_page_client


def select(client: TestClient, sparql: str) -> list[dict[str, str]]:
    """Run SPARQL on the app's own store (the same graph the API reads)."""
    result = app_state(client).service.store.query(sparql)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


@pytest.fixture(scope="module")
def reference_subprocesses(reference_dir: Path) -> dict[str, str]:
    """code -> phase code of every GSBPM sub-process in the reference COOS file."""
    store = ox.Store()
    store.load(path=str(reference_dir / "coos" / "coos.ttl"), format=ox.RdfFormat.TURTLE)
    rows = store.query(
        f"""PREFIX skos: <{SKOS}>
        SELECT ?code ?phaseCode WHERE {{
          ?sp skos:inScheme <{GSBPM}> ; skos:notation ?code ; skos:broader ?phase .
          ?phase skos:notation ?phaseCode .
          FILTER(STRSTARTS(STR(?sp), "{SUBPROCESS}"))
        }}"""
    )
    assert isinstance(rows, ox.QuerySolutions)
    return {row["code"].value: row["phaseCode"].value for row in rows}


def all_items(client: httpx.Client, url: str, limit: int) -> list[dict[str, Any]]:
    """Follow `next` links from the first page to the last."""
    items: list[dict[str, Any]] = []
    page = client.get(url, params={"limit": limit}).json()
    pages = 1
    while True:
        assert page["offset"] == len(items)
        items += page["items"]
        if page["next"] is None:
            return items
        page = client.get(page["next"]).json()
        pages += 1
        assert pages < 1000


def test_subprocess_list_has_the_44_reference_codes_with_their_phases(
    backend_client: httpx.Client, reference_subprocesses: dict[str, str]
) -> None:
    response = backend_client.get("/api/v1/subprocesses", params={"limit": 500})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == len(reference_subprocesses) == 44
    assert {item["code"]: item["phase"]["code"] for item in body["items"]} == reference_subprocesses
    assert all(item["kind"] == "subProcess" and item["iri"] == SUBPROCESS + item["code"] for item in body["items"])


def test_subprocess_list_is_in_process_order(client: TestClient) -> None:
    codes = [item["code"] for item in client.get("/api/v1/subprocesses", params={"limit": 500}).json()["items"]]
    assert codes == sorted(codes, key=lambda c: tuple(int(p) for p in c.split(".")))


def test_subprocess_labels_come_in_english_french_and_spanish(backend_client: httpx.Client) -> None:
    items = backend_client.get("/api/v1/subprocesses", params={"limit": 500}).json()["items"]
    assert all({"en", "fr", "es"} <= set(item["labels"]) for item in items)
    french = backend_client.get("/api/v1/subprocesses", params={"limit": 500, "lang": "fr"}).json()["items"]
    assert [item["label"] for item in french] == [item["labels"]["fr"] for item in items]


@pytest.mark.parametrize("limit", [1, 7, 44, 50])
def test_pages_cover_the_subprocess_list_exactly_once(backend_client: httpx.Client, limit: int) -> None:
    whole = backend_client.get("/api/v1/subprocesses", params={"limit": 500}).json()["items"]
    paged = all_items(backend_client, "/api/v1/subprocesses", limit)
    assert [item["iri"] for item in paged] == [item["iri"] for item in whole]


def test_phase_filter_keeps_only_that_phase(client: TestClient, reference_subprocesses: dict[str, str]) -> None:
    body = client.get("/api/v1/subprocesses", params={"phase": "5"}).json()
    assert sorted(item["code"] for item in body["items"]) == sorted(
        code for code, phase in reference_subprocesses.items() if phase == "5"
    )


def test_overarching_processes_are_appended_on_request(client: TestClient) -> None:
    rows = select(
        client,
        f"""PREFIX skos: <{SKOS}> SELECT DISTINCT ?oa WHERE {{
          ?oa skos:inScheme <{GSBPM}> . FILTER(STRSTARTS(STR(?oa), "http://id.unece.org/activities/overarchingActivity/"))
        }}""",
    )
    body = client.get("/api/v1/subprocesses", params={"include_overarching": "true", "limit": 500}).json()
    overarching = [item for item in body["items"] if item["kind"] == "overarching"]
    assert {item["iri"] for item in overarching} == {row["oa"] for row in rows}
    assert body["total"] == 44 + len(rows)
    assert all(item["phase"] is None for item in overarching)


def direct_mappings(client: TestClient, activity: str, direction: str) -> set[tuple[str, str, str]]:
    rows = select(
        client,
        f"""PREFIX map: <http://id.unece.org/def/mapping#>
        SELECT ?m ?class ?role WHERE {{
          ?m map:activity <{activity}> ; map:informationClass ?class ; map:direction map:{direction} .
          FILTER NOT EXISTS {{ ?m map:status map:deprecated }}  # withdrawn mappings are not listed
          OPTIONAL {{ ?m map:role ?role }}
        }}""",
    )
    return {(row["m"], row["class"], row.get("role", "")) for row in rows}


def api_mappings(groups: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    found = set()
    for group in groups:
        for mapping in group["mappings"]:
            assert mapping["role"] == group["role"]
            found.add((mapping["iri"], mapping["information_class"]["iri"], (group["role"] or {}).get("iri", "")))
    return found


def test_subprocess_5_3_inputs_and_outputs_equal_the_mapping_graph(
    backend_client: httpx.Client, client: TestClient
) -> None:
    response = backend_client.get("/api/v1/subprocesses/5.3")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "5.3" and body["label"] == "Review and validate" and body["phase"]["code"] == "5"
    expected_inputs = direct_mappings(client, SUBPROCESS + "5.3", "input")
    assert expected_inputs, "the mapping graph has no inputs for 5.3"
    assert api_mappings(body["inputs"]) == expected_inputs
    assert api_mappings(body["outputs"]) == direct_mappings(client, SUBPROCESS + "5.3", "output")


def test_every_mapping_of_a_subprocess_carries_justification_and_status(client: TestClient) -> None:
    body = client.get("/api/v1/subprocesses/5.3").json()
    mappings = [m for group in body["inputs"] + body["outputs"] for m in group["mappings"]]
    assert mappings
    for mapping in mappings:
        assert mapping["justification"].get("en"), mapping["iri"]
        assert mapping["status"] is not None and mapping["status"]["iri"].startswith("http://id.unece.org/def/mapping#")
        assert mapping["activity"]["code"] == "5.3"
        assert mapping["direction"] in {"input", "output"}


def test_every_subprocess_detail_matches_the_mapping_graph(client: TestClient) -> None:
    items = client.get("/api/v1/subprocesses", params={"limit": 500, "include_overarching": "true"}).json()["items"]
    for item in items:
        response = client.get(item["href"])
        assert response.status_code == 200, item["href"]
        body = response.json()
        assert body["iri"] == item["iri"]
        assert api_mappings(body["inputs"]) == direct_mappings(client, item["iri"], "input"), item["code"]
        assert api_mappings(body["outputs"]) == direct_mappings(client, item["iri"], "output"), item["code"]


def test_roles_are_grouped_once_each(client: TestClient) -> None:
    body = client.get("/api/v1/subprocesses/5.3").json()
    for side in ("inputs", "outputs"):
        roles = [(group["role"] or {}).get("iri") for group in body[side]]
        assert len(roles) == len(set(roles))


def test_previous_and_next_follow_the_process_order(client: TestClient) -> None:
    body = client.get("/api/v1/subprocesses/5.3").json()
    assert body["previous"]["code"] == "5.2" and body["next"]["code"] == "5.4"
    first = client.get("/api/v1/subprocesses/1.1").json()
    assert first["previous"] is None


def test_phases_list_the_reference_subprocesses(
    backend_client: httpx.Client, reference_subprocesses: dict[str, str]
) -> None:
    response = backend_client.get("/api/v1/phases")
    assert response.status_code == 200
    phases = response.json()
    assert [p["code"] for p in phases] == [str(n) for n in range(1, 9)]
    for phase in phases:
        assert sorted(sp["code"] for sp in phase["subprocesses"]) == sorted(
            code for code, p in reference_subprocesses.items() if p == phase["code"]
        )


def test_phase_detail_lists_its_children(client: TestClient, reference_subprocesses: dict[str, str]) -> None:
    body = client.get("/api/v1/phases/5").json()
    assert body["kind"] == "phase"
    assert sorted(c["code"] for c in body["children"]) == sorted(
        code for code, p in reference_subprocesses.items() if p == "5"
    )


def test_subprocess_services_are_the_cspa_services_supporting_it(
    backend_client: httpx.Client, client: TestClient
) -> None:
    rows = select(
        client,
        f"""PREFIX cspa: <http://id.unece.org/def/cspa#>
        SELECT ?s WHERE {{ ?s cspa:supportsSubProcess <{SUBPROCESS}5.3> }}""",
    )
    body = backend_client.get("/api/v1/subprocesses/5.3").json()
    assert {s["iri"] for s in body["services"]} == {row["s"] for row in rows}


@pytest.mark.parametrize(
    ("path", "value"),
    [("/api/v1/subprocesses/9.9", "9.9"), ("/api/v1/subprocesses/0.9", "0.9"), ("/api/v1/phases/42", "42")],
)
def test_unknown_code_is_404_naming_it(backend_client: httpx.Client, path: str, value: str) -> None:
    response = backend_client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    assert value in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/subprocesses/abc",
        "/api/v1/subprocesses/5.3.1",
        "/api/v1/phases/x",
        "/api/v1/subprocesses?limit=0",
        "/api/v1/subprocesses?limit=100000",
        "/api/v1/subprocesses?offset=-1",
        "/api/v1/subprocesses?lang=not%20a%20language",
        "/api/v1/subprocesses?phase=five",
    ],
)
def test_malformed_parameter_is_422(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/json")
