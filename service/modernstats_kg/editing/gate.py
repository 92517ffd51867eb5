"""The one gate every write goes through (forms, the JSON API, batches, SPARQL Update, imports).

    receipt = submit(store, Submission(changes, author="alice", comment="why", action="update", targets=(iri,)))

refuse writes to the history graph -> validate the graph as it would be after the change with the SHACL shapes
(only what the change can affect when it is about mappings, tasks or organisations: `validation.scoped`) -> apply
the change and its history record in one `Store.apply` (one transaction) -> the receipt. A change that breaks a
shape is refused with 422 and the report, and nothing is written. Writes are serialised by one lock per process;
`expect_revision` makes a write conditional on the store revision (412 when another write came first).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pyoxigraph import NamedNode

from ..errors import ServiceError, ServiceUnavailable, Unprocessable
from ..store import ChangeRejected, ChangeSet, EmbeddedStore, StaleRevision, Store
from ..validation.report import Result
from ..validation.scoped import validate_for_write
from .history import HISTORY_GRAPH, new_change_iri, record_quads

__all__ = [
    "ACTIONS",
    "ChangeRefused",
    "EditingUnavailable",
    "Receipt",
    "StaleChange",
    "Submission",
    "durable",
    "submit",
]

ACTIONS = frozenset({"create", "update", "deprecate", "review", "comment", "batch", "sparql-update", "import"})
MAX_COMMENT = 5000


@dataclass(frozen=True)
class Submission:
    changes: ChangeSet  # quads to remove, quads to add (named graphs)
    author: str  # the account name (editing.accounts.User.name)
    comment: str  # why (required, non-empty)
    action: str  # one of ACTIONS
    targets: tuple[str, ...] = ()  # IRIs of the resources the change is about (mappings, tasks...)


@dataclass(frozen=True)
class Receipt:
    change_iri: str  # the history record of this change (a prov:Activity)
    revision: str  # the store revision after the change
    at: datetime  # UTC


def _failure(result: Result) -> dict[str, str]:
    return {
        "focus_node": result.focus_node,
        "focus": result.focus,
        "graph": result.file,
        "shape": result.shape,
        "rule": result.rule,
        "path": result.path,
        "value": result.value,
        "message": result.message,
    }


class ChangeRefused(Unprocessable):
    """422: the change breaks a shape (or is not a change the gate accepts); `report` lists each failure: shape,
    focus node, message (in words)."""

    def __init__(self, message: str, *, report: list[dict[str, str]] | None = None, **details: Any):
        self.report = report or []
        super().__init__(message, report=self.report, **details)

    @classmethod
    def of(cls, violations: list[Result]) -> ChangeRefused:
        lines = "; ".join(f"{r.focus}: {r.rule}: {r.message}" for r in violations[:5])
        more = f" (and {len(violations) - 5} more)" if len(violations) > 5 else ""
        return cls(
            f"the change breaks the mapping rules, nothing was written: {lines}{more}",
            report=[_failure(r) for r in violations],
        )


class StaleChange(ServiceError):
    """412: the change was made against an older state; carries the current state when the caller gives it."""

    status = 412

    def __init__(self, message: str, *, current: Any = None, headers: dict[str, str] | None = None):
        self.current = current
        super().__init__(message, headers=headers, current=current)


class EditingUnavailable(ServiceUnavailable):
    """503: the store cannot keep edits (in memory); the message says how to start a durable one."""

    def __init__(self, message: str | None = None):
        super().__init__(
            message
            or "editing needs a durable store and this service keeps its graph in memory: start it with "
            "`mskg serve --store DIR` (or MSKG_STORE=DIR), where DIR is a folder that keeps the store, the accounts "
            "and the history of changes"
        )


def durable(store: Store) -> bool:
    """True when edits survive a restart: an on-disk or remote store, not the in-memory one."""
    return not (isinstance(store, EmbeddedStore) and store.path is None)


_write_lock = threading.Lock()


def check_submission(submission: Submission) -> None:
    """Refuse what no gate should let through, whatever the shapes say (422)."""
    if submission.action not in ACTIONS:
        raise ChangeRefused(f"unknown action {submission.action!r}: one of {', '.join(sorted(ACTIONS))}")
    if not submission.comment.strip():
        raise ChangeRefused("say why: the comment of a change cannot be empty")
    if len(submission.comment) > MAX_COMMENT:
        raise ChangeRefused(f"the comment is longer than {MAX_COMMENT} characters")
    if not submission.author:
        raise ChangeRefused("a change needs an author")
    for target in submission.targets:
        try:
            NamedNode(target)
        except ValueError:
            raise ChangeRefused(f"a change is about resources named by IRIs, not {target!r}") from None
    if HISTORY_GRAPH in submission.changes.graphs:
        raise ChangeRefused(
            f"the history graph <{HISTORY_GRAPH}> is written only by the service itself: it records every change "
            "and cannot be changed"
        )


def submit(store: Store, submission: Submission, *, expect_revision: str | None = None) -> Receipt:
    """The one gate: refuse writes to the history graph -> validate the graph as it would be after the change ->
    apply the change AND its history record in ONE `Store.apply` -> the receipt. Writes are serialised (one lock
    per process); with `expect_revision`, 412 unless the store is still at that revision."""
    if not durable(store):
        raise EditingUnavailable()
    check_submission(submission)
    with _write_lock:
        if expect_revision is not None and store.revision() != expect_revision:
            raise StaleChange("the store changed since you read it: read it again and redo the change")
        if submission.changes:
            outcome = validate_for_write(store, submission.changes)
            if not outcome.conforms:
                raise ChangeRefused.of(outcome.violations)
        at = datetime.now(UTC)
        change_iri = new_change_iri()
        record = record_quads(
            change_iri,
            changes=submission.changes,
            author=submission.author,
            comment=submission.comment,
            action=submission.action,
            targets=submission.targets,
            at=at,
        )
        combined = ChangeSet(add=submission.changes.add | frozenset(record), remove=submission.changes.remove)
        try:
            revision = store.apply(combined, expect_revision=expect_revision)
        except StaleRevision as exc:  # another replica wrote first: the store checked, in the same request
            raise StaleChange("the store changed since you read it: read it again and redo the change") from exc
        except ChangeRejected as exc:
            raise ChangeRefused(f"the store refused the change, nothing was written: {exc}") from exc
    return Receipt(change_iri, revision, at)
