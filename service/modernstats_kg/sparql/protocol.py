"""Reading a SPARQL 1.1 Protocol request: https://www.w3.org/TR/sparql11-protocol/

Queries by GET (`?query=`), POST form (`application/x-www-form-urlencoded`) and POST direct
(`application/sparql-query`), with `default-graph-uri` and `named-graph-uri` (repeatable) and `format=`. Whatever
the method and encoding, the result is one `ProtocolRequest`; malformed requests raise 4xx errors.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import parse_qsl

import pyoxigraph as ox
from starlette.requests import Request

from ..errors import BadRequest, Forbidden, PayloadTooLarge, UnsupportedMediaType, URITooLong

__all__ = ["FORM", "SPARQL_QUERY", "SPARQL_UPDATE", "UPDATE_REFUSED", "ProtocolRequest", "read_protocol_request"]

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
_UTF8 = {"utf-8", "utf8", "us-ascii", "ascii"}
UPDATE_REFUSED = (
    "SPARQL Update is not accepted on /sparql: this endpoint only answers queries "
    "(changes go through the authenticated editing service)"
)


@dataclass(frozen=True)
class ProtocolRequest:
    """The protocol operation a request carries, whatever its method and encoding."""

    query: str | None
    update: str | None
    default_graph_uris: tuple[str, ...]
    named_graph_uris: tuple[str, ...]
    format: str | None


async def read_protocol_request(request: Request, max_bytes: int) -> ProtocolRequest:
    """Read the operation from the URL and, for POST, the body; raises 4xx errors for malformed requests."""
    if len(request.scope["query_string"]) > max_bytes:  # the raw bytes: no URL object built
        raise URITooLong(f"the URL is longer than {max_bytes} bytes: send long queries with POST")
    url_params = _url_params(request.scope["query_string"])
    body_params: list[tuple[str, str]] = []
    direct: str | None = None
    if request.method == "POST":
        media, charset = _content_type(request.headers.get("content-type", ""))
        if media == SPARQL_UPDATE:
            raise Forbidden(UPDATE_REFUSED)
        if media not in (FORM, SPARQL_QUERY):
            got = f"{media!r}" if media else "no Content-Type"
            raise UnsupportedMediaType(
                f"a POST to /sparql needs Content-Type {FORM} (query=...) or {SPARQL_QUERY} (the query as the body); "
                f"got {got}"
            )
        if charset is not None and charset not in _UTF8:
            raise UnsupportedMediaType(f"the body must be UTF-8; got charset {charset!r}")
        body = await _read_body(request, max_bytes)
        text = await _off_loop(len(body) > _LARGE, _utf8, body)
        if media == SPARQL_QUERY:
            direct = text
        else:
            try:  # a large form costs a noticeable time to decode: off the event loop
                body_params = await _off_loop(len(text) > _LARGE, _form_fields, text)
            except (UnicodeDecodeError, ValueError) as exc:
                raise BadRequest(f"the form body cannot be read: {exc}") from exc
    params = [*url_params, *body_params]
    queries = [value for name, value in params if name == "query"]
    updates = [value for name, value in params if name == "update"]
    if direct is not None:
        queries.append(direct)
    if updates:
        raise Forbidden(UPDATE_REFUSED)
    if len(queries) > 1:
        raise BadRequest("give one query: the request carries several (query parameters, form fields or body)")
    query = queries[0] if queries else None
    if query is not None and not query.strip():
        raise BadRequest("the query is empty")
    formats = [value for name, value in params if name == "format" and value.strip()]
    return ProtocolRequest(
        query=query,
        update=None,
        default_graph_uris=_iris(params, "default-graph-uri"),
        named_graph_uris=_iris(params, "named-graph-uri"),
        format=formats[0] if formats else None,
    )


_LARGE = 64 * 1024  # bytes from which decoding a body moves to a thread
_T = TypeVar("_T")
_A = TypeVar("_A")


async def _off_loop(large: bool, work: Callable[[_A], _T], argument: _A) -> _T:
    return await asyncio.to_thread(work, argument) if large else work(argument)


def _form_fields(text: str) -> list[tuple[str, str]]:
    return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict", max_num_fields=1000)


def _url_params(raw: bytes) -> list[tuple[str, str]]:
    """The URL's parameters, read strictly: text that is not UTF-8 is a 400, as in a POST body (never replaced)."""
    try:
        return parse_qsl(raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadRequest(f"the URL's query string is not valid UTF-8 once decoded: {exc}") from exc


def _content_type(header: str) -> tuple[str, str | None]:
    media, _, rest = header.partition(";")
    charset = None
    for param in rest.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.strip().lower(), charset


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"the request body is larger than {limit} bytes", max_request_bytes=limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"the request body is larger than {limit} bytes", max_request_bytes=limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"the body is not valid UTF-8 (byte {exc.start})") from exc


def _iris(params: Sequence[tuple[str, str]], name: str) -> tuple[str, ...]:
    values = tuple(value for key, value in params if key == name)
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError as exc:
            raise BadRequest(f"{name} is not a valid IRI: {value!r} ({exc})") from exc
    return values
