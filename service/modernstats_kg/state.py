"""What the running service holds: its settings, its store and the content version; reached from any request."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from .settings import Settings
from .store import Store


@dataclass
class ServiceState:
    settings: Settings
    store: Store
    content_version: str
    loaded_at: float  # epoch seconds: Last-Modified of everything derived from the content
    triples: int = 0  # size and graph count at load time: /health must not scan the store on every call
    graphs: int = 0


async def service_state(request: Request) -> ServiceState:
    """FastAPI dependency: the state of the app that serves this request.

    Async on purpose: a plain `def` dependency costs every request a hop through the threadpool.
    """
    state: ServiceState = request.app.state.service
    return state
