"""`/changes.atom`: the recorded changes as an Atom feed (feedgen), newest first, so task-team members can follow
the work in a feed reader. Each entry is one change: who, when, what it is about and why; the JSON of all of it is
`/api/v1/changes`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from feedgen.feed import FeedGenerator
from starlette.concurrency import run_in_threadpool

from ..editing.history import ChangeRecord, history_page
from ..editing.mappings import MAPPING_BASE
from ..state import ServiceState, service_state

router = APIRouter()

FEED_ID = "http://id.unece.org/history"
ATOM = "application/atom+xml"


def _title(record: ChangeRecord) -> str:
    about = ", ".join(t.rsplit("/", 1)[-1] for t in record.targets[:3]) or "the graph"
    more = f" and {len(record.targets) - 3} more" if len(record.targets) > 3 else ""
    return f"{record.author}: {record.action} {about}{more}"


def atom_feed(records: list[ChangeRecord], base_url: str) -> bytes:
    feed = FeedGenerator()
    feed.id(FEED_ID)
    feed.title("ModernStats KG: changes to the mapping")
    feed.subtitle("Every change made through the service, newest first: who, when, what and why.")
    feed.link(href=f"{base_url}/changes.atom", rel="self", type=ATOM)
    feed.link(href=f"{base_url}/api/v1/changes", rel="alternate", type="application/json")
    feed.language("en")
    if records:
        feed.updated(records[0].at)
    else:
        feed.updated("1970-01-01T00:00:00Z")
    for record in reversed(records):  # feedgen puts the last added entry first
        entry = feed.add_entry()
        entry.id(record.iri)
        entry.title(_title(record))
        entry.author({"name": record.author})
        entry.updated(record.at)
        entry.published(record.at)
        entry.summary(record.comment)
        about = "\n".join(record.targets[:20])
        entry.content(f"{record.comment}\n\nAbout:\n{about}" if about else record.comment, type="text")
        mappings = [t for t in record.targets if t.startswith(MAPPING_BASE)]
        for number, target in enumerate(mappings[:20]):
            href = f"{base_url}/api/v1/mappings/{target.removeprefix(MAPPING_BASE)}"
            entry.link(href=href, rel="alternate" if number == 0 else "related", type="application/json")
    return feed.atom_str(pretty=True)


@router.get("/changes.atom", include_in_schema=False)
async def changes_atom(
    request: Request,
    state: Annotated[ServiceState, Depends(service_state)],
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> Response:
    records = await run_in_threadpool(history_page, state.store, limit=limit)
    base_url = str(request.base_url).rstrip("/")
    body = await run_in_threadpool(atom_feed, records, base_url)
    return Response(body, media_type=ATOM, headers={"Cache-Control": "no-cache"})
