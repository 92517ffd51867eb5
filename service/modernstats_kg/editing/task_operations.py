"""The contributed-task operations as the JSON API, the form and the spreadsheet import call them: check that the
account acts for the organisation, read, check the caller's ETag, build the change, send it through the gate.
No HTTP here. The ETag, If-Match, retry and review rules are those of every editable resource (`editing.editable`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pyoxigraph as ox

from ..errors import ServiceError, Unprocessable
from ..store import ChangeSet, Store
from .accounts import User
from .editable import checked_write, require_match, retrying
from .gate import Receipt, Submission, submit
from .organizations import check_acts_for
from .tasks import (
    TASK_BASE,
    ContributedTask,
    TaskDraft,
    build_task_create,
    build_task_deprecate,
    build_task_review,
    build_task_update,
    read_task,
)

__all__ = ["TaskOutcome", "build_import", "create_task", "deprecate_task", "import_tasks", "review_task", "update_task"]


@dataclass(frozen=True)
class TaskOutcome:
    """What a write did: the receipt of the gate and the task(s) as they are now."""

    receipt: Receipt
    tasks: tuple[ContributedTask, ...]

    @property
    def task(self) -> ContributedTask:
        return self.tasks[0]


def _now() -> datetime:
    return datetime.now(UTC)


def create_task(store: Store, draft: TaskDraft, *, user: User, comment: str) -> TaskOutcome:
    """A new task of the account's organisation (403 for another's; 409 when one exists at its IRI)."""
    check_acts_for(user, draft.organization)
    created: list[str] = []

    def attempt(revision: str) -> Receipt:
        new_id, changes = build_task_create(store, draft, user.name, _now())
        created[:] = [new_id]
        return submit(
            store, Submission(changes, user.name, comment, "create", (TASK_BASE + new_id,)), expect_revision=revision
        )

    receipt = retrying(store, attempt)
    return TaskOutcome(receipt, (read_task(store, created[0]),))


def _require(task_id: str, if_match: str | None) -> None:
    require_match(task_id, f"/api/v1/tasks/{task_id}", if_match)


def update_task(
    store: Store, task_id: str, if_match: str | None, fields: dict[str, Any], *, user: User, comment: str
) -> TaskOutcome:
    check_acts_for(user, read_task(store, task_id).organization)
    _require(task_id, if_match)
    receipt, task = checked_write(
        store,
        lambda: read_task(store, task_id),
        if_match,
        lambda t: build_task_update(store, t, user.name, _now(), **fields),
        author=user.name,
        comment=comment,
        action="update",
    )
    return TaskOutcome(receipt, (task,))


def deprecate_task(store: Store, task_id: str, if_match: str | None, *, user: User, comment: str) -> TaskOutcome:
    check_acts_for(user, read_task(store, task_id).organization)
    _require(task_id, if_match)
    receipt, task = checked_write(
        store,
        lambda: read_task(store, task_id),
        if_match,
        lambda t: build_task_deprecate(t, user.name, _now(), reason=comment),
        author=user.name,
        comment=comment,
        action="deprecate",
    )
    return TaskOutcome(receipt, (task,))


def review_task(
    store: Store, task_id: str, decision: str, *, reviewer: str, comment: str, if_match: str | None = None
) -> TaskOutcome:
    receipt, task = checked_write(
        store,
        lambda: read_task(store, task_id),
        if_match,
        lambda t: build_task_review(store, t, reviewer, decision),
        author=reviewer,
        comment=comment,
        action="review",
    )
    return TaskOutcome(receipt, (task,))


def build_import(store: Store, drafts: Sequence[TaskDraft], user: User) -> tuple[list[str], ChangeSet]:
    """The ids and the one change that adds every draft; a problem names the draft's number (1 = the first)."""
    if not drafts:
        raise Unprocessable("no tasks to import")
    add: set[ox.Quad] = set()
    ids: list[str] = []
    now = _now()
    for number, draft in enumerate(drafts, start=1):
        try:
            check_acts_for(user, draft.organization)
            new_id, changes = build_task_create(store, draft, user.name, now)
        except ServiceError as exc:
            exc.message = f"task {number}: {exc.message}"
            exc.args = (exc.message,)
            exc.details.setdefault("task", number)
            raise
        if new_id in ids:
            raise Unprocessable(f"task {number}: {new_id} is given twice", task=number)
        ids.append(new_id)
        add |= changes.add
    return ids, ChangeSet.of(add=add)


def import_tasks(store: Store, drafts: Sequence[TaskDraft], *, user: User, comment: str) -> TaskOutcome:
    """Every draft as one change (one validation, one transaction, one history record `import`), or none."""
    ids: list[str] = []

    def attempt(revision: str) -> Receipt:
        made, changes = build_import(store, drafts, user)
        ids[:] = made
        submission = Submission(changes, user.name, comment, "import", tuple(TASK_BASE + i for i in made))
        return submit(store, submission, expect_revision=revision)

    receipt = retrying(store, attempt)
    return TaskOutcome(receipt, tuple(read_task(store, i) for i in ids))
