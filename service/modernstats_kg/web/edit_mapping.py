"""The editing page of one mapping, `/edit/mappings/{id}`: its current fields and status, its history (who, when,
what, why, what changed) and its comment thread, and the forms the viewer may use: change (carrying the ETag the
form was made from), deprecate, review (reviewers who are not the last author) and comment.

The public page of the mapping IRI stays public and cached; this page is per user (`Cache-Control: no-store`) and
readable without an account (the forms then give way to a login link). Every post goes through the operations the
JSON API uses (`editing.operations`, so through the one gate), with the session's CSRF token: a success answers 303
to this page, a stale ETag 412 with the conflict page (`edit_conflict`), a refused change the form again with the
report and the user's input.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ..editing import operations
from ..editing.accounts import Role, User
from ..editing.auth import accounts_of_app, require_role
from ..editing.gate import ChangeRefused, StaleChange
from ..editing.history import ChangeRecord, history_page, parse_nquads
from ..editing.mapping_changes import last_author
from ..editing.mappings import FLOW_BOUNDARIES, Mapping, activity_iri, read_mapping
from ..editing.sessions import CSRF_FIELD, Session, find_session
from ..errors import ServiceError, ServiceUnavailable
from ..store import Store
from .edit_conflict import conflict_page
from .editing_forms import WritableStore, field, personal
from .editing_strings import editing_strings
from .i18n import interface_lang
from .paths import page_url
from .templating import render

router = APIRouter(include_in_schema=False)

Editor = Annotated[User, Depends(require_role(Role.EDITOR))]
Reviewer = Annotated[User, Depends(require_role(Role.REVIEWER))]
HISTORY_LIMIT = 200
GSIM_PAGE = "/def/gsim/"


def mapping_page_url(mapping_id: str) -> str:
    return f"/edit/mappings/{mapping_id}"


async def optional_session(request: Request) -> Session | None:
    """The viewer's session, or None: anonymous, or a service without accounts (the page is still readable)."""
    session_id = request.cookies.get("mskg_session")
    if not session_id:
        return None
    try:
        accounts = accounts_of_app(request.app)
    except ServiceUnavailable:
        return None
    return find_session(accounts, session_id)


OptionalSession = Annotated[Session | None, Depends(optional_session)]


def _short(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def changes_in(record: ChangeRecord) -> list[tuple[str, str, str]]:
    """(removed|added, property, value) for each statement a change removed or added, removed first."""
    lines: list[tuple[str, str, str]] = []
    for sign, text in (("removed", record.removed), ("added", record.added)):
        for quad in parse_nquads(text):
            obj = quad.object
            value = obj.value if hasattr(obj, "value") else str(obj)
            lines.append((sign, _short(quad.predicate.value), value))
    return lines


def _view(store: Store, mapping_id: str) -> dict[str, Any]:
    mapping = read_mapping(store, mapping_id)
    history = history_page(store, target=mapping.iri, limit=HISTORY_LIMIT)
    thread = history_page(
        store, target=mapping.iri, actions=("comment", "review"), oldest_first=True, limit=HISTORY_LIMIT
    )
    return {
        "mapping": mapping,
        "m": mapping.to_json(),
        "history": [(r, changes_in(r)) for r in history],
        "thread": thread,
        "last_author": last_author(store, mapping),
    }


def edit_defaults(mapping: Mapping) -> dict[str, str]:
    m = mapping.to_json()
    sources = m["sources"]
    return {
        "justification": str(m["justification"] or ""),
        "flow_boundary": str(m["flow_boundary"] or ""),
        "sources": "\n".join(sources) if isinstance(sources, list) else "",
        "etag": mapping.etag,
        "comment": "",
        "review_comment": "",
        "deprecate_comment": "",
        "thread_comment": "",
    }


def render_mapping_page(
    request: Request,
    view: dict[str, Any],
    session: Session | None,
    *,
    status_code: int = 200,
    failed: str = "",
    message: str = "",
    report: list[dict[str, str]] | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    ui = interface_lang(request)
    user = session.user if session is not None else None
    m = view["m"]
    live = m["status"] != "deprecated"
    context = {
        **view,
        "es": editing_strings(ui),
        "user": user,
        "csrf_field": CSRF_FIELD,
        "csrf_token": session.csrf_token if session is not None else "",
        "can_edit": user is not None and user.can(Role.EDITOR) and live,
        "can_comment": user is not None and user.can(Role.EDITOR),
        "can_review": user is not None and user.can(Role.REVIEWER) and m["status"] == "proposed",
        "own_change": user is not None and view["last_author"] == user.name,
        "form": {**edit_defaults(view["mapping"]), **(form or {})},
        "boundaries": FLOW_BOUNDARIES,
        "failed": failed,
        "message": message,
        "report": report or [],
        "activity_url": page_url(activity_iri(str(m["activity"]))),
        "class_url": GSIM_PAGE + str(m["information_class"]),
        "public_url": page_url(view["mapping"].iri),
        "login_url": "/login?next=" + mapping_page_url(view["mapping"].id),
    }
    return personal(render(request, "edit_mapping.html", context, status_code=status_code))


@router.get("/edit/mappings/{mapping_id}")
async def mapping_page(request: Request, mapping_id: str, session: OptionalSession) -> Response:
    store = request.app.state.service.store
    view = await run_in_threadpool(_view, store, mapping_id)
    return render_mapping_page(request, view, session)


async def _post(
    request: Request,
    store: Store,
    mapping_id: str,
    failed: str,
    run: Callable[[], operations.Outcome],
    submitted: dict[str, str],
) -> Response:
    """Run one operation; 303 to the mapping's page, or the page again (or the conflict page) saying why not."""
    session = await optional_session(request)
    try:
        await run_in_threadpool(run)
    except StaleChange as exc:
        return await conflict_page(request, store, mapping_id, exc, submitted, mapping_page_url(mapping_id))
    except ChangeRefused as exc:
        view = await run_in_threadpool(_view, store, mapping_id)
        return render_mapping_page(
            request,
            view,
            session,
            status_code=422,
            failed=failed,
            message=exc.message,
            report=exc.report,
            form=submitted,
        )
    except ServiceError as exc:
        if exc.status == 404:
            raise
        view = await run_in_threadpool(_view, store, mapping_id)
        return render_mapping_page(
            request, view, session, status_code=exc.status, failed=failed, message=exc.message, form=submitted
        )
    return RedirectResponse(mapping_page_url(mapping_id), status_code=303, headers={"Cache-Control": "no-store"})


@router.post("/edit/mappings/{mapping_id}/update")
async def update(request: Request, mapping_id: str, store: WritableStore, user: Editor) -> Response:
    form = await request.form()
    submitted = {name: field(form, name) for name in ("justification", "flow_boundary", "sources", "etag", "comment")}
    boundary = submitted["flow_boundary"]
    fields: dict[str, Any] = {"justification": submitted["justification"]}
    sources = tuple(line.strip() for line in submitted["sources"].splitlines() if line.strip())
    if sources:  # an emptied list keeps the sources (a mapping needs one): only a new list replaces them
        fields["sources"] = sources
    if boundary:
        fields["flow_boundary"] = boundary  # checked against the list by the operation (422 otherwise)
    else:
        fields["remove_flow_boundary"] = True
    etag = submitted["etag"] or None

    def run() -> operations.Outcome:
        return operations.update_mapping(
            store, mapping_id, etag, fields, author=user.name, comment=submitted["comment"]
        )

    return await _post(request, store, mapping_id, "update", run, submitted)


@router.post("/edit/mappings/{mapping_id}/deprecate")
async def deprecate(request: Request, mapping_id: str, store: WritableStore, user: Editor) -> Response:
    form = await request.form()
    submitted = {"etag": field(form, "etag"), "deprecate_comment": field(form, "comment")}

    def run() -> operations.Outcome:
        return operations.deprecate_mapping(
            store, mapping_id, submitted["etag"] or None, author=user.name, comment=submitted["deprecate_comment"]
        )

    return await _post(request, store, mapping_id, "deprecate", run, submitted)


@router.post("/edit/mappings/{mapping_id}/review")
async def review(request: Request, mapping_id: str, store: WritableStore, user: Reviewer) -> Response:
    form = await request.form()
    submitted = {"etag": field(form, "etag"), "review_comment": field(form, "comment")}
    decision = field(form, "decision")

    def run() -> operations.Outcome:
        return operations.review_mapping(
            store,
            mapping_id,
            decision,
            reviewer=user.name,
            comment=submitted["review_comment"],
            if_match=submitted["etag"] or None,
        )

    return await _post(request, store, mapping_id, "review", run, submitted)


@router.post("/edit/mappings/{mapping_id}/comment")
async def comment(request: Request, mapping_id: str, store: WritableStore, user: Editor) -> Response:
    form = await request.form()
    submitted = {"thread_comment": field(form, "comment")}

    def run() -> operations.Outcome:
        return operations.comment_on(store, mapping_id, author=user.name, comment=submitted["thread_comment"])

    return await _post(request, store, mapping_id, "comment", run, submitted)
