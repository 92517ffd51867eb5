"""Any resource of the graph: its statements (outgoing and incoming, with labels instead of IRIs) for the generic
page, and its description as triples (CBD-like) for the RDF formats."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import pyoxigraph as ox

from .core import Catalog, Ref, Value, per_version
from .vocab import RDF, RDFS, SKOS

LABEL_PREDICATES = (SKOS + "prefLabel", RDFS + "label")
MAX_INCOMING = 2000


@dataclass(frozen=True)
class PropertyValues:
    prop: Ref
    values: list[Value]


@dataclass(frozen=True)
class Description:
    """What the graph says about one resource."""

    resource: Ref
    types: list[Ref]
    outgoing: list[PropertyValues]
    incoming: list[PropertyValues]  # values are the subjects pointing at the resource
    incoming_truncated: bool
    graphs: list[str]


@per_version
def describe(cat: Catalog, iri: str) -> Description | None:
    """Outgoing statements grouped by property (types first), and incoming ones; None for an unknown IRI."""
    pairs = cat.outgoing(iri)
    incoming_rows = cat.select("incoming", o=iri)
    if not pairs and not incoming_rows:
        return None
    grouped: dict[str, list[Value]] = {}
    for p, o in pairs:
        grouped.setdefault(p, []).append(cat.value(o))
    types = [v for v in grouped.pop(RDF + "type", []) if isinstance(v, Ref)]
    back: dict[str, list[Value]] = {}
    for row in incoming_rows:
        back.setdefault(row["p"].value, []).append(cat.value(row["s"]))
    graphs = sorted({row["g"].value for row in cat.select("graphs_of", s=iri)})
    return Description(
        resource=cat.ref(iri),
        types=types,
        outgoing=_sorted_groups(cat, grouped),
        incoming=_sorted_groups(cat, back),
        incoming_truncated=len(incoming_rows) >= MAX_INCOMING,
        graphs=graphs,
    )


def _sorted_groups(cat: Catalog, grouped: dict[str, list[Value]]) -> list[PropertyValues]:
    def value_key(v: Value) -> tuple[str, str]:
        if isinstance(v, Ref):
            return ("1", (v.code or "") + v.name().casefold())
        return ("0" + v.lang, v.value)

    first = {p: i for i, p in enumerate((SKOS + "prefLabel", RDFS + "label", SKOS + "notation", SKOS + "definition"))}
    props = sorted(grouped, key=lambda p: (first.get(p, len(first)), cat.ref(p).name().casefold()))
    return [PropertyValues(cat.ref(p), sorted(grouped[p], key=value_key)) for p in props]


@per_version
def description_triples(cat: Catalog, iri: str, *, with_labels: bool = True) -> list[ox.Triple]:
    """The resource's outgoing triples, the blank nodes they lead to (recursively), and, when `with_labels`, the
    labels of the resources it links to."""
    subject = ox.NamedNode(iri)
    triples: list[ox.Triple] = []
    pending: list[ox.NamedNode | ox.BlankNode] = [subject]
    seen: set[str] = set()
    linked: set[str] = set()
    while pending:
        node = pending.pop()
        key = str(node)
        if key in seen:
            continue
        seen.add(key)
        for row in cat.select("outgoing", s=node):
            obj = row["o"]
            # ?p is bound in predicate position, and an RDF predicate is always an IRI
            triples.append(ox.Triple(node, cast(ox.NamedNode, row["p"]), obj))
            if isinstance(obj, ox.BlankNode):
                pending.append(obj)
            elif isinstance(obj, ox.NamedNode) and obj.value != iri:
                linked.add(obj.value)
    if with_labels:
        for other in sorted(linked):
            for p, o in cat.outgoing(other):
                if p in LABEL_PREDICATES:
                    triples.append(ox.Triple(ox.NamedNode(other), ox.NamedNode(p), o))
    return triples
