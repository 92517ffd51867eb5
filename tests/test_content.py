"""Content loading: one named graph per file, named by the ontology or scheme it declares; clear parse errors."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import PROJECT_ROOT, solutions, triples
from modernstats_kg.content import ContentError, content_files, fingerprint, parse_file
from modernstats_kg.loader import load_content
from modernstats_kg.store import EmbeddedStore

OWL_ONTOLOGY = "http://www.w3.org/2002/07/owl#Ontology"
SKOS_SCHEME = "http://www.w3.org/2004/02/skos/core#ConceptScheme"


def write_content(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


GOOD_ONTOLOGY = """@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<http://example.org/onto> a owl:Ontology .
<http://example.org/onto#Thing> a owl:Class ; rdfs:label "Thing"@en .
"""
GOOD_SCHEME = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<http://example.org/scheme> a skos:ConceptScheme .
<http://example.org/scheme/1> a skos:Concept ; skos:inScheme <http://example.org/scheme> ; skos:notation "1" .
"""
BROKEN = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<http://example.org/other> a skos:ConceptScheme .
<http://example.org/other/1> skos:prefLabel "never closed .
"""


def test_every_real_content_file_becomes_the_graph_it_declares() -> None:
    files = content_files(PROJECT_ROOT)
    assert files, "the project has content files"
    store = EmbeddedStore()
    outcome = load_content(store, root=PROJECT_ROOT)
    graphs = {info.iri: info.triples for info in store.graphs()}
    assert outcome.graphs == len(files) == len(graphs)
    for path in files:
        parsed = parse_file(path)
        assert graphs[parsed.iri] == len(set(parsed.triples)), path.name
        declared = store.query(
            f"ASK {{ GRAPH ?g {{ ?g a ?kind }} VALUES ?kind {{ <{OWL_ONTOLOGY}> <{SKOS_SCHEME}> }} }}",
            substitutions={"g": ox.NamedNode(parsed.iri)},
        )
        assert bool(declared), f"{path.name}: its graph IRI is the ontology or scheme it declares"
    assert store.size() == sum(graphs.values())


def test_queries_see_the_union_of_all_graphs_as_default_graph(tmp_path: Path) -> None:
    root = write_content(tmp_path, {"ontology/a.ttl": GOOD_ONTOLOGY, "mappings/b.ttl": GOOD_SCHEME})
    store = EmbeddedStore()
    load_content(store, root=root)
    rows = store.query(
        "SELECT ?x WHERE { { ?x a <http://www.w3.org/2002/07/owl#Class> } UNION { ?x a "
        "<http://www.w3.org/2004/02/skos/core#Concept> } } ORDER BY ?x"
    )
    assert [r["x"].value for r in solutions(rows)] == ["http://example.org/onto#Thing", "http://example.org/scheme/1"]


def test_broken_turtle_names_file_line_and_column_and_leaves_store_as_it_was(tmp_path: Path) -> None:
    root = write_content(tmp_path, {"ontology/a.ttl": GOOD_ONTOLOGY, "ontology/b.ttl": GOOD_SCHEME})
    store = EmbeddedStore()
    load_content(store, root=root)
    before = sorted(str(q) for q in triples(store.query("CONSTRUCT WHERE { ?s ?p ?o }")))
    version_before = store.version()

    write_content(
        root,
        {
            "ontology/a.ttl": GOOD_ONTOLOGY + "<http://example.org/x> a <http://example.org/Y> .\n",
            "shapes/z.ttl": BROKEN,
        },
    )
    with pytest.raises(ContentError) as caught:
        load_content(store, root=root)
    error = caught.value
    assert error.path is not None and error.path.name == "z.ttl"
    assert (error.line, error.column) == (3, 45)
    assert "z.ttl:3:45" in str(error)
    assert sorted(str(q) for q in triples(store.query("CONSTRUCT WHERE { ?s ?p ?o }"))) == before
    assert store.version() == version_before


def test_a_file_that_declares_no_ontology_or_scheme_is_refused(tmp_path: Path) -> None:
    root = write_content(tmp_path, {"ontology/loose.ttl": "<http://example.org/a> <http://example.org/b> 1 .\n"})
    with pytest.raises(ContentError, match=r"loose\.ttl: declares no owl:Ontology"):
        load_content(EmbeddedStore(), root=root)


def test_two_files_declaring_the_same_graph_are_refused(tmp_path: Path) -> None:
    root = write_content(tmp_path, {"ontology/a.ttl": GOOD_ONTOLOGY, "mappings/a-copy.ttl": GOOD_ONTOLOGY})
    with pytest.raises(ContentError, match="also declared by"):
        load_content(EmbeddedStore(), root=root)


def test_fingerprint_changes_with_any_byte_and_not_otherwise(tmp_path: Path) -> None:
    root = write_content(tmp_path, {"ontology/a.ttl": GOOD_ONTOLOGY, "ontology/b.ttl": GOOD_SCHEME})
    first = fingerprint(content_files(root), root)
    assert fingerprint(content_files(root), root) == first
    write_content(root, {"ontology/b.ttl": GOOD_SCHEME + "\n"})
    assert fingerprint(content_files(root), root) != first
