"""The SPARQL 1.1 Protocol endpoint (`/sparql`): https://www.w3.org/TR/sparql11-protocol/

- Requests read by `protocol`: queries by GET, POST form and POST direct, with `default-graph-uri` and
  `named-graph-uri` (repeatable).
- Results: SELECT as JSON, XML, CSV or TSV; ASK as JSON or XML; CONSTRUCT and DESCRIBE as Turtle, N-Triples,
  JSON-LD or RDF/XML; chosen by `Accept` or `format=` (`conneg`); browsers get an HTML page.
- A GET without a query: the Service Description (RDF) or, for browsers, the query page with examples.
- Within limits: request size, a query time limit that stops the work (`workers`), a cap on result rows, no
  SERVICE or LOAD calls unless allow-listed (`limits`); updates are never accepted here.
- Answers kept per content version (`answer_cache`): a repeat runs nothing; `X-Cache` says `hit`, `miss` or
  `bypass` (an answer never kept).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import Annotated, Any, Protocol

import pyoxigraph as ox
from fastapi import APIRouter, Depends, FastAPI, Request
from starlette.responses import Response

from .. import conneg
from ..conneg import BOOLEAN_RESULTS, HTML, RDF_GRAPHS, SOLUTION_RESULTS, Representation, Validators, wants_html
from ..errors import BadRequest, NotAcceptable, PayloadTooLarge, ServiceError
from ..state import ServiceState, service_state
from .answer_cache import ReplayStoredResponses, ResultCache, StoredResponse, answer_job, replay_key
from .execution import QueryAnswer, QueryJob
from .protocol import ProtocolRequest, read_protocol_request
from .service_description import PREFIXES as SD_PREFIXES
from .service_description import describe_service
from .workers import default_worker_memory, default_workers, runner_for

__all__ = ["QueryPage", "install", "router"]

router = APIRouter()


class QueryPage(Protocol):
    """The query editor page for browsers (`web/query_editor.py`), handed to `install` by the app."""

    def __call__(
        self,
        request: Request,
        state: ServiceState,
        *,
        query: str,
        answer: QueryAnswer | None = None,
        error: ServiceError | None = None,
        dataset: Sequence[tuple[str, str]] = (),
        declared_prefixes: Mapping[str, str] | None = None,
    ) -> Response: ...


def _page(
    request: Request,
    state: ServiceState,
    *,
    query: str,
    answer: QueryAnswer | None = None,
    error: ServiceError | None = None,
    protocol: ProtocolRequest | None = None,
) -> Response:
    page: QueryPage = request.app.state.query_page
    dataset: list[tuple[str, str]] = []
    if protocol is not None:
        dataset = [("default-graph-uri", g) for g in protocol.default_graph_uris]
        dataset += [("named-graph-uri", g) for g in protocol.named_graph_uris]
    declared = dict(answer.prefixes) if answer is not None else None  # read by the worker, not here
    return page(request, state, query=query, answer=answer, error=error, dataset=dataset, declared_prefixes=declared)


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


_ERROR_SCHEMA = {
    "type": "object",
    "required": ["ok", "status", "error"],
    "properties": {"ok": {"const": False}, "status": {"type": "integer"}, "error": {"type": "string"}},
}


def _errors(**described: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI answers in the one error shape, by status (`e400="..."`)."""
    return {
        int(status[1:]): {"description": text, "content": {"application/json": {"schema": _ERROR_SCHEMA}}}
        for status, text in described.items()
    }


_COMMON_ERRORS = {
    "e400": "The query does not parse, nests too deep, calls SERVICE, or its answer passes the row cap.",
    "e406": "No result format fits the Accept header or `format=`.",
    "e413": "The query is longer than `MSKG_MAX_QUERY_CHARS`, or its answer larger than `MSKG_MAX_ANSWER_BYTES`.",
    "e503": "The query passed the time limit or the memory cap of a query worker, or every worker stayed busy.",
}


@router.post(
    "/sparql",
    summary="SPARQL 1.1 query by POST (form or application/sparql-query body)",
    response_class=Response,
    operation_id="sparql_post",
    responses=_errors(
        **_COMMON_ERRORS,
        e403="The request carries a SPARQL Update: this endpoint only answers queries.",
        e415="The body is neither `application/x-www-form-urlencoded` nor `application/sparql-query` in UTF-8.",
    ),
)
@router.get(
    "/sparql",
    summary="SPARQL 1.1 query by GET; without a query, the service description",
    response_class=Response,
    operation_id="sparql_get",
    openapi_extra={"parameters": _PARAMETERS},
    responses=_errors(
        **_COMMON_ERRORS, e414="The URL is longer than `MSKG_MAX_REQUEST_BYTES` (or than the server's header cap)."
    ),
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


@lru_cache(maxsize=512)  # clients send few distinct Accept headers
def _choices(accept: str | None, fmt: str | None) -> _Choices:
    """The representation for SELECT, ASK and CONSTRUCT/DESCRIBE results (None: not acceptable), remembered per
    (Accept, format) pair."""
    return (
        _maybe((*SOLUTION_RESULTS, HTML), accept, fmt),
        _maybe((*BOOLEAN_RESULTS, HTML), accept, fmt),
        _maybe((*RDF_GRAPHS, HTML), accept, fmt),
    )


async def _answer(request: Request, state: ServiceState, protocol: ProtocolRequest) -> Response:
    settings = state.settings
    query = protocol.query or ""
    if len(query) > settings.max_query_chars:  # screening and parsing cost grows with the text: refused unread
        raise PayloadTooLarge(
            f"the query is longer than {settings.max_query_chars} characters, the most this endpoint reads",
            max_query_chars=settings.max_query_chars,
        )
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
            state.data_version,
            state.modified_at,
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
        max_rows=min(settings.query_page_rows, settings.max_result_rows) if html else settings.max_result_rows,
        truncate=html,
        base_iri=settings.base_url.rstrip("/") + "/sparql",
        want_prefixes=html,
        max_bytes=settings.max_answer_bytes,
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
        conneg.set_vary(response, conneg.VARY)
        response.headers["Cache-Control"] = "no-store"
        return response
    validators.apply(response)
    if cache_status in ("hit", "miss") and not html and answer.content_version is not None:
        _keep(request, (answer.content_version, state.data_version), response)
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
        state.data_version, state.modified_at, "sparql-description", choice.key, endpoint
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
    return None if version is None else (version, app.state.service.data_version)


def install(app: FastAPI, *, query_page: QueryPage) -> None:
    """Add the endpoint, its query page for browsers and its query runner: the runner's worker processes start with
    the server (forked from it while it is still single-threaded) and stop with it; without a server lifespan (tests)
    they start at the first query."""
    state: ServiceState = app.state.service
    app.state.query_page = query_page
    settings = state.settings
    workers = settings.query_workers or default_workers()
    memory = settings.query_worker_memory_bytes or default_worker_memory(workers)
    runner = runner_for(state.store, timeout_s=settings.query_timeout_s, workers=workers, memory_bytes=memory)
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
