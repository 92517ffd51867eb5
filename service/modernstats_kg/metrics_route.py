"""`/metrics`: the service's counters and histograms in the Prometheus text format (see `metrics.py`).

Operational data, not content: a public deployment lets only its monitoring reach this path (see the reverse
proxy example in the README).
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.responses import Response

from .metrics import REGISTRY, MetricsMiddleware

router = APIRouter()

__all__ = ["MetricsMiddleware", "router"]


@router.get("/metrics", include_in_schema=False)
async def metrics() -> Response:
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)


def install(app: FastAPI) -> None:
    """Add the `/metrics` route; call it before the pages' catch-all IRI dispatcher (the middleware is added last,
    with `app.add_middleware(MetricsMiddleware)`, so that it is outermost)."""
    app.include_router(router)
