"""Search relevance on the real content: the queries a reader types and the result they expect first (ranked full
text with stemming in en/fr/es, CamelCase, codes, model names, typos), deprecated terms marked and ranked after
their successors, facets, and autocomplete without duplicates."""

from __future__ import annotations

from typing import Any

import pytest

SP = "http://id.unece.org/activities/subProcess/"
GSIM = "http://id.unece.org/def/gsim#"


def ranked(client: Any, q: str, **params: str) -> list[dict[str, Any]]:
    body = client.get("/api/v1/search", params={"q": q, "limit": 50, **params}).json()
    hits = [hit for group in body["groups"] for hit in group["items"]]
    return sorted(hits, key=lambda h: -h["score"])


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("imputation", SP + "5.4"),  # stem "imput": Edit and impute
        ("impute", SP + "5.4"),
        ("InstanceVariable", GSIM + "InstanceVariable"),  # CamelCase
        ("instance variable", GSIM + "InstanceVariable"),
        ("gsbpm 5.3", SP + "5.3"),  # a model name and a code
        ("5.3", SP + "5.3"),
        ("instnce variable", GSIM + "InstanceVariable"),  # a typo
        ("unit data set", GSIM + "UnitDataSet"),
        ("statistical need", GSIM + "StatisticalNeed"),
        ("Review and val", SP + "5.3"),  # the last word unfinished
    ],
)
def test_the_expected_result_comes_first(real_page_client: Any, query: str, first: str) -> None:
    hits = ranked(real_page_client, query)
    assert hits and hits[0]["iri"] == first, [h["iri"] for h in hits[:5]]


@pytest.mark.parametrize("query", ["validation", "valider", "validación", "valdiate"])
def test_validation_finds_review_and_validate_and_validate_outputs_first(real_page_client: Any, query: str) -> None:
    top = {h["iri"] for h in ranked(real_page_client, query)[:2]}
    assert top == {SP + "5.3", SP + "6.2"}, top


def test_prose_is_searched_definitions_and_justifications(real_page_client: Any) -> None:
    hits = ranked(real_page_client, "imputation")
    kinds = {h["kind"] for h in hits}
    assert "definition" in kinds or "justification" in kinds
    assert any(h["model"] == "Mapping" for h in hits), "mappings are found by their justifications"


def test_deprecated_terms_are_marked_and_follow_their_successor(real_page_client: Any) -> None:
    deprecated = [h for h in ranked(real_page_client, "administrative register") if h["deprecated"]]
    assert deprecated, "a GSIM 1.2 name is found and marked deprecated"
    assert all(h["kind"] == "old name" for h in deprecated if h["matched"].casefold() == "administrative register")
    page = real_page_client.get("/search", params={"q": "administrative register"}).text
    assert 'class="tag deprecated">deprecated</span>' in page


def test_facets_narrow_by_model_and_by_type(real_page_client: Any) -> None:
    page = real_page_client.get("/search", params={"q": "data"}).text
    assert "model=GSIM" in page and "type=http" in page
    narrowed = real_page_client.get(
        "/search", params={"q": "data", "type": "http://www.w3.org/2002/07/owl#Class", "model": "GSIM"}
    ).text
    assert 'aria-current="true"' in narrowed
    assert "/activities/subProcess/" not in narrowed.split('<ol class="hits ranked">')[1]


def test_autocomplete_has_no_duplicates(real_page_client: Any) -> None:
    for query in ("review", "valid", "data", "5."):
        hits = real_page_client.get("/search/suggest", params={"q": query}).json()
        shown = [(h["code"], h["label"].casefold()) for h in hits]
        assert len(shown) == len(set(shown)), shown
        assert len({h["iri"] for h in hits}) == len(hits)


def test_hostile_queries_are_plain_text(real_page_client: Any) -> None:
    for query in ('"', "AND OR NOT", "name:* NEAR(", "*", "a\\\\b", "^x", "5.3.", "{names}:x"):
        assert real_page_client.get("/api/v1/search", params={"q": query}).status_code == 200
        assert real_page_client.get("/search", params={"q": query}).status_code == 200
