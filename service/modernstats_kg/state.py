"""What the running service holds (its settings, its store, the content version) and the FastAPI dependencies that
web/, api/ and sparql/ share to reach it: `service_state` and `get_catalog`."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from fastapi import Request

from .catalog import Catalog
from .settings import Settings
from .store import EmbeddedStore, Store

__all__ = ["ServiceState", "catalog_for", "get_catalog", "service_state"]


@dataclass
class ServiceState:
    settings: Settings
    store: Store
    content_version: str
    loaded_at: float  # epoch seconds: Last-Modified of everything derived from the content
    triples: int = 0  # size and graph count at load time: /health must not scan the store on every call
    graphs: int = 0
    _seen_revision: str | None = field(default=None, repr=False)
    _changed_at: float = field(default=0.0, repr=False)

    @property
    def takes_edits(self) -> bool:
        """An on-disk embedded store: edits go through this process (the write gate), and its revision is cheap to
        read. (In memory there are no edits; a remote store's revision costs a round trip.)"""
        return isinstance(self.store, EmbeddedStore) and self.store.path is not None

    @property
    def data_version(self) -> str:
        """What every cache and ETag derived from the store is keyed by: the content version, and for a store that
        takes edits its revision too, so that no page, API answer or catalog outlives an acknowledged edit."""
        if not self.takes_edits:
            return self.content_version
        revision = self.store.revision()
        if revision != self._seen_revision:
            self._changed_at = time.time() if self._seen_revision is not None else self.loaded_at
            self._seen_revision = revision
        return f"{self.content_version}.{revision}"

    @property
    def modified_at(self) -> float:
        """Last-Modified of everything derived from the store: the load, or the last edit seen since."""
        self.data_version  # noqa: B018 - reading it notes a new revision
        return max(self._changed_at, self.loaded_at)


async def service_state(request: Request) -> ServiceState:
    """FastAPI dependency: the state of the app that serves this request.

    Async on purpose: a plain `def` dependency costs every request a hop through the threadpool.
    """
    state: ServiceState = request.app.state.service
    return state


_catalog_lock = threading.Lock()


def catalog_for(state: ServiceState, holder: object) -> Catalog:
    """The read model cached on `holder` (the app state) for the state's current data version (content version and
    store revision): one `Catalog` per version, shared by every page and API request."""
    version = state.data_version
    current: Catalog | None = getattr(holder, "catalog", None)
    if current is not None and current.version == version and current.store is state.store:
        return current
    with _catalog_lock:
        current = getattr(holder, "catalog", None)
        if current is None or current.version != version or current.store is not state.store:
            current = Catalog(state.store, version, cache_entries=state.settings.page_cache_entries)
            current.warm()
            holder.catalog = current  # type: ignore[attr-defined]
    return current


async def get_catalog(request: Request) -> Catalog:
    """FastAPI dependency: the catalog of the app serving this request (async: no thread hop; it only looks up a
    cached object, building it once per content version)."""
    return catalog_for(request.app.state.service, request.app.state)
