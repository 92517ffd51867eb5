"""Compare two snapshots: mappings added, removed and changed (field by field), other triples added and removed.

A mapping is a resource typed `map:InformationMapping` or `map:ServiceSupport`; its fields are its predicates. Blank
nodes are compared by content (each graph is canonicalised by pyoxigraph first), so the same graph read from a file
and from a store compares equal. The result renders as text, as JSON and as an RDF Patch (https://afs.github.io/rdf-patch/).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from ..namespaces import MAP, RDF, REPORT_PREFIXES, XSD
from .snapshot import Snapshot

MAPPING_TYPES = frozenset({MAP + "InformationMapping", MAP + "ServiceSupport"})
_TYPE = ox.NamedNode(RDF + "type")


def _plain_integer(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    datatype = term.datatype.value if isinstance(term, ox.Literal) else ""
    if datatype.startswith(XSD) and datatype.endswith("Integer") and datatype != XSD + "integer":
        return ox.Literal(term.value, datatype=ox.NamedNode(XSD + "integer"))
    return term


def canonical(triples: frozenset[ox.Triple]) -> frozenset[ox.Triple]:
    """The same triples with blank nodes named by content, so that equal graphs give equal sets; derived integer
    types compare as xsd:integer (the embedded store keeps `"1"^^xsd:nonNegativeInteger` as `1`)."""
    triples = frozenset(ox.Triple(t.subject, t.predicate, _plain_integer(t.object)) for t in triples)  # type: ignore[arg-type]
    if not any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples):
        return triples
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return frozenset(ox.Triple(q.subject, q.predicate, q.object) for q in dataset)


def short(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    """A term as a reader sees it: a prefixed name where the project has a prefix, else its N-Triples form."""
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in REPORT_PREFIXES.items():
            if term.value.startswith(namespace) and term.value != namespace:
                return f"{prefix}:{term.value[len(namespace) :]}"
    return str(term)


@dataclass(frozen=True)
class FieldChange:
    predicate: str
    removed: tuple[str, ...]
    added: tuple[str, ...]


@dataclass
class Diff:
    added_mappings: list[str] = field(default_factory=list)
    removed_mappings: list[str] = field(default_factory=list)
    changed_mappings: dict[str, list[FieldChange]] = field(default_factory=dict)
    added: list[ox.Quad] = field(default_factory=list)  # triples outside the mappings, with their graph
    removed: list[ox.Quad] = field(default_factory=list)
    patch_added: list[ox.Quad] = field(default_factory=list)  # every triple, for the RDF Patch
    patch_removed: list[ox.Quad] = field(default_factory=list)

    @property
    def equal(self) -> bool:
        return not (self.patch_added or self.patch_removed)

    def as_json(self) -> dict[str, Any]:
        def quads(items: list[ox.Quad]) -> list[dict[str, str]]:
            return [
                {
                    "graph": str(q.graph_name)[1:-1],
                    "subject": str(q.subject),
                    "predicate": str(q.predicate),
                    "object": str(q.object),
                }
                for q in items
            ]

        return {
            "equal": self.equal,
            "mappings": {
                "added": self.added_mappings,
                "removed": self.removed_mappings,
                "changed": [
                    {
                        "iri": iri,
                        "fields": [
                            {"predicate": c.predicate, "removed": list(c.removed), "added": list(c.added)}
                            for c in changes
                        ],
                    }
                    for iri, changes in self.changed_mappings.items()
                ],
            },
            "triples": {"added": quads(self.added), "removed": quads(self.removed)},
        }

    def as_text(self) -> str:
        if self.equal:
            return "no differences\n"
        lines = [
            f"mappings: {len(self.added_mappings)} added, {len(self.removed_mappings)} removed, "
            f"{len(self.changed_mappings)} changed"
        ]
        lines += [f"+ {short(ox.NamedNode(iri))}" for iri in self.added_mappings]
        lines += [f"- {short(ox.NamedNode(iri))}" for iri in self.removed_mappings]
        for iri, changes in self.changed_mappings.items():
            lines.append(f"~ {short(ox.NamedNode(iri))}")
            for change in changes:
                before = ", ".join(change.removed) or "(none)"
                after = ", ".join(change.added) or "(none)"
                lines.append(f"    {short(ox.NamedNode(change.predicate))}: {before} -> {after}")
        lines.append(f"other triples: {len(self.added)} added, {len(self.removed)} removed")
        for sign, items in (("+", self.added), ("-", self.removed)):
            for q in items:
                graph = str(q.graph_name)[1:-1]
                lines.append(f"{sign} {short(q.subject)} {short(q.predicate)} {short(q.object)}  [{graph}]")
        return "\n".join(lines) + "\n"

    def as_patch(self) -> str:
        """RDF Patch: one transaction, deletions then additions, each a quad in N-Quads syntax."""
        body = [f"D {q} ." for q in self.patch_removed] + [f"A {q} ." for q in self.patch_added]
        return "TX .\n" + "".join(line + "\n" for line in body) + "TC .\n"


def _mappings(graphs: dict[str, frozenset[ox.Triple]]) -> dict[str, dict[str, set[str]]]:
    fields: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    typed = {
        str(t.subject)[1:-1]
        for triples in graphs.values()
        for t in triples
        if t.predicate == _TYPE and isinstance(t.object, ox.NamedNode) and t.object.value in MAPPING_TYPES
    }
    for triples in graphs.values():
        for t in triples:
            if isinstance(t.subject, ox.NamedNode) and t.subject.value in typed:
                fields[t.subject.value][t.predicate.value].add(short(t.object))
    return fields


def compare(a: Snapshot, b: Snapshot) -> Diff:
    """What changed from `a` to `b`."""
    before = {iri: canonical(t) for iri, t in a.graphs.items()}
    after = {iri: canonical(t) for iri, t in b.graphs.items()}
    diff = Diff()
    old, new = _mappings(before), _mappings(after)
    diff.added_mappings = sorted(set(new) - set(old))
    diff.removed_mappings = sorted(set(old) - set(new))
    for iri in sorted(set(old) & set(new)):
        changes = [
            FieldChange(
                p,
                tuple(sorted(old[iri].get(p, set()) - new[iri].get(p, set()))),
                tuple(sorted(new[iri].get(p, set()) - old[iri].get(p, set()))),
            )
            for p in sorted(set(old[iri]) | set(new[iri]))
            if old[iri].get(p) != new[iri].get(p)
        ]
        if changes:
            diff.changed_mappings[iri] = changes
    mapping_iris = set(old) | set(new)
    for iri in sorted(set(before) | set(after)):
        graph = ox.NamedNode(iri)
        gone = before.get(iri, frozenset()) - after.get(iri, frozenset())
        came = after.get(iri, frozenset()) - before.get(iri, frozenset())
        for triples, everything, outside in (
            (gone, diff.patch_removed, diff.removed),
            (came, diff.patch_added, diff.added),
        ):
            quads = sorted((ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples), key=str)
            everything.extend(quads)
            outside.extend(
                q for q in quads if not (isinstance(q.subject, ox.NamedNode) and q.subject.value in mapping_iris)
            )
    return diff
