"""`/docs` (Swagger UI) and `/redoc` (ReDoc): the OpenAPI description of `/api/v1`, read in the browser offline.

FastAPI's own pages load their scripts from a CDN and start them with an inline script, which the site's Content
Security Policy blocks. These pages load the same viewers from the `fastapi-offline` package (served under
`/static/api-docs/`, its licence beside them) and start them with `static/api-docs.js`.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from .policy import REDOC_STYLES, with_style_hashes
from .templating import render

router = APIRouter()

ASSETS_URL = "/static/api-docs"


def assets_dir() -> Path:
    """The folder of the viewers' files inside the installed `fastapi-offline` package."""
    return Path(str(resources.files("fastapi_offline").joinpath("static")))


def assets() -> StaticFiles:
    return StaticFiles(directory=assets_dir())


VIEWERS = {
    "swagger": {
        "title": "API (Swagger UI)",
        "scripts": [f"{ASSETS_URL}/swagger-ui-bundle.js"],
        "styles": [f"{ASSETS_URL}/swagger-ui.css"],
    },
    "redoc": {"title": "API (ReDoc)", "scripts": [f"{ASSETS_URL}/redoc.standalone.js"], "styles": []},
}


def _page(request: Request, viewer: str) -> HTMLResponse:
    response = render(
        request,
        "api_docs.html",
        {"viewer": viewer, "openapi_url": request.app.openapi_url or "/openapi.json", **VIEWERS[viewer]},
    )
    if viewer == "redoc":
        response.headers["Content-Security-Policy"] = with_style_hashes(REDOC_STYLES)
    return response


@router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
def swagger_page(request: Request) -> HTMLResponse:
    return _page(request, "swagger")


@router.get("/redoc", response_class=HTMLResponse, include_in_schema=False)
def redoc_page(request: Request) -> HTMLResponse:
    return _page(request, "redoc")
