"""GSBPM 5.2: the model as a matrix (phases with their sub-processes, the overarching processes) and the detail of
one activity (a sub-process, an overarching process or a phase) with its GSIM inputs and outputs."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from .core import Catalog, Lit, Ref, Text, all_texts, objects, per_version, texts
from .mapping import RoleGroup, by_role, mappings
from .vocab import (
    GAMSO_SCHEME,
    GSBPM_SCHEME,
    OVERARCHING,
    PHASE,
    SKOS,
    SUBPROCESS,
    code_key,
)


@dataclass(frozen=True)
class PhaseColumn:
    phase: Ref
    subprocesses: list[Ref]


@dataclass(frozen=True)
class GsbpmModel:
    """The GSBPM as people draw it: eight phase columns and the overarching processes."""

    scheme: Ref
    phases: list[PhaseColumn]
    overarching: list[Ref]

    def sequence(self) -> list[Ref]:
        """Every sub-process in process order (1.1 ... 8.3)."""
        return [sp for column in self.phases for sp in column.subprocesses]


@dataclass(frozen=True)
class GamsoLink:
    """A GAMSO activity related to a GSBPM activity, with its path from the GAMSO top (area, activity)."""

    item: Ref
    path: list[Ref]
    via: Ref


@dataclass(frozen=True)
class ActivityDetail:
    """Everything the page of one GSBPM activity shows."""

    activity: Ref
    kind: str  # "subProcess", "overarching" or "phase"
    definition: Text
    scope_note: Text
    alt_labels: list[Lit]
    phase: Ref | None
    previous: Ref | None
    next: Ref | None
    children: list[Ref]
    inputs: list[RoleGroup]
    outputs: list[RoleGroup]
    services: list[Ref]
    gamso: list[GamsoLink]
    matches: list[tuple[str, str]] = field(default_factory=list)  # (SKOS mapping property local name, IRI)


def gsbpm_model(cat: Catalog) -> GsbpmModel:
    """The phases (by code) with their sub-processes (by code), and the overarching processes (cached)."""

    def compute() -> GsbpmModel:
        children: dict[str, list[str]] = {}
        phases: set[str] = set()
        overarching: set[str] = set()
        for row in cat.select("scheme_items", scheme=GSBPM_SCHEME):
            item = row["item"].value
            if item.startswith(PHASE):
                phases.add(item)
            elif item.startswith(OVERARCHING):
                overarching.add(item)
            elif item.startswith(SUBPROCESS) and isinstance(row.get("broader"), ox.NamedNode):
                children.setdefault(row["broader"].value, [])
                if item not in children[row["broader"].value]:
                    children[row["broader"].value].append(item)

        def by_code(iris: set[str] | list[str]) -> list[Ref]:
            return sorted(cat.refs(iris), key=lambda r: code_key(r.code))

        columns = [PhaseColumn(phase, by_code(children.get(phase.iri, []))) for phase in by_code(phases)]
        return GsbpmModel(cat.ref(GSBPM_SCHEME), columns, by_code(overarching))

    return cat.memo("gsbpm_model", compute)


def activity_kind(iri: str) -> str | None:
    if iri.startswith(SUBPROCESS):
        return "subProcess"
    if iri.startswith(OVERARCHING):
        return "overarching"
    if iri.startswith(PHASE):
        return "phase"
    return None


@per_version
def activity_detail(cat: Catalog, iri: str) -> ActivityDetail | None:
    """The detail of a GSBPM sub-process, overarching process or phase; None when the graph does not hold it."""
    kind = activity_kind(iri)
    pairs = cat.outgoing(iri)
    if kind is None or not pairs:
        return None
    model = gsbpm_model(cat)
    sequence = model.sequence() if kind == "subProcess" else [c.phase for c in model.phases]
    if kind == "overarching":
        sequence = model.overarching
    iris = [r.iri for r in sequence]
    position = iris.index(iri) if iri in iris else -1
    previous = sequence[position - 1] if position > 0 else None
    following = sequence[position + 1] if 0 <= position < len(sequence) - 1 else None
    broader = [b for b in objects(pairs, SKOS + "broader") if b.startswith(PHASE)]
    children: list[Ref] = []
    if kind == "phase":
        children = next((c.subprocesses for c in model.phases if c.phase.iri == iri), [])
    entries = mappings(cat, activity=iri)
    matches = [
        (p.rsplit("#", 1)[1], o.value)
        for p, o in pairs
        if p
        in (SKOS + "exactMatch", SKOS + "closeMatch", SKOS + "relatedMatch", SKOS + "broadMatch", SKOS + "narrowMatch")
        and isinstance(o, ox.NamedNode)
    ]
    return ActivityDetail(
        activity=cat.ref(iri),
        kind=kind,
        definition=texts(pairs, SKOS + "definition"),
        scope_note=texts(pairs, SKOS + "scopeNote"),
        alt_labels=all_texts(pairs, SKOS + "altLabel"),
        phase=cat.ref(broader[0]) if broader else None,
        previous=previous,
        next=following,
        children=children,
        inputs=by_role(entries, "input"),
        outputs=by_role(entries, "output"),
        services=services_for(cat, iri),
        gamso=gamso_context(cat, iri),
        matches=sorted(matches),
    )


def services_for(cat: Catalog, target: str) -> list[Ref]:
    """The CSPA services that point at `target` (support a sub-process; take in or put out a class)."""
    found = {row["service"].value for row in cat.select("services_for", target=target)}
    return sorted(cat.refs(found), key=lambda r: r.name().casefold())


def gamso_context(cat: Catalog, iri: str) -> list[GamsoLink]:
    """The GAMSO activities related to the activity or to one of its broader concepts (e.g. the Production area,
    which matches the whole statistical production process)."""
    parents = gamso_parents(cat)
    links: dict[str, GamsoLink] = {}
    for row in cat.select("gamso_context", activity=iri):
        item = row["gamso"].value
        if item in links:
            continue
        path: list[Ref] = []
        cursor = parents.get(item)
        seen = {item}
        while cursor and cursor not in seen:
            seen.add(cursor)
            path.insert(0, cat.ref(cursor))
            cursor = parents.get(cursor)
        links[item] = GamsoLink(cat.ref(item), path, cat.ref(row["via"].value))
    return sorted(links.values(), key=lambda link: code_key(link.item.code))


def gamso_parents(cat: Catalog) -> dict[str, str]:
    """child -> broader concept inside GAMSO (cached)."""

    def compute() -> dict[str, str]:
        parents: dict[str, str] = {}
        for row in cat.select("scheme_items", scheme=GAMSO_SCHEME):
            broader = row.get("broader")
            if isinstance(broader, ox.NamedNode):
                parents.setdefault(row["item"].value, broader.value)
        return parents

    return cat.memo("gamso_parents", compute)
