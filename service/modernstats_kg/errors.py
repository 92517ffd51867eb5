"""Errors, in one place: exceptions that carry their HTTP status, one body builder, one handler.

    ServiceError (500)
     ├── BadRequest (400) ── QueryRejected (400: a query this endpoint refuses, e.g. SERVICE)
     ├── Forbidden (403)
     ├── NotFound (404)
     ├── MethodNotAllowed (405)
     ├── NotAcceptable (406)
     ├── PayloadTooLarge (413)
     ├── URITooLong (414)
     ├── UnsupportedMediaType (415)
     ├── Unprocessable (422)
     └── ServiceUnavailable (503) ── QueryTimeout (503)

Raise them anywhere (they need no web framework, so the store, the query workers and the CLI raise them too);
`error_handlers.install(app)` turns them, Starlette's own HTTP errors, request validation errors and any unexpected
exception into one shape: `error_body` as JSON for API clients, or a small readable HTML page for browsers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "BadRequest",
    "Forbidden",
    "MethodNotAllowed",
    "NotAcceptable",
    "NotFound",
    "PayloadTooLarge",
    "QueryRejected",
    "QueryTimeout",
    "ServiceError",
    "ServiceUnavailable",
    "URITooLong",
    "Unprocessable",
    "UnsupportedMediaType",
    "error_body",
]


class ServiceError(Exception):
    """An error with an HTTP status; `details` become extra fields of the JSON body (e.g. `line`, `column`)."""

    status = 500

    def __init__(self, message: str, *, headers: Mapping[str, str] | None = None, **details: Any):
        super().__init__(message)
        self.message = message
        self.headers = dict(headers or {})
        self.details = {k: v for k, v in details.items() if v is not None}


class BadRequest(ServiceError):
    status = 400


class QueryRejected(BadRequest):
    """A well-formed query this endpoint refuses to run (federated SERVICE calls, LOAD, updates)."""


class Forbidden(ServiceError):
    status = 403


class NotFound(ServiceError):
    status = 404


class MethodNotAllowed(ServiceError):
    status = 405


class NotAcceptable(ServiceError):
    status = 406


class PayloadTooLarge(ServiceError):
    status = 413


class URITooLong(ServiceError):
    status = 414


class UnsupportedMediaType(ServiceError):
    status = 415


class Unprocessable(ServiceError):
    """Well-formed but unusable values (a parameter out of range, a change that breaks a shape)."""

    status = 422


class ServiceUnavailable(ServiceError):
    status = 503


class QueryTimeout(ServiceUnavailable):
    """The query ran past the time limit and was stopped."""


def error_body(status: int, message: str, **details: Any) -> dict[str, Any]:
    """The one JSON shape of every error."""
    return {"ok": False, "status": status, "error": message, **{k: v for k, v in details.items() if v is not None}}
