"""The GSIM-GSBPM mapping, editable: `/api/v1/mappings` (list, read with an ETag, propose, change, deprecate, review,
comment, history).

Reading is public. Writing needs a durable store (503 on the in-memory one) and an account: editors propose, change
and deprecate; reviewers also review, four eyes (not the mapping's last author). A change or a deprecation needs
`If-Match` with the ETag as read: 428 without it, 412 with the current state when it is stale. Every write goes
through the one gate (`editing.gate`): 422 with the report when it breaks a mapping rule, and nothing is written.
Outside the content-versioned `api.router`: answers change with every edit, so they carry the mapping's own ETag.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from ..editing import operations
from ..editing.accounts import Role, User
from ..editing.auth import require_role
from ..editing.gate import EditingUnavailable, durable
from ..editing.history import history_count, history_page
from ..editing.mappings import list_mappings, read_mapping
from ..errors import Unprocessable
from ..state import ServiceState, service_state
from ..store import Store
from .editing_models import (
    MAPPING_ID_EXAMPLE,
    ChangeOut,
    CommentIn,
    MappingCreate,
    MappingOut,
    MappingPatch,
    Review,
    Status,
    WriteOut,
    errors,
)
from .editing_models import (
    Role as MappingRole,
)
from .models import API_PREFIX
from .pagination import Page, PageDep, paginate, window

router = APIRouter(prefix=API_PREFIX, tags=["mappings"])

MappingId = Annotated[
    str,
    Path(
        pattern=r"^[0-9]\.[0-9]{1,2}-[a-z][A-Za-z]{0,40}-[a-z][A-Za-z0-9]{0,79}(-[a-z][A-Za-z0-9]{0,59})?$",
        description="The mapping's id: `{GSBPM code}-{role}-{class}[-{qualifier}]`, role and class in lowerCamelCase.",
        examples=[MAPPING_ID_EXAMPLE],
    ),
]
IfMatch = Annotated[
    str | None,
    Header(description="The ETag of the mapping as you read it (required: 428 without it, 412 when stale)."),
]
NO_STORE = {"Cache-Control": "no-store"}


async def store_for_reading(state: Annotated[ServiceState, Depends(service_state)]) -> Store:
    return state.store


async def store_for_writing(state: Annotated[ServiceState, Depends(service_state)]) -> Store:
    """The store, when it keeps edits (503 on the in-memory store, before any credentials are looked at)."""
    if not durable(state.store):
        raise EditingUnavailable()
    return state.store


ReadStore = Annotated[Store, Depends(store_for_reading)]
WriteStore = Annotated[Store, Depends(store_for_writing)]
Editor = Annotated[User, Depends(require_role(Role.EDITOR))]
Reviewer = Annotated[User, Depends(require_role(Role.REVIEWER))]


def written(outcome: operations.Outcome, *, status: int = 200, location: bool = False) -> JSONResponse:
    body = WriteOut(
        change=outcome.receipt.change_iri,
        revision=outcome.receipt.revision,
        mappings=[MappingOut.of(m) for m in outcome.mappings],
    )
    headers = {**NO_STORE}
    if len(outcome.mappings) == 1:
        headers["ETag"] = outcome.mapping.etag
    if location:
        headers["Location"] = f"{API_PREFIX}/mappings/{outcome.mapping.id}"
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


@router.get(
    "/mappings",
    response_model=Page[MappingOut],
    summary="The GSIM-GSBPM information mappings, filtered and paged",
    responses=errors(422),
)
async def mappings_list(
    request: Request,
    response: Response,
    store: ReadStore,
    page: PageDep,
    activity: Annotated[
        str | None, Query(description="GSBPM code.", examples=["5.3"], pattern=r"^[0-9]\.[0-9]{1,2}$")
    ] = None,
    information_class: Annotated[
        str | None,
        Query(
            alias="class",
            description="GSIM class local name.",
            examples=["InstanceVariable"],
            pattern=r"^[A-Z][A-Za-z0-9]{0,79}$",
        ),
    ] = None,
    role: Annotated[MappingRole | None, Query(description="GSIM process role.")] = None,
    status: Annotated[Status | None, Query(description="Review status.")] = None,
    editor: Annotated[
        str | None,
        Query(description="An account the mapping is attributed to.", pattern=r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$"),
    ] = None,
) -> Page[MappingOut]:
    """Every information mapping (withdrawn ones too, with their status), in id order; each filter narrows."""
    ids = await run_in_threadpool(
        list_mappings,
        store,
        activity=activity,
        information_class=information_class,
        role=role.value if role else None,
        status=status.value if status else None,
        editor=editor,
    )
    cut = window(len(ids), page, request, response)
    items = await run_in_threadpool(lambda: [MappingOut.of(read_mapping(store, i)) for i in ids[cut.start : cut.stop]])
    response.headers.update(NO_STORE)
    return Page(total=len(ids), limit=page.limit, offset=page.offset, next=cut.next, previous=cut.previous, items=items)


@router.get(
    "/mappings/{mapping_id}",
    response_model=MappingOut,
    summary="One mapping, with its ETag",
    responses={304: {"description": "If-None-Match names the current state."}, **errors(404, 422)},
)
async def mapping_detail(mapping_id: MappingId, request: Request, store: ReadStore) -> Response:
    """The mapping as the store holds it now; its `ETag` changes with any change to it (send it in `If-Match`)."""
    mapping = await run_in_threadpool(read_mapping, store, mapping_id)
    headers = {"ETag": mapping.etag, "Cache-Control": "no-cache"}
    if_none_match = request.headers.get("if-none-match", "")
    if mapping.etag in [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]:
        return Response(status_code=304, headers=headers)
    return JSONResponse(MappingOut.of(mapping).model_dump(mode="json"), headers=headers)


@router.post(
    "/mappings",
    status_code=201,
    response_model=WriteOut,
    summary="Propose a new mapping (editors)",
    responses=errors(401, 403, 409, 422, 503),
)
async def mapping_create(body: MappingCreate, store: WriteStore, user: Editor) -> JSONResponse:
    """201 with `Location` and `ETag`: the new mapping has status `proposed` and the caller as its author."""
    outcome = await run_in_threadpool(
        lambda: operations.create_mapping(store, body.draft(), author=user.name, comment=body.comment)
    )
    return written(outcome, status=201, location=True)


@router.patch(
    "/mappings/{mapping_id}",
    response_model=WriteOut,
    summary="Change a mapping (editors; If-Match required)",
    responses=errors(401, 403, 404, 412, 422, 428, 503),
)
async def mapping_update(
    mapping_id: MappingId, body: MappingPatch, store: WriteStore, user: Editor, if_match: IfMatch = None
) -> JSONResponse:
    """The fields given change; an endorsed or rejected mapping goes back to `proposed` for review."""
    fields = body.fields()
    if not fields:
        raise Unprocessable("give at least one field to change: justification, qualifier, flow_boundary, sources")
    outcome = await run_in_threadpool(
        lambda: operations.update_mapping(store, mapping_id, if_match, fields, author=user.name, comment=body.comment)
    )
    return written(outcome)


@router.delete(
    "/mappings/{mapping_id}",
    response_model=WriteOut,
    summary="Deprecate a mapping (editors; If-Match required)",
    responses=errors(401, 403, 404, 412, 422, 428, 503),
)
async def mapping_deprecate(
    mapping_id: MappingId,
    store: WriteStore,
    user: Editor,
    comment: Annotated[
        str, Query(min_length=1, max_length=5000, description="Why it is withdrawn.", examples=["a duplicate"])
    ],
    replaced_by: Annotated[str | None, Query(description="The id of the mapping that replaces it.")] = None,
    if_match: IfMatch = None,
) -> JSONResponse:
    """The mapping stays resolvable with status `deprecated`, a change note and its history."""
    outcome = await run_in_threadpool(
        lambda: operations.deprecate_mapping(
            store, mapping_id, if_match, author=user.name, comment=comment, replaced_by=replaced_by
        )
    )
    return written(outcome)


@router.post(
    "/mappings/{mapping_id}/review",
    response_model=WriteOut,
    summary="Endorse or reject a proposed mapping (reviewers, four eyes)",
    responses=errors(401, 403, 404, 412, 422, 503),
)
async def mapping_review(
    mapping_id: MappingId, body: Review, store: WriteStore, user: Reviewer, if_match: IfMatch = None
) -> JSONResponse:
    """`proposed` -> `endorsed` or `rejected`, by a reviewer who did not make the mapping's last change (403)."""
    outcome = await run_in_threadpool(
        lambda: operations.review_mapping(
            store, mapping_id, body.decision, reviewer=user.name, comment=body.comment, if_match=if_match
        )
    )
    return written(outcome)


@router.post(
    "/mappings/{mapping_id}/comments",
    status_code=201,
    response_model=WriteOut,
    summary="Comment on a mapping (editors)",
    responses=errors(401, 403, 404, 422, 503),
)
async def mapping_comment(mapping_id: MappingId, body: CommentIn, store: WriteStore, user: Editor) -> JSONResponse:
    """The comment joins the mapping's thread (and its history); the mapping itself is unchanged."""
    outcome = await run_in_threadpool(
        lambda: operations.comment_on(store, mapping_id, author=user.name, comment=body.comment)
    )
    return written(outcome, status=201)


async def _records(
    request: Request,
    response: Response,
    store: Store,
    page: PageDep,
    *,
    target: str,
    actions: tuple[str, ...] = (),
    oldest_first: bool = False,
) -> Page[ChangeOut]:
    total = await run_in_threadpool(history_count, store, target=target, actions=actions)
    cut = window(total, page, request, response)
    records = await run_in_threadpool(
        lambda: history_page(
            store,
            target=target,
            actions=actions,
            limit=cut.stop - cut.start,
            offset=cut.start,
            oldest_first=oldest_first,
        )
    )
    response.headers.update(NO_STORE)
    items = [ChangeOut.of(r) for r in records]
    return Page(total=total, limit=page.limit, offset=page.offset, next=cut.next, previous=cut.previous, items=items)


@router.get(
    "/mappings/{mapping_id}/comments",
    response_model=Page[ChangeOut],
    summary="The comment thread of a mapping, oldest first",
    responses=errors(404, 422),
)
async def mapping_comments(
    mapping_id: MappingId, request: Request, response: Response, store: ReadStore, page: PageDep
) -> Page[ChangeOut]:
    """Comments and reviews (with their comments) on the mapping, in the order they were made."""
    mapping = await run_in_threadpool(read_mapping, store, mapping_id)
    return await _records(
        request, response, store, page, target=mapping.iri, actions=("comment", "review"), oldest_first=True
    )


@router.get(
    "/mappings/{mapping_id}/history",
    response_model=Page[ChangeOut],
    summary="Every recorded change of a mapping, newest first",
    responses=errors(404, 422),
)
async def mapping_history(
    mapping_id: MappingId, request: Request, response: Response, store: ReadStore, page: PageDep
) -> Page[ChangeOut]:
    """Who changed the mapping, when, why, and the statements removed and added (N-Quads)."""
    mapping = await run_in_threadpool(read_mapping, store, mapping_id)
    return await _records(request, response, store, page, target=mapping.iri)


__all__ = ["Page", "paginate", "router"]
