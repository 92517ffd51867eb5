"""Dereferenceable IRIs: every page path negotiates HTML or RDF (by Accept, `format=` or file suffix), advertises
its alternates, and the RDF returned parses and holds the resource's statements."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
import pytest
import rdflib

from modernstats_kg.store import EmbeddedStore

FORMATS = {  # media type -> (file suffix, format= value, rdflib parser)
    "text/turtle": ("ttl", "turtle", "turtle"),
    "application/ld+json": ("jsonld", "jsonld", "json-ld"),
    "application/n-triples": ("nt", "ntriples", "nt"),
    "application/rdf+xml": ("rdf", "rdfxml", "xml"),
}

RESOURCES = {  # page path -> IRI it stands for
    "/activities/subProcess/5.3": "http://id.unece.org/activities/subProcess/5.3",
    "/def/gsim/DataSet": "http://id.unece.org/def/gsim#DataSet",
    "/def/gsim/IdentifiableArtefact": "http://id.unece.org/def/gsim#IdentifiableArtefact",
    "/services/statisticalService/linearRuleChecking": "http://id.unece.org/services/statisticalService/linearRuleChecking",
    "/mappings/informationMapping/5.3-coreInput-dataSet": "http://id.unece.org/mappings/informationMapping/5.3-coreInput-dataSet",
}


@pytest.fixture(scope="module")
def store(web_content_dir: Any) -> EmbeddedStore:
    from modernstats_kg.loader import load_content

    s = EmbeddedStore()
    load_content(s, root=web_content_dir)
    return s


def outgoing(store: EmbeddedStore, iri: str) -> set[tuple[str, str]]:
    """(predicate, object) of the resource, blank nodes left out (their labels differ between serialisations)."""
    result = store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", substitutions={"s": ox.NamedNode(iri)})
    assert isinstance(result, ox.QuerySolutions)
    return {(s["p"].value, str(s["o"])) for s in result if not isinstance(s["o"], ox.BlankNode)}


def parsed(body: bytes, parser: str, iri: str) -> set[tuple[str, str]]:
    graph = rdflib.Graph().parse(data=body, format=parser)
    subject = rdflib.URIRef(iri)
    return {(str(p), o.n3()) for p, o in graph.predicate_objects(subject) if not isinstance(o, rdflib.BNode)}


def n3_of(store_pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """pyoxigraph's N-Triples form of objects -> rdflib's n3 form (same for IRIs and literals)."""
    result = set()
    for p, o in store_pairs:
        term = next(iter(rdflib.Graph().parse(data=f"<urn:x:s> <urn:x:p> {o} .", format="nt").objects()))
        result.add((p, term.n3()))
    return result


@pytest.mark.parametrize("path", sorted(RESOURCES))
@pytest.mark.parametrize("media_type", sorted(FORMATS))
def test_accept_header_gives_rdf_that_parses_and_holds_the_resource_statements(
    page_client: Any, store: EmbeddedStore, path: str, media_type: str
) -> None:
    iri = RESOURCES[path]
    response = page_client.get(path, headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "Accept" in response.headers["vary"]
    assert parsed(response.content, FORMATS[media_type][2], iri) == n3_of(outgoing(store, iri))


@pytest.mark.parametrize("media_type", sorted(FORMATS))
def test_file_suffix_and_format_parameter_select_the_same_rdf(page_client: Any, media_type: str) -> None:
    suffix, key, parser = FORMATS[media_type]
    path = "/activities/subProcess/5.3"
    iri = RESOURCES[path]
    by_suffix = page_client.get(f"{path}.{suffix}", headers={"Accept": "text/html"})
    by_param = page_client.get(path, params={"format": key}, headers={"Accept": "text/html"})
    for response in (by_suffix, by_param):
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == media_type
    assert parsed(by_suffix.content, parser, iri) == parsed(by_param.content, parser, iri)


def test_browsers_get_html_with_link_headers_to_every_alternate(page_client: Any) -> None:
    response = page_client.get(
        "/activities/subProcess/5.3", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    )
    assert response.headers["content-type"].startswith("text/html")
    link = response.headers["link"]
    for media_type, (suffix, _, _) in FORMATS.items():
        assert f'</activities/subProcess/5.3.{suffix}>; rel="alternate"; type="{media_type}"' in link
        assert f'<link rel="alternate" type="{media_type}" href="/activities/subProcess/5.3.{suffix}">' in response.text


def test_the_description_includes_labels_of_the_resources_it_links_to(page_client: Any) -> None:
    body = page_client.get("/activities/subProcess/5.3.nt").content
    graph = rdflib.Graph().parse(data=body, format="nt")
    phase = rdflib.URIRef("http://id.unece.org/activities/phase/5")
    assert (phase, rdflib.namespace.SKOS.prefLabel, rdflib.Literal("Process", lang="en")) in graph


def test_gsim_class_rdf_keeps_its_restrictions_as_blank_nodes(page_client: Any) -> None:
    body = page_client.get("/def/gsim/IdentifiableArtefact.ttl").content
    graph = rdflib.Graph().parse(data=body, format="turtle")
    restrictions = list(graph.subjects(rdflib.OWL.onProperty, rdflib.URIRef("http://id.unece.org/def/gsim#name")))
    assert restrictions and all(isinstance(r, rdflib.BNode) for r in restrictions)


def test_an_ontology_iri_gives_the_whole_file(page_client: Any, store: EmbeddedStore) -> None:
    body = page_client.get("/def/gsim", headers={"Accept": "application/n-triples"}).content
    graph = rdflib.Graph().parse(data=body, format="nt")
    size = next(g.triples for g in store.graphs() if g.iri == "http://id.unece.org/def/gsim")
    assert len(graph) == size


def test_resource_page_negotiates_for_any_iri(page_client: Any) -> None:
    iri = "http://id.unece.org/def/mapping#input"
    response = page_client.get("/resource", params={"iri": iri, "format": "ttl"})
    assert response.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=response.content, format="turtle")
    assert (rdflib.URIRef(iri), rdflib.RDFS.label, rdflib.Literal("entrée", lang="fr")) in graph
    assert "/resource?iri=http%3A%2F%2Fid.unece.org%2Fdef%2Fmapping%23input&format=jsonld" in response.headers["link"]


def test_revalidation_with_the_etag_answers_304(page_client: Any) -> None:
    first = page_client.get("/def/gsim/DataSet", headers={"Accept": "text/turtle"})
    etag = first.headers["etag"]
    again = page_client.get("/def/gsim/DataSet", headers={"Accept": "text/turtle", "If-None-Match": etag})
    assert again.status_code == 304
    html = page_client.get("/def/gsim/DataSet", headers={"Accept": "text/html", "If-None-Match": etag})
    assert html.status_code == 200, "the HTML variant has its own ETag"


def test_unavailable_formats_answer_406(page_client: Any) -> None:
    assert page_client.get("/activities/subProcess/5.3", headers={"Accept": "image/png"}).status_code == 406
    assert page_client.get("/activities/subProcess/5.3", params={"format": "pdf"}).status_code == 406


def test_unknown_iri_answers_404_in_rdf_and_html(page_client: Any) -> None:
    data = page_client.get("/activities/subProcess/9.9", headers={"Accept": "text/turtle"})
    assert data.status_code == 404
    assert page_client.get("/activities/subProcess/9.9.ttl").status_code == 404
    assert (
        page_client.get(
            "/resource", params={"iri": "http://example.org/nothing"}, headers={"Accept": "text/html"}
        ).status_code
        == 404
    )
