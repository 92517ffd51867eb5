"""GSBPM 5.1 -> 5.2 changes as a page (`/gsbpm/changes`) and an API answer (`/api/v1/gsbpm/changes`), 5.1 names found
by search and shown on the item pages, over the project's real content. The expected 5.1 names are read from COOS
(which encodes GSBPM 5.1), the 5.2 names from the official 5.2 text."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from gsbpm52_text import read_gsbpm52

A = "http://id.unece.org/activities/"


@pytest.fixture(scope="module")
def renamed_51(reference_dir: Path) -> dict[str, str]:
    """Sub-process code -> its 5.1 English name, for every sub-process whose 5.2 name differs (3.2 aside)."""
    coos = Graph().parse(reference_dir / "coos" / "coos.ttl", format="turtle")
    text = read_gsbpm52(reference_dir / "gsbpm-5.2" / "gsbpm-5.2.txt")
    out = {}
    for code, name_52 in text.subprocesses.items():
        name_51 = next(
            str(o)
            for o in coos.objects(URIRef(A + "subProcess/" + code), SKOS.prefLabel)
            if isinstance(o, Literal) and o.language == "en"
        )
        if name_51.lower() != name_52.lower() and code != "3.2":
            out[code] = name_51
    assert len(out) == 6
    return out


def test_api_lists_every_rename_with_its_51_and_52_names(real_page_client: Any, renamed_51: dict[str, str]) -> None:
    answer = real_page_client.get("/api/v1/gsbpm/changes")
    assert answer.status_code == 200
    changes = answer.json()
    renames = {c["item"]["code"]: c for c in changes if c["kind"] == "renamed" and c["item"]["code"]}
    for code, old in renamed_51.items():
        change = renames[code]
        assert {"value": old, "lang": "en"} in change["previous_names"]
        assert change["item"]["href"] == f"/api/v1/subprocesses/{code}"
        assert change["current_labels"]["en"] != old
        assert change["paragraph"] == 4 and change["from_version"] == "5.1" and change["to_version"] == "5.2"
    assert renames["0.6"]["previous_names"][0] == {"value": "Provider Management", "lang": "en"}
    assert renames["0.6"]["current_labels"]["en"] == "Data Supplier Management"
    assert any(c["kind"] == "redescribed" and c["item"]["code"] == "1.4" for c in changes)


def test_changes_page_lists_each_renamed_item_with_both_names(
    real_page_client: Any, renamed_51: dict[str, str]
) -> None:
    page = real_page_client.get("/gsbpm/changes")
    assert page.status_code == 200
    body = html.unescape(page.text)
    for code, old in renamed_51.items():
        assert f'href="/activities/subProcess/{code}"' in body
        assert old in body
    assert "Provider Management" in body and "Data Supplier Management" in body


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_search_finds_every_51_name_and_leads_to_the_renamed_item(
    real_page_client: Any, renamed_51: dict[str, str], lang: str
) -> None:
    for code, old in renamed_51.items():
        hits = real_page_client.get("/search/suggest", params={"q": old, "lang": lang}).json()
        assert hits, old
        assert hits[0]["url"] == f"/activities/subProcess/{code}", (old, hits[0])
        assert hits[0]["matched"] == old


def test_search_page_marks_a_51_name_as_an_old_name(real_page_client: Any) -> None:
    body = html.unescape(real_page_client.get("/search", params={"q": "Manage user support"}).text)
    assert "old name: " in body and "Manage user support" in body
    assert 'href="/activities/subProcess/7.5"' in body


def test_renamed_item_page_says_what_it_was_called_in_51(real_page_client: Any, renamed_51: dict[str, str]) -> None:
    for code, old in renamed_51.items():
        body = html.unescape(real_page_client.get(f"/activities/subProcess/{code}").text)
        assert f"Called “{old}” in GSBPM 5.1." in body, code
    unchanged = html.unescape(real_page_client.get("/activities/subProcess/5.3").text)
    assert "in GSBPM 5.1" not in unchanged


def test_french_page_of_a_renamed_item_gives_the_french_51_name(real_page_client: Any) -> None:
    body = html.unescape(real_page_client.get("/activities/subProcess/7.5", params={"lang": "fr"}).text)
    assert "Appelé “Gérer l'assistance aux utilisateurs” dans la GSBPM 5.1." in body
    assert "traduction du projet" in body


def test_51_names_are_queryable_over_sparql(real_page_client: Any) -> None:
    query = """PREFIX gsbpmx: <http://id.unece.org/def/gsbpmx#>
    SELECT ?item WHERE { ?c gsbpmx:changedItem ?item ; gsbpmx:previousName "Design variable descriptions"@en }"""
    answer = real_page_client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert answer.status_code == 200
    rows = answer.json()["results"]["bindings"]
    assert [r["item"]["value"] for r in rows] == [A + "subProcess/2.2"]
