"""The GSIM-GSBPM mappings as spreadsheet rows, written as CSV or XLSX and read back.

One row per mapping in force (as the matrix shows them, narrowed by the same filters), with the columns of
`COLUMNS`. What a spreadsheet program would run as a formula never is one: a cell that starts with `=`, `+`, `-`,
`@`, a tab or a carriage return (or with the escape itself, `'`) is written to CSV with a leading `'`, which
`read_csv` takes off again, so the round trip is lossless; XLSX cells are always stored as strings.

This is also the one CSV writer of the service (`csv_text`): the matrix and the download pages use it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..catalog import Catalog
from ..catalog.gsbpm import gsbpm_model
from ..catalog.gsim import gsim_model
from ..catalog.mapping import MappingEntry
from ..catalog.mapping_matrix import MatrixFilters, full_matrix
from ..catalog.vocab import local_name
from ..editing.mappings import ROLES, STATUSES

__all__ = [
    "COLUMNS",
    "SheetRow",
    "Vocabulary",
    "csv_text",
    "escape_cell",
    "sheet_rows",
    "unescape_cell",
    "vocabulary",
]

# (column, what it holds); `sub-process`, `direction`, `editor` and `updated` are for reading: an import ignores them
COLUMNS = (
    "code",
    "sub-process",
    "class",
    "qualifier",
    "role",
    "direction",
    "status",
    "justification",
    "editor",
    "updated",
    "id",
)
INFORMATIVE = frozenset({"sub-process", "direction", "editor", "updated"})
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def escape_cell(value: str) -> str:
    """`=1+1` -> `'=1+1`: a spreadsheet shows the text instead of running it; `'x` -> `''x` so that unescaping is
    exact."""
    return ESCAPE + value if value.startswith((*FORMULA_STARTS, ESCAPE)) else value


def unescape_cell(value: str) -> str:
    return value[1:] if value.startswith(ESCAPE) else value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """CSV (RFC 4180, CRLF) with every cell escaped against formula injection."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([escape_cell(h) for h in header])
    writer.writerows([escape_cell(cell) for cell in row] for row in rows)
    return out.getvalue()


@dataclass(frozen=True)
class SheetRow:
    """One mapping as a row of strings, in the order of `COLUMNS`."""

    code: str
    sub_process: str
    cls: str
    qualifier: str
    role: str
    direction: str
    status: str
    justification: str
    editor: str
    updated: str
    id: str

    def cells(self) -> tuple[str, ...]:
        return (
            self.code,
            self.sub_process,
            self.cls,
            self.qualifier,
            self.role,
            self.direction,
            self.status,
            self.justification,
            self.editor,
            self.updated,
            self.id,
        )

    @classmethod
    def of(cls, cells: Sequence[str]) -> SheetRow:
        return cls(*cells)


def _row(entry: MappingEntry) -> SheetRow:
    return SheetRow(
        code=entry.activity.code or "",
        sub_process=entry.activity.name(),
        cls=local_name(entry.cls.iri),
        qualifier=local_name(entry.qualifier.iri) if entry.qualifier else "",
        role=local_name(entry.role.iri) if entry.role else "",
        direction=entry.direction,
        status=local_name(entry.status.iri) if entry.status else "",
        justification=entry.justification.get("en"),
        editor=local_name(entry.author.iri) if entry.author else "",
        updated=entry.updated,
        id=local_name(entry.mapping.iri),
    )


def sheet_rows(cat: Catalog, filters: MatrixFilters | None = None) -> list[SheetRow]:
    """The mappings the filters admit (the matrix's filters: phase, group, role, status, author), in GSBPM order."""
    return [_row(entry) for entry in full_matrix(cat, filters or MatrixFilters()).entries]


@dataclass(frozen=True)
class Vocabulary:
    """What a cell may hold: the drop-down lists of the XLSX and the checks of an import."""

    codes: tuple[str, ...]
    names: dict[str, str]  # code -> sub-process name
    classes: tuple[str, ...]
    roles: tuple[str, ...] = ROLES
    statuses: tuple[str, ...] = STATUSES


def vocabulary(cat: Catalog) -> Vocabulary:
    model = gsbpm_model(cat)
    activities = [a for a in model.sequence() + list(model.overarching) if a.code]
    classes = sorted({local_name(c.iri) for group in gsim_model(cat).groups for c in group.classes})
    return Vocabulary(
        codes=tuple(a.code or "" for a in activities),
        names={a.code or "": a.name() for a in activities},
        classes=tuple(classes),
    )
