"""The conflict page: a form made from a state of a mapping that is no longer current answers 412 with the mapping
as it is now, field by field beside what the user sent, and a link to start again from the current state. Nothing
was written (the operation refused the stale ETag before building any change)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ..editing.gate import StaleChange
from ..editing.mappings import read_mapping
from ..store import Store
from .editing_forms import personal
from .editing_strings import editing_strings
from .i18n import interface_lang
from .templating import render

# the fields shown, in order: (key of Mapping.to_json, key of the submitted form, interface-string key)
ROWS = (
    ("label", "", "label"),
    ("status", "", "status"),
    ("justification", "justification", "justification"),
    ("flow_boundary", "flow_boundary", "flow_boundary"),
    ("sources", "sources", "sources"),
    ("authors", "", "authors"),
    ("modified", "", "modified"),
    ("change_note", "", "change_note"),
)


def _shown(value: object) -> str:
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return "" if value is None else str(value)


async def conflict_page(
    request: Request, store: Store, mapping_id: str, exc: StaleChange, submitted: dict[str, str], restart_url: str
) -> Response:
    current = exc.current if isinstance(exc.current, dict) else None
    if current is None:  # the gate's own refusal (another write came in between every retry): read it now
        current = (await run_in_threadpool(read_mapping, store, mapping_id)).to_json()
    es = editing_strings(interface_lang(request))
    rows = [
        (es[label], _shown(current.get(key)), submitted.get(form_key) if form_key else None)
        for key, form_key, label in ROWS
    ]
    comment = next((submitted[k] for k in submitted if k.endswith("comment") and submitted[k]), "")
    context = {
        "es": es,
        "mapping_id": mapping_id,
        "rows": rows,
        "comment": comment,
        "restart_url": restart_url,
        "message": exc.message,
    }
    return personal(render(request, "edit_conflict.html", context, status_code=412))
