"""Store backends behind one interface; `open_store` picks one from the `store` setting."""

from __future__ import annotations

from pathlib import Path

from .base import GraphInfo, QueryResult, QuerySyntaxError, Store, StoreError, Term
from .embedded import EmbeddedStore

__all__ = [
    "EmbeddedStore",
    "GraphInfo",
    "QueryResult",
    "QuerySyntaxError",
    "Store",
    "StoreError",
    "Term",
    "open_store",
]


def open_store(location: str) -> Store:
    """`memory`, a directory path, or (with the remote backend) an http(s) SPARQL endpoint URL."""
    if location == "memory":
        return EmbeddedStore()
    if location.startswith(("http://", "https://")):
        raise StoreError("the remote SPARQL store backend is not available in this version")
    return EmbeddedStore(Path(location))
