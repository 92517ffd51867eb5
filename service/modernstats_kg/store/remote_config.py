"""How the remote backend reaches its server: `RemoteOptions` (what a deployment configures, without the URL) and
`RemoteConfig` (the options at one query URL, plus the tunables of the client).

The store knows nothing of the service's settings: the application builds `RemoteOptions` from them
(`modernstats_kg.store_options.remote_options`) and passes it to `open_store`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import httpx

from .base import StoreError

__all__ = ["AUTH_SCHEMES", "SYSTEM_GRAPH", "RemoteConfig", "RemoteOptions"]

SYSTEM_GRAPH = "urn:x-mskg:system"
AUTH_SCHEMES = ("digest", "basic")


@dataclass(frozen=True)
class RemoteOptions:
    """What a deployment sets for a remote store; None means unset."""

    update_url: str | None = None  # SPARQL Update endpoint; None: the query URL
    graph_store_url: str | None = None  # Graph Store Protocol endpoint; None: write through SPARQL Update
    user: str | None = None  # credentials for writes
    password: str | None = field(default=None, repr=False)
    auth: str = "digest"  # or "basic"
    timeout_s: float = 10.0
    system_graph: str = SYSTEM_GRAPH  # records the versions and graphs; distinct values keep deployments apart


@dataclass(frozen=True)
class RemoteConfig:
    """Where and how to reach the server. Reads need only `query_url`; writes may need the others."""

    query_url: str
    update_url: str | None = None  # None: the query URL
    graph_store_url: str | None = None  # None: write through SPARQL Update
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    auth: str = "digest"  # or "basic"
    timeout_s: float = 10.0
    load_timeout_s: float = 300.0
    insert_chunk_triples: int = 500  # Virtuoso's SPARQL compiler gives up on INSERT DATA of a few thousand triples
    dataset_ttl_s: float = 5.0  # how long the list of graphs is reused before it is read again
    system_graph: str = SYSTEM_GRAPH  # records the versions and graphs; distinct values keep deployments apart

    @classmethod
    def from_options(cls, query_url: str, options: RemoteOptions) -> RemoteConfig:
        """The configuration for `query_url` with `options` (empty strings mean unset)."""
        auth = options.auth.strip().lower()
        if auth not in AUTH_SCHEMES:
            raise StoreError(f"the remote store's auth must be 'digest' or 'basic', not {options.auth!r}")
        values = {name: value or None for name, value in asdict(options).items()}
        values.update(auth=auth, timeout_s=options.timeout_s, system_graph=options.system_graph or SYSTEM_GRAPH)
        return cls(query_url=query_url, **values)  # type: ignore[arg-type]

    def http_auth(self) -> httpx.Auth | None:
        if self.user is None:
            return None
        password = self.password or ""
        return httpx.DigestAuth(self.user, password) if self.auth == "digest" else httpx.BasicAuth(self.user, password)
