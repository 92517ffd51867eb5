"""Any resource of the graph: its statements (outgoing and incoming, with labels instead of IRIs) for the generic
page, and its description as triples (CBD-like) for the RDF formats."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

import pyoxigraph as ox

from .core import Catalog, Lit, Ref, Value, per_version
from .vocab import RDF, RDFS, SKOS

LABEL_PREDICATES = (SKOS + "prefLabel", RDFS + "label")
MAX_INCOMING = 2000
RDF_FIRST, RDF_REST, RDF_NIL = RDF + "first", RDF + "rest", RDF + "nil"


@dataclass(frozen=True)
class BlankNodeValue:
    """A blank node shown as what it is: the statements about it (nested), never its generated name."""

    pairs: list[tuple[Ref, Shown]]


@dataclass(frozen=True)
class ListValue:
    """An RDF list (rdf:first / rdf:rest) shown as its items in order."""

    items: list[Shown]


Shown = Ref | Lit | BlankNodeValue | ListValue


def shown_value(cat: Catalog, term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple, depth: int = 0) -> Shown:
    """`cat.value(term)`, except that a blank node becomes its statements, or its items when it is a list."""
    if isinstance(term, ox.Triple):
        return Lit(str(term))
    if not isinstance(term, ox.BlankNode) or depth > 6:
        return cat.value(term)
    rows = cat.select("outgoing", s=term)
    by_property: dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal]] = {}
    for row in rows:
        by_property.setdefault(row["p"].value, []).append(row["o"])
    if RDF_FIRST in by_property:  # walk the list
        items: list[Shown] = []
        node: ox.NamedNode | ox.BlankNode | ox.Literal = term
        for _ in range(1000):
            if not isinstance(node, ox.BlankNode):
                break
            cells = {row["p"].value: row["o"] for row in cat.select("outgoing", s=node)}
            if RDF_FIRST not in cells:
                break
            items.append(shown_value(cat, cells[RDF_FIRST], depth + 1))
            node = cells.get(RDF_REST, ox.NamedNode(RDF_NIL))
        return ListValue(items)
    pairs = [
        (cat.ref(p), shown_value(cat, o, depth + 1)) for p, objects in sorted(by_property.items()) for o in objects
    ]
    return BlankNodeValue(pairs)


@dataclass(frozen=True)
class PropertyValues:
    prop: Ref
    values: list[Shown]


@dataclass(frozen=True)
class Description:
    """What the graph says about one resource."""

    resource: Ref
    types: list[Ref]
    outgoing: list[PropertyValues]
    incoming: list[PropertyValues]  # values are the subjects pointing at the resource
    incoming_truncated: bool
    graphs: list[str]
    as_property: list[tuple[Value, Value]] = field(default_factory=list)  # statements using it as their property
    as_property_truncated: bool = False


@per_version
def describe(cat: Catalog, iri: str) -> Description | None:
    """Outgoing statements grouped by property (types first), and incoming ones; None for an unknown IRI."""
    pairs = cat.outgoing(iri)
    incoming_rows = cat.select("incoming", o=iri)
    used = cat.select("as_predicate", p=iri)
    if not pairs and not incoming_rows and not used:
        return None
    grouped: dict[str, list[Shown]] = {}
    for p, o in pairs:
        grouped.setdefault(p, []).append(shown_value(cat, o))
    types = [v for v in grouped.pop(RDF + "type", []) if isinstance(v, Ref)]
    back: dict[str, list[Shown]] = {}
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
        as_property=[(cat.value(row["s"]), cat.value(row["o"])) for row in used[:MAX_AS_PROPERTY]],
        as_property_truncated=len(used) > MAX_AS_PROPERTY,
    )


MAX_AS_PROPERTY = 20


def mention_triples(cat: Catalog, iri: str) -> list[ox.Triple]:
    """For an IRI the graph says nothing about (a GSBPM 5.0 item, a property of another vocabulary): the statements
    that point at it and a sample of those that use it as their property, so its formats answer as its page does."""
    node = ox.NamedNode(iri)
    triples = []
    for row in cat.select("incoming", o=iri):
        subject, predicate = row["s"], row["p"]
        if isinstance(subject, ox.NamedNode | ox.BlankNode) and isinstance(predicate, ox.NamedNode):
            triples.append(ox.Triple(subject, predicate, node))
    for row in cat.select("as_predicate", p=iri)[:MAX_AS_PROPERTY]:
        subject = row["s"]
        if isinstance(subject, ox.NamedNode | ox.BlankNode):
            triples.append(ox.Triple(subject, node, row["o"]))
    return triples


def _sorted_groups(cat: Catalog, grouped: dict[str, list[Shown]]) -> list[PropertyValues]:
    def value_key(v: Shown) -> tuple[str, str]:
        if isinstance(v, Ref):
            return ("1", (v.code or "") + v.name().casefold())
        if isinstance(v, Lit):
            return ("0" + v.lang, v.value)
        return ("2", "")  # blank nodes and lists last, in the graph's order

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
