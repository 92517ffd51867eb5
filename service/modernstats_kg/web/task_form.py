"""`/tasks/propose`: the form by which an organisation's account proposes a Level-3 task (GET: the form, per user and
never cached; POST: through the one gate, 303 to the task's page, or the form again with what was refused).

Linked with a plain link from each sub-process page (`?activity=5.3` preselects it): the public page stays cached and
holds nothing personal. CSRF: the session's token in a hidden field, checked by `editing.auth.check_csrf`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ..catalog import Catalog
from ..catalog.gsbpm import gsbpm_model
from ..catalog.gsim import gsim_classes
from ..conneg import set_vary
from ..editing.accounts import Role
from ..editing.auth import accounts_of_app, browser_session, check_csrf
from ..editing.gate import durable
from ..editing.organizations import list_organizations
from ..editing.sessions import CSRF_FIELD, Session
from ..editing.task_operations import create_task
from ..editing.tasks import LANGUAGES, TaskDraft
from ..errors import ServiceError
from ..state import get_catalog
from . import i18n
from .task_strings import task_strings
from .templating import render

router = APIRouter(include_in_schema=False)

SessionDep = Annotated[Session | None, Depends(browser_session)]
CatalogDep = Annotated[Catalog, Depends(get_catalog)]
FIELDS = ("organization", "subprocess", "code", "name", "description", "language", "comment")


def _choices(cat: Catalog, lang: str) -> dict[str, Any]:
    subprocesses = [
        (r.code, f"{r.code} {r.name(lang)}") for column in gsbpm_model(cat).phases for r in column.subprocesses
    ]
    groups, _ = gsim_classes(cat)
    classes = sorted(
        ((r.iri.rsplit("#", 1)[-1], r.name(lang)) for r in cat.refs(groups)), key=lambda c: c[1].casefold()
    )
    return {"subprocesses": subprocesses, "classes": classes}


def _form(
    request: Request,
    cat: Catalog,
    session: Session | None,
    values: dict[str, Any],
    *,
    status_code: int = 200,
    error: ServiceError | None = None,
) -> Response:

    lang = i18n.requested_lang(request)
    organizations = []
    if session is not None and durable(request.app.state.service.store):
        accounts_of_app(request.app)
        every = list_organizations(request.app.state.service.store)
        user = session.user
        organizations = [o for o in every if user.can(Role.ADMIN) or o.code == user.organization]
    context = {
        "session": session,
        "csrf_field": CSRF_FIELD,
        "ts": task_strings(lang),
        "v": values,
        "languages": LANGUAGES,
        "organizations": organizations,
        "error": error.message if error else "",
        "report": getattr(error, "report", []) if error else [],
        **_choices(cat, lang),
    }
    response = render(request, "task_propose.html", context, status_code=status_code, lang=lang)
    for validator in ("etag", "last-modified"):  # personal and holding a token: never cached, never revalidated
        if validator in response.headers:
            del response.headers[validator]
    response.headers["Cache-Control"] = "no-store"
    set_vary(response, "Cookie")
    return response


@router.get("/tasks/propose")
async def propose_form(request: Request, cat: CatalogDep, session: SessionDep, activity: str = "") -> Response:
    values: dict[str, Any] = {**dict.fromkeys(FIELDS, ""), "inputs": [], "outputs": []}
    values.update(subprocess=activity[:8], code=f"{activity[:8]}." if activity else "", language="en")
    return await run_in_threadpool(lambda: _form(request, cat, session, values))


@router.post("/tasks/propose")
async def propose(request: Request, cat: CatalogDep, session: SessionDep) -> Response:
    if session is None:
        return RedirectResponse("/login?next=/tasks/propose", status_code=303)
    await check_csrf(request, session)
    form = await request.form()
    values: dict[str, Any] = {f: str(form.get(f) or "").strip() for f in FIELDS}
    values["inputs"] = [str(v) for v in form.getlist("inputs")]
    values["outputs"] = [str(v) for v in form.getlist("outputs")]
    draft = TaskDraft(
        organization=values["organization"],
        subprocess=values["subprocess"],
        code=values["code"],
        name=values["name"],
        description=values["description"],
        language=values["language"] or "en",
        inputs=tuple(values["inputs"]),
        outputs=tuple(values["outputs"]),
    )
    store = request.app.state.service.store
    try:
        if not session.user.can(Role.EDITOR):  # pragma: no cover - every role is an editor or above
            raise ServiceError("editors only")
        outcome = await run_in_threadpool(
            lambda: create_task(store, draft, user=session.user, comment=values["comment"] or "proposed with the form")
        )
    except ServiceError as exc:
        refused = exc
    else:
        response = RedirectResponse(outcome.task.iri.removeprefix("http://id.unece.org"), status_code=303)
        response.headers["Cache-Control"] = "no-store"
        return response
    return await run_in_threadpool(
        lambda: _form(request, cat, session, values, status_code=refused.status, error=refused)
    )
