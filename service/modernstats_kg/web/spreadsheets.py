"""The mappings as spreadsheets in the browser: `/mappings/export.csv` and `/mappings/export.xlsx` (the matrix's
filters as query parameters: phase, status, author, role, group), and `/import`, the upload page (editor role).

The upload is bounded before it is parsed: the body is read up to `Settings.import_max_bytes` (413 past it), and
only then are the credentials and the CSRF token of the form checked. The page is personal: never cached.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ..catalog import Catalog
from ..conneg import set_vary
from ..editing.accounts import Role
from ..editing.auth import AccountsDep, browser_session, current_identity
from ..editing.gate import EditingUnavailable, durable
from ..editing.sessions import CSRF_FIELD, Session
from ..errors import BadRequest, Forbidden, PayloadTooLarge
from ..roundtrip.sheet_files import SheetError, read_sheet, write_csv, write_xlsx
from ..roundtrip.sheet_import import ImportPlan, ImportRefused, apply_import, check_sheet, preview
from ..roundtrip.sheets import sheet_rows, vocabulary
from ..state import ServiceState, get_catalog, service_state
from .i18n import interface_lang
from .import_strings import import_strings
from .matrix_export import matrix_filters
from .templating import render

router = APIRouter(include_in_schema=False)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SessionDep = Annotated[Session | None, Depends(browser_session)]


def _attachment(body: bytes, media_type: str, name: str) -> Response:
    return Response(body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/mappings/export.csv")
def export_csv(request: Request, cat: Annotated[Catalog, Depends(get_catalog)]) -> Response:
    rows = sheet_rows(cat, matrix_filters(request))
    return _attachment(write_csv(rows), "text/csv; charset=utf-8", "gsim-gsbpm-mappings.csv")


@router.get("/mappings/export.xlsx")
def export_xlsx(request: Request, cat: Annotated[Catalog, Depends(get_catalog)]) -> Response:
    rows = sheet_rows(cat, matrix_filters(request))
    return _attachment(write_xlsx(rows, vocabulary(cat)), XLSX_TYPE, "gsim-gsbpm-mappings.xlsx")


def _page(
    request: Request, session: Session | None, *, plan: ImportPlan | None = None, message: str = "", status: int = 200
) -> Response:
    context: dict[str, Any] = {
        "s": import_strings(interface_lang(request)),
        "session": session,
        "can_edit": session is not None and session.user.can(Role.EDITOR),
        "csrf_field": CSRF_FIELD,
        "plan": plan,
        "message": message,
    }
    response = render(request, "import.html", context, status_code=status)
    for validator in ("etag", "last-modified"):  # personal, with a token: never cached, never revalidated
        if validator in response.headers:
            del response.headers[validator]
    response.headers["Cache-Control"] = "no-store"
    set_vary(response, "Cookie")
    return response


@router.get("/import", response_class=HTMLResponse)
async def import_page(request: Request, session: SessionDep) -> Response:
    return _page(request, session)


async def _bounded_body(request: Request, limit: int) -> None:
    """Read the body, at most `limit` bytes (413 past it), and keep it where Starlette's form parser reads it."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"the upload is larger than {limit} bytes", import_max_bytes=limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"the upload is larger than {limit} bytes", import_max_bytes=limit)
        chunks.append(chunk)
    request._body = b"".join(chunks)  # what `Request.body()` would keep: `form()` parses it instead of the stream


@router.post("/import", response_class=HTMLResponse)
async def import_upload(
    request: Request, accounts: AccountsDep, state: Annotated[ServiceState, Depends(service_state)]
) -> Response:
    if not durable(state.store):
        raise EditingUnavailable()
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise BadRequest("send the sheet as multipart/form-data, in the field `file`")
    await _bounded_body(request, state.settings.import_max_bytes)
    try:
        identity = await current_identity(request, accounts)  # credentials and the CSRF token, after the size check
        if not identity.user.can(Role.EDITOR):
            raise Forbidden(
                f"an import needs the editor role or above; {identity.user.name} is {identity.user.role.value}"
            )
        form = await request.form(max_files=1, max_fields=8)
        upload, comment = form.get("file"), form.get("comment")
        if not isinstance(upload, UploadFile):
            raise BadRequest("send the sheet in the form field `file`")
        data = await upload.read()
        name = upload.filename or "upload"
        comment_text = comment.strip() if isinstance(comment, str) and comment.strip() else f"import of {name}"
        dry_run = form.get("dry_run") == "1"
    finally:
        await request.close()  # the parsed form's spooled files
    try:
        table = read_sheet(data, name)
    except SheetError as exc:
        raise BadRequest(f"{name[:200]}: {exc}") from exc
    cat = Catalog(state.store, state.store.version())

    def run() -> ImportPlan:
        plan = check_sheet(state.store, cat, table, importer=identity.user.name, comment=comment_text)
        if dry_run:
            return preview(state.store, plan)
        try:
            apply_import(state.store, plan)
        except ImportRefused as exc:
            plan.problems = exc.problems
        return plan

    plan = await run_in_threadpool(run)
    strings = import_strings(interface_lang(request))
    if plan.problems:
        return _page(request, identity.session, plan=plan, message=strings["refused"], status=422)
    return _page(request, identity.session, plan=plan, message=strings["checked" if dry_run else "imported"])
