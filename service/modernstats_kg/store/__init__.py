"""Store backends behind one interface; `open_store` picks one from the `store` setting."""

from __future__ import annotations

from pathlib import Path

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


def open_store(location: str) -> Store:
    """`memory`, a directory path, or the http(s) URL of a SPARQL 1.1 query endpoint (see `store/remote.py`)."""
    if location == "memory":
        return EmbeddedStore()
    if location.startswith(("http://", "https://")):
        return RemoteStore.from_url(location)
    return EmbeddedStore(Path(location))
