"""`mskg tasks import FILE --user NAME [--dry-run]`: contributed tasks from a spreadsheet (CSV), all or nothing, as one
change through the gate (one validation, one transaction, one history record `import`).

Columns (a header row, in any order): organization, sub-process, code, name, description, language, inputs, outputs.
`language` is en, fr or es (empty: en); `inputs` and `outputs` list GSIM class names separated by `;` or spaces.
Every problem is reported with its row (the header is row 1) and column, and nothing is written when there is one;
`--dry-run` checks everything, the task shapes too, and writes nothing. (The mapping spreadsheets have their own
import in `roundtrip/`; the two are to be unified.)
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ServiceError
from ..store import Store
from ..validation.scoped import validate_for_write
from .accounts import User
from .gate import ChangeRefused
from .task_operations import TaskOutcome, build_import, import_tasks
from .tasks import TASK_BASE, TaskDraft

__all__ = ["COLUMNS", "ImportProblem", "ImportRefused", "parse_tasks", "run_import"]

COLUMNS = ("organization", "sub-process", "code", "name", "description", "language", "inputs", "outputs")
REQUIRED = ("organization", "sub-process", "code", "name", "description")
MAX_BYTES = 5_000_000
MAX_ROWS = 10_000
# which column a draft field, or a shape's path, comes from
_FIELD_COLUMN = {
    "organization": "organization",
    "subprocess": "sub-process",
    "code": "code",
    "name": "name",
    "description": "description",
    "language": "language",
    "inputs": "inputs",
    "outputs": "outputs",
}
_PATH_COLUMN = {
    "notation": "code",
    "prefLabel": "name",
    "definition": "description",
    "isPartOf": "sub-process",
    "wasAttributedTo": "organization",
    "input": "inputs",
    "output": "outputs",
}


# the task rules that have no path (SPARQL constraints), by the shape's local name
_SHAPE_COLUMN = {"codeUnderSubProcess": "code", "oneOrigin": "organization", "contributorKind": "organization"}


@dataclass(frozen=True)
class ImportProblem:
    row: int  # 1 = the header
    column: str  # "" when the problem is the whole row
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}, column {self.column}" if self.column else f"row {self.row}"
        return f"{where}: {self.message}"


class ImportRefused(Exception):
    """Nothing was written; `problems` says what and where."""

    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def _classes(cell: str) -> tuple[str, ...]:
    return tuple(name for name in re.split(r"[;,\s]+", cell.strip()) if name)


def parse_tasks(path: Path) -> list[tuple[int, TaskDraft]]:
    """The drafts of a CSV file with their row numbers (ImportRefused listing every problem of form)."""
    data = path.read_bytes()[: MAX_BYTES + 1]
    if len(data) > MAX_BYTES:
        raise ImportRefused([ImportProblem(0, "", f"the file is larger than {MAX_BYTES:,} bytes")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused([ImportProblem(0, "", f"not UTF-8 text (byte {exc.start})")]) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    if missing or unknown:
        message = (f"missing columns: {', '.join(missing)}; " if missing else "") + (
            f"unknown columns: {', '.join(unknown)}; " if unknown else ""
        )
        raise ImportRefused([ImportProblem(1, "", f"{message}the columns are {', '.join(COLUMNS)}")])
    reader.fieldnames = header
    drafts: list[tuple[int, TaskDraft]] = []
    problems: list[ImportProblem] = []
    try:
        for row_number, row in enumerate(reader, start=2):
            if row_number > MAX_ROWS + 1:
                raise ImportRefused([ImportProblem(row_number, "", f"more than {MAX_ROWS} rows")])
            if None in row:
                problems.append(ImportProblem(row_number, "", "more cells than columns"))
                continue
            cells = {k: (v or "").strip() for k, v in row.items()}
            if not any(cells.values()):
                continue
            empty = [c for c in REQUIRED if not cells.get(c)]
            problems += [ImportProblem(row_number, c, "empty: every task needs it") for c in empty]
            if empty:
                continue
            drafts.append(
                (
                    row_number,
                    TaskDraft(
                        organization=cells["organization"],
                        subprocess=cells["sub-process"],
                        code=cells["code"],
                        name=cells["name"],
                        description=cells["description"],
                        language=cells.get("language") or "en",
                        inputs=_classes(cells.get("inputs", "")),
                        outputs=_classes(cells.get("outputs", "")),
                    ),
                )
            )
    except csv.Error as exc:
        problems.append(ImportProblem(reader.line_num, "", f"not readable as CSV: {exc}"))
    if problems:
        raise ImportRefused(problems)
    if not drafts:
        raise ImportRefused([ImportProblem(1, "", "no tasks: the file has a header and no rows")])
    return drafts


def _column_of(message: str) -> str:
    field = message.split(":", 1)[0].strip()
    return _FIELD_COLUMN.get(field, "")


def _shape_problems(exc: ChangeRefused, rows_by_iri: dict[str, int]) -> list[ImportProblem]:
    problems = []
    for failure in exc.report:
        row = rows_by_iri.get(failure.get("focus_node", ""), 0)
        column = _PATH_COLUMN.get(re.split(r"[#/]", failure.get("path") or "")[-1], "") or _SHAPE_COLUMN.get(
            re.split(r"[#/:]", failure.get("shape") or "")[-1], ""
        )
        problems.append(ImportProblem(row, column, f"{failure.get('rule')}: {failure.get('message')}"))
    return problems or [ImportProblem(0, "", exc.message)]


def run_import(store: Store, path: Path, *, user: User, comment: str, dry_run: bool = False) -> TaskOutcome | int:
    """Import the file's tasks (the outcome), or with `dry_run` check them all (how many would be added)."""
    numbered = parse_tasks(path)
    drafts = [d for _, d in numbered]
    rows_by_iri = {TASK_BASE + f"{d.organization}/{d.code}": n for n, d in numbered}
    try:
        if dry_run:
            ids, changes = build_import(store, drafts, user)
            outcome = validate_for_write(store, changes)
            if not outcome.conforms:
                raise ChangeRefused.of(outcome.violations)
            return len(ids)
        return import_tasks(store, drafts, user=user, comment=comment)
    except ChangeRefused as exc:
        raise ImportRefused(_shape_problems(exc, rows_by_iri)) from None
    except ServiceError as exc:
        number = exc.details.get("task")
        row = numbered[number - 1][0] if isinstance(number, int) and 0 < number <= len(numbered) else 0
        message = exc.message.split(": ", 1)[1] if number is not None and ": " in exc.message else exc.message
        raise ImportRefused([ImportProblem(row, _column_of(message), message)]) from None
