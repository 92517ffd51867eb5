"""Interface language and content language chosen apart (as in Skosmos): `?lang=` for the page's own words,
`?clang=` for labels and definitions, each kept in a cookie; a label missing in the content language is shown in
English and marked so; the tool pages' strings exist in every interface language."""

from __future__ import annotations

from typing import Any

import pytest
import rdflib
from rdflib.namespace import SKOS

from conftest import PROJECT_ROOT
from modernstats_kg.web.i18n import LANGS, strings
from modernstats_kg.web.i18n_tools import TOOL_STRINGS

SP53 = rdflib.URIRef("http://id.unece.org/activities/subProcess/5.3")


@pytest.fixture(autouse=True)
def fresh_cookies(page_client: Any) -> Any:
    page_client.cookies.clear()
    yield
    page_client.cookies.clear()


def label(lang: str) -> str:
    graph = rdflib.Graph().parse(PROJECT_ROOT / "tests" / "fixtures" / "web-content" / "ontology" / "gsbpm.ttl")
    return next(
        str(o) for o in graph.objects(SP53, SKOS.prefLabel) if isinstance(o, rdflib.Literal) and o.language == lang
    )


def test_content_language_apart_from_the_interface(page_client: Any) -> None:
    response = page_client.get("/activities/subProcess/5.3", params={"lang": "en", "clang": "fr"})
    body = response.text
    assert '<html lang="en">' in body, "the interface stays English"
    assert label("fr") in body and "Skip to content" in body
    assert response.headers["content-language"] == "en, fr"
    assert "clang=fr" in response.headers["set-cookie"]
    again = page_client.get("/activities/subProcess/5.3").text  # the cookies keep both choices
    assert label("fr") in again and "Skip to content" in again
    assert 'aria-label="Content language"' in again


def test_choosing_the_interface_language_resets_the_content_language(page_client: Any) -> None:
    page_client.get("/activities/subProcess/5.3", params={"clang": "fr"})
    body = page_client.get("/activities/subProcess/5.3", params={"lang": "es"}).text
    assert label("es") in body and '<html lang="es">' in body


def test_fallback_labels_are_marked(page_client: Any) -> None:
    body = page_client.get("/activities/subProcess/5.3", params={"lang": "fr"}).text
    assert 'lang="en" class="fallback">Data Set</a>' in body  # GSIM classes have English names only


def test_tool_strings_exist_in_every_language() -> None:
    for lang in LANGS:
        assert set(TOOL_STRINGS[lang]) == set(TOOL_STRINGS["en"]), lang
        assert set(strings(lang)) >= set(TOOL_STRINGS["en"])
