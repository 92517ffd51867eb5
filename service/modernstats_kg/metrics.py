"""What the service counts for its operators (Prometheus, `prometheus-client`), and the one-line log of query trouble.

    REQUESTS      mskg_http_requests_total{method, route, status}     route: the template, `/activities/{path}`
    LATENCY       mskg_http_request_duration_seconds{method, route}    a histogram, to the end of the response body
    CACHE_HITS    mskg_sparql_answer_cache_hits_total                  answers and responses served from memory
    RESTARTS      mskg_query_worker_restarts_total{reason}            workers stopped and replaced (timeout, crash)
    TIMEOUTS      mskg_query_timeouts_total                            queries stopped at the time limit

`MetricsMiddleware` measures every request; the SPARQL code reports the rest through `record_cache_hit()`,
`record_timeout(sparql, limit_s)` and `record_worker_restart(reason, sparql)`. The last two also log one line of
JSON (logger `modernstats_kg.queries`, level WARNING) naming the query by a hash of its text and its size only:
a query is another user's text, and never goes into the log.

The metrics live in one registry per process (`REGISTRY`), served by `metrics_route`. With `mskg serve
--workers N` each server process counts its own requests; a scrape sees the process that answers it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REGISTRY = CollectorRegistry(auto_describe=True)
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})  # any other: "other"
UNMATCHED = "(unmatched)"  # a path no route answers: one label for all of them, so junk paths add no series

REQUESTS = Counter(
    "mskg_http_requests", "HTTP requests answered, by route template and status.", ["method", "route", "status"]
)
LATENCY = Histogram(
    "mskg_http_request_duration_seconds",
    "Time from a request's arrival to the end of its response body, by route template.",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
)
CACHE_HITS = Counter("mskg_sparql_answer_cache_hits", "SPARQL answers (or whole responses) served from the cache.")
RESTARTS = Counter("mskg_query_worker_restarts", "Query worker processes stopped and replaced, by reason.", ["reason"])
TIMEOUTS = Counter("mskg_query_timeouts", "SPARQL queries stopped at the time limit.")
for metric in (REQUESTS, LATENCY, CACHE_HITS, RESTARTS, TIMEOUTS):
    REGISTRY.register(metric)

query_log = logging.getLogger("modernstats_kg.queries")

__all__ = [
    "REGISTRY",
    "MetricsMiddleware",
    "query_hash",
    "record_cache_hit",
    "record_timeout",
    "record_worker_restart",
]


def query_hash(sparql: str) -> str:
    """A short, stable name for a query's text (the first 16 hex digits of its SHA-256)."""
    return hashlib.sha256(sparql.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _log_query_event(event: str, sparql: str | None, **fields: Any) -> None:
    record: dict[str, Any] = {"event": event}
    if sparql is not None:
        record |= {"query_hash": query_hash(sparql), "query_bytes": len(sparql.encode("utf-8", "surrogatepass"))}
    query_log.warning(json.dumps(record | fields, sort_keys=False))


def record_cache_hit() -> None:
    """An answer came from the cache instead of a worker."""
    CACHE_HITS.inc()


def record_worker_restart(reason: str, sparql: str | None = None, **fields: Any) -> None:
    """A query worker was stopped and is being replaced (`reason`: "crash", "memory_cap", ...); logs one line."""
    RESTARTS.labels(reason=reason).inc()
    _log_query_event(f"query_worker_{reason}", sparql, **fields)


def record_timeout(sparql: str, limit_s: float, *, worker_restarted: bool = True) -> None:
    """A query ran past the time limit (its worker, when it had one, is replaced); logs one line."""
    TIMEOUTS.inc()
    if worker_restarted:
        RESTARTS.labels(reason="timeout").inc()
    _log_query_event("query_timeout", sparql, limit_s=limit_s, worker_restarted=worker_restarted)


def route_template(scope: Scope) -> str:
    """The path template of the route that answered (`/activities/{path:path}`), never the raw path."""
    route = scope.get("route")
    if isinstance(route, BaseRoute):
        path = getattr(route, "path", None) or getattr(route, "path_format", None)
        if isinstance(path, str):
            return path
    return UNMATCHED


class MetricsMiddleware:
    """Pure ASGI middleware: counts each HTTP request by route template and status, and times it to the end of
    its response body. Add it last, so it sits outermost and also sees answers replayed ahead of the routing."""

    def __init__(self, app: ASGIApp, *, replayed_paths: tuple[str, ...] = ("/sparql",)) -> None:
        self.app = app
        self.replayed_paths = replayed_paths  # answered ahead of the router: the path is the route

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets when the app fails before answering

        async def send_and_watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_watch)
        finally:
            route = route_template(scope)
            if route == UNMATCHED and scope["path"] in self.replayed_paths:
                route = scope["path"]
            method = scope["method"] if scope["method"] in KNOWN_METHODS else "other"
            REQUESTS.labels(method=method, route=route, status=str(status)).inc()
            LATENCY.labels(method=method, route=route).observe(time.perf_counter() - started)
