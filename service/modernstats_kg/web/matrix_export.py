"""The filters of the full matrix as the query string carries them, and its CSV exports (the grid as shown, or one
line per mapping), so that an export holds exactly what the filtered page shows. The CSV is written by the one
CSV writer of the service (`roundtrip.sheets.csv_text`, which escapes cells against formula injection)."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from fastapi import Request

from ..catalog.mapping import MappingEntry
from ..catalog.mapping_matrix import FullMatrix, MatrixFilters, role_mark
from ..catalog.vocab import local_name
from ..errors import BadRequest
from ..roundtrip.sheets import csv_text

__all__ = ["FACETS", "filter_query", "grid_csv", "list_csv", "matrix_filters", "role_mark"]

FACETS = ("phase", "group", "role", "status", "author")
_VALUE = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
MAX_VALUES = 50


def matrix_filters(request: Request) -> MatrixFilters:
    """The filters of the request (`?phase=5&role=CoreInput&role=CoreOutput`); an empty value means any."""
    chosen: dict[str, frozenset[str]] = {}
    for facet in FACETS:
        values = [v for v in request.query_params.getlist(facet) if v]
        if len(values) > MAX_VALUES:
            raise BadRequest(f"too many values for {facet}: at most {MAX_VALUES}")
        bad = [v for v in values if not _VALUE.match(v)]
        if bad:
            raise BadRequest(f"{facet} takes a code or a local name such as CoreInput, not {bad[0][:80]!r}")
        chosen[facet] = frozenset(values)
    return MatrixFilters(
        phases=chosen["phase"],
        groups=chosen["group"],
        roles=chosen["role"],
        statuses=chosen["status"],
        authors=chosen["author"],
    )


def filter_query(filters: MatrixFilters) -> str:
    """The filters as a query string (sorted, so equal filters give equal URLs)."""
    pairs = [
        (facet, value)
        for facet, values in zip(
            FACETS, (filters.phases, filters.groups, filters.roles, filters.statuses, filters.authors), strict=True
        )
        for value in sorted(values)
    ]
    return urlencode(pairs)


def _mark(entry: MappingEntry) -> str:
    status = f" ({local_name(entry.status.iri)})" if entry.status else ""
    qualifier = f" [{entry.qualifier.name()}]" if entry.qualifier else ""
    return f"{role_mark(entry.role)}{qualifier}{status}"


def grid_csv(table: FullMatrix) -> str:
    """Rows as on the page; one column per class shown; a cell lists its mappings' roles, qualifiers and statuses."""
    columns = table.columns
    header = ["code", "activity", *(c.cls.name() for c in columns)]
    groups = ["", "GSIM group", *(g.group.name() if g.group else "" for g in table.groups for _ in g.columns)]
    rows = [
        [row.code or "", row.name(), *("; ".join(_mark(e) for e in table.cell(row.iri, c.cls.iri)) for c in columns)]
        for row in table.rows
    ]
    return csv_text(header, [groups, *rows])


LIST_COLUMNS = (
    "code",
    "activity",
    "class",
    "qualifier",
    "group",
    "role",
    "direction",
    "status",
    "author",
    "justification",
    "mapping",
)


def list_csv(table: FullMatrix) -> str:
    """One line per mapping the filters admit (names as the page shows them; `/mappings/export.csv` has the
    importable columns)."""
    return csv_text(
        LIST_COLUMNS,
        (
            [
                e.activity.code or "",
                e.activity.name(),
                e.cls.name(),
                e.qualifier.name() if e.qualifier else "",
                e.group.name() if e.group else "",
                e.role.name() if e.role else "",
                e.direction,
                e.status.name() if e.status else "",
                e.author.name() if e.author else "",
                e.justification.get("en"),
                e.mapping.iri,
            ]
            for e in table.entries
        ),
    )
