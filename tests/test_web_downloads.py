"""Downloads: every graph and the whole dataset in every format parse and hold exactly the store's triples; the
mapping CSV has one row per mapping; the VoID description parses and counts the dataset."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
import rdflib

from conftest import integer, solutions
from modernstats_kg.loader import load_content
from modernstats_kg.store import EmbeddedStore

PARSERS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdf": "xml"}
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")


@pytest.fixture(scope="module")
def store(web_content_dir: Any) -> EmbeddedStore:
    s = EmbeddedStore()
    load_content(s, root=web_content_dir)
    return s


def file_links(page_client: Any) -> list[str]:
    return re.findall(r'href="(/downloads/[^"]+)"', page_client.get("/downloads").text)


def test_the_downloads_page_offers_every_graph_in_every_format(page_client: Any, store: EmbeddedStore) -> None:
    links = file_links(page_client)
    names = {link.rsplit("/", 1)[1].rsplit(".", 1)[0] for link in links if not link.endswith((".csv", ".tsv"))}
    assert len(names - {"all"}) == len(store.graphs())
    for name in names:
        for suffix in PARSERS:
            assert f"/downloads/{name}.{suffix}" in links


@pytest.mark.parametrize("suffix", sorted(PARSERS))
def test_every_graph_file_parses_and_holds_the_graph(page_client: Any, store: EmbeddedStore, suffix: str) -> None:
    sizes = {g.iri: g.triples for g in store.graphs()}
    seen = 0
    for link in file_links(page_client):
        if not link.endswith("." + suffix) or "/all." in link:
            continue
        response = page_client.get(link)
        assert response.status_code == 200, link
        graph = rdflib.Graph().parse(data=response.content, format=PARSERS[suffix])
        iri = (
            next(str(s) for s in graph.subjects(rdflib.RDF.type, rdflib.OWL.Ontology) if str(s) in sizes)
            if (None, rdflib.RDF.type, rdflib.OWL.Ontology) in graph
            else None
        )
        if iri is None:  # a concept scheme names its graph
            iri = next(
                str(s) for s in graph.subjects(rdflib.RDF.type, rdflib.namespace.SKOS.ConceptScheme) if str(s) in sizes
            )
        assert len(graph) == sizes[iri], link
        seen += 1
    assert seen == len(sizes)


@pytest.mark.parametrize("suffix", sorted(PARSERS))
def test_the_whole_dataset_parses_in_every_format(page_client: Any, store: EmbeddedStore, suffix: str) -> None:
    body = page_client.get(f"/downloads/all.{suffix}").content
    graph = rdflib.Graph().parse(data=body, format=PARSERS[suffix])
    distinct = len(list(store.query("CONSTRUCT WHERE { ?s ?p ?o }")))  # type: ignore[arg-type]
    assert len(graph) == distinct


@pytest.mark.parametrize(("suffix", "parser"), [("nq", "nquads"), ("trig", "trig")])
def test_the_whole_dataset_with_graphs_keeps_every_quad(
    page_client: Any, store: EmbeddedStore, suffix: str, parser: str
) -> None:
    dataset = rdflib.Dataset()
    dataset.parse(data=page_client.get(f"/downloads/all.{suffix}").content, format=parser)
    assert len(list(dataset.quads((None, None, None, None)))) == store.size()


def test_the_mapping_csv_has_one_row_per_mapping(page_client: Any, store: EmbeddedStore) -> None:
    response = page_client.get("/downloads/mapping.csv")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    count = store.query("SELECT (COUNT(?m) AS ?n) WHERE { ?m <http://id.unece.org/def/mapping#activity> ?a }")
    assert len(rows) == integer(next(iter(solutions(count)))["n"])
    assert {r["mapping"] for r in rows} == {r["mapping"] for r in rows if r["activity_code"] and r["class"]}
    assert all(r["direction"] in ("input", "output") for r in rows)


def test_void_describes_the_dataset_its_subsets_and_endpoint(page_client: Any, store: EmbeddedStore) -> None:
    response = page_client.get("/.well-known/void", headers={"Accept": "*/*"})
    assert response.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=response.content, format="turtle")
    dataset = next(iter(graph.subjects(VOID.sparqlEndpoint, None)))
    assert integer(graph.value(dataset, VOID.triples)) == store.size()
    subsets = list(graph.objects(dataset, VOID.subset))
    assert len(subsets) == len(store.graphs())
    assert sum(integer(graph.value(s, VOID.triples)) for s in subsets) == store.size()
    assert str(graph.value(dataset, VOID.uriSpace)) == "http://id.unece.org/"
    jsonld = page_client.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")


def test_an_unknown_download_is_404(page_client: Any) -> None:
    assert page_client.get("/downloads/nothing.ttl").status_code == 404
    assert page_client.get("/downloads/all.pdf").status_code == 404
