"""The propose form, `/edit/propose` (`?activity=5.3` or `?class=InstanceVariable` pre-fill it: the public pages of
sub-processes and GSIM classes link here). Pick lists of sub-processes and overarching processes, GSIM classes by
group and roles, never a free-typed IRI; a posted choice outside the lists is refused (422) before the gate sees it.
The post goes through `editing.operations.create_mapping`, the operation the JSON API calls: 303 to the new
mapping's page, or the form again with the user's input and why it was refused."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ..catalog import Catalog
from ..editing import operations
from ..editing.accounts import Role, User
from ..editing.auth import require_role
from ..editing.gate import ChangeRefused
from ..editing.mapping_changes import Draft
from ..editing.mappings import QUALIFIER_NAME
from ..editing.sessions import CSRF_FIELD, Session
from ..errors import ServiceError
from ..state import get_catalog
from .edit_mapping import mapping_page_url, optional_session
from .editing_forms import PickLists, SessionDep, WritableStore, field, login_redirect, personal, pick_lists
from .editing_strings import editing_strings
from .i18n import interface_lang, requested_lang
from .templating import render

router = APIRouter(include_in_schema=False)

Editor = Annotated[User, Depends(require_role(Role.EDITOR))]
CatalogDep = Annotated[Catalog, Depends(get_catalog)]
FIELDS = ("activity", "information_class", "role", "justification", "qualifier", "flow_boundary", "comment")


def _lists(request: Request, cat: Catalog) -> PickLists:
    es = editing_strings(interface_lang(request))
    return pick_lists(cat, requested_lang(request), es["overarching"])


def _form_page(
    request: Request,
    cat: Catalog,
    session: Session | None,
    form: dict[str, str],
    *,
    status_code: int = 200,
    message: str = "",
    report: list[dict[str, str]] | None = None,
) -> Response:
    context = {
        "es": editing_strings(interface_lang(request)),
        "lists": _lists(request, cat),
        "form": form,
        "user": session.user if session is not None else None,
        "csrf_field": CSRF_FIELD,
        "csrf_token": session.csrf_token if session is not None else "",
        "message": message,
        "report": report or [],
    }
    return personal(render(request, "edit_propose.html", context, status_code=status_code))


@router.get("/edit/propose")
async def propose_form(request: Request, cat: CatalogDep, session: SessionDep) -> Response:
    if session is None:
        return login_redirect(request)
    lists = _lists(request, cat)
    form = dict.fromkeys(FIELDS, "")
    activity, cls = request.query_params.get("activity", ""), request.query_params.get("class", "")
    if lists.has("activity", activity):  # a pre-fill outside the lists is ignored, never echoed
        form["activity"] = activity
    if lists.has("class", cls):
        form["information_class"] = cls
    return _form_page(request, cat, session, form)


def _choice_errors(lists: PickLists, form: dict[str, str]) -> list[str]:
    errors = []
    for kind, key in (("activity", "activity"), ("class", "information_class"), ("role", "role")):
        if not lists.has(kind, form[key]):
            errors.append(f"{key}: choose one from the list")
    if form["flow_boundary"] and not lists.has("boundary", form["flow_boundary"]):
        errors.append("flow_boundary: choose one from the list, or none")
    if form["qualifier"] and not QUALIFIER_NAME.fullmatch(form["qualifier"]):
        errors.append("qualifier: a name in lowerCamelCase like sample")
    return errors


@router.post("/edit/propose")
async def propose(request: Request, store: WritableStore, user: Editor, cat: CatalogDep) -> Response:
    posted = await request.form()
    form = {name: field(posted, name) for name in FIELDS}
    session = await optional_session(request)
    errors = _choice_errors(_lists(request, cat), form)
    if errors:
        return _form_page(request, cat, session, form, status_code=422, message="; ".join(errors))
    draft = Draft(
        activity=form["activity"],
        information_class=form["information_class"],
        role=form["role"],
        justification=form["justification"],
        qualifier=form["qualifier"] or None,
        flow_boundary=form["flow_boundary"] or None,
    )
    try:
        outcome = await run_in_threadpool(
            lambda: operations.create_mapping(store, draft, author=user.name, comment=form["comment"])
        )
    except ChangeRefused as exc:
        return _form_page(request, cat, session, form, status_code=422, message=exc.message, report=exc.report)
    except ServiceError as exc:  # 409 (it exists), 422 (a field the operation refuses), 412 (lost every retry)
        return _form_page(request, cat, session, form, status_code=exc.status, message=exc.message)
    return RedirectResponse(
        mapping_page_url(outcome.mapping.id), status_code=303, headers={"Cache-Control": "no-store"}
    )
