"""The SPARQL 1.1 Protocol endpoint (`/sparql`): https://www.w3.org/TR/sparql11-protocol/

- Queries by GET (`?query=`), POST form (`application/x-www-form-urlencoded`) and POST direct
  (`application/sparql-query`), with `default-graph-uri` and `named-graph-uri` (repeatable).
- Results: SELECT as JSON, XML, CSV or TSV; ASK as JSON or XML; CONSTRUCT and DESCRIBE as Turtle, N-Triples,
  JSON-LD or RDF/XML; chosen by `Accept` or `format=` (`conneg`); browsers get an HTML page.
- A GET without a query: the Service Description (RDF) or, for browsers, the query page with examples.
- Within limits: request size, a query time limit that stops the work (`query_runner`), a cap on result rows, no
  SERVICE or LOAD calls unless allow-listed (`sparql_limits`); updates are never accepted here.
- Answers kept per content version (`result_cache`): a repeat runs nothing; `X-Cache` says `hit`, `miss` or
  `bypass` (an answer never kept).
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Depends, FastAPI, Request
from starlette.responses import Response

from . import conneg, sparql_limits
from .conneg import BOOLEAN_RESULTS, HTML, RDF_GRAPHS, SOLUTION_RESULTS, Representation, Validators
from .errors import (
    BadRequest,
    Forbidden,
    NotAcceptable,
    PayloadTooLarge,
    ServiceError,
    UnsupportedMediaType,
    URITooLong,
    wants_html,
)
from .query_execution import BOOLEAN, GRAPH, SOLUTIONS, QueryAnswer, QueryJob
from .query_runner import runner_for
from .result_cache import ReplayStoredResponses, ResultCache, StoredResponse, answer_job, replay_key
from .service_description import PREFIXES as SD_PREFIXES
from .service_description import describe_service
from .state import ServiceState, service_state

__all__ = ["ProtocolRequest", "install", "read_protocol_request", "router"]

router = APIRouter()

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
PAGE_ROWS = 1000  # rows shown on the HTML page (the full result is a format link away)
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
    url_params = request.query_params.multi_items()
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
        text = _utf8(body)
        if media == SPARQL_QUERY:
            direct = text
        else:
            try:
                body_params = parse_qsl(
                    text, keep_blank_values=True, encoding="utf-8", errors="strict", max_num_fields=1000
                )
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


# --- the endpoint ---------------------------------------------------------------------------------------------------

_PARAMETERS = [
    {
        "name": "query",
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "description": "A SPARQL 1.1 query; without it, GET returns the service description (or the query page).",
    },
    {
        "name": "default-graph-uri",
        "in": "query",
        "required": False,
        "schema": {"type": "array", "items": {"type": "string"}},
        "style": "form",
        "explode": True,
        "description": "Graphs whose merge is the default graph (default: the union of all named graphs).",
    },
    {
        "name": "named-graph-uri",
        "in": "query",
        "required": False,
        "schema": {"type": "array", "items": {"type": "string"}},
        "style": "form",
        "explode": True,
        "description": "Named graphs the query may address with GRAPH (default: all).",
    },
    {
        "name": "format",
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "description": "Overrides Accept: json, xml, csv, tsv, turtle, ntriples, jsonld, rdfxml, html or a media type.",
    },
]


@router.post(
    "/sparql",
    summary="SPARQL 1.1 query by POST (form or application/sparql-query body)",
    response_class=Response,
    operation_id="sparql_post",
)
@router.get(
    "/sparql",
    summary="SPARQL 1.1 query by GET; without a query, the service description",
    response_class=Response,
    operation_id="sparql_get",
    openapi_extra={"parameters": _PARAMETERS},
)
async def sparql_endpoint(request: Request, state: Annotated[ServiceState, Depends(service_state)]) -> Response:
    settings = state.settings
    try:
        protocol = await read_protocol_request(request, settings.max_request_bytes)
    except ServiceError as exc:
        if request.method == "GET" and wants_html(request):
            return _page(request, state, query=request.query_params.get("query", ""), error=exc)
        raise
    if protocol.query is None:
        if request.method == "POST":
            raise BadRequest("the request carries no query: send it as the query form field or as the body")
        return _describe(request, state, protocol)
    return await _answer(request, state, protocol)


router.add_api_route("/sparql", sparql_endpoint, methods=["HEAD"], include_in_schema=False)


def _maybe(offers: Sequence[Representation], accept: str | None, fmt: str | None) -> Representation | None:
    try:
        return conneg.negotiate(offers, accept, format=fmt)
    except NotAcceptable:
        return None


_Choices = tuple[Representation | None, Representation | None, Representation | None]
_CHOICES: dict[tuple[str | None, str | None], _Choices] = {}  # clients send few distinct Accept headers


def _choices(accept: str | None, fmt: str | None) -> _Choices:
    """The representation for SELECT, ASK and CONSTRUCT/DESCRIBE results (None: not acceptable), remembered per
    (Accept, format) pair."""
    found = _CHOICES.get((accept, fmt))
    if found is None:
        found = (
            _maybe((*SOLUTION_RESULTS, HTML), accept, fmt),
            _maybe((*BOOLEAN_RESULTS, HTML), accept, fmt),
            _maybe((*RDF_GRAPHS, HTML), accept, fmt),
        )
        if len(_CHOICES) >= 512:
            _CHOICES.clear()
        _CHOICES[(accept, fmt)] = found
    return found


async def _answer(request: Request, state: ServiceState, protocol: ProtocolRequest) -> Response:
    settings = state.settings
    query = protocol.query or ""
    accept = request.headers.get("accept")
    solutions, boolean, graph = _choices(accept, protocol.format)
    if solutions is None and boolean is None and graph is None:
        requested = protocol.format or accept
        raise NotAcceptable(
            f"no result format fits {requested!r}: SELECT gives JSON, XML, CSV or TSV; ASK gives JSON or XML; "
            "CONSTRUCT and DESCRIBE give Turtle, N-Triples, JSON-LD or RDF/XML",
            available=sorted({r.media_type for r in (*SOLUTION_RESULTS, *RDF_GRAPHS, HTML)}),
        )
    html = solutions is HTML or graph is HTML
    validators = None
    if request.method in ("GET", "HEAD"):
        keys = [c.key if c else "-" for c in (solutions, boolean, graph)]
        validators = Validators.for_content(
            state.content_version,
            state.loaded_at,
            "sparql",
            query,
            *protocol.default_graph_uris,
            "|",
            *protocol.named_graph_uris,
            *keys,
        )
        if (not_modified := validators.not_modified(request)) is not None:
            return not_modified
    job = QueryJob(
        sparql=query,
        default_graph_uris=protocol.default_graph_uris,
        named_graph_uris=protocol.named_graph_uris,
        solutions=_media(solutions, html, conneg.SPARQL_JSON),
        boolean=_media(boolean, html, conneg.SPARQL_JSON),
        graph=_media(graph, html, conneg.N_TRIPLES),
        max_rows=min(PAGE_ROWS, settings.max_result_rows) if html else settings.max_result_rows,
        truncate=html,
        base_iri=settings.base_url.rstrip("/") + "/sparql",
    )
    try:
        answer, cache_status = await answer_job(
            job,
            _runner(request),
            request.app.state.query_cache,
            settings.service_allow_list,
            prefixed=graph in _PREFIXED,
        )
    except ServiceError as exc:
        if html:
            return _page(request, state, query=query, error=exc, protocol=protocol)
        raise
    if html:
        response = _page(request, state, query=query, answer=answer, protocol=protocol)
    else:
        response = Response(answer.body, media_type=answer.media_type)
    if cache_status is not None:
        response.headers["X-Cache"] = cache_status
    if validators is None:
        response.headers["Vary"] = conneg.VARY
        response.headers["Cache-Control"] = "no-store"
        return response
    validators.apply(response)
    if cache_status in ("hit", "miss") and not html and answer.content_version is not None:
        _keep(request, (answer.content_version, state.content_version), response)
    return response


def _keep(request: Request, versions: tuple[str, ...], response: Response) -> None:
    """Store the response for `ReplayStoredResponses`: the same GET, from the same content, gets these bytes."""
    key = replay_key(request.scope, versions)
    if key is not None:
        headers = tuple((name, value) for name, value in response.raw_headers if name != b"x-cache")
        request.app.state.query_cache.put(key, StoredResponse((*headers, (b"x-cache", b"hit")), bytes(response.body)))


_PREFIXED = (conneg.TURTLE, conneg.RDF_XML)  # formats that write prefixed names (HTML pages read them itself)


def _media(choice: Representation | None, html: bool, html_carrier: Representation) -> str | None:
    if html:
        return html_carrier.media_type
    if choice is None or choice is HTML:
        return None
    return choice.media_type


def _describe(request: Request, state: ServiceState, protocol: ProtocolRequest) -> Response:
    choice = conneg.negotiate((*RDF_GRAPHS, HTML), request.headers.get("accept"), format=protocol.format)
    endpoint = str(request.url.replace(query="", fragment=""))
    validators = Validators.for_content(
        state.content_version, state.loaded_at, "sparql-description", choice.key, endpoint
    )
    if (not_modified := validators.not_modified(request)) is not None:
        return not_modified
    if choice is HTML:
        response = _page(request, state, query="")
    else:
        triples = describe_service(endpoint, state.store.graphs(), federated=bool(state.settings.service_allow_list))
        assert isinstance(choice.format, ox.RdfFormat)
        prefixes = SD_PREFIXES if choice.format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
        body = (
            ox.serialize(triples, format=choice.format, prefixes=prefixes)
            if prefixes
            else ox.serialize(triples, format=choice.format)
        )
        response = Response(body, media_type=choice.media_type)
    return validators.apply(response)


# --- the HTML page ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Example:
    name: str
    title: str
    text: str


@cache
def examples() -> tuple[Example, ...]:
    """The example queries shipped in `queries/examples/*.rq` (first line: `# title`)."""
    folder = resources.files("modernstats_kg.queries").joinpath("examples")
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            text = entry.read_text(encoding="utf-8")
            first, _, rest = text.partition("\n")
            title = first.lstrip("#").strip() if first.startswith("#") else entry.name[:-3]
            found.append(Example(entry.name[:-3], title, rest.strip() + "\n"))
    return tuple(found)


@dataclass(frozen=True)
class Cell:
    text: str
    kind: str = "literal"  # iri, bnode, literal, triple, empty
    href: str | None = None
    lang: str | None = None
    datatype: str | None = None
    short: str | None = None  # the IRI as a prefixed name, when a known prefix fits


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


_LOCAL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-.]*(?<!\.)|")


def _shortener(prefixes: Mapping[str, str]) -> Callable[[str], str | None]:
    """IRI -> `prefix:local` with the longest namespace that leaves a plain local name, else None."""
    by_length = sorted(prefixes.items(), key=lambda item: -len(item[1]))

    def shorten(iri: str) -> str | None:
        for name, namespace in by_length:
            if iri.startswith(namespace) and _LOCAL_NAME.fullmatch(iri[len(namespace) :]):
                return f"{name}:{iri[len(namespace) :]}"
        return None

    return shorten


def _cell_from_json(value: Mapping[str, Any] | None, link: Callable[[str], str]) -> Cell:
    if value is None:
        return Cell("", "empty")
    kind = value.get("type")
    if kind == "uri":
        return Cell(value["value"], "iri", link(value["value"]))
    if kind == "bnode":
        return Cell(f"_:{value['value']}", "bnode")
    if kind == "triple":
        inner = value.get("value", {})
        parts = [_cell_from_json(inner.get(k), link).text for k in ("subject", "predicate", "object")]
        return Cell("<< " + " ".join(parts) + " >>", "triple")
    datatype = value.get("datatype")
    return Cell(
        str(value.get("value", "")),
        "literal",
        lang=value.get("xml:lang"),
        datatype=None if datatype in (None, _XSD_STRING) else datatype,
    )


def _cell_from_term(term: object, link: Callable[[str], str]) -> Cell:
    if isinstance(term, ox.NamedNode):
        return Cell(term.value, "iri", link(term.value))
    if isinstance(term, ox.BlankNode):
        return Cell(f"_:{term.value}", "bnode")
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value if term.datatype else None
        return Cell(
            term.value,
            "literal",
            lang=term.language,
            datatype=None if datatype in (None, _XSD_STRING) or term.language else datatype,
        )
    return Cell(str(term), "triple")


def _table(answer: QueryAnswer, link: Callable[[str], str], prefixes: Mapping[str, str]) -> dict[str, Any]:
    if answer.kind == BOOLEAN:
        return {"kind": BOOLEAN, "boolean": bool(json.loads(answer.body)["boolean"])}
    if answer.kind == SOLUTIONS:
        data = json.loads(answer.body)
        variables = list(data["head"].get("vars", []))
        rows = [[_cell_from_json(b.get(v), link) for v in variables] for b in data["results"]["bindings"]]
    else:
        variables = ["subject", "predicate", "object"]
        rows = [
            [_cell_from_term(t, link) for t in (q.subject, q.predicate, q.object)]
            for q in ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES)
        ]
    shorten = _shortener(prefixes)
    rows = [[replace(c, short=shorten(c.text)) if c.kind == "iri" else c for c in row] for row in rows]
    return {"kind": answer.kind, "vars": variables, "rows": rows, "truncated": answer.truncated}


def _format_links(query: str, protocol: ProtocolRequest | None, kind: str | None) -> list[tuple[str, str]]:
    offers = {SOLUTIONS: SOLUTION_RESULTS, BOOLEAN: BOOLEAN_RESULTS, GRAPH: RDF_GRAPHS}.get(kind or "", ())
    dataset = []
    if protocol is not None:
        dataset = [("default-graph-uri", g) for g in protocol.default_graph_uris]
        dataset += [("named-graph-uri", g) for g in protocol.named_graph_uris]
    return [(r.label, "/sparql?" + urlencode([("query", query), *dataset, ("format", r.key)])) for r in offers]


def _page(
    request: Request,
    state: ServiceState,
    *,
    query: str,
    answer: QueryAnswer | None = None,
    error: ServiceError | None = None,
    protocol: ProtocolRequest | None = None,
) -> Response:
    from .web.paths import page_url
    from .web.rdf import PREFIXES as RDF_PREFIXES
    from .web.templating import render

    shown = query or examples()[0].text if examples() else query
    context = {
        "query": shown,
        "examples": [(e.title, e.text, "/sparql?" + urlencode({"query": e.text})) for e in examples()],
        "result": _table(answer, page_url, {**RDF_PREFIXES, **sparql_limits.prefixes(query)}) if answer else None,
        "error": None
        if error is None
        else {
            "status": error.status,
            "message": error.message,
            "line": error.details.get("line"),
            "column": error.details.get("column"),
        },
        "downloads": _format_links(query, protocol, answer.kind if answer else None) if query else [],
        "timeout_s": state.settings.query_timeout_s,
        "max_rows": state.settings.max_result_rows,
        "page_rows": PAGE_ROWS,
        "description_links": [(r.label, f"/sparql?format={r.key}") for r in RDF_GRAPHS],
    }
    status = error.status if error is not None else 200
    response = render(request, "sparql.html", context, status_code=status)
    if error is not None:
        for name, value in error.headers.items():
            response.headers[name] = value
    response.headers["Vary"] = "Accept, Accept-Language, Cookie"
    return response


# --- wiring ---------------------------------------------------------------------------------------------------------


def _runner(request: Request) -> Any:
    runner = getattr(request.app.state, "query_runner", None)
    if runner is None:
        raise ServiceError("the query runner is not installed")
    return runner


def _versions(app: FastAPI) -> tuple[str, ...] | None:
    """The content versions a stored answer must match: the runner's (what queries run on) and the service's (what
    the ETag names); None when answers are not kept by version."""
    version = app.state.query_runner.content_version()
    return None if version is None else (version, app.state.service.content_version)


def install(app: FastAPI) -> None:
    """Add the endpoint and its query runner: its worker processes start with the server (forked from it while
    it is still single-threaded) and stop with it; without a server lifespan (tests) they start at the first query."""
    state: ServiceState = app.state.service
    runner = runner_for(state.store, timeout_s=state.settings.query_timeout_s)
    app.state.query_runner = runner
    app.state.query_cache = cache = ResultCache(state.settings.query_cache_bytes)
    app.add_middleware(ReplayStoredResponses, cache=cache, versions=lambda: _versions(app))
    app.include_router(router)
    previous = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: Any) -> AsyncIterator[Any]:
        runner.start(fork=True)
        try:
            async with previous(application) as inner:
                yield inner
        finally:
            runner.close()

    app.router.lifespan_context = lifespan
