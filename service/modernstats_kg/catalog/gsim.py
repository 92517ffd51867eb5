"""GSIM 2.0: the groups, the class hierarchy and associations (for diagrams), and the detail of one class with the
GSBPM sub-processes that take it in or put it out."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from .core import Catalog, Lit, Ref, Text, all_texts, first_literal, objects, per_version, texts
from .gsbpm import services_for
from .mapping import MappingEntry, mappings
from .vocab import DCTERMS, GSIM, OWL, RDFS, SKOS

GROUP_ORDER = ("BaseGroup", "BusinessGroup", "ExchangeGroup", "ConceptsGroup", "StructuresGroup")


@dataclass(frozen=True)
class Attribute:
    prop: Ref
    multiplicity: str
    value_type: str
    range: Ref | None


@dataclass(frozen=True)
class Association:
    """One UML association between two GSIM classes; `source`/`target` multiplicities as in the UML."""

    prop: Ref
    domain: Ref
    range: Ref
    kind: str
    source_multiplicity: str
    target_multiplicity: str


@dataclass(frozen=True)
class ModelChange:
    """One row of the GSIM 1.2 -> 2.0 change log about a class (ontology/gsim-changes.ttl)."""

    iri: str
    row: int
    kind: str
    summary: str


@dataclass(frozen=True)
class GroupSummary:
    group: Ref
    definition: Text
    classes: list[Ref]


@dataclass(frozen=True)
class GsimModel:
    ontology: Ref
    groups: list[GroupSummary]
    deprecated: list[tuple[Ref, Ref | None]]  # GSIM 1.2 term, 2.0 successor


@dataclass(frozen=True)
class GsimClassDetail:
    """Everything the page of one GSIM class shows."""

    cls: Ref
    group: Ref | None
    definition: Text
    comment: Text
    synonyms: list[Lit]
    deprecated: bool
    successors: list[Ref]
    predecessors: list[Ref]  # GSIM 1.2 names replaced by this class
    chain: list[Ref]  # generalisation chain, nearest first
    supers: list[Ref]
    subclasses: list[Ref]
    attributes: list[Attribute]
    inherited: list[tuple[Ref, list[Attribute]]]
    associations_out: list[Association]
    associations_in: list[Association]
    taken_in_by: list[MappingEntry]
    put_out_by: list[MappingEntry]
    services: list[Ref]
    matches: list[str] = field(default_factory=list)
    changes: list[ModelChange] = field(default_factory=list)


@dataclass(frozen=True)
class GroupDiagram:
    """What a group's class diagram draws: its classes, generalisations and associations among them, plus the
    classes of other groups they touch (drawn apart)."""

    group: Ref
    definition: Text
    classes: list[Ref]
    external: list[Ref]
    generalisations: list[tuple[str, str]]  # (class, super) IRIs
    associations: list[Association]


def _name_key(ref: Ref) -> str:
    return ref.name().casefold()


def gsim_classes(cat: Catalog) -> tuple[dict[str, str], dict[str, str | None]]:
    """(class -> group, deprecated term -> successor), cached for the content version."""

    def compute() -> tuple[dict[str, str], dict[str, str | None]]:
        groups: dict[str, str] = {}
        deprecated: dict[str, str | None] = {}
        for row in cat.select("gsim_classes"):
            cls = row["class"].value
            if "group" in row:
                groups.setdefault(cls, row["group"].value)
            elif "deprecated" in row:
                successor = row.get("successor")
                if deprecated.get(cls) is None:
                    deprecated[cls] = successor.value if isinstance(successor, ox.NamedNode) else None
        return groups, deprecated

    return cat.memo("gsim_classes", compute)


def hierarchy(cat: Catalog, namespace: str = GSIM) -> dict[str, list[str]]:
    """class -> direct named super-classes within `namespace` (cached)."""

    def compute() -> dict[str, list[str]]:
        supers: dict[str, list[str]] = {}
        for row in cat.select("subclass_edges", ns=ox.Literal(namespace)):
            supers.setdefault(row["class"].value, []).append(row["super"].value)
        return {k: sorted(set(v)) for k, v in supers.items()}

    return cat.memo(f"hierarchy:{namespace}", compute)


def all_associations(cat: Catalog) -> list[Association]:
    def compute() -> list[Association]:
        return _associations(cat, cat.select("gsim_associations"))

    return cat.memo("gsim_associations", compute)


def _associations(cat: Catalog, rows: list[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]]) -> list[Association]:
    seen: dict[tuple[str, str, str], Association] = {}
    for row in rows:
        key = (row["association"].value, row["domain"].value, row["range"].value)
        if key in seen:
            continue
        seen[key] = Association(
            prop=cat.ref(key[0]),
            domain=cat.ref(key[1]),
            range=cat.ref(key[2]),
            kind=row["kind"].value if "kind" in row else "association",
            source_multiplicity=row["sourceMultiplicity"].value if "sourceMultiplicity" in row else "",
            target_multiplicity=row["targetMultiplicity"].value if "targetMultiplicity" in row else "",
        )
    return sorted(seen.values(), key=lambda a: (_name_key(a.domain), a.prop.name(), _name_key(a.range)))


def gsim_model(cat: Catalog) -> GsimModel:
    """The groups (in GSIM order) with their classes, and the deprecated GSIM 1.2 terms."""
    groups, deprecated = gsim_classes(cat)
    members: dict[str, list[str]] = {}
    for cls, group in groups.items():
        members.setdefault(group, []).append(cls)
    for row in cat.select("gsim_groups"):
        members.setdefault(row["group"].value, [])
    summaries = [
        GroupSummary(cat.ref(g), texts(cat.outgoing(g), SKOS + "definition"), sorted(cat.refs(c), key=_name_key))
        for g, c in members.items()
    ]
    summaries.sort(key=lambda s: (group_rank(s.group.iri), _name_key(s.group)))
    old = sorted(
        ((cat.ref(d), cat.ref(s) if s else None) for d, s in deprecated.items()), key=lambda pair: _name_key(pair[0])
    )
    return GsimModel(cat.ref(GSIM[:-1]), summaries, old)


def group_rank(iri: str) -> int:
    local = iri.rsplit("#", 1)[-1]
    return GROUP_ORDER.index(local) if local in GROUP_ORDER else len(GROUP_ORDER)


def _attributes(cat: Catalog, cls: str) -> list[Attribute]:
    found: dict[str, Attribute] = {}
    for row in cat.select("gsim_attributes", **{"class": cls}):
        prop = row["attribute"].value
        if prop in found:
            continue
        rng = row.get("range")
        found[prop] = Attribute(
            prop=cat.ref(prop),
            multiplicity=row["multiplicity"].value if "multiplicity" in row else "",
            value_type=row["valueType"].value if "valueType" in row else "",
            range=cat.ref(rng.value) if isinstance(rng, ox.NamedNode) else None,
        )
    return sorted(found.values(), key=lambda a: a.prop.name().casefold())


def chain_of(cat: Catalog, iri: str, namespace: str = GSIM) -> list[Ref]:
    """The generalisation chain of a class, nearest super-class first (first super-class at each step)."""
    supers = hierarchy(cat, namespace)
    chain: list[Ref] = []
    seen = {iri}
    cursor = supers.get(iri, [])
    while cursor:
        nxt = cursor[0]
        if nxt in seen:
            break
        seen.add(nxt)
        chain.append(cat.ref(nxt))
        cursor = supers.get(nxt, [])
    return chain


def subclasses_of(cat: Catalog, iri: str, namespace: str = GSIM, *, exclude: set[str] | None = None) -> list[Ref]:
    subs = [c for c, s in hierarchy(cat, namespace).items() if iri in s and c not in (exclude or set())]
    return sorted(cat.refs(subs), key=_name_key)


@per_version
def gsim_class_detail(cat: Catalog, iri: str) -> GsimClassDetail | None:
    """The detail of one GSIM class (current or deprecated); None when the graph does not hold it."""
    if not iri.startswith(GSIM):
        return None
    pairs = cat.outgoing(iri)
    if not pairs:
        return None
    groups, deprecated = gsim_classes(cat)
    group = groups.get(iri)
    chain = chain_of(cat, iri)
    inherited = [(ancestor, _attributes(cat, ancestor.iri)) for ancestor in chain]
    entries = mappings(cat, cls=iri)
    is_deprecated = iri in deprecated or first_literal(pairs, OWL + "deprecated") == "true"
    successors = objects(pairs, DCTERMS + "isReplacedBy")
    predecessors = [d for d, s in deprecated.items() if s == iri]
    return GsimClassDetail(
        cls=cat.ref(iri),
        group=cat.ref(group) if group else None,
        definition=texts(pairs, SKOS + "definition"),
        comment=texts(pairs, RDFS + "comment") or texts(pairs, SKOS + "historyNote"),
        synonyms=all_texts(pairs, SKOS + "altLabel"),
        deprecated=is_deprecated,
        successors=cat.refs(successors),
        predecessors=sorted(cat.refs(predecessors), key=_name_key),
        chain=chain,
        supers=cat.refs(hierarchy(cat).get(iri, [])),
        subclasses=subclasses_of(cat, iri, exclude=set(deprecated)),
        attributes=_attributes(cat, iri),
        inherited=[(a, attrs) for a, attrs in inherited if attrs],
        associations_out=_associations(cat, cat.select("gsim_associations", domain=iri)),
        associations_in=_associations(cat, cat.select("gsim_associations", range=iri)),
        taken_in_by=[e for e in entries if e.direction == "input"],
        put_out_by=[e for e in entries if e.direction == "output"],
        services=services_for(cat, iri),
        matches=sorted(objects(pairs, SKOS + "exactMatch")),
        changes=model_changes(cat, iri),
    )


def model_changes(cat: Catalog, iri: str) -> list[ModelChange]:
    """What the GSIM 1.2 -> 2.0 change log records about a class, row by row."""
    return [
        ModelChange(r["change"].value, int(r["row"].value), r["kind"].value if "kind" in r else "", r["summary"].value)
        for r in cat.select("gsim_changes", term=iri)
    ]


@per_version
def group_diagram(cat: Catalog, group: str) -> GroupDiagram | None:
    """The classes of one group with the generalisations and associations among them (and the outside classes
    they connect to)."""
    groups, _ = gsim_classes(cat)
    members = {c for c, g in groups.items() if g == group}
    if not members:
        return None
    supers = hierarchy(cat)
    generalisations = sorted((c, s) for c in members for s in supers.get(c, []) if s in groups)
    associations = [a for a in all_associations(cat) if a.domain.iri in members or a.range.iri in members]
    inside = [a for a in associations if a.domain.iri in members and a.range.iri in members]
    external = {s for _, s in generalisations if s not in members}
    return GroupDiagram(
        group=cat.ref(group),
        definition=texts(cat.outgoing(group), SKOS + "definition"),
        classes=sorted(cat.refs(members), key=_name_key),
        external=sorted(cat.refs(external), key=_name_key),
        generalisations=generalisations,
        associations=inside,
    )
