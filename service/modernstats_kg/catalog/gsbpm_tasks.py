"""Level-3 GSBPM tasks: those GSBPM 5.2 lists (attributed to GSBPM 5.2 itself) and those statistical organizations
contribute (attributed to the organization), per sub-process."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from .core import Catalog, Ref, Text, per_version
from .vocab import code_key

GSBPMX = "http://id.unece.org/def/gsbpmx#"
SKOS_DEFINITION = "http://www.w3.org/2004/02/skos/core#definition"
PROV_ATTRIBUTED = "http://www.w3.org/ns/prov#wasAttributedTo"
DCTERMS_SOURCE = "http://purl.org/dc/terms/source"
COOS = "http://id.unece.org/def/coos#"
MAP_NS = "http://id.unece.org/def/mapping#"
MAP_STATUS = MAP_NS + "status"


@dataclass(frozen=True)
class Organization:
    ref: Ref
    kind: str  # "NationalStatisticalInstitute" or "InternationalAgency"
    country: str | None


@dataclass(frozen=True)
class Task:
    ref: Ref
    subprocess: Ref
    description: Text
    inputs: list[Ref]
    outputs: list[Ref]
    sources: list[str]
    paragraphs: list[int]
    organization: Organization | None  # None: a task of GSBPM 5.2 itself
    status: str | None = None  # review status of a contributed task: proposed, endorsed, rejected, deprecated

    @property
    def withdrawn(self) -> bool:
        """Rejected or deprecated: kept with its history, left out of the lists and the commonalities."""
        return self.status in ("rejected", "deprecated")


@dataclass
class _Draft:
    subprocess: str
    descriptions: dict[str, str] = field(default_factory=dict)
    inputs: set[str] = field(default_factory=set)
    outputs: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    paragraphs: set[int] = field(default_factory=set)
    organization: str | None = None
    status: str | None = None


def organizations(cat: Catalog) -> dict[str, Organization]:
    """Every statistical organization of the graph by IRI (cached)."""

    def compute() -> dict[str, Organization]:
        found: dict[str, Organization] = {}
        for row in cat.select("organizations"):
            iri = row["org"].value
            country = row["country"].value if "country" in row else None
            found[iri] = Organization(cat.ref(iri), row["kind"].value.removeprefix(COOS), country)
        return found

    return cat.memo("organizations", compute)


@per_version
def all_tasks(cat: Catalog) -> list[Task]:
    """Every task, in code order, GSBPM's own before contributed ones of the same code."""
    drafts: dict[str, _Draft] = {}
    for row in cat.select("tasks"):
        draft = drafts.setdefault(row["task"].value, _Draft(row["subprocess"].value))
        value = row.get("o")
        if value is None:
            continue
        predicate = row["p"].value
        if predicate == SKOS_DEFINITION and isinstance(value, ox.Literal):
            draft.descriptions.setdefault(value.language or "", value.value)
        elif predicate == GSBPMX + "input" and isinstance(value, ox.NamedNode):
            draft.inputs.add(value.value)
        elif predicate == GSBPMX + "output" and isinstance(value, ox.NamedNode):
            draft.outputs.add(value.value)
        elif predicate == DCTERMS_SOURCE and isinstance(value, ox.NamedNode):
            draft.sources.add(value.value)
        elif predicate == GSBPMX + "paragraph" and isinstance(value, ox.Literal):
            draft.paragraphs.add(int(value.value))
        elif predicate == PROV_ATTRIBUTED and isinstance(value, ox.NamedNode):
            draft.organization = value.value
        elif predicate == MAP_STATUS and isinstance(value, ox.NamedNode):
            draft.status = value.value.removeprefix(MAP_NS)
    orgs = organizations(cat)

    def by_name(iris: set[str]) -> list[Ref]:
        return sorted(cat.refs(iris), key=lambda r: r.name().casefold())

    tasks = [
        Task(
            ref=cat.ref(iri),
            subprocess=cat.ref(d.subprocess),
            description=Text(d.descriptions),
            inputs=by_name(d.inputs),
            outputs=by_name(d.outputs),
            sources=sorted(d.sources),
            paragraphs=sorted(d.paragraphs),
            organization=orgs.get(d.organization) if d.organization else None,
            status=d.status,
        )
        for iri, d in drafts.items()
    ]
    return sorted(tasks, key=lambda t: (code_key(t.ref.code), t.organization is not None, t.ref.iri))


def tasks_of(cat: Catalog, subprocess: str, *, contributed: bool | None = None, withdrawn: bool = True) -> list[Task]:
    """The tasks of one sub-process; `contributed=False` keeps GSBPM's own, `True` the organizations';
    `withdrawn=False` leaves out rejected and deprecated contributions."""
    return [
        t
        for t in all_tasks(cat)
        if t.subprocess.iri == subprocess
        and (contributed is None or (t.organization is not None) == contributed)
        and (withdrawn or not t.withdrawn)
    ]
