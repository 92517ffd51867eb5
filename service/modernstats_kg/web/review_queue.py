"""`/review`, the review queue (every proposed mapping, oldest first, filtered by `phase` and `author`, with links
to export the same view), and `/me/changes`, the changes of the logged-in user (newest first, paged). Both change
with every write, so neither is cached (`no-store`); the queue is readable without an account."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ..editing.history import history_count, history_page
from ..editing.mappings import MAPPING_BASE
from ..editing.queue import review_queue
from ..errors import BadRequest
from .edit_mapping import OptionalSession, changes_in, mapping_page_url
from .editing_forms import SessionDep, login_redirect, personal
from .editing_strings import editing_strings
from .i18n import interface_lang
from .templating import render

router = APIRouter(include_in_schema=False)

PHASES = tuple(str(n) for n in range(9))  # 0: the overarching processes
AUTHOR = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
PAGE_SIZE = 25
MAX_OFFSET = 1_000_000


def _filter(request: Request, name: str, valid: re.Pattern[str] | tuple[str, ...]) -> str | None:
    value = request.query_params.get(name, "").strip()
    if not value:
        return None
    ok = value in valid if isinstance(valid, tuple) else bool(valid.fullmatch(value))
    if not ok:
        raise BadRequest(f"{name}: {value!r} is not a value this filter takes")
    return value


@router.get("/review")
async def queue_page(request: Request, session: OptionalSession) -> Response:
    phase = _filter(request, "phase", PHASES)
    author = _filter(request, "author", AUTHOR)
    store = request.app.state.service.store
    entries = await run_in_threadpool(review_queue, store, phase=phase, author=author)
    selected = [("status", "proposed"), *(("phase", phase),) * bool(phase), *(("author", author),) * bool(author)]
    context = {
        "es": editing_strings(interface_lang(request)),
        "entries": entries,
        "phase": phase or "",
        "author": author or "",
        "phases": PHASES,
        "export_csv": "/mappings/export.csv?" + urlencode(selected),
        "export_xlsx": "/mappings/export.xlsx?" + urlencode(selected),
        "mapping_url": mapping_page_url,
        "user": session.user if session is not None else None,
    }
    return personal(render(request, "review_queue.html", context))


def _offset(request: Request) -> int:
    raw = request.query_params.get("offset", "0")
    if not raw.isdigit() or int(raw) > MAX_OFFSET:
        raise BadRequest("offset: a whole number from 0")
    return int(raw)


@router.get("/me/changes")
async def my_changes(request: Request, session: SessionDep) -> Response:
    if session is None:
        return login_redirect(request)
    offset = _offset(request)
    store = request.app.state.service.store
    name = session.user.name
    total = await run_in_threadpool(lambda: history_count(store, author=name))
    records = await run_in_threadpool(lambda: history_page(store, author=name, limit=PAGE_SIZE, offset=offset))
    rows = []
    for record in records:
        mappings = [t.removeprefix(MAPPING_BASE) for t in record.targets if t.startswith(MAPPING_BASE)]
        rows.append((record, [(m, mapping_page_url(m)) for m in mappings], changes_in(record)))
    context = {
        "es": editing_strings(interface_lang(request)),
        "rows": rows,
        "user": session.user,
        "total": total,
        "newer": f"/me/changes?offset={max(offset - PAGE_SIZE, 0)}" if offset > 0 else "",
        "older": f"/me/changes?offset={offset + PAGE_SIZE}" if offset + PAGE_SIZE < total else "",
    }
    return personal(render(request, "my_changes.html", context))
