"""A spreadsheet of mappings brought into the store: every row checked, then one batch through the editing gate.

    plan = check_sheet(store, cat, read_sheet(data, name), importer="alice", comment="why")
    plan.problems  -> every problem, with its row number (the header is row 1), column and message
    preview(store, plan)   -> the same plan, also checked against the shapes, nothing written (the dry run)
    apply_import(store, plan)  -> one batch (`apply_batch`, action `import`), all rows or none

Per row: one with an `id` changes that mapping (its justification; status `deprecated` withdraws it), one without
creates a mapping; a row equal to the store changes nothing. Code, class, role and qualifier name a mapping (they
make its id), so they cannot change on a row with an id: a different pairing is a new row. `sub-process`,
`direction`, `editor` and `updated` are for reading and ignored (a direction that contradicts the role is an error).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..catalog import Catalog
from ..editing.gate import ChangeRefused
from ..editing.mapping_changes import Draft
from ..editing.mappings import (
    INPUT_ROLES,
    MAPPING_BASE,
    MAPPING_ID,
    QUALIFIER_NAME,
    ROLES,
    STATUSES,
    mapping_id,
    read_mapping,
)
from ..editing.operations import Operation, apply_batch, batch_changes
from ..errors import NotFound, ServiceError, Unprocessable
from ..store import Store
from ..validation.scoped import validate_for_write
from .sheet_files import SheetTable
from .sheets import COLUMNS, Vocabulary, vocabulary

__all__ = ["FieldChange", "ImportPlan", "ImportRefused", "PlannedChange", "Problem", "apply_import", "check_sheet"]

REQUIRED = ("code", "class", "role", "justification")
IDENTITY = (("code", "activity"), ("class", "information_class"), ("role", "role"), ("qualifier", "qualifier"))
# the property of a shape's report -> the column of the sheet
PATH_COLUMNS = {
    "activity": "code",
    "informationClass": "class",
    "role": "role",
    "qualifier": "qualifier",
    "direction": "direction",
    "status": "status",
    "justification": "justification",
}


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.column or 'row'}: {self.message}"


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class PlannedChange:
    row: int
    id: str
    kind: str  # add, change, deprecate
    fields: tuple[FieldChange, ...]


@dataclass
class ImportPlan:
    importer: str
    comment: str
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    changes: list[PlannedChange] = field(default_factory=list)
    operations: list[Operation] = field(default_factory=list)
    row_of: dict[str, int] = field(default_factory=dict)  # mapping id -> its row

    @property
    def unchanged(self) -> int:
        return self.rows - len(self.changes)

    def diff_text(self) -> str:
        added = sum(1 for c in self.changes if c.kind == "add")
        lines = [
            f"{added} mappings added, {len(self.changes) - added} changed, {self.unchanged} rows unchanged",
        ]
        for change in self.changes:
            sign = "+" if change.kind == "add" else "~"
            lines.append(f"{sign} {change.id} (row {change.row})")
            lines.extend(f"    {f.field}: {f.old!r} -> {f.new!r}" for f in change.fields)
        return "\n".join(lines) + "\n"

    def as_json(self) -> dict[str, object]:
        return {
            "rows": self.rows,
            "unchanged": self.unchanged,
            "problems": [{"row": p.row, "column": p.column, "message": p.message} for p in self.problems],
            "changes": [
                {
                    "row": c.row,
                    "id": c.id,
                    "kind": c.kind,
                    "fields": [{"field": f.field, "old": f.old, "new": f.new} for f in c.fields],
                }
                for c in self.changes
            ],
        }


class ImportRefused(Unprocessable):
    """422: at least one row is wrong; nothing was written. `problems` lists them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(
            f"the sheet has {len(problems)} problems, nothing was written: {shown}{more}",
            problems=[{"row": p.row, "column": p.column, "message": p.message} for p in problems],
        )


def _check_header(header: list[str]) -> list[Problem]:
    problems = [
        Problem(1, name or f"column {i}", f"unknown column; the columns are {', '.join(COLUMNS)}")
        for i, name in enumerate(header, start=1)
        if name not in COLUMNS
    ]
    problems += [
        Problem(1, name, "the column appears twice")
        for i, name in enumerate(header)
        if name in COLUMNS and name in header[:i]
    ]
    problems += [Problem(1, name, "missing column") for name in REQUIRED if name not in header]
    return problems


def _check_values(number: int, cell: dict[str, str], words: Vocabulary) -> list[Problem]:
    problems: list[Problem] = []
    code, cls, role, status = cell["code"], cell["class"], cell["role"], cell["status"]
    if code not in words.codes:
        problems.append(Problem(number, "code", f"unknown sub-process code {code[:40]!r}"))
    if cls not in words.classes:
        problems.append(Problem(number, "class", f"unknown GSIM class {cls[:80]!r}"))
    if role not in ROLES:
        problems.append(Problem(number, "role", f"unknown role {role[:40]!r}: one of {', '.join(ROLES)}"))
    elif cell["direction"] and cell["direction"] != ("input" if role in INPUT_ROLES else "output"):
        problems.append(Problem(number, "direction", f"{role} is not an {cell['direction'][:20]} role"))
    if status and status not in STATUSES:
        problems.append(Problem(number, "status", f"unknown status {status[:40]!r}: one of {', '.join(STATUSES)}"))
    if cell["qualifier"] and not QUALIFIER_NAME.fullmatch(cell["qualifier"]):
        problems.append(
            Problem(number, "qualifier", f"not a qualifier name such as sample: {cell['qualifier'][:40]!r}")
        )
    if not cell["justification"].strip():
        problems.append(Problem(number, "justification", "say in one sentence why the mapping holds"))
    if cell["id"] and not MAPPING_ID.fullmatch(cell["id"]):
        problems.append(
            Problem(number, "id", f"not a mapping id such as 5.3-coreInput-instanceVariable: {cell['id'][:80]!r}")
        )
    return problems


def _plan_row(store: Store, plan: ImportPlan, number: int, cell: dict[str, str]) -> None:
    justification = cell["justification"].strip()
    if not cell["id"]:
        new_id = mapping_id(cell["code"], cell["role"], cell["class"], cell["qualifier"] or None)
        try:
            existing = read_mapping(store, new_id)
        except NotFound:
            pass
        else:
            plan.problems.append(
                Problem(number, "id", f"the mapping {new_id} exists ({existing.status}): give its id to change it")
            )
            return
        if cell["status"] not in ("", "proposed"):
            plan.problems.append(Problem(number, "status", "a new mapping starts as proposed"))
            return
        draft = Draft(cell["code"], cell["class"], cell["role"], justification, qualifier=cell["qualifier"] or None)
        plan.row_of[new_id] = number
        plan.operations.append(Operation("create", draft=draft))
        values = [("code", cell["code"]), ("class", cell["class"]), ("qualifier", cell["qualifier"])]
        values += [("role", cell["role"]), ("status", "proposed"), ("justification", justification)]
        plan.changes.append(PlannedChange(number, new_id, "add", tuple(FieldChange(f, "", v) for f, v in values if v)))
        return
    try:
        mapping = read_mapping(store, cell["id"])
    except NotFound:
        plan.problems.append(Problem(number, "id", f"no mapping has the id {cell['id']!r}: leave id empty to add one"))
        return
    now = mapping.to_json()
    wrong = [(column, now[key] or "") for column, key in IDENTITY if (now[key] or "") != cell[column]]
    for column, value in wrong:
        plan.problems.append(
            Problem(number, column, f"{mapping.id} has {column} {value!r}: to map something else, add a row without id")
        )
    if wrong:
        return
    old_status, old_justification = str(now["status"] or ""), str(now["justification"] or "")
    status = cell["status"] or old_status
    plan.row_of[mapping.id] = number
    if justification != old_justification and status in (old_status, "proposed"):
        plan.operations.append(
            Operation("update", id=mapping.id, if_match=mapping.etag, fields={"justification": justification})
        )
        fields: list[FieldChange] = [FieldChange("justification", old_justification, justification)]
        if old_status != "proposed":
            fields.append(FieldChange("status", old_status, "proposed"))
        plan.changes.append(PlannedChange(number, mapping.id, "change", tuple(fields)))
    elif status == old_status:
        return
    elif status == "deprecated" and justification == old_justification:
        plan.operations.append(Operation("deprecate", id=mapping.id, if_match=mapping.etag))
        plan.changes.append(
            PlannedChange(number, mapping.id, "deprecate", (FieldChange("status", old_status, status),))
        )
    elif status == "deprecated":
        plan.problems.append(Problem(number, "status", "deprecate a mapping or change it, not both in one row"))
    else:
        plan.problems.append(
            Problem(
                number,
                "status",
                f"{old_status} -> {status}: an import withdraws (deprecated); a review endorses or rejects",
            )
        )


def check_sheet(store: Store, cat: Catalog, table: SheetTable, *, importer: str, comment: str) -> ImportPlan:
    """Every row checked against the vocabulary and the store; the batch that would bring the store in line."""
    plan = ImportPlan(importer, comment, rows=len(table.rows))
    plan.problems += _check_header(table.header)
    if plan.problems:
        return plan
    words = vocabulary(cat)
    seen: dict[str, int] = {}
    for number, cells in table.rows:
        cell = {name: "" for name in COLUMNS}
        for name, value in zip(table.header, cells, strict=False):
            cell[name] = value if name == "justification" else value.strip()
        problems = _check_values(number, cell, words)
        if problems:
            plan.problems += problems
            continue
        key = cell["id"] or mapping_id(cell["code"], cell["role"], cell["class"], cell["qualifier"] or None)
        if key in seen:
            plan.problems.append(Problem(number, "id" if cell["id"] else "", f"the same mapping as row {seen[key]}"))
            continue
        seen[key] = number
        _plan_row(store, plan, number, cell)
    return plan


def _row_of_operation(plan: ImportPlan, exc: ServiceError) -> int:
    number = exc.details.get("operation")
    if isinstance(number, int) and 0 < number <= len(plan.operations):
        operation = plan.operations[number - 1]
        if operation.id is not None:
            return plan.row_of.get(operation.id, 0)
        draft = operation.draft
        if draft is not None:
            return plan.row_of.get(mapping_id(draft.activity, draft.role, draft.information_class, draft.qualifier), 0)
    return 0


def _shape_problems(plan: ImportPlan, report: list[dict[str, str]]) -> list[Problem]:
    problems = []
    for failure in report:
        mapping = failure.get("focus_node", "").removeprefix(MAPPING_BASE)
        path = failure.get("path", "").rsplit(":", 1)[-1]
        problems.append(
            Problem(plan.row_of.get(mapping, 0), PATH_COLUMNS.get(path, ""), f"{failure['rule']}: {failure['message']}")
        )
    return problems


def preview(store: Store, plan: ImportPlan) -> ImportPlan:
    """The dry run: the batch built and checked against the shapes as the gate would, nothing written; problems
    found are added to the plan."""
    if plan.problems or not plan.operations:
        return plan
    try:
        changes, _ = batch_changes(store, plan.operations, plan.importer, plan.comment)
    except ServiceError as exc:
        plan.problems.append(Problem(_row_of_operation(plan, exc), "", exc.message))
        return plan
    outcome = validate_for_write(store, changes)
    if not outcome.conforms:
        plan.problems += _shape_problems(plan, ChangeRefused.of(outcome.violations).report)
    return plan


def apply_import(store: Store, plan: ImportPlan) -> str | None:
    """Apply the plan as one batch attributed to the importer; the history record's IRI (None: nothing to do).
    Refused (422, nothing written) with every problem when a row is wrong, the shapes included."""
    if plan.problems:
        raise ImportRefused(plan.problems)
    if not plan.operations:
        return None
    try:
        outcome = apply_batch(store, plan.operations, author=plan.importer, comment=plan.comment, action="import")
    except ChangeRefused as exc:
        raise ImportRefused(_shape_problems(plan, exc.report) or [Problem(0, "", exc.message)]) from exc
    except ServiceError as exc:
        if exc.status != 422:
            raise
        raise ImportRefused([Problem(_row_of_operation(plan, exc), "", exc.message)]) from exc
    return outcome.receipt.change_iri
