"""The GSIM-GSBPM information mappings: entries for a sub-process or a class, the matrix of sub-processes by GSIM
group, and the filtered lists its cells link to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from .core import Catalog, Ref, Row, Text, per_version
from .vocab import GSIM, INPUT, OUTPUT, OVERARCHING, code_key

# Display order of the GSIM 2.0 Business-group roles; roles not listed follow by name.
ROLE_ORDER = (
    GSIM + "CoreInput",
    GSIM + "ParameterInput",
    GSIM + "ProcessSupportInput",
    GSIM + "CoreOutput",
    GSIM + "ProcessMetric",
    GSIM + "ProcessExecutionLog",
)


@dataclass(frozen=True)
class MappingEntry:
    """One information mapping: which GSIM class a GSBPM activity takes in or puts out, in which role, and why."""

    mapping: Ref
    activity: Ref
    cls: Ref
    role: Ref | None
    direction: str  # "input", "output" or "" when the mapping does not say
    justification: Text
    status: Ref | None
    group: Ref | None
    qualifier: Ref | None = None  # which object of the class is meant, where the class plays several parts
    qualifier_definition: str = ""
    qualifier_definition_lang: str = ""  # its language tag, for the `lang` of the page element that shows it
    boundary: Ref | None = None  # from outside, from an earlier cycle, to outside: why no producer or taker is expected
    author: Ref | None = None  # prov:wasAttributedTo
    updated: str = ""  # dcterms:modified, when it last changed (empty for a mapping never edited)

    def class_title(self, lang: str = "en") -> str:
        """`Data Set (sample)`: the class name and, when there is one, the qualifier."""
        name = self.cls.name(lang)
        return f"{name} ({self.qualifier.name(lang)})" if self.qualifier else name


@dataclass(frozen=True)
class RoleGroup:
    """The mappings of one role (e.g. Core Input), in class-name order."""

    role: Ref | None
    entries: list[MappingEntry]


@dataclass(frozen=True)
class MatrixCell:
    inputs: int
    outputs: int

    @property
    def total(self) -> int:
        return self.inputs + self.outputs


@dataclass(frozen=True)
class MappingMatrix:
    """Activities (rows, in GSBPM order) by GSIM groups (columns): counts of mappings in each cell."""

    activities: list[Ref]
    groups: list[Ref]
    cells: dict[tuple[str, str], MatrixCell] = field(default_factory=dict)
    ungrouped: str = ""  # column key of classes without a group, when there are any

    def cell(self, activity: str, group: str) -> MatrixCell:
        return self.cells.get((activity, group), MatrixCell(0, 0))

    def row_total(self, activity: str) -> int:
        return sum(c.total for (a, _), c in self.cells.items() if a == activity)

    def column_total(self, group: str) -> int:
        return sum(c.total for (_, g), c in self.cells.items() if g == group)


def _direction(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        if term.value == INPUT:
            return "input"
        if term.value == OUTPUT:
            return "output"
    return ""


def entries_from_rows(cat: Catalog, rows: Iterable[Row]) -> list[MappingEntry]:
    """Fold query rows (one per mapping and justification language) into entries."""
    # mapping IRI -> (its first row, its justification by language)
    folded: dict[str, tuple[Row, dict[str, str]]] = {}
    for row in rows:
        m = row["m"].value
        _, justifications = folded.setdefault(m, (row, {}))
        just = row.get("justification")
        if isinstance(just, ox.Literal):
            justifications.setdefault(just.language or "", just.value)
    entries: list[MappingEntry] = []
    for m, (row, justifications) in folded.items():
        role, status, group = row.get("role"), row.get("status"), row.get("group")
        qualifier, definition, boundary = row.get("qualifier"), row.get("qualifierDefinition"), row.get("boundary")
        author, modified = row.get("author"), row.get("modified")
        entries.append(
            MappingEntry(
                mapping=cat.ref(m),
                activity=cat.ref(row["activity"].value),
                cls=cat.ref(row["class"].value),
                role=cat.ref(role.value) if isinstance(role, ox.NamedNode) else None,
                direction=_direction(row.get("direction")),
                justification=Text(justifications),
                status=cat.ref(status.value) if isinstance(status, ox.NamedNode) else None,
                group=cat.ref(group.value) if isinstance(group, ox.NamedNode) else None,
                qualifier=cat.ref(qualifier.value) if isinstance(qualifier, ox.NamedNode) else None,
                qualifier_definition=definition.value if isinstance(definition, ox.Literal) else "",
                qualifier_definition_lang=(definition.language or "") if isinstance(definition, ox.Literal) else "",
                boundary=cat.ref(boundary.value) if isinstance(boundary, ox.NamedNode) else None,
                author=cat.ref(author.value) if isinstance(author, ox.NamedNode) else None,
                updated=modified.value if isinstance(modified, ox.Literal) else "",
            )
        )
    return entries


@per_version
def mappings(cat: Catalog, *, activity: str | None = None, cls: str | None = None) -> list[MappingEntry]:
    """The mappings of one activity, of one class, of both, or all of them (cached for the content version)."""
    if activity is None and cls is None:
        return all_mappings(cat)
    bindings = {k: v for k, v in (("activity", activity), ("class", cls)) if v is not None}
    return sort_entries(entries_from_rows(cat, cat.select("mappings", **bindings)))


def all_mappings(cat: Catalog) -> list[MappingEntry]:
    def compute() -> list[MappingEntry]:
        return sort_entries(entries_from_rows(cat, cat.select("mappings")))

    return cat.memo("all_mappings", compute)


def role_key(role: Ref | None) -> tuple[int, str]:
    if role is None:
        return (len(ROLE_ORDER) + 1, "")
    rank = ROLE_ORDER.index(role.iri) if role.iri in ROLE_ORDER else len(ROLE_ORDER)
    return (rank, role.name())


def activity_key(ref: Ref) -> tuple[int, tuple[int, ...]]:
    """GSBPM order: the sub-processes by code, then the overarching processes."""
    overarching = ref.iri.startswith(OVERARCHING)
    return (1 if overarching else 0, code_key(ref.code))


def sort_entries(entries: list[MappingEntry]) -> list[MappingEntry]:
    return sorted(entries, key=lambda e: (activity_key(e.activity), role_key(e.role), e.class_title().casefold()))


def by_role(entries: Iterable[MappingEntry], direction: str) -> list[RoleGroup]:
    """The entries of one direction, grouped by role in the GSIM order of roles."""
    groups: dict[str | None, list[MappingEntry]] = {}
    roles: dict[str | None, Ref | None] = {}
    for entry in entries:
        if entry.direction != direction:
            continue
        key = entry.role.iri if entry.role else None
        groups.setdefault(key, []).append(entry)
        roles[key] = entry.role
    ordered = sorted(groups, key=lambda k: role_key(roles[k]))
    return [RoleGroup(roles[k], sorted(groups[k], key=lambda e: e.class_title().casefold())) for k in ordered]


def matrix(cat: Catalog, groups: list[Ref], activities_shown: Iterable[Ref] = ()) -> MappingMatrix:
    """Count the mappings per (activity, GSIM group); `groups` gives the columns in display order, and
    `activities_shown` rows shown even when no mapping uses them."""
    cells: dict[tuple[str, str], list[int]] = {}
    activities: dict[str, Ref] = {}
    ungrouped = ""
    for entry in all_mappings(cat):
        activities[entry.activity.iri] = entry.activity
        group = entry.group.iri if entry.group else ""
        if not group:
            ungrouped = "-"
            group = "-"
        counts = cells.setdefault((entry.activity.iri, group), [0, 0])
        if entry.direction:
            counts[0 if entry.direction == "input" else 1] += 1
    for activity in activities_shown:
        activities.setdefault(activity.iri, activity)
    ordered = sorted(activities.values(), key=activity_key)
    return MappingMatrix(
        activities=ordered,
        groups=groups,
        cells={k: MatrixCell(v[0], v[1]) for k, v in cells.items()},
        ungrouped=ungrouped,
    )


@per_version
def filtered(
    cat: Catalog,
    *,
    activity: str | None = None,
    group: str | None = None,
    cls: str | None = None,
    direction: str | None = None,
) -> list[MappingEntry]:
    """The mappings a matrix cell (or any combination of filters) stands for; `group="-"` selects ungrouped classes."""
    result = []
    for entry in all_mappings(cat):
        if activity and entry.activity.iri != activity:
            continue
        if cls and entry.cls.iri != cls:
            continue
        if direction and entry.direction != direction:
            continue
        if group is not None:
            entry_group = entry.group.iri if entry.group else "-"
            if entry_group != group:
                continue
        result.append(entry)
    return result
