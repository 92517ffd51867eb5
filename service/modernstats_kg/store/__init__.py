"""Store backends behind one interface; `open_store` picks one from the location.

The store knows nothing of the service's settings: a remote store takes `RemoteOptions`, which the application
builds from its settings (`modernstats_kg.store_options`).
"""

from __future__ import annotations

from pathlib import Path

from .base import ChangeRejected, GraphInfo, QueryResult, QuerySyntaxError, StaleRevision, Store, StoreError, Term
from .changes import ChangeSet
from .embedded import EmbeddedStore
from .remote import RemoteStore
from .remote_config import RemoteOptions

__all__ = [
    "ChangeRejected",
    "ChangeSet",
    "EmbeddedStore",
    "GraphInfo",
    "QueryResult",
    "QuerySyntaxError",
    "RemoteOptions",
    "RemoteStore",
    "StaleRevision",
    "Store",
    "StoreError",
    "Term",
    "open_store",
]


def open_store(location: str, remote: RemoteOptions | None = None) -> Store:
    """`memory`, a directory path, or the http(s) URL of a SPARQL 1.1 query endpoint (see `store/remote.py`), which
    `remote` configures (default: no credentials, SPARQL Update on the query URL)."""
    if location == "memory":
        return EmbeddedStore()
    if location.startswith(("http://", "https://")):
        return RemoteStore.at(location, remote)
    return EmbeddedStore(Path(location))
