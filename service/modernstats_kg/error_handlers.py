"""One place turns errors into responses: `ServiceError` and its subclasses (`errors.py`), Starlette's own HTTP
errors, request validation errors and any unexpected exception get one shape: JSON for API clients
(`{"ok": false, "status": 400, "error": "...", ...details}`) or a small readable HTML page for browsers. An
unexpected exception answers 500 with a generic message: never a traceback.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Match

from .conneg import wants_html
from .errors import ServiceError, error_body

__all__ = ["ShapedCORSMiddleware", "error_response", "install"]

log = logging.getLogger(__name__)

# The reader's interface language and its strings, for the HTML error page: the app hands in the pages' own
# (`web.i18n.error_page_words`; this layer may not import `web`). Without it the page is English.
ErrorPageWords = Callable[[Request], tuple[str, Mapping[str, str]]]
_ENGLISH_WORDS: Mapping[str, str] = {
    "home": "Home",
    "error_sparql_page": "SPARQL query page",
    "error_at": "At line {line}.",
    "error_at_column": "At line {line}, column {column}.",
}


def error_response(
    request: Request,
    status: int,
    message: str,
    *,
    headers: Mapping[str, str] | None = None,
    **details: Any,
) -> Response:
    """The error as JSON or, for browsers, as a readable HTML page; always `Vary: Accept`."""
    all_headers = {**(headers or {}), "Vary": "Accept", "Cache-Control": "no-store"}
    if wants_html(request):
        page_words: ErrorPageWords | None = getattr(request.app.state, "error_page_words", None)
        lang, words = page_words(request) if page_words is not None else ("en", _ENGLISH_WORDS)
        body = _html_page(status, message, details, lang, words)
        return HTMLResponse(body, status_code=status, headers=all_headers)
    return JSONResponse(error_body(status, message, **details), status_code=status, headers=all_headers)


def _html_page(status: int, message: str, details: Mapping[str, Any], lang: str, words: Mapping[str, str]) -> str:
    """The error page in `lang`; the message itself comes from the code in English, and is marked so."""
    try:
        phrase = words.get(f"http_{status}") or HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    title = f"{status} {phrase}".strip()
    where = ""
    if details.get("line") is not None:
        line, column = int(details["line"]), details.get("column")
        at = words["error_at"] if column is None else words["error_at_column"]
        where = f"<p>{html.escape(at.format(line=line, column=column if column is None else int(column)))}</p>"
    said_in = ' lang="en"' if lang != "en" else ""
    return (
        f'<!doctype html>\n<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n"
        '<link rel="stylesheet" href="/static/style.css">\n</head>\n<body>\n<main id="main" class="error">\n'
        f"<h1>{html.escape(title)}</h1>\n<p{said_in}>{html.escape(message)}</p>\n{where}\n"
        f'<p><a href="/">{html.escape(words["home"])}</a> · '
        f'<a href="/sparql">{html.escape(words["error_sparql_page"])}</a></p>\n</main>\n</body>\n</html>\n'
    )


async def _service_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ServiceError)
    return error_response(request, exc.status, exc.message, headers=exc.headers, **exc.details)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code in (204, 304) or exc.status_code < 400:
        return Response(status_code=exc.status_code, headers=exc.headers)
    message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    headers = dict(exc.headers or {})
    if exc.status_code == 405:  # Starlette names only the first route's methods: name those of every route
        allowed = _allowed_methods(request)
        headers["Allow"] = ", ".join(allowed)
        message = f"Method Not Allowed: {request.method} is not allowed here; allowed: {', '.join(allowed)}"
    return error_response(request, exc.status_code, message, headers=headers)


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route answers on this path (asked of the routes themselves, included routers too)."""
    routes = request.app.router.routes
    return [
        method
        for method in _METHODS
        if any(route.matches({**request.scope, "method": method})[0] == Match.FULL for route in routes)
    ]


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error.get("loc", ()))
        problem = f"{where}: {error.get('msg', 'invalid')}"
        if error.get("input") is not None and not isinstance(error.get("input"), dict):
            problem += f" (got {error['input']!r})"
        problems.append(problem)
    return error_response(request, 422, "; ".join(problems) or "invalid request")


async def _unexpected_error(request: Request, exc: Exception) -> Response:
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(request, 500, "internal server error: the problem was logged")


class ShapedCORSMiddleware(CORSMiddleware):
    """Starlette's CORS middleware, whose refused preflight (plain text) gets the one JSON error shape."""

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code < 400:
            return response
        message = bytes(response.body).decode("utf-8", "replace")
        headers = {k: v for k, v in response.headers.items() if k.lower().startswith("access-control-")}
        return JSONResponse(
            error_body(response.status_code, f"cross-origin request refused: {message}"),
            status_code=response.status_code,
            headers={**headers, "Vary": "Origin", "Cache-Control": "no-store"},
        )


def install(app: FastAPI, page_words: ErrorPageWords | None = None) -> None:
    """Register the handlers: ServiceError and subclasses, Starlette HTTP errors, validation errors, the rest; the
    HTML error page speaks the reader's language with `page_words`."""
    app.state.error_page_words = page_words
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected_error)
