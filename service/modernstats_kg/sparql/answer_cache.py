"""Answers of `/sparql` kept by content version: a repeated query is served without running it again.

The content changes only with a new content version, so an answer computed for version V stays right for as long
as the store holds V. Two kinds of entries share one LRU map, capped in bytes (`Settings.query_cache_bytes`):

- answers (`QueryAnswer`), keyed by the version they were computed from and the `QueryJob` (query text, dataset,
  the media type wanted for each kind of result, row cap, page truncation, base IRI): `answer_job` looks there
  before any check or worker, for every method and for the HTML page;
- whole responses (`StoredResponse`), keyed by the versions, the raw query string and the Accept header of a GET:
  `ReplayStoredResponses` sends them before the request reaches the framework's routing, which is most of the
  cost of a cheap query. Revalidations (`If-None-Match`) go on to the endpoint, which answers 304.

A new version never matches an old entry; old entries age out. Only successful answers are stored (the runner
raises for every failure: syntax errors, refused SERVICE calls, time-outs, row caps). Queries whose answer may
change without a new version are never stored: those calling `NOW()`, `RAND()`, `UUID()` or `STRUUID()`, and, when
an allow-list permits `SERVICE`, those calling another endpoint. An entry costs its body, key text and headers plus
`ENTRY_OVERHEAD`; a body held by both kinds of entry counts twice, so the cap errs on the safe side.

    >>> cache = ResultCache(max_bytes=1_000)
    >>> key = ("v1", QueryJob("ASK {}"))
    >>> cache.put(key, QueryAnswer("boolean", "application/sparql-results+json", b'{"boolean":true}'))
    True
    >>> cache.get(key).body
    b'{"boolean":true}'
    >>> cache.get(("v2", QueryJob("ASK {}"))) is None
    True
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, replace

from cachetools import LRUCache
from starlette.types import ASGIApp, Receive, Scope, Send

from ..metrics import record_cache_hit
from .execution import QueryAnswer, QueryJob
from .screening import cacheable
from .workers import InlineQueryRunner, QueryRunner

__all__ = [
    "CacheStats",
    "ReplayStoredResponses",
    "ResultCache",
    "StoredResponse",
    "answer_job",
    "cacheable",
    "replay_key",
]

ENTRY_OVERHEAD = 512  # bytes counted per entry beyond its body and query text: key, answer object, LRU links


@dataclass(frozen=True)
class StoredResponse:
    """A complete `/sparql` response (status 200), as sent: replayed for the same GET without running anything."""

    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes


Entry = QueryAnswer | StoredResponse


@dataclass(frozen=True)
class CacheStats:
    entries: int
    bytes: int
    max_bytes: int
    hits: int
    misses: int
    evictions: int


class _CountingLRU(LRUCache[Hashable, tuple[Entry, int]]):
    """cachetools' LRU map, sized by each value's recorded cost, counting what it evicts."""

    evictions = 0

    def popitem(self) -> tuple[Hashable, tuple[Entry, int]]:
        self.evictions += 1
        return super().popitem()


class ResultCache:
    """A least-recently-used map of answers, capped in bytes (`max_bytes` 0: disabled, nothing is stored).

    The cost of an entry is its body, its query text and `ENTRY_OVERHEAD`; an answer larger than the whole cap is
    not stored. Safe to use from several threads.
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = max(int(max_bytes), 0)
        self._entries = _CountingLRU(maxsize=max(self.max_bytes, 1), getsizeof=lambda value: value[1])
        self._hits = self._misses = 0
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def get(self, key: Hashable, *, count_miss: bool = True) -> Entry | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self._misses += count_miss
                return None
            self._hits += 1
            record_cache_hit()
            return found[0]

    def put(self, key: Hashable, answer: Entry) -> bool:
        """Store `answer` under `key`, evicting the least recently used entries to stay under the cap; False when
        it was not stored (cache disabled, or the answer alone is larger than the cap)."""
        cost = _cost(key, answer)
        if cost > self.max_bytes:
            return False
        with self._lock:
            self._entries[key] = (answer, cost)
        return True

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def stats(self) -> CacheStats:
        with self._lock:
            return CacheStats(
                len(self._entries),
                int(self._entries.currsize),
                self.max_bytes,
                self._hits,
                self._misses,
                self._entries.evictions,
            )

    def __len__(self) -> int:
        return len(self._entries)


def _cost(key: Hashable, entry: Entry) -> int:
    size = len(entry.body) + ENTRY_OVERHEAD
    if isinstance(entry, StoredResponse):
        size += sum(len(name) + len(value) for name, value in entry.headers)
    return size + _text(key)


def _text(part: object) -> int:
    if isinstance(part, (str, bytes)):
        return len(part)
    if isinstance(part, tuple):
        return sum(_text(p) for p in part)
    if isinstance(part, QueryJob):
        return len(part.sparql) + _text(part.default_graph_uris) + _text(part.named_graph_uris)
    return 0


# --- answering a job: from the cache, else from a query worker ---------------------------------------------------


async def answer_job(
    job: QueryJob,
    runner: QueryRunner | InlineQueryRunner,
    cache: ResultCache,
    allow_list: Sequence[str],
    *,
    prefixed: bool = False,
) -> tuple[QueryAnswer, str | None]:
    """The answer to `job` and where it came from: `hit` (kept), `miss` (ran, now kept), `bypass` (ran, never
    kept), None (the cache is off). A kept answer passed every check before it was first computed, from the very
    content version the runner answers from now; otherwise the job goes to a worker, which screens the query first
    (`screening`: nesting, SERVICE refused unless allow-listed, the parse check of its neutralised copy, its
    prefixes) and says whether its answer may be kept. Nothing here reads the query text: a large query costs the
    event loop one hash. `prefixed`: the format writes prefixed names, with the query's own prefixes."""
    version = runner.content_version() if cache.enabled else None
    if version is not None and isinstance(cached := cache.get((version, job)), QueryAnswer):
        return cached, "hit"
    screened = replace(job, screen=tuple(allow_list), want_prefixes=prefixed or job.want_prefixes)
    answer = await runner.run_async(screened)
    if not cache.enabled:
        return answer, None
    if version is None or not answer.cacheable or answer.content_version is None:
        return answer, "bypass"
    cache.put((answer.content_version, job), answer)  # the version it was computed from, whatever came since
    return answer, "miss"


# --- replaying stored responses ahead of the framework ----------------------------------------------------------

_CONDITIONAL = (b"if-none-match", b"if-modified-since")


def replay_key(scope: Scope, versions: tuple[str, ...]) -> tuple[object, ...] | None:
    """What selects a stored response: the content versions, the raw query string and the Accept header of a GET
    or HEAD; None for other requests and for revalidations (the endpoint answers those with 304 when it can)."""
    if scope["method"] not in ("GET", "HEAD"):
        return None
    accept = None
    for name, value in scope["headers"]:
        if name == b"accept":
            if accept is None:
                accept = value
        elif name in _CONDITIONAL:
            return None
    return ("response", versions, scope["query_string"], accept)


class ReplayStoredResponses:
    """ASGI middleware in front of the routing: a GET or HEAD of `path` that was answered before, from the same
    content versions with the same query string and Accept header, gets the stored response at once; the
    middleware outside it (compression, CORS) still applies. Anything else goes on to the endpoint, which stores
    the responses worth replaying (`StoredResponse`)."""

    def __init__(
        self, app: ASGIApp, *, cache: ResultCache, versions: Callable[[], tuple[str, ...] | None], path: str = "/sparql"
    ):
        self.app, self.cache, self.versions, self.path = app, cache, versions, path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == self.path and self.cache.enabled:
            versions = self.versions()
            key = replay_key(scope, versions) if versions is not None else None
            stored = self.cache.get(key, count_miss=False) if key is not None else None
            if isinstance(stored, StoredResponse):
                await send({"type": "http.response.start", "status": 200, "headers": list(stored.headers)})
                await send({"type": "http.response.body", "body": stored.body})
                return
        await self.app(scope, receive, send)
