"""One query job and what a worker does with it: run it, serialise the answer in the wanted format, stop at the
row cap, and say why when there is no answer.

`execute` never raises for anything the query text can cause; it is the same code in a worker process and in
process (`workers`). A job with `screen` set is screened first (`screening`: nesting, SERVICE, prefixes), so that
work happens in the worker, never on the server's event loop. Answers are capped in rows and in bytes. Rows are
counted while serialising: solutions are written as TSV and graphs as N-Triples (one line each) into a buffer that
stops the serialiser once a cap is passed, then converted to the wanted format.
"""

from __future__ import annotations

import pickle
import re
import struct
from dataclasses import dataclass, field, replace
from typing import IO, Any, cast

import pyoxigraph as ox

from ..conneg import BOOLEAN, GRAPH, SOLUTIONS
from ..errors import BadRequest, NotAcceptable, PayloadTooLarge, QueryRejected, ServiceError, ServiceUnavailable
from ..store import QuerySyntaxError, Store, StoreError
from ..store.sparql_text import QueryTooDeep, check_syntax
from .screening import screen

__all__ = [
    "BOOLEAN",
    "GRAPH",
    "SOLUTIONS",
    "QueryAnswer",
    "QueryFailure",
    "QueryJob",
    "QueryOutcome",
    "answer_or_raise",
    "decode_outcome",
    "encode_outcome",
    "execute",
    "syntax_failure",
]

_TSV = ox.QueryResultsFormat.TSV
_NT = ox.RdfFormat.N_TRIPLES


@dataclass(frozen=True)
class QueryJob:
    """One query and how to answer it: the media type wanted for each kind of result (None: not acceptable)."""

    sparql: str
    default_graph_uris: tuple[str, ...] = ()
    named_graph_uris: tuple[str, ...] = ()
    solutions: str | None = "application/sparql-results+json"
    boolean: str | None = "application/sparql-results+json"
    graph: str | None = "text/turtle"
    max_rows: int = 100_000
    truncate: bool = False  # True: stop quietly at max_rows (pages); False: a larger result is an error
    check: str | None = None  # the neutralised text to parse first (limits.neutralized)
    prefixes: tuple[tuple[str, str], ...] = ()  # for Turtle and RDF/XML output
    base_iri: str | None = None  # resolves relative IRIs (a BASE in the query still wins)
    screen: tuple[str, ...] | None = None  # screen first, with this SERVICE allow-list (None: not screened here)
    want_prefixes: bool = False  # read the query's prefixes while screening (Turtle, RDF/XML, the query page)
    max_bytes: int | None = None  # the largest answer body; None: no cap


@dataclass(frozen=True)
class QueryAnswer:
    kind: str  # solutions, boolean or graph
    media_type: str
    body: bytes
    rows: int | None = None  # solutions or triples written (None for a boolean)
    truncated: bool = False
    content_version: str | None = None  # the content version it was computed from, when the runner knows it
    cacheable: bool = True  # False: the answer may change within a content version (NOW(), allowed SERVICE)
    prefixes: tuple[tuple[str, str], ...] = ()  # the query's PREFIX declarations, when the job wanted them


@dataclass(frozen=True)
class QueryFailure:
    """Why a query got no answer: syntax, not_acceptable, too_many_rows, bad_request, engine or store."""

    reason: str
    message: str
    line: int | None = None
    column: int | None = None
    details: dict[str, Any] = field(default_factory=dict)


QueryOutcome = QueryAnswer | QueryFailure


# --- the work itself: the same in a worker process and in process ----------------------------------------------


class _RowLimit(Exception):
    pass


class _ByteLimit(Exception):
    pass


class _CappedBuffer:
    """A binary writer that keeps the first `lines` lines; any byte past them stops the serialiser (`_RowLimit`),
    and so does a body past `max_bytes` (`_ByteLimit`)."""

    def __init__(self, lines: int, max_bytes: int | None = None):
        self.remaining = lines
        self.parts: list[bytes] = []
        self.size = 0
        self.max_bytes = max_bytes

    def write(self, data: bytes) -> int:
        chunk = bytes(data)
        if not chunk:
            return 0
        if self.remaining <= 0:
            raise _RowLimit
        self.size += len(chunk)
        if self.max_bytes is not None and self.size > self.max_bytes:
            raise _ByteLimit
        count = chunk.count(b"\n")
        if count < self.remaining or (count == self.remaining and chunk.endswith(b"\n")):
            self.remaining -= count
            self.parts.append(chunk)
            return len(chunk)
        cut = -1
        for _ in range(self.remaining):
            cut = chunk.index(b"\n", cut + 1)
        self.parts.append(chunk[: cut + 1])
        self.remaining = 0
        raise _RowLimit

    def flush(self) -> None:
        pass

    def value(self) -> bytes:
        return b"".join(self.parts)


_POSITION = re.compile(r"error at (\d+):(\d+): ?(.*)", re.DOTALL)


def syntax_failure(exc: QuerySyntaxError) -> QueryFailure:
    """A parser error with its line and column (read from pyoxigraph's "error at L:C: ..." message)."""
    message = str(exc)
    line, column = exc.line, exc.column
    match = _POSITION.match(message)
    if match:
        line, column, message = int(match.group(1)), int(match.group(2)), match.group(3)
    where = f" at line {line}, column {column}" if line is not None and column is not None else ""
    return QueryFailure("syntax", f"SPARQL syntax error{where}: {_readable(message)}", line, column)


# A listed item: a quoted token, a character class, or a word; several words are the parser's own message.
_EXPECTED_ITEM = re.compile(
    r'"((?:[^"\\]|\\.)*)"|(\[[^\]]*\])|([A-Za-z_][A-Za-z_0-9]*(?: [A-Za-z_][A-Za-z_0-9]*)*)', re.DOTALL
)


def _readable(message: str, shown: int = 12) -> str:
    """pyoxigraph lists every token it expected, with character ranges: keep the first few, in words."""
    head, sep, rest = message.partition("expected ")
    if not sep:
        return message.strip()
    rest = rest.removeprefix("one of ")
    items: list[str] = []
    found = _EXPECTED_ITEM.findall(rest)
    said = [word for _, _, word in found if " " in word]
    if said:  # a check failed (such as "Prefix not found"): its words are the error, not a list of tokens
        return f"{head}{said[0]}".strip()
    for quoted, char_class, word in found:
        if char_class:
            item = "more text" if char_class == "[_]" else "a name or number"
        else:
            item = f'"{quoted}"' if quoted or not word else word
        if item not in items:
            items.append(item)
    if not items:
        return message.strip()
    listed = ", ".join(items[:shown]) + (", ..." if len(items) > shown else "")
    return f"{head}expected {'one of ' if len(items) > 1 else ''}{listed}".strip()


def execute(store: Store, job: QueryJob) -> QueryOutcome:
    """Run `job` on `store` and serialise the answer; never raises for anything the query text can cause."""
    try:
        screened = None
        if job.screen is not None:
            screened = screen(job.sparql, job.screen, with_prefixes=job.want_prefixes)
            job = replace(job, check=screened.check, prefixes=screened.prefixes or job.prefixes)
        outcome = _run(store, job)
        if screened is not None and isinstance(outcome, QueryAnswer):
            outcome = replace(outcome, cacheable=screened.cacheable, prefixes=screened.prefixes)
        return outcome
    except QueryTooDeep as exc:
        return QueryFailure("syntax", f"query refused: {exc}", exc.line, exc.column)
    except QueryRejected as exc:
        return QueryFailure("rejected", exc.message, details=exc.details)
    except MemoryError:
        return _out_of_memory()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # the screening must never take the worker down
        return QueryFailure("engine", f"the query could not be screened: {exc}")


def _out_of_memory() -> QueryFailure:
    return QueryFailure(
        "memory",
        "the query needed more memory than a query worker may use and was stopped: "
        "narrow it (fewer combinations, LIMIT, no ORDER BY over large results)",
    )


def _run(store: Store, job: QueryJob) -> QueryOutcome:
    try:
        if job.check is not None:
            check_syntax(job.check, base_iri=job.base_iri)  # parsed only, never evaluated: see store.sparql_text
        result = store.query(
            job.sparql,
            default_graph_uris=job.default_graph_uris,
            named_graph_uris=job.named_graph_uris,
            base_iri=job.base_iri,
        )
        if isinstance(result, ox.QueryBoolean):
            return _boolean(result, job)
        if isinstance(result, ox.QuerySolutions):
            return _solutions(result, job)
        return _graph(result, job)
    except QuerySyntaxError as exc:
        return syntax_failure(exc)
    except StoreError as exc:
        return QueryFailure("store", f"the store failed: {exc}")
    except (ValueError, TypeError) as exc:
        return QueryFailure("bad_request", f"the query cannot be answered: {exc}")
    except MemoryError:
        return _out_of_memory()
    except _ByteLimit:
        return _too_large(job)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # pyoxigraph evaluation errors, Rust panics (PanicException)
        return QueryFailure("engine", f"the query could not be evaluated: {exc}")


def _bytes(data: bytes | None) -> bytes:
    """pyoxigraph's serialisers return bytes when given no output; their stubs say `bytes | None`."""
    return data or b""


def _boolean(result: ox.QueryBoolean, job: QueryJob) -> QueryAnswer | QueryFailure:
    if job.boolean is None:
        return QueryFailure("not_acceptable", "", details={"kind": BOOLEAN})
    fmt = ox.QueryResultsFormat.from_media_type(job.boolean)
    assert fmt is not None
    return QueryAnswer(BOOLEAN, fmt.media_type, _bytes(result.serialize(format=fmt)))


def _solutions(result: ox.QuerySolutions, job: QueryJob) -> QueryAnswer | QueryFailure:
    if job.solutions is None:
        return QueryFailure("not_acceptable", "", details={"kind": SOLUTIONS})
    fmt = ox.QueryResultsFormat.from_media_type(job.solutions)
    assert fmt is not None
    buffer = _CappedBuffer(job.max_rows + 1, job.max_bytes)  # the header line, then one line per solution
    truncated = False
    try:
        result.serialize(cast(IO[bytes], buffer), format=_TSV)  # it only calls write()
    except _RowLimit:
        if not job.truncate:
            return _too_many(job.max_rows, "rows")
        truncated = True
    except _ByteLimit:
        return _too_large(job)
    tsv = buffer.value()
    rows = max(tsv.count(b"\n") - 1, 0)
    body = tsv if fmt == _TSV else _bytes(ox.parse_query_results(tsv, format=_TSV).serialize(format=fmt))
    if job.max_bytes is not None and len(body) > job.max_bytes:
        return _too_large(job)
    return QueryAnswer(SOLUTIONS, fmt.media_type, body, rows, truncated)


def _graph(result: ox.QueryTriples, job: QueryJob) -> QueryAnswer | QueryFailure:
    if job.graph is None:
        return QueryFailure("not_acceptable", "", details={"kind": GRAPH})
    fmt = ox.RdfFormat.from_media_type(job.graph)
    assert fmt is not None
    buffer = _CappedBuffer(job.max_rows, job.max_bytes)
    truncated = False
    try:
        ox.serialize(result, cast(IO[bytes], buffer), _NT)  # canonical N-Triples: one line per triple
    except _RowLimit:
        if not job.truncate:
            return _too_many(job.max_rows, "triples")
        truncated = True
    except _ByteLimit:
        return _too_large(job)
    nt = buffer.value()
    triples = nt.count(b"\n")
    if fmt == _NT:
        return QueryAnswer(GRAPH, fmt.media_type, nt, triples, truncated)
    parsed = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(nt, format=_NT)]
    prefixes = dict(job.prefixes) if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    try:
        body = ox.serialize(parsed, format=fmt, prefixes=prefixes) if prefixes else ox.serialize(parsed, format=fmt)
    except (ValueError, SyntaxError):  # a prefix the serialiser refuses: write full IRIs instead
        body = ox.serialize(parsed, format=fmt)
    if job.max_bytes is not None and len(body or b"") > job.max_bytes:
        return _too_large(job)
    return QueryAnswer(GRAPH, fmt.media_type, _bytes(body), triples, truncated)


def _too_many(limit: int, what: str) -> QueryFailure:
    return QueryFailure(
        "too_many_rows",
        f"the result has more than {limit} {what}, the most this endpoint returns at once: "
        "add LIMIT (and OFFSET to page through it)",
        details={"max_result_rows": limit},
    )


def _too_large(job: QueryJob) -> QueryFailure:
    return QueryFailure(
        "too_large",
        f"the answer is larger than {job.max_bytes} bytes, the most this endpoint sends at once: "
        "select fewer or shorter values, or page through it with LIMIT and OFFSET",
        details={"max_answer_bytes": job.max_bytes},
    )


def answer_or_raise(outcome: QueryOutcome) -> QueryAnswer:
    """The answer, or the failure as the `errors.ServiceError` a client gets."""
    if isinstance(outcome, QueryAnswer):
        return outcome
    if outcome.reason == "syntax":
        raise BadRequest(outcome.message, line=outcome.line, column=outcome.column)
    if outcome.reason == "not_acceptable":
        raise NotAcceptable(_not_acceptable_message(str(outcome.details.get("kind"))))
    if outcome.reason == "rejected":
        raise QueryRejected(outcome.message, **outcome.details)
    if outcome.reason == "too_large":
        raise PayloadTooLarge(outcome.message, **outcome.details)
    if outcome.reason == "memory":
        raise ServiceUnavailable(outcome.message)
    if outcome.reason in ("too_many_rows", "bad_request", "engine"):
        raise BadRequest(outcome.message, **outcome.details)
    raise ServiceError(outcome.message)


def _not_acceptable_message(kind: str) -> str:
    what = {SOLUTIONS: "SELECT results", BOOLEAN: "ASK results", GRAPH: "CONSTRUCT and DESCRIBE results"}
    available = {
        SOLUTIONS: "JSON, XML, CSV, TSV",
        BOOLEAN: "JSON, XML",
        GRAPH: "Turtle, N-Triples, JSON-LD, RDF/XML",
    }
    return (
        f"{what.get(kind, 'these results')} cannot be sent in the requested format; "
        f"available: {available.get(kind, '')}"
    )


# --- outcomes as bytes: how a worker process replies -------------------------------------------------------------

_HEADER_LENGTH = struct.Struct("!I")
_ANSWER, _FAILURE = b"A", b"F"
_PICKLE = pickle.HIGHEST_PROTOCOL


def encode_outcome(outcome: QueryOutcome) -> bytes:
    """A worker's reply: `A` + header length + pickled (kind, media type, rows, truncated) + the body as is; or
    `F` + the pickled `QueryFailure`."""
    if isinstance(outcome, QueryFailure):
        return _FAILURE + pickle.dumps(outcome, protocol=_PICKLE)
    fields = (outcome.kind, outcome.media_type, outcome.rows, outcome.truncated, outcome.cacheable, outcome.prefixes)
    header = pickle.dumps(fields, protocol=_PICKLE)
    return b"".join((_ANSWER, _HEADER_LENGTH.pack(len(header)), header, outcome.body))


def decode_outcome(reply: bytes | memoryview, version: str | None = None) -> QueryOutcome:
    """The outcome `encode_outcome` wrote; an answer records `version`, the content version it came from."""
    if bytes(reply[:1]) == _FAILURE:
        failure: QueryFailure = pickle.loads(reply[1:])
        return failure
    (size,) = _HEADER_LENGTH.unpack_from(reply, 1)
    start = 1 + _HEADER_LENGTH.size
    kind, media_type, rows, truncated, cacheable, prefixes = pickle.loads(reply[start : start + size])
    body = bytes(reply[start + size :])
    return QueryAnswer(kind, media_type, body, rows, truncated, version, cacheable, prefixes)
