"""The SPARQL 1.1 Protocol on /sparql over real HTTP: operations, datasets, formats, negotiation, the service
description, the query page, caching headers, gzip, CORS and the error shape."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlparse

import httpx
import pyoxigraph as ox
import pytest

from conftest import SPARQL_CONTENT_DIR, LiveServer, value_of
from modernstats_kg.content import content_files, parse_file

EX = "http://example.org/animals#"
GRAPHS = {parse_file(path).iri: parse_file(path) for path in content_files(SPARQL_CONTENT_DIR)}
ANIMALS, LINKS, NUMBERS = "http://example.org/animals", "http://example.org/links", "http://example.org/numbers"
LABELS = f"SELECT ?c ?label WHERE {{ ?c <http://www.w3.org/2000/01/rdf-schema#label> ?label . FILTER(STRSTARTS(STR(?c), '{EX}')) }}"  # noqa: E501
SPARQL_JSON = "application/sparql-results+json"
RDF_FORMATS = [ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.JSON_LD, ox.RdfFormat.RDF_XML]


def _fixture_triples(graph_iri: str) -> set[ox.Triple]:
    return set(GRAPHS[graph_iri].triples)


def _labels_expected() -> set[tuple[str, str]]:
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    return {
        (value_of(t.subject), value_of(t.object))
        for g in GRAPHS.values()
        for t in g.triples
        if t.predicate == label and value_of(t.subject).startswith(EX)
    }


def _rows(response: httpx.Response) -> set[tuple[str, ...]]:
    body = response.json()
    names = body["head"]["vars"]
    return {tuple(b[n]["value"] for n in names if n in b) for b in body["results"]["bindings"]}


def get(server: LiveServer, **kwargs: object) -> httpx.Response:
    return httpx.get(f"{server.url}/sparql", timeout=30, **kwargs)  # type: ignore[arg-type]


def post(server: LiveServer, **kwargs: object) -> httpx.Response:
    return httpx.post(f"{server.url}/sparql", timeout=30, **kwargs)  # type: ignore[arg-type]


# --- the three ways to send a query -----------------------------------------------------------------------------


def test_get_post_form_and_post_direct_give_the_same_answer(sparql_backend_server: LiveServer) -> None:
    accept = {"Accept": SPARQL_JSON}
    by_get = get(sparql_backend_server, params={"query": LABELS}, headers=accept)
    by_form = post(sparql_backend_server, data={"query": LABELS}, headers=accept)
    by_direct = post(
        sparql_backend_server, content=LABELS.encode(), headers={**accept, "Content-Type": "application/sparql-query"}
    )
    for response in (by_get, by_form, by_direct):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(SPARQL_JSON)
    assert _rows(by_get) == _rows(by_form) == _rows(by_direct) == _labels_expected()


def test_post_direct_with_charset_utf8_and_non_ascii_query(sparql_backend_server: LiveServer) -> None:
    query = 'SELECT ?c WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#label> "Oiseau"@fr } # é ü 中'
    response = post(
        sparql_backend_server,
        content=query.encode("utf-8"),
        headers={"Content-Type": "application/sparql-query; charset=UTF-8", "Accept": SPARQL_JSON},
    )
    assert response.status_code == 200
    assert _rows(response) == {(EX + "Bird",)}


# --- datasets -----------------------------------------------------------------------------------------------------


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _count(response: httpx.Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_default_graph_is_the_union_of_the_named_graphs(sparql_backend_server: LiveServer) -> None:
    union = set().union(*(_fixture_triples(g) for g in GRAPHS))
    assert _count(get(sparql_backend_server, params={"query": COUNT}, headers={"Accept": SPARQL_JSON})) == len(union)


@pytest.mark.parametrize("graphs", [[ANIMALS], [LINKS], [ANIMALS, LINKS], [NUMBERS, LINKS]])
def test_default_graph_uri_restricts_the_default_graph(sparql_backend_server: LiveServer, graphs: list[str]) -> None:
    expected = len(set().union(*(_fixture_triples(g) for g in graphs)))
    params = [("query", COUNT), *[("default-graph-uri", g) for g in graphs]]
    assert _count(get(sparql_backend_server, params=params, headers={"Accept": SPARQL_JSON})) == expected
    form = post(
        sparql_backend_server, data={"query": COUNT, "default-graph-uri": graphs}, headers={"Accept": SPARQL_JSON}
    )
    assert _count(form) == expected


def test_named_graph_uri_restricts_the_named_graphs(sparql_backend_server: LiveServer) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    everything = get(sparql_backend_server, params={"query": query}, headers={"Accept": SPARQL_JSON})
    assert _rows(everything) == {(g,) for g in GRAPHS}
    params = [("query", query), ("named-graph-uri", LINKS), ("named-graph-uri", NUMBERS)]
    assert _rows(get(sparql_backend_server, params=params, headers={"Accept": SPARQL_JSON})) == {(LINKS,), (NUMBERS,)}


def test_an_invalid_graph_iri_is_a_400(sparql_backend_server: LiveServer) -> None:
    response = get(sparql_backend_server, params={"query": COUNT, "default-graph-uri": "not an iri"})
    assert response.status_code == 400 and "default-graph-uri" in response.json()["error"]


# --- result formats -----------------------------------------------------------------------------------------------


SELECT_FORMATS = [
    ("application/sparql-results+json", "json"),
    ("application/sparql-results+xml", "xml"),
    ("text/csv", "csv"),
    ("text/tab-separated-values", "tsv"),
]


@pytest.mark.parametrize(("media_type", "key"), SELECT_FORMATS)
def test_select_results_in_every_format_hold_the_same_solutions(
    sparql_backend_server: LiveServer, media_type: str, key: str
) -> None:
    by_accept = get(sparql_backend_server, params={"query": LABELS}, headers={"Accept": media_type})
    by_format = get(sparql_backend_server, params={"query": LABELS, "format": key}, headers={"Accept": "text/html"})
    for response in (by_accept, by_format):
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == media_type
        assert "Accept" in response.headers["vary"]
    if key == "csv":  # lossy: pyoxigraph does not read CSV results back
        for response in (by_accept, by_format):
            assert {tuple(r) for r in list(csv.reader(io.StringIO(response.text)))[1:]} == _labels_expected()
        return
    for response in (by_accept, by_format):
        parsed = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.from_media_type(media_type))
        assert isinstance(parsed, ox.QuerySolutions)
        assert {(s["c"].value, s["label"].value) for s in parsed} == _labels_expected()


def test_csv_is_plain_csv_with_a_header(sparql_backend_server: LiveServer) -> None:
    response = get(sparql_backend_server, params={"query": LABELS, "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["c", "label"]
    assert {tuple(r) for r in rows[1:]} == _labels_expected()


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/sparql-results+json", True),
        ("application/sparql-results+xml", True),
    ],
)
def test_ask_answers_true_and_false_as_json_and_xml(
    sparql_backend_server: LiveServer, accept: str, expected: bool
) -> None:
    fmt = ox.QueryResultsFormat.from_media_type(accept)
    for query, value in ((f"ASK {{ <{EX}Cat> ?p ?o }}", True), (f"ASK {{ <{EX}Dog> ?p ?o }}", False)):
        response = get(sparql_backend_server, params={"query": query}, headers={"Accept": accept})
        assert response.status_code == 200
        assert bool(ox.parse_query_results(response.content, format=fmt)) is value


def test_ask_as_csv_is_not_acceptable(sparql_backend_server: LiveServer) -> None:
    response = get(sparql_backend_server, params={"query": "ASK {}"}, headers={"Accept": "text/csv"})
    assert response.status_code == 406
    assert "ASK" in response.json()["error"]


CONSTRUCT = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ANIMALS}> {{ ?s ?p ?o }} }}"


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_construct_in_every_rdf_format_holds_the_graph(sparql_backend_server: LiveServer, fmt: ox.RdfFormat) -> None:
    response = get(sparql_backend_server, params={"query": CONSTRUCT}, headers={"Accept": fmt.media_type})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == fmt.media_type
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(response.content, format=fmt)}
    assert triples == _fixture_triples(ANIMALS)


def test_turtle_uses_the_query_prefixes(sparql_backend_server: LiveServer) -> None:
    query = f"PREFIX zoo: <{EX}> CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ANIMALS}> {{ ?s ?p ?o }} }}"
    response = get(sparql_backend_server, params={"query": query, "format": "turtle"})
    assert f"@prefix zoo: <{EX}>" in response.text and "zoo:Cat" in response.text


def test_describe_returns_rdf(sparql_backend_server: LiveServer) -> None:
    response = get(
        sparql_backend_server, params={"query": f"DESCRIBE <{EX}Cat>"}, headers={"Accept": "application/n-triples"}
    )
    assert response.status_code == 200
    subjects = {q.subject for q in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)}
    assert ox.NamedNode(EX + "Cat") in subjects


NEGOTIATION = [
    # Accept, format=, query form, expected media type (None: 406)
    (
        "application/sparql-results+json;q=0.5, application/sparql-results+xml",
        None,
        "select",
        "application/sparql-results+xml",
    ),
    ("text/csv;q=0.9, text/tab-separated-values;q=1.0", None, "select", "text/tab-separated-values"),
    ("*/*", None, "select", "application/sparql-results+json"),
    (None, None, "select", "application/sparql-results+json"),
    ("*/*", None, "construct", "text/turtle"),
    ("application/rdf+xml;q=0.3, text/turtle;q=0.2", None, "construct", "application/rdf+xml"),
    ("application/json", None, "select", "application/sparql-results+json"),
    ("application/json", None, "construct", "application/ld+json"),
    ("text/turtle", "json", "select", "application/sparql-results+json"),
    ("text/turtle", None, "select", None),
    ("application/sparql-results+json", None, "construct", None),
    (None, "pdf", "select", None),
]


@pytest.mark.parametrize(("accept", "fmt", "form", "expected"), NEGOTIATION)
def test_negotiation_by_accept_and_format(
    sparql_backend_server: LiveServer, accept: str | None, fmt: str | None, form: str, expected: str | None
) -> None:
    query = LABELS if form == "select" else CONSTRUCT
    params = {"query": query, **({"format": fmt} if fmt else {})}
    headers = {"Accept": accept} if accept else {}
    response = get(sparql_backend_server, params=params, headers=headers)
    if expected is None:
        assert response.status_code == 406
        assert response.json()["ok"] is False
    else:
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == expected
    assert "Accept" in response.headers["vary"]


# --- the service description ----------------------------------------------------------------------------------


SD = "http://www.w3.org/ns/sparql-service-description#"


def _description(server: LiveServer, fmt: ox.RdfFormat = ox.RdfFormat.TURTLE) -> list[ox.Triple]:
    response = get(server, headers={"Accept": fmt.media_type})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == fmt.media_type
    return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(response.content, format=fmt)]


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_service_description_names_the_endpoint_and_lists_every_named_graph(
    sparql_backend_server: LiveServer, fmt: ox.RdfFormat
) -> None:
    triples = _description(sparql_backend_server, fmt)
    endpoint = ox.NamedNode(f"{sparql_backend_server.url}/sparql")
    assert ox.Triple(endpoint, ox.NamedNode(SD + "endpoint"), endpoint) in triples
    assert ox.Triple(endpoint, ox.NamedNode(SD + "supportedLanguage"), ox.NamedNode(SD + "SPARQL11Query")) in triples
    assert ox.Triple(endpoint, ox.NamedNode(SD + "feature"), ox.NamedNode(SD + "UnionDefaultGraph")) in triples
    names = {value_of(t.object) for t in triples if t.predicate.value == SD + "name"}
    assert names == set(GRAPHS)
    sizes = {
        t.subject: int(value_of(t.object)) for t in triples if t.predicate.value == "http://rdfs.org/ns/void#triples"
    }
    assert sorted(sizes.values()) == sorted(
        [*(len(g.triples) for g in GRAPHS.values()), sum(len(g.triples) for g in GRAPHS.values())]
    )


def test_service_description_lists_the_result_formats_the_endpoint_serves(sparql_backend_server: LiveServer) -> None:
    formats = {
        value_of(t.object) for t in _description(sparql_backend_server) if t.predicate.value == SD + "resultFormat"
    }
    expected = {
        "http://www.w3.org/ns/formats/" + name
        for name in (
            "SPARQL_Results_JSON",
            "SPARQL_Results_XML",
            "SPARQL_Results_CSV",
            "SPARQL_Results_TSV",
            "Turtle",
            "N-Triples",
            "JSON-LD",
            "RDF_XML",
        )
    }
    assert formats == expected


def test_browsers_get_the_query_page_without_a_query(sparql_backend_server: LiveServer) -> None:
    response = get(sparql_backend_server, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<textarea id="sparql-query" name="query"' in response.text
    assert "Accept" in response.headers["vary"]


# --- the query page ---------------------------------------------------------------------------------------------


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.cells: list[str] = []
        self._in_td = False
        self.textarea = ""
        self._in_textarea = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")
        self._in_td = self._in_td or tag == "td"
        self._in_textarea = tag == "textarea"
        if tag == "td":
            self.cells.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._in_td = False
        if tag == "textarea":
            self._in_textarea = False

    def handle_data(self, data: str) -> None:
        if self._in_td:
            self.cells[-1] += data
        if self._in_textarea:
            self.textarea += data


def _page(response: httpx.Response) -> _Page:
    assert response.headers["content-type"].startswith("text/html")
    page = _Page()
    page.feed(response.text)
    return page


def test_results_page_escapes_values_and_keeps_the_query_in_the_editor(sparql_backend_server: LiveServer) -> None:
    query = f"SELECT ?comment WHERE {{ <{EX}Bird> <http://www.w3.org/2000/01/rdf-schema#comment> ?comment }}"
    response = get(sparql_backend_server, params={"query": query}, headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    page = _page(response)
    assert any("<script>alert('x')</script> & friends" in cell for cell in page.cells)
    assert page.textarea == query


def test_results_page_links_iris_to_their_pages(sparql_backend_server: LiveServer) -> None:
    query = f"SELECT ?s WHERE {{ VALUES ?s {{ <{EX}Cat> <http://id.unece.org/activities/subProcess/5.3> }} }}"
    page = _page(get(sparql_backend_server, params={"query": query, "format": "html"}))
    assert "/activities/subProcess/5.3" in page.links
    resource_links = [link for link in page.links if link.startswith("/resource?iri=")]
    assert [parse_qs(urlparse(link).query)["iri"] for link in resource_links] == [[EX + "Cat"]]


def test_results_page_shows_ask_and_construct(sparql_backend_server: LiveServer) -> None:
    ask = get(sparql_backend_server, params={"query": "ASK {}"}, headers={"Accept": "text/html"})
    assert ask.status_code == 200 and '<p class="sparql-boolean" role="status"><strong>true</strong>' in ask.text
    graph = _page(get(sparql_backend_server, params={"query": CONSTRUCT}, headers={"Accept": "text/html"}))
    assert len(graph.cells) == 3 * len(_fixture_triples(ANIMALS))


def test_results_page_offers_the_result_in_every_format(sparql_backend_server: LiveServer) -> None:
    page = _page(get(sparql_backend_server, params={"query": LABELS}, headers={"Accept": "text/html"}))
    downloads = [link for link in page.links if "format=" in link]
    keys = {parse_qs(urlparse(link).query)["format"][0] for link in downloads}
    assert {"json", "xml", "csv", "tsv"} <= keys
    for link in downloads:
        if parse_qs(urlparse(link).query)["format"][0] in {"json", "xml", "csv", "tsv"}:
            assert httpx.get(sparql_backend_server.url + link, timeout=30).status_code == 200


def test_syntax_errors_show_on_the_page_for_browsers(sparql_backend_server: LiveServer) -> None:
    response = get(sparql_backend_server, params={"query": "SELECT * WHERE {\n ?s ?p"}, headers={"Accept": "text/html"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "line 2" in response.text
    assert _page(response).textarea == "SELECT * WHERE {\n ?s ?p"


def test_every_example_on_the_real_content_answers_with_results(backend_server: LiveServer) -> None:
    page = _page(get(backend_server, headers={"Accept": "text/html"}))
    examples = [link for link in page.links if link.startswith("/sparql?query=")]
    assert len(examples) >= 4
    for link in examples:
        query = parse_qs(urlparse(link).query)["query"][0]
        response = get(backend_server, params={"query": query}, headers={"Accept": "text/html"})
        assert response.status_code == 200, (query, response.text[:500])
        assert len(_page(response).cells) > 0, query


# --- HTTP: caching, gzip, CORS ------------------------------------------------------------------------------------


def test_etag_and_last_modified_allow_revalidation(sparql_backend_server: LiveServer) -> None:
    first = get(sparql_backend_server, params={"query": LABELS}, headers={"Accept": SPARQL_JSON})
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert etag.startswith('W/"') and "max-age" in first.headers["cache-control"]
    again = get(sparql_backend_server, params={"query": LABELS}, headers={"Accept": SPARQL_JSON, "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    since = get(
        sparql_backend_server, params={"query": LABELS}, headers={"Accept": SPARQL_JSON, "If-Modified-Since": modified}
    )
    assert since.status_code == 304
    other_format = get(
        sparql_backend_server, params={"query": LABELS}, headers={"Accept": "text/csv", "If-None-Match": etag}
    )
    assert other_format.status_code == 200 and other_format.headers["etag"] != etag
    description = get(sparql_backend_server, headers={"Accept": "text/turtle"})
    assert (
        get(
            sparql_backend_server, headers={"Accept": "text/turtle", "If-None-Match": description.headers["etag"]}
        ).status_code
        == 304
    )


def test_post_answers_are_not_cached(sparql_backend_server: LiveServer) -> None:
    response = post(sparql_backend_server, data={"query": LABELS})
    assert response.status_code == 200 and "etag" not in response.headers
    assert response.headers["cache-control"] == "no-store"


def test_large_answers_are_gzipped(sparql_backend_server: LiveServer) -> None:
    query = "SELECT ?s ?v WHERE { ?s <http://example.org/numbers#value> ?v } ORDER BY ?v LIMIT 50"
    with httpx.Client(headers={"Accept-Encoding": "gzip"}) as client:
        raw = client.get(f"{sparql_backend_server.url}/sparql", params={"query": query, "format": "json"})
        assert raw.headers["content-encoding"] == "gzip"
        assert len(raw.json()["results"]["bindings"]) == 50
    plain = httpx.get(
        f"{sparql_backend_server.url}/sparql",
        params={"query": query, "format": "json"},
        headers={"Accept-Encoding": "identity"},
    )
    assert "content-encoding" not in plain.headers
    assert sorted(map(str, plain.json()["results"]["bindings"])) == sorted(map(str, raw.json()["results"]["bindings"]))


def test_cors_allows_any_origin_to_read_by_default(sparql_backend_server: LiveServer) -> None:
    response = get(sparql_backend_server, params={"query": "ASK {}"}, headers={"Origin": "https://example.net"})
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = httpx.options(
        f"{sparql_backend_server.url}/sparql",
        headers={"Origin": "https://example.net", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 200 and "GET" in preflight.headers["access-control-allow-methods"]


# --- refusals and the error shape -----------------------------------------------------------------------------


ERROR_CASES = [
    # (method, kwargs, status, words the message must contain)
    ("GET", {"params": {"query": "SELECT * WHERE {"}}, 400, "syntax"),
    ("GET", {"params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400, "one query"),
    ("GET", {"params": {"query": "   "}}, 400, "empty"),
    ("POST", {"data": {"default-graph-uri": "http://example.org/links"}}, 400, "no query"),
    ("GET", {"params": {"update": "CLEAR ALL"}}, 403, "Update"),
    ("POST", {"data": {"update": "CLEAR ALL"}}, 403, "Update"),
    ("POST", {"content": b"CLEAR ALL", "headers": {"Content-Type": "application/sparql-update"}}, 403, "Update"),
    ("POST", {"content": b"ASK {}", "headers": {"Content-Type": "text/plain"}}, 415, "Content-Type"),
    ("POST", {"content": b"ASK {}"}, 415, "Content-Type"),
    (
        "POST",
        {"content": "ASK {}".encode("utf-16"), "headers": {"Content-Type": "application/sparql-query; charset=UTF-16"}},
        415,
        "UTF-8",
    ),
    ("POST", {"content": b"ASK { \xff }", "headers": {"Content-Type": "application/sparql-query"}}, 400, "UTF-8"),
    ("PUT", {"params": {"query": "ASK {}"}}, 405, "Method"),
    ("DELETE", {}, 405, "Method"),
]


@pytest.mark.parametrize(("method", "kwargs", "status", "words"), ERROR_CASES)
def test_client_errors_are_4xx_with_one_json_shape(
    sparql_backend_server: LiveServer, method: str, kwargs: dict[str, object], status: int, words: str
) -> None:
    response = httpx.request(method, f"{sparql_backend_server.url}/sparql", timeout=30, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ok"] is False and body["status"] == status
    assert words.lower() in body["error"].lower()


def test_syntax_errors_carry_line_and_column(sparql_backend_server: LiveServer) -> None:
    second_line = "WHERE { ?s ?p }"
    body = get(sparql_backend_server, params={"query": "SELECT ?s\n" + second_line}).json()
    assert body["line"] == 2 and 1 <= body["column"] <= len(second_line) + 1  # the error is on the second line
    assert re.search(rf"line 2, column {body['column']}\b", body["error"])


def test_results_page_writes_iris_with_the_query_prefixes(sparql_backend_server: LiveServer) -> None:
    query = f"PREFIX zoo: <{EX}> SELECT ?c WHERE {{ ?c zoo:legs 4 }}"
    response = get(sparql_backend_server, params={"query": query}, headers={"Accept": "text/html"})
    page = _page(response)
    assert [cell.strip() for cell in page.cells] == ["zoo:Cat"]
    assert f'title="{EX}Cat"' in response.text


def test_head_answers_the_headers_of_get_without_a_body(sparql_backend_server: LiveServer) -> None:
    got = get(sparql_backend_server, params={"query": LABELS}, headers={"Accept": SPARQL_JSON})
    head = httpx.head(f"{sparql_backend_server.url}/sparql", params={"query": LABELS}, headers={"Accept": SPARQL_JSON})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"] and head.headers["etag"] == got.headers["etag"]


def test_the_description_announces_federation_only_with_an_allow_list() -> None:
    from modernstats_kg.sparql.service_description import describe_service

    feature = ox.NamedNode(SD + "feature")
    federated = ox.NamedNode(SD + "BasicFederatedQuery")
    endpoint = ox.NamedNode("http://localhost/sparql")
    assert ox.Triple(endpoint, feature, federated) not in describe_service(endpoint.value, [])
    assert ox.Triple(endpoint, feature, federated) in describe_service(endpoint.value, [], federated=True)
