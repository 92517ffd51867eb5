"""SPARQL Update on `POST /sparql/update`: the SPARQL 1.1 Protocol's update operation, through the write gate.

Requests: a form (`application/x-www-form-urlencoded`, one `update=`) or the update as the body
(`application/sparql-update`), with `using-graph-uri` and `using-named-graph-uri` (repeatable, in the URL or the
form), and an optional `comment=` (why; recorded in the history). Admins only: an update can change any graph
(models, shapes, mappings), where an editor changes mappings through the mapping API.

The update never runs on the store: `update_run` runs it on a scratch copy and diffs, and the change goes through
`editing.gate.submit` (action `sparql-update`): SHACL validation (422 with the report), one transaction with its
history record, durability. The change is computed against the revision it was read at and submitted on condition
that the store is still there; if another write came first, it is computed again (the update's WHERE clauses see the
newer state), at most three times. `If-Match: "REVISION"` makes the update conditional on the client's side: 412.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from ..editing.accounts import Role, User
from ..editing.auth import require_role
from ..editing.gate import StaleChange, Submission, submit
from ..editing.history import HISTORY_GRAPH
from ..errors import BadRequest, MethodNotAllowed, UnsupportedMediaType
from ..state import ServiceState, service_state
from ..store import ChangeSet
from .protocol import FORM, SPARQL_UPDATE, _content_type, _iris, _read_body, _utf8
from .update_run import UpdateRequest, change_of_update

__all__ = ["router"]

router = APIRouter()
ATTEMPTS = 3
DEFAULT_COMMENT = "SPARQL Update"
_MAX_TARGETS = 100
_updates_lock = threading.Lock()


@dataclass(frozen=True)
class _Request:
    update: UpdateRequest
    comment: str


@router.api_route("/sparql/update", methods=["GET", "HEAD", "PUT", "DELETE", "PATCH"], include_in_schema=False)
async def update_wrong_method() -> None:
    raise MethodNotAllowed("send SPARQL Update with POST (a form with update=, or application/sparql-update)")


@router.post(
    "/sparql/update",
    summary="SPARQL 1.1 Update (admins), through the write gate",
    responses={200: {"description": "the change was applied and recorded"}},
)
async def sparql_update(
    request: Request,
    user: Annotated[User, Depends(require_role(Role.ADMIN))],
    state: Annotated[ServiceState, Depends(service_state)],
) -> JSONResponse:
    operation = await _read(request, state.settings.max_request_bytes)
    base_iri = state.settings.base_url.rstrip("/") + "/sparql"
    return await run_in_threadpool(_apply, state, user, operation, base_iri, _if_match(request))


def _apply(state: ServiceState, user: User, operation: _Request, base_iri: str, expected: str | None) -> JSONResponse:
    """Compute the change and submit it, one update at a time in this process (two updates computed side by side
    would make each other stale); a write from elsewhere in between makes it compute again."""
    with _updates_lock:
        for attempt in range(ATTEMPTS):
            revision = state.store.revision()
            if expected is not None and expected != revision:
                raise StaleChange("the store changed since the revision in If-Match: read it again and redo the update")
            changes = change_of_update(
                state.store, operation.update, base_iri=base_iri, protected_graphs=(HISTORY_GRAPH,)
            )
            if not changes:
                return JSONResponse({"ok": True, "change": None, "revision": revision, "added": 0, "removed": 0})
            submission = Submission(
                changes, author=user.name, comment=operation.comment, action="sparql-update", targets=_targets(changes)
            )
            try:
                receipt = submit(state.store, submission, expect_revision=revision)
            except StaleChange:
                if expected is not None or attempt == ATTEMPTS - 1:
                    raise
                continue
            body = {
                "ok": True,
                "change": receipt.change_iri,
                "revision": receipt.revision,
                "added": len(changes.add),
                "removed": len(changes.remove),
            }
            return JSONResponse(body, headers={"ETag": f'"{receipt.revision}"'})
    raise AssertionError("unreachable")  # pragma: no cover


async def _read(request: Request, max_bytes: int) -> _Request:
    """The update, its dataset and its comment, from the URL and the body; 4xx for a malformed request."""
    params = request.query_params.multi_items()
    media, charset = _content_type(request.headers.get("content-type", ""))
    if media not in (FORM, SPARQL_UPDATE):
        got = f"{media!r}" if media else "no Content-Type"
        raise UnsupportedMediaType(
            f"a SPARQL Update needs Content-Type {FORM} (update=...) or {SPARQL_UPDATE} (the update as the body); "
            f"got {got}"
        )
    if charset is not None and charset not in ("utf-8", "utf8", "us-ascii", "ascii"):
        raise UnsupportedMediaType(f"the body must be UTF-8; got charset {charset!r}")
    text = _utf8(await _read_body(request, max_bytes))
    updates = [value for name, value in params if name == "update"]
    if media == SPARQL_UPDATE:
        updates.append(text)
    else:
        try:
            form = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict", max_num_fields=1000)
        except (UnicodeDecodeError, ValueError) as exc:
            raise BadRequest(f"the form body cannot be read: {exc}") from exc
        params = [*params, *form]
        updates += [value for name, value in form if name == "update"]
    if any(name == "query" for name, _ in params):
        raise BadRequest("this endpoint takes updates only: send queries to /sparql")
    if len(updates) != 1:
        raise BadRequest("give exactly one update" + (": the request carries several" if updates else ""))
    comments = [value.strip() for name, value in params if name == "comment" and value.strip()]
    return _Request(
        UpdateRequest(
            updates[0],
            using_graph_uris=_iris(params, "using-graph-uri"),
            using_named_graph_uris=_iris(params, "using-named-graph-uri"),
        ),
        comments[0] if comments else DEFAULT_COMMENT,
    )


def _if_match(request: Request) -> str | None:
    value = request.headers.get("if-match")
    if value is None or value.strip() == "*":
        return None
    return value.strip().removeprefix("W/").strip('"')


def _targets(changes: ChangeSet) -> tuple[str, ...]:
    """The resources the change is about: the subjects it touches that are named (IRIs), first 100 by IRI."""
    subjects = {q.subject.value for q in (*changes.add, *changes.remove) if isinstance(q.subject, ox.NamedNode)}
    return tuple(sorted(subjects)[:_MAX_TARGETS])
