"""Search over labels in every language, codes, synonyms and GSIM 1.2 names (page and autocomplete JSON), and the
language of the pages (`?lang=`, cookie, `Accept-Language`, English fallback)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import rdflib
from rdflib.namespace import SKOS

from modernstats_kg.web.i18n import LANGS, PAGE_TABLES, parse_accept_language

SP53 = rdflib.URIRef("http://id.unece.org/activities/subProcess/5.3")


@pytest.fixture(autouse=True)
def no_language_cookie(page_client: Any) -> Any:
    """The session's client must not carry a language chosen here into other tests."""
    page_client.cookies.clear()
    yield
    page_client.cookies.clear()


@pytest.fixture(scope="module")
def gsbpm(web_content_dir: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(web_content_dir / "ontology" / "gsbpm.ttl")


def test_a_code_finds_its_subprocess_first(page_client: Any) -> None:
    hits = page_client.get("/search/suggest", params={"q": "5.3"}).json()
    assert hits[0]["url"] == "/activities/subProcess/5.3" and hits[0]["code"] == "5.3"


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_labels_in_every_language_find_the_resource(page_client: Any, gsbpm: rdflib.Graph, lang: str) -> None:
    label = next(
        str(o) for o in gsbpm.objects(SP53, SKOS.prefLabel) if isinstance(o, rdflib.Literal) and o.language == lang
    )
    hits = page_client.get("/search/suggest", params={"q": label.lower()}).json()
    assert hits and hits[0]["iri"] == str(SP53)


def test_search_ignores_accents(page_client: Any) -> None:
    hits = page_client.get("/search/suggest", params={"q": "donnees"}).json()
    assert any(h["iri"] == str(SP53) for h in hits)


def test_synonyms_and_gsim_12_names_are_found(page_client: Any) -> None:
    synonym = page_client.get("/search/suggest", params={"q": "dataset"}).json()
    assert any(h["iri"].endswith("#DataSet") for h in synonym)
    old = page_client.get("/search/suggest", params={"q": "unit data set"}).json()
    assert old[0]["iri"].endswith("#UnitDataSet")


def test_search_page_ranks_results_with_facets_by_model_and_type(page_client: Any) -> None:
    body = page_client.get("/search", params={"q": "data"}).text
    models = re.findall(r'<a href="(/search\?[^"]*model=(\w+)[^"]*)">\w+ <span class="count">', body)
    assert {"GSIM", "GSBPM"} <= {m for _, m in models}
    assert 'aria-label="Narrow the results"' in body and "type=" in body
    narrowed = page_client.get(next(href for href, m in models if m == "GSIM").replace("&amp;", "&")).text
    hits = re.findall(r'<li><a href="([^"]+)"', narrowed.split('<ol class="hits ranked">')[1])
    assert hits and all(h.startswith("/def/gsim") for h in hits)


def test_search_page_without_results_says_so(page_client: Any) -> None:
    body = page_client.get("/search", params={"q": "zzqqxx"}).text
    assert "Nothing matches this search." in body and '<ol class="hits' not in body


def test_search_box_and_autocomplete_script_are_on_every_page(page_client: Any) -> None:
    body = page_client.get("/def/gsim/DataSet").text
    assert 'data-suggest="/search/suggest"' in body and 'src="/static/suggest.js"' in body
    assert '<label for="site-q"' in body, "the search box is labelled"


def test_suggest_limits_its_answer(page_client: Any) -> None:
    assert len(page_client.get("/search/suggest", params={"q": "a"}).json()) <= 8
    assert page_client.get("/search/suggest", params={"q": ""}).json() == []
    assert page_client.get("/search/suggest", params={"q": "x" * 500}).status_code == 422


# --- languages -------------------------------------------------------------------------------------------------


def test_accept_language_is_read_by_preference() -> None:
    assert parse_accept_language("es;q=0.5, fr-CH, en;q=0.8") == ["fr", "en", "es"]
    assert parse_accept_language("de;q=0, *") == ["*"]


def test_lang_parameter_switches_labels_and_sets_a_cookie(page_client: Any, gsbpm: rdflib.Graph) -> None:
    french = next(
        str(o) for o in gsbpm.objects(SP53, SKOS.prefLabel) if isinstance(o, rdflib.Literal) and o.language == "fr"
    )
    response = page_client.get("/activities/subProcess/5.3", params={"lang": "fr"})
    assert f"</span> {french}</h1>" in response.text
    assert '<html lang="fr">' in response.text and response.headers["content-language"] == "fr"
    assert "lang=fr" in response.headers["set-cookie"]


def test_the_cookie_keeps_the_language_and_accept_language_applies_without_it(
    page_client: Any, gsbpm: rdflib.Graph
) -> None:
    spanish = next(
        str(o) for o in gsbpm.objects(SP53, SKOS.prefLabel) if isinstance(o, rdflib.Literal) and o.language == "es"
    )
    page_client.cookies.set("lang", "es")
    by_cookie = page_client.get("/activities/subProcess/5.3")
    assert spanish in by_cookie.text
    page_client.cookies.clear()
    by_header = page_client.get("/activities/subProcess/5.3", headers={"Accept-Language": "es-MX,es;q=0.9"})
    assert spanish in by_header.text and by_header.headers["content-language"] == "es"


def test_english_is_the_fallback_with_the_right_lang_attribute(page_client: Any) -> None:
    page_client.cookies.clear()
    # GSIM classes have English labels only: a French page shows them in English, marked as English
    body = page_client.get("/activities/subProcess/5.3", params={"lang": "fr"}).text
    assert re.search(r'<a href="/def/gsim/DataSet" lang="en" class="fallback">Data Set</a>', body)


def test_the_language_switcher_links_every_language_and_marks_the_current_one(page_client: Any) -> None:
    page_client.cookies.clear()
    body = page_client.get("/def/gsim/DataSet", params={"lang": "es"}).text
    for lang in LANGS:
        assert f'href="/def/gsim/DataSet?lang={lang}"' in body
    assert re.search(r'hreflang="es" lang="es" aria-current="true"', body)
    page_client.cookies.clear()


def test_every_interface_string_is_translated() -> None:
    for table in PAGE_TABLES:  # every table of every page family: tests/test_translations.py
        for lang in LANGS:
            missing = set(table["en"]) - set(table[lang])  # names the same in every language are repeated
            assert not missing, f"{lang}: {sorted(missing)}"


def test_a_facet_of_the_search_page_is_not_answered_from_the_unfaceted_page(page_client: Any) -> None:
    page_client.cookies.clear()
    whole = page_client.get("/search", params={"q": "variable", "lang": "en"})
    faceted = page_client.get("/search", params={"q": "variable", "lang": "en", "model": "GSBPM"})
    assert whole.status_code == faceted.status_code == 200
    assert whole.text != faceted.text  # the page cache and its ETag key on the facet too
    assert whole.headers["etag"] != faceted.headers["etag"]
