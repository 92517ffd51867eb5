"""Validate a change before it is applied: the SHACL shapes over the graph as it would be after the change.

    outcome = validate_change(store, ChangeSet.of(add=[...], remove=[...]))
    if not outcome.conforms:
        for result in outcome.violations: print(result.shape, result.focus_node, result.message)

The store is only read: its content graphs are copied into a scratch store, the change is applied to the copy (as
`Store.apply` would apply it: removals, then additions, a blank node in added quads being a new node), and the copy
is validated as `mskg validate` validates the files (`validate_shacl`, the same results). The shapes are the
content's shapes files unless given; the store's shapes graphs are left out of the data, as the files are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import cast

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from ..content import check_file
from ..store import ChangeSet, EmbeddedStore, Store
from .loading import LoadedFiles, shape_files, to_rdflib
from .report import Result, shacl_results
from .shacl import load_shapes, validate_shacl

__all__ = ["ChangeValidation", "validate_change"]

_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_ALL_QUADS = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"


@dataclass(frozen=True)
class ChangeValidation:
    """The SHACL results over the graph after the change; `file` in each result is the graph IRI of its focus node."""

    conforms: bool
    results: list[Result] = field(default_factory=list)

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]


def validate_change(
    store: Store, changes: ChangeSet, *, shapes: Graph | None = None, root: Path | None = None
) -> ChangeValidation:
    """Validate the graph of `store` as it would be after `changes`, without writing `store`.

    `shapes` default to the shapes files of the content at `root` (default: the shipped content)."""
    shape_paths = shape_files(root)
    shapes_graph = shapes if shapes is not None else load_shapes(shape_paths)
    shape_graphs = {check_file(path) for path in shape_paths}
    graphs = _graphs_after(store, changes, excluded=shape_graphs)
    loaded, graph_of_key = graph_views(graphs)
    outcome = validate_shacl(loaded, shapes_graph)
    results = [
        replace(r, file=graph_of_key.get(r.file, r.file))
        for r in shacl_results(outcome.report, shapes_graph, loaded, None)
    ]
    conforms = outcome.conforms and not any(r.severity == "Violation" for r in results)
    return ChangeValidation(conforms, results)


def _graphs_after(store: Store, changes: ChangeSet, *, excluded: set[str]) -> dict[str, set[ox.Triple]]:
    """The content graphs of `store` (but `excluded`) with `changes` applied, as sets of triples."""
    graphs: dict[str, set[ox.Triple]] = defaultdict(set)
    for row in store.select(_ALL_QUADS):
        iri = row["g"].value
        if iri not in excluded:
            graphs[iri].add(ox.Triple(row["s"], row["p"], row["o"]))
    for quad in changes.remove:
        graphs[quad.graph_name.value].discard(ox.Triple(quad.subject, quad.predicate, quad.object))  # type: ignore[union-attr]
    fresh: dict[str, ox.BlankNode] = {}  # a blank node of an added quad is a new node, one per label

    def new(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        if isinstance(term, ox.BlankNode):
            return fresh.setdefault(term.value, ox.BlankNode())
        return cast(ox.NamedNode | ox.Literal, term)

    for quad in changes.add:
        iri = quad.graph_name.value  # type: ignore[union-attr]
        if iri not in excluded:
            graphs[iri].add(ox.Triple(new(quad.subject), quad.predicate, new(quad.object)))  # type: ignore[arg-type]
    return graphs


# pyoxigraph term -> the equal rdflib term, kept between validations: the scoped data of consecutive edits is mostly
# the same (the same sub-processes, classes and class hierarchy), and terms are immutable values
_rdflib_terms: dict[object, Node] = {}
_MAX_KEPT_TERMS = 200_000


def graph_views(graphs: dict[str, set[ox.Triple]]) -> tuple[LoadedFiles, dict[str, str]]:
    """The views validation needs, each graph standing in for a file under a key that `shacl_results` reports."""
    keys = {iri: Path(f"/graph/{number}") for number, iri in enumerate(sorted(graphs))}
    triples = {keys[iri]: tuple(ts) for iri, ts in graphs.items()}
    scratch = EmbeddedStore()
    scratch.replace_graphs({iri: ts for iri, ts in graphs.items()})
    graph = Graph()
    cache = _rdflib_terms
    defined_in: dict[str, Path] = {}
    typed: dict[str, Path] = {}
    for key, file_triples in triples.items():
        for t in file_triples:
            for term in (t.subject, t.predicate, t.object):
                if term not in cache:
                    cache[term] = to_rdflib(term)
            graph.add((cache[t.subject], cache[t.predicate], cache[t.object]))
            subject = cast(ox.NamedNode | ox.BlankNode, t.subject).value
            defined_in.setdefault(subject, key)
            if t.predicate == _RDF_TYPE:
                typed.setdefault(subject, key)
    if len(cache) > _MAX_KEPT_TERMS:  # a whole-graph validation: do not keep its terms alive
        cache.clear()
    loaded = LoadedFiles(list(triples), triples, scratch, graph, {**defined_in, **typed})
    return loaded, {str(key): iri for iri, key in keys.items()}
