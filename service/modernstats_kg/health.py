"""`/health`: is the service ready, which content version does it serve, how big is the graph."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
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


@router.get("/health", summary="Readiness, content version and size")
async def health(state: Annotated[ServiceState, Depends(service_state)]) -> Health:
    return Health(
        status="ok",
        ready=True,
        service_version=__version__,
        content_version=state.content_version,
        triples=state.triples,
        graphs=state.graphs,
    )
