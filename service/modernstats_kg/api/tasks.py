"""Level-3 tasks contributed by statistical organisations, editable: `/api/v1/tasks` (list, read with an ETag,
submit, change, deprecate, review, history) and `/api/v1/organizations` (list; register: admins).

Reading is public. Writing needs a durable store (503 in memory) and an account that acts for the organisation
(403 otherwise; admins act for any): editors submit, change and deprecate; reviewers also review, four eyes. A change
or a deprecation needs `If-Match` (428 without it, 412 when stale). Every write goes through the one gate: the task
shapes judge it (422 with the report) and the history records it. The ETag and review rules are the mappings' own
(`editing.editable`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from ..editing import task_operations
from ..editing.accounts import Role, User
from ..editing.auth import require_role
from ..editing.organizations import list_organizations, register_organization
from ..editing.tasks import list_tasks, read_task, task_id
from ..errors import Unprocessable
from .editing_models import ChangeOut, Review, Status, errors
from .mappings import NO_STORE, IfMatch, ReadStore, WriteStore, _records
from .models import API_PREFIX
from .pagination import Page, PageDep, window
from .task_models import OrganizationIn, OrganizationOut, TaskCreate, TaskOut, TaskPatch, TaskWriteOut

router = APIRouter(prefix=API_PREFIX, tags=["contributed tasks"])

OrgCode = Annotated[
    str, Path(pattern=r"^[a-z][a-z0-9-]{1,31}$", description="The organisation's code.", examples=["nso"])
]
TaskCode = Annotated[
    str, Path(pattern=r"^[1-8]\.[1-9][0-9]?\.[1-9][0-9]{0,2}$", description="The task's code.", examples=["5.3.2"])
]
Editor = Annotated[User, Depends(require_role(Role.EDITOR))]
Reviewer = Annotated[User, Depends(require_role(Role.REVIEWER))]
Admin = Annotated[User, Depends(require_role(Role.ADMIN))]


def written(outcome: task_operations.TaskOutcome, *, status: int = 200, location: bool = False) -> JSONResponse:
    body = TaskWriteOut(
        change=outcome.receipt.change_iri,
        revision=outcome.receipt.revision,
        tasks=[TaskOut.of(t) for t in outcome.tasks],
    )
    headers = {**NO_STORE}
    if len(outcome.tasks) == 1:
        headers["ETag"] = outcome.task.etag
    if location:
        headers["Location"] = f"{API_PREFIX}/tasks/{outcome.task.id}"
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


@router.get(
    "/tasks", response_model=Page[TaskOut], summary="Contributed tasks, filtered and paged", responses=errors(422)
)
async def tasks_list(
    request: Request,
    response: Response,
    store: ReadStore,
    page: PageDep,
    subprocess: Annotated[
        str | None, Query(pattern=r"^[1-8]\.[1-9][0-9]?$", description="GSBPM sub-process code.", examples=["5.3"])
    ] = None,
    organization: Annotated[
        str | None,
        Query(pattern=r"^[a-z][a-z0-9-]{1,31}$", description="The organisation's code.", examples=["nso"]),
    ] = None,
    status: Annotated[Status | None, Query(description="Review status.")] = None,
) -> Page[TaskOut]:
    """Every contributed task (withdrawn ones too, with their status), in id order; each filter narrows."""
    ids = await run_in_threadpool(
        lambda: list_tasks(
            store, subprocess=subprocess, organization=organization, status=status.value if status else None
        )
    )
    cut = window(len(ids), page, request, response)
    items = await run_in_threadpool(lambda: [TaskOut.of(read_task(store, i)) for i in ids[cut.start : cut.stop]])
    response.headers.update(NO_STORE)
    return Page(total=len(ids), limit=page.limit, offset=page.offset, next=cut.next, previous=cut.previous, items=items)


@router.get(
    "/tasks/{organization}/{code}",
    response_model=TaskOut,
    summary="One contributed task, with its ETag",
    responses={304: {"description": "If-None-Match names the current state."}, **errors(404, 422)},
)
async def task_detail(organization: OrgCode, code: TaskCode, request: Request, store: ReadStore) -> Response:
    """The task as the store holds it now; its `ETag` changes with any change to it (send it in `If-Match`)."""
    task = await run_in_threadpool(read_task, store, task_id(organization, code))
    headers = {"ETag": task.etag, "Cache-Control": "no-cache"}
    if task.etag in [tag.strip().removeprefix("W/") for tag in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    return JSONResponse(TaskOut.of(task).model_dump(mode="json"), headers=headers)


@router.post(
    "/tasks",
    status_code=201,
    response_model=TaskWriteOut,
    summary="Submit a task for a sub-process (editors, for their organisation)",
    responses=errors(401, 403, 409, 422, 503),
)
async def task_create(body: TaskCreate, store: WriteStore, user: Editor) -> JSONResponse:
    """201 with `Location` and `ETag`: the task has status `proposed`, the organisation and the caller as author."""
    outcome = await run_in_threadpool(
        lambda: task_operations.create_task(store, body.draft(), user=user, comment=body.comment)
    )
    return written(outcome, status=201, location=True)


@router.patch(
    "/tasks/{organization}/{code}",
    response_model=TaskWriteOut,
    summary="Change a task (its organisation's editors; If-Match required)",
    responses=errors(401, 403, 404, 412, 422, 428, 503),
)
async def task_update(
    organization: OrgCode, code: TaskCode, body: TaskPatch, store: WriteStore, user: Editor, if_match: IfMatch = None
) -> JSONResponse:
    """The fields given change (name and description in `language`); an endorsed or rejected task goes back to
    `proposed` for review."""
    fields = body.fields()
    if not fields:
        raise Unprocessable("give at least one field to change: name, description, inputs, outputs")
    outcome = await run_in_threadpool(
        lambda: task_operations.update_task(
            store, task_id(organization, code), if_match, fields, user=user, comment=body.comment
        )
    )
    return written(outcome)


@router.delete(
    "/tasks/{organization}/{code}",
    response_model=TaskWriteOut,
    summary="Deprecate a task (its organisation's editors; If-Match required)",
    responses=errors(401, 403, 404, 412, 422, 428, 503),
)
async def task_deprecate(
    organization: OrgCode,
    code: TaskCode,
    store: WriteStore,
    user: Editor,
    comment: Annotated[
        str, Query(min_length=1, max_length=5000, description="Why it is withdrawn.", examples=["a duplicate"])
    ],
    if_match: IfMatch = None,
) -> JSONResponse:
    """The task stays resolvable with status `deprecated`, a change note and its history."""
    outcome = await run_in_threadpool(
        lambda: task_operations.deprecate_task(store, task_id(organization, code), if_match, user=user, comment=comment)
    )
    return written(outcome)


@router.post(
    "/tasks/{organization}/{code}/review",
    response_model=TaskWriteOut,
    summary="Endorse or reject a proposed task (reviewers, four eyes)",
    responses=errors(401, 403, 404, 412, 422, 503),
)
async def task_review(
    organization: OrgCode, code: TaskCode, body: Review, store: WriteStore, user: Reviewer, if_match: IfMatch = None
) -> JSONResponse:
    """`proposed` -> `endorsed` or `rejected`, by a reviewer who did not make the task's last change (403)."""
    outcome = await run_in_threadpool(
        lambda: task_operations.review_task(
            store,
            task_id(organization, code),
            body.decision,
            reviewer=user.name,
            comment=body.comment,
            if_match=if_match,
        )
    )
    return written(outcome)


@router.get(
    "/tasks/{organization}/{code}/history",
    response_model=Page[ChangeOut],
    summary="Every recorded change of a task, newest first",
    responses=errors(404, 422),
)
async def task_history(
    organization: OrgCode, code: TaskCode, request: Request, response: Response, store: ReadStore, page: PageDep
) -> Page[ChangeOut]:
    """Who changed the task, when, why, and the statements removed and added (N-Quads)."""
    task = await run_in_threadpool(read_task, store, task_id(organization, code))
    return await _records(request, response, store, page, target=task.iri)


@router.get("/organizations", response_model=list[OrganizationOut], summary="The registered statistical organisations")
async def organizations_list(response: Response, store: ReadStore) -> list[OrganizationOut]:
    """Every registered organisation in code order: its code (used in IRIs), kind, name and country."""
    response.headers.update(NO_STORE)
    return [OrganizationOut.of(o) for o in await run_in_threadpool(list_organizations, store)]


@router.post(
    "/organizations",
    status_code=201,
    response_model=OrganizationOut,
    summary="Register a statistical organisation (admins)",
    responses=errors(401, 403, 409, 422, 503),
)
async def organization_register(body: OrganizationIn, store: WriteStore, user: Admin) -> JSONResponse:
    """A new national statistical institute or international agency, through the gate (recorded in the history)."""
    _, organization = await run_in_threadpool(
        lambda: register_organization(
            store, body.code, body.kind, body.name, body.country, author=user.name, comment=body.comment
        )
    )
    return JSONResponse(OrganizationOut.of(organization).model_dump(mode="json"), status_code=201, headers=NO_STORE)
