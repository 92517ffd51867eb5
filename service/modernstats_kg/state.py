"""What the running service holds (its settings, its store, the content version) and the FastAPI dependencies that
web/, api/ and sparql/ share to reach it: `service_state` and `get_catalog`."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from fastapi import Request

from .catalog import Catalog
from .settings import Settings
from .store import Store

__all__ = ["ServiceState", "catalog_for", "get_catalog", "service_state"]


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


_catalog_lock = threading.Lock()


def catalog_for(state: ServiceState, holder: object) -> Catalog:
    """The read model cached on `holder` (the app state) for the state's current content version: one `Catalog` per
    version, shared by every page and API request."""
    version = state.content_version
    current: Catalog | None = getattr(holder, "catalog", None)
    if current is not None and current.version == version and current.store is state.store:
        return current
    with _catalog_lock:
        current = getattr(holder, "catalog", None)
        if current is None or current.version != version or current.store is not state.store:
            current = Catalog(state.store, version, cache_bytes=state.settings.page_cache_bytes)
            current.warm()
            holder.catalog = current  # type: ignore[attr-defined]
    return current


async def get_catalog(request: Request) -> Catalog:
    """FastAPI dependency: the catalog of the app serving this request (async: no thread hop; it only looks up a
    cached object, building it once per content version)."""
    return catalog_for(request.app.state.service, request.app.state)
