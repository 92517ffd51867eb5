"""Content negotiation, in one place: which representation a request gets, and whether it already has it.

- `parse_accept` reads an `Accept` header (RFC 9110, section 12.5.1) into media ranges with their q-values.
- `negotiate` picks one of the server's `Representation`s: an explicit `format=` parameter wins over `Accept`;
  among equally acceptable ones the server's order decides; nothing acceptable raises `NotAcceptable` (406).
  Media types are matched through pyoxigraph (`RdfFormat.from_media_type`, `QueryResultsFormat.from_media_type`),
  so aliases such as `application/x-turtle` or `application/json` count for the format they name.
- `Validators` are the conditional-request machinery: a weak ETag and Last-Modified derived from the content
  version, a 304 answer to `If-None-Match` / `If-Modified-Since`, and `Cache-Control`.

Every response that depends on negotiation carries `Vary: Accept` (`VARY`).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from .errors import NotAcceptable, ServiceError

__all__ = [
    "BOOLEAN",
    "BOOLEAN_RESULTS",
    "CSV",
    "GRAPH",
    "HTML",
    "JSON",
    "JSON_LD",
    "N_TRIPLES",
    "RDF_GRAPHS",
    "RDF_XML",
    "RESULT_OFFERS",
    "SOLUTIONS",
    "SOLUTION_RESULTS",
    "SPARQL_JSON",
    "SPARQL_XML",
    "TSV",
    "TURTLE",
    "VARY",
    "MediaRange",
    "Representation",
    "Validators",
    "link_header",
    "negotiate",
    "negotiate_request",
    "parse_accept",
    "set_vary",
    "wants_html",
]

VARY = "Accept"


@dataclass(frozen=True)
class MediaRange:
    """One item of an Accept header: `type/subtype` (either may be `*`), its parameters and its q-value."""

    type: str
    subtype: str
    q: float = 1.0
    params: tuple[tuple[str, str], ...] = ()

    @property
    def media_type(self) -> str:
        return f"{self.type}/{self.subtype}"

    @property
    def specificity(self) -> int:
        """2 for `type/subtype`, 1 for `type/*`, 0 for `*/*`."""
        if self.type == "*":
            return 0
        return 1 if self.subtype == "*" else 2


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header, best first (by q, then by specificity, then in header order).

    Malformed items are skipped, never fatal; q-values outside [0, 1] are clamped; an absent or blank header gives
    `[]` (which `negotiate` reads as "anything"). Media types are case-insensitive and returned in lower case.

    >>> [(r.media_type, r.q) for r in parse_accept("text/html;q=0.9, application/json, */*;q=0.1")]
    [('application/json', 1.0), ('text/html', 0.9), ('*/*', 0.1)]
    """
    if not header:
        return []
    ranges: list[tuple[int, MediaRange]] = []
    for position, item in enumerate(_split_outside_quotes(header, ",")):
        parts = _split_outside_quotes(item, ";")
        media = parts[0].strip().lower()
        if media == "*":  # seen in the wild (old Java clients): read as */*
            media = "*/*"
        kind, slash, sub = media.partition("/")
        if not slash or not kind or not sub or not _is_token(kind) or not _is_token(sub) or (kind == "*" != sub):
            continue
        q = 1.0
        params: list[tuple[str, str]] = []
        for param in parts[1:]:
            name, eq, value = param.strip().partition("=")
            name = name.strip().lower()
            value = value.strip().strip('"')
            if not eq or not name:
                continue
            if name == "q":
                q = _q_value(value)
                break  # parameters after q are accept-extensions, not media type parameters
            params.append((name, value))
        ranges.append((position, MediaRange(kind, sub, q, tuple(params))))
    ranges.sort(key=lambda item: (-item[1].q, -item[1].specificity, item[0]))
    return [r for _, r in ranges]


def _split_outside_quotes(text: str, sep: str) -> list[str]:
    pieces: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\" and quoted:
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == sep and not quoted:
            pieces.append("".join(current))
            current = []
            continue
        current.append(char)
    pieces.append("".join(current))
    return pieces


_TOKEN_CHARS = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _is_token(text: str) -> bool:
    return all(char in _TOKEN_CHARS for char in text)


def _q_value(text: str) -> float:
    try:
        q = float(text)
    except ValueError:
        return 0.0
    if math.isnan(q):
        return 0.0
    return min(max(q, 0.0), 1.0)


@dataclass(frozen=True)
class Representation:
    """A representation the server can send: a short `key` (the `format=` value), its media type, and the
    pyoxigraph format behind it (None for HTML and plain JSON)."""

    key: str
    media_type: str
    format: ox.RdfFormat | ox.QueryResultsFormat | None = None
    aliases: tuple[str, ...] = field(default=())
    label: str = ""

    @classmethod
    def rdf(cls, fmt: ox.RdfFormat, key: str) -> Representation:
        return cls(key, fmt.media_type, fmt, label=fmt.name)

    @classmethod
    def results(cls, fmt: ox.QueryResultsFormat, key: str) -> Representation:
        return cls(key, fmt.media_type, fmt, label=fmt.name)

    @property
    def file_extension(self) -> str | None:
        return self.format.file_extension if self.format is not None else None

    def names(self, media_type: str) -> bool:
        """True when the concrete `media_type` (lower case, no parameters) designates this representation."""
        if media_type == self.media_type or media_type in self.aliases:
            return True
        if isinstance(self.format, ox.RdfFormat):
            return ox.RdfFormat.from_media_type(media_type) == self.format
        if isinstance(self.format, ox.QueryResultsFormat):
            return ox.QueryResultsFormat.from_media_type(media_type) == self.format
        return False

    def quality(self, ranges: Sequence[MediaRange]) -> float:
        """The q-value the client gives this representation: that of the most specific range that matches it."""
        best: tuple[int, float] | None = None
        main_type = self.media_type.split("/", 1)[0]
        for media_range in ranges:
            if media_range.specificity == 2:
                matched = self.names(media_range.media_type)
            elif media_range.specificity == 1:
                matched = media_range.type == main_type
            else:
                matched = True
            if matched:
                candidate = (media_range.specificity, media_range.q)
                if best is None or candidate[0] > best[0] or (candidate[0] == best[0] and candidate[1] > best[1]):
                    best = candidate
        return best[1] if best is not None else 0.0


HTML = Representation("html", "text/html", aliases=("application/xhtml+xml",), label="HTML")
JSON = Representation("json", "application/json", label="JSON")

SPARQL_JSON = Representation.results(ox.QueryResultsFormat.JSON, "json")
SPARQL_XML = Representation.results(ox.QueryResultsFormat.XML, "xml")
CSV = Representation.results(ox.QueryResultsFormat.CSV, "csv")
TSV = Representation.results(ox.QueryResultsFormat.TSV, "tsv")

TURTLE = Representation.rdf(ox.RdfFormat.TURTLE, "turtle")
N_TRIPLES = Representation.rdf(ox.RdfFormat.N_TRIPLES, "ntriples")
JSON_LD = Representation.rdf(ox.RdfFormat.JSON_LD, "jsonld")
RDF_XML = Representation.rdf(ox.RdfFormat.RDF_XML, "rdfxml")

SOLUTION_RESULTS: tuple[Representation, ...] = (SPARQL_JSON, SPARQL_XML, CSV, TSV)
BOOLEAN_RESULTS: tuple[Representation, ...] = (SPARQL_JSON, SPARQL_XML)
RDF_GRAPHS: tuple[Representation, ...] = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML)

# the three kinds of SPARQL answer and what each can be sent as
SOLUTIONS, BOOLEAN, GRAPH = "solutions", "boolean", "graph"
RESULT_OFFERS: Mapping[str, tuple[Representation, ...]] = {
    SOLUTIONS: SOLUTION_RESULTS,
    BOOLEAN: BOOLEAN_RESULTS,
    GRAPH: RDF_GRAPHS,
}

# extra `format=` spellings people use (file extensions and common short names)
_FORMAT_ALIASES = {
    "ttl": "turtle",
    "nt": "ntriples",
    "n-triples": "ntriples",
    "json-ld": "jsonld",
    "rdf": "rdfxml",
    "rdf+xml": "rdfxml",
    "htm": "html",
    "srj": "json",
    "srx": "xml",
}


def negotiate(offers: Sequence[Representation], accept: str | None, *, format: str | None = None) -> Representation:
    """The representation to send, from the server's `offers` (in order of preference).

    `format` (a key such as `turtle`, a file extension such as `ttl`, or a media type) wins over `Accept`.
    Raises `NotAcceptable` when nothing offered is acceptable.

    >>> negotiate(RDF_GRAPHS, "application/rdf+xml;q=0.5, text/turtle").key
    'turtle'
    >>> negotiate(SOLUTION_RESULTS, "text/html", format="csv").key
    'csv'
    """
    if not offers:
        raise ValueError("negotiate needs at least one offer")
    if format is not None and format.strip():
        return _by_format(offers, format.strip())
    ranges = parse_accept(accept)
    if not ranges:
        return offers[0]
    best, best_q = offers[0], 0.0
    for offer in offers:
        q = offer.quality(ranges)
        if q > best_q:
            best, best_q = offer, q
    if best_q <= 0.0:
        raise NotAcceptable(
            f"none of the requested media types ({accept}) is available here; available: {_listing(offers)}",
            available=[offer.media_type for offer in offers],
        )
    return best


def _by_format(offers: Sequence[Representation], value: str) -> Representation:
    wanted = value.lower()
    wanted = _FORMAT_ALIASES.get(wanted, wanted)
    for offer in offers:
        if offer.key == wanted:
            return offer
    if "/" in wanted:
        media = wanted.split(";", 1)[0].strip()
        for offer in offers:
            if offer.names(media):
                return offer
    raise NotAcceptable(
        f"format {value!r} is not available here; use one of: {', '.join(o.key for o in offers)}",
        available=[offer.media_type for offer in offers],
    )


def _listing(offers: Iterable[Representation]) -> str:
    return ", ".join(offer.media_type for offer in offers)


def negotiate_request(request: Request, offers: Sequence[Representation]) -> Representation:
    """`negotiate` with the request's `Accept` header and `format` query parameter."""
    return negotiate(offers, request.headers.get("accept"), format=request.query_params.get("format"))


# --- conditional requests: ETag, Last-Modified, 304 ---------------------------------------------------------------


@dataclass(frozen=True)
class Validators:
    """Cache validators of a response derived from one content version.

    The ETag is weak (`W/"..."`): the bytes may differ (gzip, blank node labels) for the same content; it combines
    the content version with the `variant` (whatever else selects the representation: its format, the page's
    language). Usage in a route::

        validators = Validators.for_content(state.content_version, state.loaded_at, "turtle")
        if (not_modified := validators.not_modified(request)) is not None:
            return not_modified
        response = ...
        validators.apply(response)
    """

    etag: str
    last_modified: float
    max_age: int = 60

    @classmethod
    def for_content(cls, version: str, loaded_at: float, *variant: str, max_age: int = 60) -> Validators:
        digest = hashlib.sha256("\x1f".join(variant).encode("utf-8", "surrogatepass")).hexdigest()[:12]
        return cls(etag=f'W/"{version}-{digest}"', last_modified=loaded_at, max_age=max_age)

    def headers(self) -> dict[str, str]:
        return {
            "ETag": self.etag,
            "Last-Modified": formatdate(math.floor(self.last_modified), usegmt=True),
            "Cache-Control": f"public, max-age={self.max_age}",
        }

    def apply(self, response: Response, *, vary: str | None = VARY) -> Response:
        """Set the validators (and `Vary`) on a response; returns it."""
        for name, value in self.headers().items():
            response.headers[name] = value
        if vary:
            set_vary(response, vary)
        return response

    def is_fresh(self, headers: Mapping[str, str]) -> bool:
        """True when the client's copy is current (RFC 9110, section 13.2.2: If-None-Match decides when present)."""
        if_none_match = headers.get("if-none-match")
        if if_none_match is not None:
            return _etag_matches(if_none_match, self.etag)
        since = headers.get("if-modified-since")
        if since is None:
            return False
        try:
            when = parsedate_to_datetime(since)
        except (TypeError, ValueError, IndexError, OverflowError):
            return False
        if when is None or when.tzinfo is None:
            return False
        return math.floor(self.last_modified) <= when.timestamp()

    def not_modified(self, request: Request, *, vary: str | None = VARY) -> Response | None:
        """A 304 response when the request is a GET/HEAD revalidation of the current content, else None."""
        if request.method not in ("GET", "HEAD") or not self.is_fresh(request.headers):
            return None
        return self.apply(Response(status_code=304), vary=vary)


def _etag_matches(header: str, etag: str) -> bool:
    """Weak comparison (RFC 9110, section 8.8.3.2) of our ETag against an If-None-Match list."""
    if header.strip() == "*":
        return True
    ours = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == ours for tag in _split_outside_quotes(header, ","))


def wants_html(request: Request) -> bool:
    """True when the client prefers an HTML page to JSON (browsers); API clients and `*/*` get JSON."""
    try:
        return negotiate((JSON, HTML), request.headers.get("accept")) is HTML
    except ServiceError:
        return False


# --- the one builder of Link and Vary headers ---------------------------------------------------------------------


def link_header(links: Iterable[tuple[str, str, str | None]]) -> str:
    """A `Link` header value (RFC 8288) from (URL, rel, media type or None) triples.

    >>> link_header([("/x.ttl", "alternate", "text/turtle"), ("/list?offset=50", "next", None)])
    '</x.ttl>; rel="alternate"; type="text/turtle", </list?offset=50>; rel="next"'
    """
    return ", ".join(f'<{url}>; rel="{rel}"' + (f'; type="{media}"' if media else "") for url, rel, media in links)


def set_vary(response: Response, *fields: str) -> Response:
    """Add `fields` to the response's `Vary` header (kept once each, in order); returns the response."""
    current = [f.strip() for f in response.headers.get("vary", "").split(",") if f.strip()]
    known = {f.lower() for f in current}
    for name in fields:
        for part in (p.strip() for p in name.split(",")):
            if part and part.lower() not in known:
                current.append(part)
                known.add(part.lower())
    if current:
        response.headers["Vary"] = ", ".join(current)
    return response
