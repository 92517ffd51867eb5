"""The full mapping matrix a task-team reviewer works through: every GSBPM activity (rows, in GSBPM order) by every
GSIM class (columns, grouped by GSIM group), each cell holding the mappings of that pair, narrowed by filters on
phase, GSIM group, role, status and author. Classes that no mapping in force uses are kept as columns and marked."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .core import Catalog, Ref
from .gsbpm import gsbpm_model
from .gsim import gsim_model
from .mapping import ROLE_ORDER, MappingEntry, activity_key, all_mappings, role_key
from .vocab import GSIM, OVERARCHING, local_name

# Short role marks for the cells; the legend on the page spells them out.
ROLE_MARKS = {
    GSIM + "CoreInput": "CI",
    GSIM + "ParameterInput": "PI",
    GSIM + "ProcessSupportInput": "SI",
    GSIM + "CoreOutput": "CO",
    GSIM + "ProcessMetric": "PM",
    GSIM + "ProcessExecutionLog": "EL",
}
UNGROUPED = "-"


def role_mark(role: Ref | None) -> str:
    if role is None:
        return "?"
    return ROLE_MARKS.get(role.iri, local_name(role.iri)[:2].upper())


def phase_code(activity: Ref) -> str:
    """`5` for sub-process 5.3, `0` for an overarching process."""
    if activity.iri.startswith(OVERARCHING):
        return "0"
    return (activity.code or "").split(".", 1)[0]


@dataclass(frozen=True)
class MatrixFilters:
    """What the reviewer narrowed the matrix to; an empty set means no narrowing. Values are local names (the
    group `BusinessGroup`, the role `CoreInput`, the status `proposed`, the author `modernStatsKG`) and phase codes
    (`0` for the overarching processes)."""

    phases: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()
    authors: frozenset[str] = frozenset()

    def admits_activity(self, activity: Ref) -> bool:
        return not self.phases or phase_code(activity) in self.phases

    def admits_group(self, group: Ref | None) -> bool:
        return not self.groups or (local_name(group.iri) if group else UNGROUPED) in self.groups

    def admits(self, entry: MappingEntry) -> bool:
        def ok(wanted: frozenset[str], ref: Ref | None) -> bool:
            return not wanted or (ref is not None and local_name(ref.iri) in wanted)

        return (
            self.admits_activity(entry.activity)
            and self.admits_group(entry.group)
            and ok(self.roles, entry.role)
            and ok(self.statuses, entry.status)
            and ok(self.authors, entry.author)
        )

    @property
    def active(self) -> bool:
        return bool(self.phases or self.groups or self.roles or self.statuses or self.authors)


@dataclass(frozen=True)
class ClassColumn:
    cls: Ref
    used: bool  # does any mapping in force use the class (whatever the filters)?


@dataclass(frozen=True)
class ColumnGroup:
    group: Ref | None  # None: classes of no GSIM group
    columns: list[ClassColumn]


@dataclass(frozen=True)
class FacetOption:
    value: str  # the query value
    label: Ref | str


@dataclass(frozen=True)
class FullMatrix:
    rows: list[Ref]
    groups: list[ColumnGroup]
    entries: list[MappingEntry]  # the mappings the filters admit, in GSBPM order
    cells: dict[tuple[str, str], list[MappingEntry]] = field(default_factory=dict)
    facets: dict[str, list[FacetOption]] = field(default_factory=dict)

    def cell(self, activity: str, cls: str) -> list[MappingEntry]:
        return self.cells.get((activity, cls), [])

    @property
    def columns(self) -> list[ClassColumn]:
        return [column for group in self.groups for column in group.columns]

    @property
    def unused(self) -> list[Ref]:
        return [column.cls for column in self.columns if not column.used]


def _facets(cat: Catalog, entries: Iterable[MappingEntry], groups: list[Ref]) -> dict[str, list[FacetOption]]:
    model = gsbpm_model(cat)
    phases = [
        FacetOption(phase_code(column.phase) or (column.phase.code or ""), column.phase) for column in model.phases
    ]
    roles: dict[str, Ref] = {}
    statuses: dict[str, Ref] = {}
    authors: dict[str, Ref] = {}
    for entry in entries:
        for found, ref in ((roles, entry.role), (statuses, entry.status), (authors, entry.author)):
            if ref is not None:
                found[ref.iri] = ref
    ordered_roles = sorted(roles.values(), key=role_key)
    return {
        "phase": [*phases, FacetOption("0", "overarching")],
        "group": [FacetOption(local_name(g.iri), g) for g in groups],
        "role": [FacetOption(local_name(r.iri), r) for r in ordered_roles],
        "status": [FacetOption(local_name(s.iri), s) for s in sorted(statuses.values(), key=lambda s: s.name())],
        "author": [FacetOption(local_name(a.iri), a) for a in sorted(authors.values(), key=lambda a: a.name())],
    }


def full_matrix(cat: Catalog, filters: MatrixFilters = MatrixFilters()) -> FullMatrix:
    """The matrix as the filters narrow it: rows are the activities of the admitted phases (all of them, mapped or
    not), columns the classes of the admitted groups (used or not), cells the admitted mappings."""
    everything = all_mappings(cat)
    used = {entry.cls.iri for entry in everything}
    model = gsbpm_model(cat)
    rows = [sp for sp in model.sequence() + list(model.overarching) if filters.admits_activity(sp)]
    known_rows = {row.iri for row in rows}
    gsim = gsim_model(cat)
    grouped = {cls.iri for summary in gsim.groups for cls in summary.classes}
    column_groups = [
        ColumnGroup(summary.group, [ClassColumn(cls, cls.iri in used) for cls in summary.classes])
        for summary in gsim.groups
        if filters.admits_group(summary.group)
    ]
    strays = sorted({e.cls.iri: e.cls for e in everything if e.cls.iri not in grouped}.values(), key=lambda r: r.name())
    if strays and filters.admits_group(None):
        column_groups.append(ColumnGroup(None, [ClassColumn(cls, True) for cls in strays]))
    admitted = [entry for entry in everything if filters.admits(entry)]
    cells: dict[tuple[str, str], list[MappingEntry]] = {}
    for entry in admitted:
        if entry.activity.iri not in known_rows:  # an activity outside the GSBPM scheme: give it a row of its own
            rows.append(entry.activity)
            known_rows.add(entry.activity.iri)
        cells.setdefault((entry.activity.iri, entry.cls.iri), []).append(entry)
    for found in cells.values():
        found.sort(key=lambda e: (role_key(e.role), e.class_title().casefold()))
    rows.sort(key=activity_key)
    return FullMatrix(rows, column_groups, admitted, cells, _facets(cat, everything, [s.group for s in gsim.groups]))


def role_legend(cat: Catalog) -> list[tuple[str, Ref]]:
    """(mark, role) in the GSIM order of roles, for the legend."""
    return [(ROLE_MARKS[iri], cat.ref(iri)) for iri in ROLE_ORDER]
