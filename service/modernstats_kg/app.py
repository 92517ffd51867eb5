"""`create_app(settings)`: open the store, bring it in line with the content, wire the routers. No logic here."""

from __future__ import annotations

import time

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware

from . import __version__, api, error_handlers, health, metrics_route, web
from .loader import load_content
from .metrics import MetricsMiddleware
from .settings import Settings
from .sparql import endpoint as sparql_endpoint
from .sparql import update_endpoint
from .state import ServiceState
from .store import open_store
from .store_options import remote_options
from .web import query_editor
from .web.i18n import error_page_words


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    store = open_store(settings.store, remote_options(settings))
    outcome = load_content(store, root=settings.content_dir)
    app = FastAPI(
        title="ModernStats KG",
        version=__version__,
        description="Knowledge graph of the UNECE ModernStats models: GSBPM, GSIM, CSPA, GAMSO and COOS.",
        docs_url=None,  # web/api_docs.py serves /docs and /redoc without a CDN, under the site's policy
        redoc_url=None,
    )
    app.state.service = ServiceState(
        settings=settings,
        store=store,
        content_version=outcome.version,
        loaded_at=time.time(),
        triples=outcome.triples,
        graphs=outcome.graphs,
    )
    app.include_router(health.router)
    metrics_route.install(app)  # /metrics, before the pages' catch-all
    sparql_endpoint.install(app, query_page=query_editor.query_page)  # the endpoint and its query workers
    app.include_router(update_endpoint.router)  # SPARQL Update, through the write gate
    app.include_router(api.router)
    app.include_router(api.accounts_router)
    app.include_router(api.editing_router)  # the mapping API and the changes, through the write gate
    error_handlers.install(app, page_words=error_page_words)  # error pages in the reader's language
    web.install(app)  # pages last: its IRI dispatcher answers any remaining path
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(
        error_handlers.ShapedCORSMiddleware,  # CORS, its refusals in the one error shape
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "HEAD"],
        expose_headers=["ETag", "Last-Modified", "Vary"],
    )
    app.add_middleware(MetricsMiddleware)  # outermost: counts and times every answer
    return app


def app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory`: every worker process builds its app from the `MSKG_*` environment."""
    return create_app(Settings.from_env())
