"""`/health`: is the service ready, which content version does it serve, how big is the graph, are its query
workers all busy.

`status` is `ok`, or `saturated` when every query worker is running a query: the service is ready (200), but a new
query waits for a worker (and gets 503 with `Retry-After` if none comes free within the time limit). A load
balancer can send queries elsewhere meanwhile.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from . import __version__
from .state import ServiceState, service_state

router = APIRouter()


class Health(BaseModel):
    status: str
    ready: bool
    service_version: str
    content_version: str
    triples: int
    graphs: int
    query_workers: int | None = None  # worker processes running (None: queries run in the server, remote backend)
    idle_query_workers: int | None = None
    saturated: bool = False  # every query worker busy


def worker_counts(request: Request) -> tuple[int, int] | None:
    """(running, idle) query worker processes of the app's runner; None when it has none (`InlineQueryRunner`)."""
    runner = getattr(request.app.state, "query_runner", None)
    counts = getattr(runner, "workers", None)
    return counts() if callable(counts) else None


@router.get("/health", summary="Readiness, content version, size, and whether every query worker is busy")
async def health(request: Request, state: Annotated[ServiceState, Depends(service_state)]) -> Health:
    counts = worker_counts(request)
    running, idle = counts if counts is not None else (None, None)
    saturated = bool(running) and idle == 0
    return Health(
        status="saturated" if saturated else "ok",
        ready=True,
        service_version=__version__,
        content_version=state.content_version,
        triples=state.triples,
        graphs=state.graphs,
        query_workers=running,
        idle_query_workers=idle,
        saturated=saturated,
    )
