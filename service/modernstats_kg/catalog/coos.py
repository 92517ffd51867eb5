"""COOS and other OWL vocabularies: the class hierarchy of an ontology and the detail of one class."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from .core import Catalog, Ref, Text, per_version, texts
from .gsim import chain_of, hierarchy, subclasses_of
from .vocab import COOS, COOS_ONTOLOGY, DCTERMS, RDFS, SKOS


@dataclass(frozen=True)
class TreeNode:
    ref: Ref
    children: list[TreeNode]


@dataclass(frozen=True)
class OntologyModel:
    """The terms of one namespace: its classes as a tree (by rdfs:subClassOf) and its properties."""

    ontology: Ref
    description: Text
    tree: list[TreeNode]
    properties: list[Ref]


@dataclass(frozen=True)
class ClassDetail:
    cls: Ref
    definition: Text
    comment: Text
    supers: list[Ref]
    chain: list[Ref]
    subclasses: list[Ref]
    properties: list[tuple[Ref, str, Ref | None]]  # (property, "domain" or "range", the other end)
    instances: list[Ref]


def _by_name(refs: list[Ref]) -> list[Ref]:
    return sorted(refs, key=lambda r: (r.code is None, r.code or "", r.name().casefold()))


def ontology_model(cat: Catalog, ontology: str = COOS_ONTOLOGY, namespace: str = COOS) -> OntologyModel:
    """The class tree and properties of the vocabulary whose terms start with `namespace`."""

    def compute() -> OntologyModel:
        classes: set[str] = set()
        properties: set[str] = set()
        for row in cat.select("namespace_terms", ns=ox.Literal(namespace)):
            (classes if row["kind"].value.endswith("Class") else properties).add(row["term"].value)
        supers = hierarchy(cat, namespace)
        children: dict[str, list[str]] = {}
        for cls in classes:
            for parent in supers.get(cls, []):
                if parent in classes:
                    children.setdefault(parent, []).append(cls)
        roots = [c for c in classes if not any(p in classes for p in supers.get(c, []))]

        def node(iri: str, seen: frozenset[str]) -> TreeNode:
            kids = [node(k, seen | {k}) for k in children.get(iri, []) if k not in seen]
            return TreeNode(cat.ref(iri), sorted(kids, key=lambda n: n.ref.name().casefold()))

        pairs = cat.outgoing(ontology)
        return OntologyModel(
            ontology=cat.ref(ontology),
            description=texts(pairs, DCTERMS + "description") or texts(pairs, RDFS + "comment"),
            tree=sorted((node(r, frozenset({r})) for r in roots), key=lambda n: n.ref.name().casefold()),
            properties=_by_name(cat.refs(properties)),
        )

    return cat.memo(f"ontology:{namespace}", compute)


@per_version
def class_detail(cat: Catalog, iri: str, namespace: str = COOS) -> ClassDetail | None:
    """A class of an OWL vocabulary: definition, super- and sub-classes, properties and (some) instances."""
    pairs = cat.outgoing(iri)
    if not pairs:
        return None
    props: list[tuple[Ref, str, Ref | None]] = []
    for row in cat.select("property_ends", **{"class": iri}):
        other = row.get("other")
        props.append(
            (
                cat.ref(row["property"].value),
                row["end"].value,
                cat.ref(other.value) if isinstance(other, ox.NamedNode) else None,
            )
        )
    instances = [row["s"].value for row in cat.select("typed", type=iri)][:200]
    named_supers = {o.value for p, o in pairs if p == RDFS + "subClassOf" and isinstance(o, ox.NamedNode)}
    return ClassDetail(
        cls=cat.ref(iri),
        definition=texts(pairs, SKOS + "definition"),
        comment=texts(pairs, RDFS + "comment"),
        supers=cat.refs(sorted(named_supers)),
        chain=chain_of(cat, iri, namespace),
        subclasses=subclasses_of(cat, iri, namespace),
        properties=sorted(props, key=lambda t: (t[1], t[0].name().casefold())),
        instances=_by_name(cat.refs(instances)),
    )
