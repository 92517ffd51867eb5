"""Store backends behind one interface; `open_store` picks one from the `store` setting."""

from __future__ import annotations

from pathlib import Path

from ..settings import Settings
from .base import GraphInfo, QueryResult, QuerySyntaxError, Store, StoreError, Term
from .embedded import EmbeddedStore
from .remote import RemoteStore

__all__ = [
    "EmbeddedStore",
    "GraphInfo",
    "QueryResult",
    "QuerySyntaxError",
    "RemoteStore",
    "Store",
    "StoreError",
    "Term",
    "open_store",
]


def open_store(location: str, settings: Settings | None = None) -> Store:
    """`memory`, a directory path, or the http(s) URL of a SPARQL 1.1 query endpoint (see `store/remote.py`), which
    the `remote_*` fields of `settings` configure (default: `Settings()`, no credentials)."""
    if location == "memory":
        return EmbeddedStore()
    if location.startswith(("http://", "https://")):
        return RemoteStore.from_settings(location, settings or Settings())
    return EmbeddedStore(Path(location))
