"""Real SPARQL clients against the running server: SPARQLWrapper, rdflib's SPARQLStore and curl."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
from xml.dom.minidom import Document, Element

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper

from conftest import SPARQL_CONTENT_DIR, LiveServer, require, value_of
from modernstats_kg.content import content_files, parse_file

EX = "http://example.org/animals#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
QUERY = f"SELECT ?c ?label WHERE {{ ?c <{RDFS_LABEL}> ?label FILTER(STRSTARTS(STR(?c), '{EX}')) }}"
GRAPHS = [parse_file(path) for path in content_files(SPARQL_CONTENT_DIR)]
EXPECTED = {
    (value_of(t.subject), value_of(t.object))
    for g in GRAPHS
    for t in g.triples
    if t.predicate.value == RDFS_LABEL and value_of(t.subject).startswith(EX)
}
ANIMALS = next(g for g in GRAPHS if g.iri == "http://example.org/animals")


def _wrapper(server: LiveServer, fmt: str, *, method: str | None = None) -> SPARQLWrapper:
    client = SPARQLWrapper(f"{server.url}/sparql")
    client.setReturnFormat(fmt)
    if method:
        client.setMethod(method)
    return client


@pytest.mark.parametrize("method", [None, POST])
def test_sparqlwrapper_json(sparql_backend_server: LiveServer, method: str | None) -> None:
    client = _wrapper(sparql_backend_server, JSON, method=method)
    client.setQuery(QUERY)
    result = client.query().convert()
    assert isinstance(result, dict)
    assert {(b["c"]["value"], b["label"]["value"]) for b in result["results"]["bindings"]} == EXPECTED


def binding_text(binding: Element) -> str | None:
    """The text of a SPARQL XML result binding: <binding><uri|literal>text</...></binding>."""
    term = binding.firstChild
    assert term is not None and term.firstChild is not None, binding.toxml()
    return term.firstChild.nodeValue


def test_sparqlwrapper_xml(sparql_backend_server: LiveServer) -> None:
    client = _wrapper(sparql_backend_server, XML)
    client.setQuery(QUERY)
    document = client.query().convert()
    assert isinstance(document, Document)
    rows = set()
    for result in document.getElementsByTagName("result"):
        bindings = result.getElementsByTagName("binding")
        values = {b.getAttribute("name"): binding_text(b) for b in bindings}
        rows.add((values["c"], values["label"]))
    assert rows == EXPECTED


def test_sparqlwrapper_csv(sparql_backend_server: LiveServer) -> None:
    client = _wrapper(sparql_backend_server, CSV)
    client.setQuery(QUERY)
    body = client.query().convert()
    rows = list(csv.reader(io.StringIO(body.decode() if isinstance(body, bytes) else str(body))))
    assert rows[0] == ["c", "label"] and {tuple(r) for r in rows[1:]} == EXPECTED


def test_sparqlwrapper_ask(sparql_backend_server: LiveServer) -> None:
    client = _wrapper(sparql_backend_server, JSON)
    client.setQuery(f"ASK {{ <{EX}Cat> ?p ?o }}")
    answer = client.query().convert()
    assert isinstance(answer, dict) and answer["boolean"] is True


def test_sparqlwrapper_construct(sparql_backend_server: LiveServer) -> None:
    client = _wrapper(sparql_backend_server, TURTLE)
    client.setQuery(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ANIMALS.iri}> {{ ?s ?p ?o }} }}")
    body = client.query().convert()
    triples = {
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse(body if isinstance(body, bytes) else str(body).encode(), format=ox.RdfFormat.TURTLE)
    }
    assert triples == set(ANIMALS.triples)


def test_sparqlwrapper_sees_a_syntax_error_as_a_query_bad_formed(sparql_backend_server: LiveServer) -> None:
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    client = _wrapper(sparql_backend_server, JSON)
    client.setQuery("SELECT * WHERE {")
    with pytest.raises(QueryBadFormed):
        client.query()


def test_rdflib_sparqlstore_queries_the_endpoint(sparql_backend_server: LiveServer) -> None:
    store = SPARQLStore(f"{sparql_backend_server.url}/sparql", returnFormat="json")
    graph = Graph(store=store)
    rows = {(str(row[0]), str(row[1])) for row in graph.query(QUERY)}  # type: ignore[index]
    assert rows == EXPECTED
    assert (URIRef(EX + "Cat"), URIRef(RDFS_LABEL), Literal("Chat", lang="fr")) in graph
    assert graph.query(f"ASK {{ <{EX}Bird> ?p ?o }}").askAnswer is True


def _curl(*args: str) -> subprocess.CompletedProcess[str]:
    require(shutil.which("curl") is not None, "curl is not installed (apt-get install curl)")
    return subprocess.run(["curl", "-sS", "--max-time", "30", *args], capture_output=True, text=True, check=True)


def test_curl_get_post_form_and_post_direct(sparql_backend_server: LiveServer) -> None:
    url = f"{sparql_backend_server.url}/sparql"
    answers = [
        _curl("-G", url, "--data-urlencode", f"query={QUERY}", "-H", "Accept: application/sparql-results+json"),
        _curl(url, "--data-urlencode", f"query={QUERY}", "-H", "Accept: application/sparql-results+json"),
        _curl(
            url,
            "--data-binary",
            QUERY,
            "-H",
            "Content-Type: application/sparql-query",
            "-H",
            "Accept: application/sparql-results+json",
        ),
    ]
    for answer in answers:
        body = json.loads(answer.stdout)
        assert {(b["c"]["value"], b["label"]["value"]) for b in body["results"]["bindings"]} == EXPECTED


def test_curl_gets_the_service_description_and_compressed_results(sparql_backend_server: LiveServer) -> None:
    url = f"{sparql_backend_server.url}/sparql"
    description = _curl(url, "-H", "Accept: text/turtle")
    assert f"<{url}>" in description.stdout and "sd:endpoint" in description.stdout
    headers = _curl(
        "--compressed",
        "-D",
        "-",
        "-o",
        "/dev/null",
        "-G",
        url,
        "--data-urlencode",
        "query=SELECT * WHERE { ?s ?p ?o } LIMIT 50",
        "-H",
        "Accept: application/sparql-results+xml",
    )
    assert "content-encoding: gzip" in headers.stdout.lower()


@pytest.mark.browser
def test_query_page_in_a_real_browser(backend_server: LiveServer) -> None:
    """Chromium without JavaScript (YASGUI's own test is in test_browser_tools.py): an example link fills the plain
    form, submitting it shows a table whose IRIs link to pages, and the page breaks no Content-Security-Policy rule."""
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    require(os.path.exists(executable), "Chromium not found: install it (Debian: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            context = browser.new_context(java_script_enabled=False)
            page = context.new_page()
            problems: list[str] = []
            page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
            page.goto(f"{backend_server.url}/sparql")
            page.locator("[data-sparql-example]").first.click()
            page.wait_for_url(re.compile(r"/sparql\?query="))  # without JavaScript the example is a link
            assert "map:activity" in page.input_value("#sparql-query")
            page.get_by_role("button", name="Run query").click()
            page.wait_for_selector("table.sparql-table tbody tr")
            assert page.locator("table.sparql-table tbody tr").count() > 0
            link = page.locator("table.sparql-table td.sparql-iri a").first.get_attribute("href") or ""
            assert link.startswith(("/def/", "/activities/", "/mappings/", "/resource?iri="))
            assert problems == []
        finally:
            browser.close()
