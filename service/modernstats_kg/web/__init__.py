"""The clickable browser: server-rendered pages over the read model (`catalog`), with static assets.

`install(app)` mounts the static files, adds the page routers (the IRI dispatcher last, since it answers any path)
and the security headers of HTML responses.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import (
    api_docs,
    browse,
    changes_feed,
    dereference,
    downloads,
    edit_mapping,
    edit_propose,
    flow,
    gsbpm_commonalities,
    gsbpm_geospatial,
    gsbpm_versions,
    home,
    login,
    matrix,
    query_editor,
    releases,
    review_queue,
    search,
    spreadsheets,
    sssom,
    task_form,
)
from .policy import CONTENT_SECURITY_POLICY

STATIC_DIR = Path(__file__).resolve().parent / "static"


class SecurityHeaders:
    """ASGI middleware: every HTML response gets a Content-Security-Policy (no inline script or style) unless its
    router set one, plus `nosniff` and a same-origin referrer policy."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if headers.get("content-type", "").startswith("text/html"):
                    if "content-security-policy" not in headers:
                        headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
                    if "x-content-type-options" not in headers:
                        headers["X-Content-Type-Options"] = "nosniff"
                    if "referrer-policy" not in headers:
                        headers["Referrer-Policy"] = "same-origin"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install(app: FastAPI) -> None:
    """Wire the pages into `app`; call it after every other router so the IRI dispatcher comes last."""
    app.mount(api_docs.ASSETS_URL, api_docs.assets(), name="api-docs")  # before /static, which would take it
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(SecurityHeaders)
    for module in (
        home,
        api_docs,
        query_editor,
        search,
        browse,
        matrix,
        flow,
        downloads,
        login,
        edit_propose,
        edit_mapping,
        review_queue,
        task_form,
        gsbpm_versions,
        gsbpm_geospatial,
        gsbpm_commonalities,
        changes_feed,
        releases,
        sssom,
        spreadsheets,
    ):
        app.include_router(module.router)
    app.include_router(dereference.router)
