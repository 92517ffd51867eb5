"""`/api/v1/changes`: the recorded changes, newest first (to follow the work), and batches of mapping operations
applied all or nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from ..editing import operations
from ..editing.history import history_count, history_page
from ..errors import Unprocessable
from .editing_models import Batch, BatchOperation, ChangeOut, WriteOut, errors
from .mappings import NO_STORE, Editor, ReadStore, WriteStore, written
from .models import API_PREFIX
from .pagination import Page, PageDep, window

router = APIRouter(prefix=API_PREFIX, tags=["changes"])


@router.get(
    "/changes",
    response_model=Page[ChangeOut],
    summary="Every recorded change, newest first",
    responses=errors(422),
)
async def changes_list(
    request: Request,
    response: Response,
    store: ReadStore,
    page: PageDep,
    since: Annotated[
        datetime | None,
        Query(
            description="Only changes made after this time (ISO 8601, with a time zone).",
            examples=["2027-01-01T00:00:00Z"],
        ),
    ] = None,
) -> Page[ChangeOut]:
    """Who changed what, when and why, with the statements removed and added (N-Quads); also as `/changes.atom`."""
    if since is not None and since.tzinfo is None:
        raise Unprocessable("since: give a time zone (e.g. 2027-01-01T00:00:00Z)")
    total = await run_in_threadpool(history_count, store, since=since)
    cut = window(total, page, request, response)
    records = await run_in_threadpool(
        lambda: history_page(store, since=since, limit=cut.stop - cut.start, offset=cut.start)
    )
    response.headers.update(NO_STORE)
    items = [ChangeOut.of(r) for r in records]
    return Page(total=total, limit=page.limit, offset=page.offset, next=cut.next, previous=cut.previous, items=items)


def _operation(number: int, item: BatchOperation) -> operations.Operation:
    if item.op == "create":
        if item.mapping is None:
            raise Unprocessable(f"operation {number}: a create needs `mapping`")
        return operations.Operation("create", draft=item.mapping.draft())
    if item.id is None:
        raise Unprocessable(f"operation {number}: an {item.op} needs `id` (and `if_match`)")
    fields = item.changes.fields() if item.changes is not None else {}
    if item.op == "update" and not fields:
        raise Unprocessable(f"operation {number}: an update needs `changes` with at least one field")
    return operations.Operation(
        item.op, id=item.id, if_match=item.if_match, fields=fields, replaced_by=item.replaced_by
    )


@router.post(
    "/changes",
    response_model=WriteOut,
    summary="Apply a batch of mapping operations, all or nothing (editors)",
    responses=errors(401, 403, 404, 409, 412, 422, 428, 503),
)
async def changes_batch(body: Batch, store: WriteStore, user: Editor) -> JSONResponse:
    """Creates, updates (with `if_match`) and deprecations (with `if_match`), validated together and written in one
    transaction with one history record; if any one is refused (the error names it), none is applied."""
    batch = [_operation(number, item) for number, item in enumerate(body.operations, start=1)]
    outcome = await run_in_threadpool(
        lambda: operations.apply_batch(store, batch, author=user.name, comment=body.comment)
    )
    return written(outcome)


__all__ = ["WriteOut", "router"]
