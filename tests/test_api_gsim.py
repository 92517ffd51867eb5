"""The GSIM part of the JSON API (`/api/v1/gsim/...`), checked against the GSIM graph and the mapping graph.

Tests taking `backend_client` send their requests to a live service over the real content on each backend
(embedded and Virtuoso), with expectations read from the in-process embedded store or the reference.
"""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

from conftest import app_state, every_item

GSIM = "http://id.unece.org/def/gsim#"
PREFIXES = """PREFIX gsim: <http://id.unece.org/def/gsim#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX map: <http://id.unece.org/def/mapping#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


@pytest.fixture(scope="module")
def client(real_page_client: TestClient) -> TestClient:
    """The session's in-process app over the real content (loaded once for every module that reads it)."""
    return real_page_client


def select(client: TestClient, sparql: str) -> list[dict[str, str]]:
    result = app_state(client).service.store.query(PREFIXES + sparql)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


@pytest.fixture(scope="module")
def class_groups(client: TestClient) -> dict[str, str]:
    """Every GSIM 2.0 class -> its group, straight from the graph."""
    return {row["c"]: row["g"] for row in select(client, "SELECT ?c ?g WHERE { ?c gsim:group ?g }")}


def test_class_list_holds_every_gsim_class_once(backend_client: httpx.Client, class_groups: dict[str, str]) -> None:
    assert len(class_groups) > 100
    items = every_item(backend_client, "/api/v1/gsim/classes", 500)
    assert sorted(item["iri"] for item in items) == sorted(class_groups)
    assert all(item["group"]["iri"] == class_groups[item["iri"]] for item in items)
    assert all(item["iri"] == GSIM + item["name"] and not item["deprecated"] for item in items)


@pytest.mark.parametrize("limit", [1, 10, 33])
def test_pages_cover_the_class_list_exactly_once(client: TestClient, limit: int) -> None:
    whole = [item["iri"] for item in every_item(client, "/api/v1/gsim/classes", 500)]
    paged = [item["iri"] for item in every_item(client, "/api/v1/gsim/classes", limit)]
    assert paged == whole


def test_next_link_keeps_the_filters(client: TestClient) -> None:
    page = client.get("/api/v1/gsim/classes", params={"group": "BusinessGroup", "limit": 2}).json()
    assert "group=BusinessGroup" in page["next"]
    assert page["previous"] is None
    second = client.get(page["next"]).json()
    assert second["offset"] == 2 and "offset=0" in second["previous"]


def test_group_filter_keeps_only_that_group(client: TestClient, class_groups: dict[str, str]) -> None:
    groups = client.get("/api/v1/gsim/groups").json()
    assert {g["iri"] for g in groups} == set(class_groups.values())
    for group in groups:
        members = sorted(c for c, g in class_groups.items() if g == group["iri"])
        assert group["classes"] == len(members)
        listed = every_item(client, "/api/v1/gsim/classes", 500, group=group["name"])
        assert sorted(item["iri"] for item in listed) == members
        by_href = client.get(group["href"] + "&limit=500").json()
        assert by_href["total"] == len(members)


def test_group_may_be_named_by_its_label(client: TestClient) -> None:
    by_name = client.get("/api/v1/gsim/classes", params={"group": "BusinessGroup", "limit": 500}).json()
    by_label = client.get("/api/v1/gsim/classes", params={"group": "Business Group", "limit": 500}).json()
    assert by_name == {**by_label, "next": by_name["next"], "previous": by_name["previous"]}


def test_deprecated_classes_are_listed_on_request(client: TestClient) -> None:
    deprecated = {row["c"] for row in select(client, "SELECT ?c WHERE { ?c owl:deprecated true }")}
    items = every_item(client, "/api/v1/gsim/classes", 500, include_deprecated="true")
    assert {item["iri"] for item in items if item["deprecated"]} == deprecated


def test_instance_variable_is_found_by_local_name_label_and_case(backend_client: httpx.Client) -> None:
    bodies = [
        backend_client.get(f"/api/v1/gsim/classes/{name}")
        for name in ("InstanceVariable", "Instance Variable", "instancevariable")
    ]
    assert all(r.status_code == 200 for r in bodies)
    assert {r.json()["iri"] for r in bodies} == {GSIM + "InstanceVariable"}
    body = bodies[0].json()
    assert body["label"] == "Instance Variable"
    assert body["definition"]["en"]
    assert body["group"]["iri"] == GSIM + "ConceptsGroup"


def test_class_detail_structure_matches_the_graph(backend_client: httpx.Client, client: TestClient) -> None:
    body = backend_client.get("/api/v1/gsim/classes/InstanceVariable").json()
    supers = {
        row["s"]
        for row in select(client, "SELECT ?s WHERE { gsim:InstanceVariable rdfs:subClassOf ?s FILTER(isIRI(?s)) }")
    }
    assert {s["iri"] for s in body["supers"]} == {s for s in supers if s.startswith(GSIM)}
    outgoing = {
        row["p"]
        for row in select(
            client,
            "SELECT ?p WHERE { ?p a owl:ObjectProperty ; rdfs:domain gsim:InstanceVariable ; rdfs:range ?r "
            "FILTER(isIRI(?r)) }",
        )
    }
    assert {a["property"]["iri"] for a in body["associations_out"]} == {p for p in outgoing if p.startswith(GSIM)}


def usage_from_graph(client: TestClient, cls: str) -> set[tuple[str, str, str]]:
    rows = select(
        client,
        f"""SELECT ?m ?a ?d WHERE {{
        ?m map:informationClass <{cls}> ; map:activity ?a ; map:direction ?d
        FILTER NOT EXISTS {{ ?m map:status map:deprecated }} }}""",
    )
    return {(row["m"], row["a"], row["d"].rsplit("#", 1)[1]) for row in rows}


def test_class_usage_equals_the_mapping_graph(backend_client: httpx.Client, client: TestClient) -> None:
    body = backend_client.get("/api/v1/gsim/classes/InstanceVariable").json()
    api = {(m["iri"], m["activity"]["iri"], m["direction"]) for m in body["taken_in_by"] + body["put_out_by"]}
    expected = usage_from_graph(client, GSIM + "InstanceVariable")
    assert expected, "InstanceVariable is used by no mapping"
    assert api == expected
    assert all(m["direction"] == "input" for m in body["taken_in_by"])
    assert all(m["direction"] == "output" for m in body["put_out_by"])


def test_reverse_lookup_is_consistent_with_forward_lookup_for_every_class_used(client: TestClient) -> None:
    """Every (sub-process, class, direction) found from the sub-process side is found from the class side, and back."""
    activities = client.get("/api/v1/subprocesses", params={"limit": 500, "include_overarching": "true"}).json()
    forward: set[tuple[str, str, str, str]] = set()
    for activity in activities["items"]:
        body = client.get(activity["href"]).json()
        for side in ("inputs", "outputs"):
            for group in body[side]:
                for m in group["mappings"]:
                    forward.add((m["iri"], activity["iri"], m["information_class"]["iri"], m["direction"]))
    classes = {cls for _, _, cls, _ in forward}
    assert classes
    backward: set[tuple[str, str, str, str]] = set()
    for cls in classes:
        name = cls.rsplit("#", 1)[1]
        for usage in every_item(client, f"/api/v1/gsim/classes/{name}/subprocesses", 500):
            backward.add((usage["mapping"], usage["activity"]["iri"], cls, usage["direction"]))
        detail = client.get(f"/api/v1/gsim/classes/{name}").json()
        from_detail = {
            (m["iri"], m["activity"]["iri"], cls, m["direction"]) for m in detail["taken_in_by"] + detail["put_out_by"]
        }
        assert from_detail == {f for f in forward if f[2] == cls}, name
    assert backward == forward


def test_reverse_lookup_filters_by_direction(backend_client: httpx.Client) -> None:
    every = every_item(backend_client, "/api/v1/gsim/classes/InstanceVariable/subprocesses", 500)
    inputs = every_item(backend_client, "/api/v1/gsim/classes/InstanceVariable/subprocesses", 500, direction="input")
    outputs = every_item(backend_client, "/api/v1/gsim/classes/InstanceVariable/subprocesses", 500, direction="output")
    assert {u["mapping"] for u in inputs} | {u["mapping"] for u in outputs} == {u["mapping"] for u in every}
    assert all(u["direction"] == "input" for u in inputs) and all(u["direction"] == "output" for u in outputs)


def test_deprecated_gsim_1_2_name_answers_with_its_successor(backend_client: httpx.Client, client: TestClient) -> None:
    rows = select(client, "SELECT ?old ?new WHERE { ?old owl:deprecated true ; dcterms:isReplacedBy ?new }")
    assert rows, "the GSIM graph has no deprecated classes with a successor"
    for row in rows:
        name = row["old"].rsplit("#", 1)[1]
        response = backend_client.get(f"/api/v1/gsim/classes/{name}")
        assert response.status_code == 200, name
        body = response.json()
        assert body["deprecated"] is True
        assert row["new"] in {s["iri"] for s in body["successors"]}
        successor = next(s for s in body["successors"] if s["iri"] == row["new"])
        assert successor["label"] in body["note"]
        assert backend_client.get(successor["href"]).json()["deprecated"] is False


def test_unknown_class_is_404_naming_it(backend_client: httpx.Client) -> None:
    response = backend_client.get("/api/v1/gsim/classes/NoSuchThing")
    assert response.status_code == 404
    assert "NoSuchThing" in response.text
    response = backend_client.get("/api/v1/gsim/classes/NoSuchThing/subprocesses")
    assert response.status_code == 404 and "NoSuchThing" in response.text


def test_unknown_group_is_404_naming_it(client: TestClient) -> None:
    response = client.get("/api/v1/gsim/classes", params={"group": "MadeUpGroup"})
    assert response.status_code == 404 and "MadeUpGroup" in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/gsim/classes/Bad%3Cname%3E",
        "/api/v1/gsim/classes/InstanceVariable/subprocesses?direction=sideways",
        "/api/v1/gsim/classes?limit=-3",
        "/api/v1/gsim/classes?group=%7Bx%7D",
    ],
)
def test_malformed_parameter_is_422(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 422
