"""The mapping operations as the JSON API and the forms call them: read, check the caller's ETag, build the change,
send it through the gate; no HTTP here.

No lost or silent overwrite: an update or a delete names the state it was made against (`If-Match`, the mapping's
ETag): a missing one is refused (428), a stale one too (412, with the current state). The check and the write are
one step: the change is submitted on condition that the store is still at the revision the mapping was read at;
when another write came in between, the mapping is read again and, if it is still the state the caller saw (the
other write was about something else), the change is built again and resubmitted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pyoxigraph as ox

from ..errors import ServiceError, Unprocessable
from ..store import ChangeSet, Store
from .editable import ATTEMPTS, PreconditionRequired, checked_write, require_match, stale
from .editable import matches as _matches
from .gate import Receipt, StaleChange, Submission, submit
from .mapping_changes import Draft, build_create, build_deprecate, build_review, build_update
from .mappings import MAPPING_BASE, Mapping, read_mapping

__all__ = [
    "Operation",
    "Outcome",
    "PreconditionRequired",
    "apply_batch",
    "batch_changes",
    "comment_on",
    "create_mapping",
    "deprecate_mapping",
    "review_mapping",
    "update_mapping",
]


@dataclass(frozen=True)
class Outcome:
    """What a write did: the receipt of the gate and the mapping(s) as they are now."""

    receipt: Receipt
    mappings: tuple[Mapping, ...]

    @property
    def mapping(self) -> Mapping:
        return self.mappings[0]


def _require_match(mapping_id: str, if_match: str | None) -> None:
    require_match(mapping_id, f"/api/v1/mappings/{mapping_id}", if_match)


def _now() -> datetime:
    return datetime.now(UTC)


def _checked_write(
    store: Store,
    mapping_id: str,
    if_match: str | None,
    build: Callable[[Mapping], ChangeSet],
    *,
    author: str,
    comment: str,
    action: str,
) -> Outcome:
    receipt, mapping = checked_write(
        store, lambda: read_mapping(store, mapping_id), if_match, build, author=author, comment=comment, action=action
    )
    return Outcome(receipt, (mapping,))


def create_mapping(store: Store, draft: Draft, *, author: str, comment: str) -> Outcome:
    """A new mapping; 409 when one exists at its IRI (also when another request created it a moment before)."""
    for attempt in range(ATTEMPTS):
        revision = store.revision()
        new_id, changes = build_create(store, draft, author, _now())
        submission = Submission(changes, author, comment, "create", (MAPPING_BASE + new_id,))
        try:
            receipt = submit(store, submission, expect_revision=revision)
        except StaleChange:
            if attempt == ATTEMPTS - 1:
                raise
            continue
        return Outcome(receipt, (read_mapping(store, new_id),))
    raise AssertionError("unreachable")  # pragma: no cover


def update_mapping(
    store: Store, mapping_id: str, if_match: str | None, fields: dict[str, Any], *, author: str, comment: str
) -> Outcome:
    _require_match(mapping_id, if_match)
    return _checked_write(
        store,
        mapping_id,
        if_match,
        lambda m: build_update(m, author, _now(), **fields),
        author=author,
        comment=comment,
        action="update",
    )


def deprecate_mapping(
    store: Store, mapping_id: str, if_match: str | None, *, author: str, comment: str, replaced_by: str | None = None
) -> Outcome:
    _require_match(mapping_id, if_match)
    return _checked_write(
        store,
        mapping_id,
        if_match,
        lambda m: build_deprecate(m, author, _now(), reason=comment, replaced_by=replaced_by),
        author=author,
        comment=comment,
        action="deprecate",
    )


def review_mapping(
    store: Store, mapping_id: str, decision: str, *, reviewer: str, comment: str, if_match: str | None = None
) -> Outcome:
    return _checked_write(
        store,
        mapping_id,
        if_match,
        lambda m: build_review(store, m, reviewer, decision),
        author=reviewer,
        comment=comment,
        action="review",
    )


def comment_on(store: Store, mapping_id: str, *, author: str, comment: str) -> Outcome:
    """A comment: a history record about the mapping that changes nothing."""
    mapping = read_mapping(store, mapping_id)
    receipt = submit(store, Submission(ChangeSet(), author, comment, "comment", (mapping.iri,)))
    return Outcome(receipt, (mapping,))


@dataclass(frozen=True)
class Operation:
    """One operation of a batch: `create` (with `draft`), `update` (with `fields`) or `deprecate`."""

    op: str
    draft: Draft | None = None
    id: str | None = None
    if_match: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    replaced_by: str | None = None


def batch_changes(
    store: Store, operations: Sequence[Operation], author: str, comment: str
) -> tuple[ChangeSet, list[str]]:
    """The one change of all the operations, and the ids they touch, in order (nothing written); a refused
    operation raises with `details["operation"]`, its number counted from 1."""
    add: set[ox.Quad] = set()
    remove: set[ox.Quad] = set()
    ids: list[str] = []
    now = _now()
    for number, operation in enumerate(operations, start=1):
        try:
            if operation.op == "create" and operation.draft is not None:
                mapping_id, changes = build_create(store, operation.draft, author, now)
            elif operation.op in ("update", "deprecate") and operation.id is not None:
                mapping_id = operation.id
                _require_match(mapping_id, operation.if_match)
                mapping = read_mapping(store, mapping_id)
                if not _matches(operation.if_match, mapping):
                    raise stale(mapping)
                if operation.op == "update":
                    changes = build_update(mapping, author, now, **operation.fields)
                else:
                    changes = build_deprecate(mapping, author, now, reason=comment, replaced_by=operation.replaced_by)
            else:
                raise Unprocessable(
                    f"operation {number}: op is create (with the mapping), update or deprecate (with id)"
                )
        except ServiceError as exc:
            exc.message = f"operation {number}: {exc.message}"
            exc.args = (exc.message,)
            exc.details.setdefault("operation", number)
            raise
        if mapping_id in ids:
            raise Unprocessable(f"operation {number}: {mapping_id} is already changed by this batch; merge the two")
        ids.append(mapping_id)
        add |= changes.add
        remove |= changes.remove
    return ChangeSet.of(add=add, remove=remove), ids


def apply_batch(
    store: Store, operations: Sequence[Operation], *, author: str, comment: str, action: str = "batch"
) -> Outcome:
    """All the operations in one change (one validation, one transaction, one history record), or none; `action`
    names it in the history (`batch`, or `import` for a spreadsheet)."""
    if not operations:
        raise Unprocessable("operations: give at least one")
    for attempt in range(ATTEMPTS):
        revision = store.revision()
        changes, ids = batch_changes(store, operations, author, comment)
        targets = tuple(MAPPING_BASE + i for i in ids)
        try:
            receipt = submit(store, Submission(changes, author, comment, action, targets), expect_revision=revision)
        except StaleChange:
            if attempt == ATTEMPTS - 1:
                raise
            continue
        return Outcome(receipt, tuple(read_mapping(store, i) for i in ids))
    raise AssertionError("unreachable")  # pragma: no cover
