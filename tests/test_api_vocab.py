"""The Skosmos-style vocabulary look-ups (`/api/v1/vocab/...`) for GSBPM and GAMSO, checked against the reference COOS
file (codes, hierarchy, labels) and against the Skosmos response shapes.

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
SCHEMES = {"gsbpm": "http://id.unece.org/activities/gsbpm", "gamso": "http://id.unece.org/activities/gamso"}
SP_5_3 = "http://id.unece.org/activities/subProcess/5.3"
PHASE_5 = "http://id.unece.org/activities/phase/5"


@pytest.fixture(scope="module")
def client(real_page_client: TestClient) -> TestClient:
    """The session's in-process app over the real content (loaded once for every module that reads it)."""
    return real_page_client


@pytest.fixture(scope="module")
def reference(reference_dir: Path) -> ox.Store:
    store = ox.Store()
    store.load(path=str(reference_dir / "coos" / "coos.ttl"), format=ox.RdfFormat.TURTLE)
    return store


def reference_concepts(reference: ox.Store, vocid: str) -> dict[str, dict[str, object]]:
    """concept -> {"code", "broader" (set), "labels" ({lang: label})} of one scheme in the reference COOS file."""
    return scheme_concepts(reference, vocid)


def graph_concepts(client: TestClient, vocid: str) -> dict[str, dict[str, object]]:
    """The same, from the service's own graph (labels may differ from the reference where the official text does)."""
    return scheme_concepts(app_state(client).service.store, vocid)


def scheme_concepts(store: object, vocid: str) -> dict[str, dict[str, Any]]:
    concepts: dict[str, dict[str, Any]] = {}
    rows = store.query(  # type: ignore[attr-defined]
        f"""PREFIX skos: <{SKOS}>
        SELECT ?c ?code ?label ?broader WHERE {{
          ?c skos:inScheme <{SCHEMES[vocid]}> ; skos:notation ?code ; skos:prefLabel ?label .
          OPTIONAL {{ ?c skos:broader ?broader . ?broader skos:inScheme <{SCHEMES[vocid]}> }}
        }}"""
    )
    for row in rows:
        entry = concepts.setdefault(row["c"].value, {"code": row["code"].value, "broader": set(), "labels": {}})
        entry["labels"][row["label"].language] = row["label"].value
        if row["broader"] is not None:
            entry["broader"].add(row["broader"].value)
    return concepts


def test_vocabularies_list_gsbpm_and_gamso_in_skosmos_shape(backend_client: httpx.Client) -> None:
    response = backend_client.get("/api/v1/vocab/vocabularies", params={"lang": "en"})
    assert response.status_code == 200
    body = response.json()
    assert "@context" in body and body["uri"] == ""
    assert [(v["id"], v["uri"]) for v in body["vocabularies"]] == [("gamso", "gamso"), ("gsbpm", "gsbpm")]
    assert all(v["title"] for v in body["vocabularies"])


@pytest.mark.parametrize("vocid", ["gsbpm", "gamso"])
def test_top_concepts_are_the_schemes_top_concepts(
    backend_client: httpx.Client, client: TestClient, vocid: str
) -> None:
    result = app_state(client).service.store.query(
        f"""PREFIX skos: <{SKOS}> SELECT DISTINCT ?c WHERE {{
          {{ ?c skos:topConceptOf <{SCHEMES[vocid]}> }} UNION {{ <{SCHEMES[vocid]}> skos:hasTopConcept ?c }} }}"""
    )
    expected = {row["c"].value for row in result}
    body = backend_client.get(f"/api/v1/vocab/{vocid}/topConcepts").json()
    assert body["uri"] == SCHEMES[vocid]
    assert {t["uri"] for t in body["topconcepts"]} == expected and expected
    for top in body["topconcepts"]:
        assert top["topConceptOf"] == SCHEMES[vocid] and top["label"] and top["hasChildren"] is True


@pytest.mark.parametrize("vocid", ["gsbpm", "gamso"])
def test_broader_and_narrower_follow_the_reference_hierarchy(
    backend_client: httpx.Client, reference: ox.Store, vocid: str
) -> None:
    concepts = reference_concepts(reference, vocid)
    assert concepts
    for iri, entry in concepts.items():
        response = backend_client.get(f"/api/v1/vocab/{vocid}/broader", params={"uri": iri})
        assert response.status_code == 200, iri
        assert {b["uri"] for b in response.json()["broader"]} == entry["broader"], iri
        children = {c for c, e in concepts.items() if iri in e["broader"]}  # type: ignore[operator]
        narrower = backend_client.get(f"/api/v1/vocab/{vocid}/narrower", params={"uri": iri}).json()
        assert children <= {n["uri"] for n in narrower["narrower"]}, iri


def test_narrower_of_phase_5_is_in_code_order_with_notations(client: TestClient, reference: ox.Store) -> None:
    concepts = reference_concepts(reference, "gsbpm")
    expected = sorted(
        (e["code"] for e in concepts.values() if PHASE_5 in e["broader"]),  # type: ignore[operator]
        key=lambda c: tuple(int(p) for p in str(c).split(".")),
    )
    body = client.get("/api/v1/vocab/gsbpm/narrower", params={"uri": PHASE_5, "lang": "fr"}).json()
    assert [n["notation"] for n in body["narrower"]] == expected
    assert body["uri"] == PHASE_5 and body["@context"]["@language"] == "fr"
    assert all(set(n) <= {"uri", "prefLabel", "notation"} for n in body["narrower"])


@pytest.mark.parametrize("vocid", ["gsbpm", "gamso"])
def test_every_reference_concept_is_served_with_its_code(client: TestClient, reference: ox.Store, vocid: str) -> None:
    for iri, entry in reference_concepts(reference, vocid).items():
        response = client.get(f"/api/v1/vocab/{vocid}/data", params={"uri": iri})
        assert response.status_code == 200, iri
        assert response.json()["graph"][0]["skos:notation"] == entry["code"], iri


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_label_is_the_preferred_label_in_that_language(
    backend_client: httpx.Client, client: TestClient, lang: str
) -> None:
    for iri, entry in graph_concepts(client, "gsbpm").items():
        body = backend_client.get("/api/v1/vocab/gsbpm/label", params={"uri": iri, "lang": lang}).json()
        assert body["uri"] == iri
        assert body["prefLabel"] == entry["labels"][lang], (iri, lang)  # type: ignore[index]


def test_hierarchy_of_5_3_reaches_the_top_with_siblings(backend_client: httpx.Client) -> None:
    body = backend_client.get("/api/v1/vocab/gsbpm/hierarchy", params={"uri": SP_5_3}).json()
    assert body["uri"] == SP_5_3
    entries = body["broaderTransitive"]
    assert SP_5_3 in entries and PHASE_5 in entries
    assert entries[SP_5_3]["broader"] == [PHASE_5]
    siblings = backend_client.get("/api/v1/vocab/gsbpm/narrower", params={"uri": PHASE_5}).json()["narrower"]
    assert [c["uri"] for c in entries[PHASE_5]["narrower"]] == [s["uri"] for s in siblings]
    tops = [e for e in entries.values() if e.get("top")]
    assert tops and all(e["top"] == SCHEMES["gsbpm"] for e in tops)
    for key, entry in entries.items():
        assert entry["uri"] == key and entry["prefLabel"]
        for parent in entry.get("broader", []):
            assert parent in entries


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_lookup_finds_every_concept_by_its_label(backend_client: httpx.Client, client: TestClient, lang: str) -> None:
    for iri, entry in graph_concepts(client, "gsbpm").items():
        label = entry["labels"][lang]  # type: ignore[index]
        response = backend_client.get("/api/v1/vocab/gsbpm/lookup", params={"label": label, "lang": lang})
        assert response.status_code == 200, label
        result = response.json()["result"]
        assert iri in {hit["uri"] for hit in result}, label
        hit = next(h for h in result if h["uri"] == iri)
        assert hit["prefLabel"] == label and hit["lang"] == lang and hit["vocab"] == "gsbpm"
        assert hit["localname"] == iri.rsplit("/", 1)[1]


def test_lookup_ignores_case_and_accepts_a_code(client: TestClient) -> None:
    result = client.get("/api/v1/vocab/gsbpm/lookup", params={"label": "REVIEW AND VALIDATE"}).json()["result"]
    assert [hit["uri"] for hit in result] == [SP_5_3]
    result = client.get("/api/v1/vocab/gsbpm/lookup", params={"label": "5.3"}).json()["result"]
    assert [hit["uri"] for hit in result] == [SP_5_3]


def test_data_describes_the_concept_as_json_ld(client: TestClient) -> None:
    response = client.get("/api/v1/vocab/gsbpm/data", params={"uri": SP_5_3})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    body = response.json()
    assert body["@context"]["uri"] == "@id" and body["@context"]["prefLabel"] == "skos:prefLabel"
    node = body["graph"][0]
    assert node["uri"] == SP_5_3 and "skos:Concept" in node["type"]
    assert {"lang": "en", "value": "Review and validate"} in node["prefLabel"]
    assert node["broader"] == {"uri": PHASE_5}
    assert PHASE_5 in {n["uri"] for n in body["graph"][1:]}


def test_data_round_trips_through_a_json_ld_parser(backend_client: httpx.Client) -> None:
    text = backend_client.get("/api/v1/vocab/gsbpm/data", params={"uri": SP_5_3}).text
    triples = list(ox.parse(text.encode(), format=ox.RdfFormat.JSON_LD))
    labels = {
        t.object.value
        for t in triples
        if t.subject == ox.NamedNode(SP_5_3) and t.predicate == ox.NamedNode(SKOS + "prefLabel")
    }
    assert "Review and validate" in labels


@pytest.mark.parametrize(
    ("path", "params", "value"),
    [
        ("/api/v1/vocab/nope/topConcepts", {}, "nope"),
        ("/api/v1/vocab/gsbpm/broader", {"uri": "http://example.org/x"}, "http://example.org/x"),
        ("/api/v1/vocab/gamso/narrower", {"uri": SP_5_3}, SP_5_3),
        ("/api/v1/vocab/gsbpm/hierarchy", {"uri": "urn:x"}, "urn:x"),
        ("/api/v1/vocab/gsbpm/label", {"uri": "not an iri"}, "not an iri"),
        ("/api/v1/vocab/gsbpm/data", {"uri": "http://example.org/y"}, "http://example.org/y"),
        ("/api/v1/vocab/gsbpm/lookup", {"label": "no such label"}, "no such label"),
    ],
)
def test_unknown_vocabulary_concept_or_label_is_404_naming_it(
    client: TestClient, path: str, params: dict[str, str], value: str
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 404
    assert value in response.text


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/vocab/gsbpm/broader", {}),
        ("/api/v1/vocab/gsbpm/lookup", {}),
        ("/api/v1/vocab/gsbpm/label", {"uri": SP_5_3, "lang": "?!"}),
    ],
)
def test_missing_or_malformed_parameter_is_422(client: TestClient, path: str, params: dict[str, str]) -> None:
    assert client.get(path, params=params).status_code == 422
