"""The read model of the running service, one `Catalog` per content version, shared by every page request."""

from __future__ import annotations

import threading

from fastapi import Request

from ..catalog import Catalog
from ..state import ServiceState

_lock = threading.Lock()


def catalog_for(state: ServiceState, holder: object) -> Catalog:
    """The catalog cached on `holder` (the app state) for the state's current content version."""
    version = state.content_version
    current: Catalog | None = getattr(holder, "catalog", None)
    if current is not None and current.version == version and current.store is state.store:
        return current
    with _lock:
        current = getattr(holder, "catalog", None)
        if current is None or current.version != version or current.store is not state.store:
            current = Catalog(state.store, version)
            current.warm()
            holder.catalog = current  # type: ignore[attr-defined]
    return current


async def get_catalog(request: Request) -> Catalog:
    """FastAPI dependency: the catalog of the app serving this request (async: no thread hop; it only looks up a
    cached object, building it once per content version)."""
    return catalog_for(request.app.state.service, request.app.state)
