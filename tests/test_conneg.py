"""Content negotiation: the Accept parser, the choice among representations, and the conditional-request helper."""

from __future__ import annotations

import doctest
from email.utils import formatdate

import pytest
from starlette.requests import Request

from modernstats_kg import conneg
from modernstats_kg.conneg import (
    BOOLEAN_RESULTS,
    CSV,
    HTML,
    JSON_LD,
    N_TRIPLES,
    RDF_GRAPHS,
    RDF_XML,
    SOLUTION_RESULTS,
    SPARQL_JSON,
    SPARQL_XML,
    TSV,
    TURTLE,
    Representation,
    Validators,
    negotiate,
    parse_accept,
)
from modernstats_kg.errors import NotAcceptable


def test_docstring_examples_run() -> None:
    result = doctest.testmod(conneg)
    assert result.attempted >= 3 and result.failed == 0


ACCEPT_PARSES = [
    ("", []),
    (None, []),
    ("text/turtle", [("text/turtle", 1.0)]),
    ("text/html;q=0.9, application/json", [("application/json", 1.0), ("text/html", 0.9)]),
    ("*/*;q=0.1, text/*;q=0.1, text/csv;q=0.1", [("text/csv", 0.1), ("text/*", 0.1), ("*/*", 0.1)]),
    ("TEXT/Turtle; Q=0.5", [("text/turtle", 0.5)]),
    ("text/turtle;q=7", [("text/turtle", 1.0)]),
    ("text/turtle;q=-1", [("text/turtle", 0.0)]),
    ("text/turtle;q=nan", [("text/turtle", 0.0)]),
    ("text/turtle;q=abc", [("text/turtle", 0.0)]),
    ("garbage, /, text/, */turtle, a b/c, text/turtle", [("text/turtle", 1.0)]),
    ('application/ld+json;profile="a,b;c";q=0.8, text/turtle', [("text/turtle", 1.0), ("application/ld+json", 0.8)]),
    ("*", [("*/*", 1.0)]),
]


@pytest.mark.parametrize(("header", "expected"), ACCEPT_PARSES)
def test_accept_header_parses_to_ranges_best_first(header: str | None, expected: list[tuple[str, float]]) -> None:
    assert [(r.media_type, r.q) for r in parse_accept(header)] == expected


def test_parameters_before_q_are_kept_and_quoted_commas_do_not_split() -> None:
    (ranges,) = [parse_accept('application/ld+json;profile="http://www.w3.org/ns/json-ld#compacted,x";q=0.5')]
    assert len(ranges) == 1
    assert ranges[0].params == (("profile", "http://www.w3.org/ns/json-ld#compacted,x"),)
    assert ranges[0].q == 0.5


NEGOTIATIONS = [
    # offers, Accept, format=, expected key
    (RDF_GRAPHS, None, None, "turtle"),
    (RDF_GRAPHS, "", None, "turtle"),
    (RDF_GRAPHS, "*/*", None, "turtle"),
    (RDF_GRAPHS, "application/n-triples", None, "ntriples"),
    (RDF_GRAPHS, "application/rdf+xml;q=0.5, text/turtle;q=0.4", None, "rdfxml"),
    (RDF_GRAPHS, "application/x-turtle", None, "turtle"),  # an alias pyoxigraph knows
    (RDF_GRAPHS, "application/ld+json", None, "jsonld"),
    (RDF_GRAPHS, "application/*", None, "ntriples"),  # the first application/* offer in server order
    (RDF_GRAPHS, "text/turtle;q=0, */*;q=0.5", None, "ntriples"),  # explicit refusal beats the wildcard
    (SOLUTION_RESULTS, "application/sparql-results+xml", None, "xml"),
    (SOLUTION_RESULTS, "application/json", None, "json"),
    (SOLUTION_RESULTS, "text/csv;q=0.2, text/tab-separated-values;q=0.3", None, "tsv"),
    (SOLUTION_RESULTS, "text/*", None, "csv"),
    (BOOLEAN_RESULTS, "application/sparql-results+xml, application/sparql-results+json", None, "json"),
    ((*SOLUTION_RESULTS, HTML), "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", None, "html"),
    ((*SOLUTION_RESULTS, HTML), "text/html", "json", "json"),  # format= wins over Accept
    ((*SOLUTION_RESULTS, HTML), "text/html", "text/csv", "csv"),  # format= may be a media type
    ((*RDF_GRAPHS, HTML), None, "ttl", "turtle"),  # or a file extension
    ((*RDF_GRAPHS, HTML), None, "RDFXML", "rdfxml"),
]


@pytest.mark.parametrize(("offers", "accept", "fmt", "expected"), NEGOTIATIONS)
def test_negotiation_picks_the_best_offer(
    offers: tuple[Representation, ...], accept: str | None, fmt: str | None, expected: str
) -> None:
    assert negotiate(offers, accept, format=fmt).key == expected


@pytest.mark.parametrize(
    ("offers", "accept", "fmt"),
    [
        (SOLUTION_RESULTS, "text/turtle", None),
        (RDF_GRAPHS, "application/sparql-results+json", None),
        (BOOLEAN_RESULTS, "text/csv", None),
        (RDF_GRAPHS, "text/turtle;q=0", None),
        (RDF_GRAPHS, None, "pdf"),
        (SOLUTION_RESULTS, None, "turtle"),
    ],
)
def test_nothing_acceptable_is_a_406_naming_what_is_available(
    offers: tuple[Representation, ...], accept: str | None, fmt: str | None
) -> None:
    with pytest.raises(NotAcceptable) as caught:
        negotiate(offers, accept, format=fmt)
    assert caught.value.status == 406
    assert set(caught.value.details["available"]) == {o.media_type for o in offers}


def test_every_representation_is_named_by_its_own_media_type_and_pyoxigraph_knows_it() -> None:
    for rep in (*SOLUTION_RESULTS, *RDF_GRAPHS):
        assert rep.names(rep.media_type)
        assert rep.format is not None and rep.format.media_type == rep.media_type
        assert negotiate((*SOLUTION_RESULTS, *RDF_GRAPHS), rep.media_type).key == rep.key
    assert {r.key for r in (SPARQL_JSON, SPARQL_XML, CSV, TSV)} == {"json", "xml", "csv", "tsv"}
    assert {r.key for r in (TURTLE, N_TRIPLES, JSON_LD, RDF_XML)} == {"turtle", "ntriples", "jsonld", "rdfxml"}


def _request(headers: dict[str, str], method: str = "GET", query: str = "") -> Request:
    return Request(
        {
            "type": "http",
            "method": method,
            "path": "/x",
            "query_string": query.encode(),
            "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        }
    )


def test_negotiate_request_reads_accept_and_the_format_parameter() -> None:
    assert conneg.negotiate_request(_request({"Accept": "text/turtle"}), RDF_GRAPHS) is TURTLE
    assert conneg.negotiate_request(_request({"Accept": "text/turtle"}, query="format=jsonld"), RDF_GRAPHS) is JSON_LD


LOADED_AT = 1_700_000_000.5


def test_validators_name_the_content_version_and_differ_by_variant() -> None:
    a = Validators.for_content("abc123", LOADED_AT, "turtle")
    b = Validators.for_content("abc123", LOADED_AT, "jsonld")
    c = Validators.for_content("def456", LOADED_AT, "turtle")
    assert a.etag.startswith('W/"abc123-') and a.etag.endswith('"')
    assert len({a.etag, b.etag, c.etag}) == 3
    assert a.etag == Validators.for_content("abc123", LOADED_AT, "turtle").etag
    headers = a.headers()
    assert headers["Last-Modified"] == formatdate(1_700_000_000, usegmt=True)
    assert "max-age=" in headers["Cache-Control"]


@pytest.mark.parametrize(
    ("headers", "fresh"),
    [
        ({}, False),
        ({"If-None-Match": "CURRENT"}, True),
        ({"If-None-Match": "CURRENT".replace("W/", "")}, True),  # weak comparison
        ({"If-None-Match": '"other", CURRENT'}, True),
        ({"If-None-Match": "*"}, True),
        ({"If-None-Match": '"other"'}, False),
        ({"If-Modified-Since": formatdate(LOADED_AT + 10, usegmt=True)}, True),
        ({"If-Modified-Since": formatdate(LOADED_AT, usegmt=True)}, True),
        ({"If-Modified-Since": formatdate(LOADED_AT - 10, usegmt=True)}, False),
        ({"If-Modified-Since": "not a date"}, False),
        # If-None-Match decides when both are present
        ({"If-None-Match": '"other"', "If-Modified-Since": formatdate(LOADED_AT + 10, usegmt=True)}, False),
    ],
)
def test_revalidation_is_fresh_only_for_the_current_content(headers: dict[str, str], fresh: bool) -> None:
    validators = Validators.for_content("v1", LOADED_AT, "json")
    headers = {k.lower(): v.replace("CURRENT", validators.etag) for k, v in headers.items()}
    assert validators.is_fresh(headers) is fresh


def test_not_modified_is_a_304_with_validators_for_get_only() -> None:
    validators = Validators.for_content("v1", LOADED_AT, "json")
    response = validators.not_modified(_request({"If-None-Match": validators.etag}))
    assert response is not None and response.status_code == 304
    assert response.headers["etag"] == validators.etag and response.headers["vary"] == "Accept"
    assert validators.not_modified(_request({"If-None-Match": validators.etag}, method="POST")) is None
    assert validators.not_modified(_request({})) is None
