"""The query editor page of `/sparql` for browsers: the query, the examples, the answer as a table, downloads.

The SPARQL endpoint (`sparql/endpoint.py`) calls `query_page` for browsers; it is handed over when the app is built,
so neither package imports the other. The answer arrives as anything with `kind`, `body` and `truncated`
(`ShownAnswer`): JSON results for SELECT and ASK, N-Triples for graphs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Annotated, Any, Protocol
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from starlette.requests import Request
from starlette.responses import Response

from ..catalog import Catalog
from ..catalog.query_terms import editor_terms
from ..conneg import BOOLEAN, RDF_GRAPHS, RESULT_OFFERS, SOLUTIONS, set_vary
from ..errors import ServiceError
from ..namespaces import PREFIXES
from ..state import ServiceState, get_catalog
from .paths import page_url
from .policy import YASGUI_STYLES, with_style_hashes
from .templating import render

__all__ = ["ShownAnswer", "examples", "query_page", "router"]

# What the editor script (`static/sparql-editor.js`) fetches: the site's prefixes and the content's terms.
router = APIRouter(prefix="/sparql-editor", include_in_schema=False)
EDITOR_CACHE = {"Cache-Control": "public, max-age=300"}


@router.get("/prefixes.json")
def editor_prefixes() -> JSONResponse:
    """The prefixes of `namespaces.py`, `{prefix: namespace}`, for completing PREFIX lines and prefixed names."""
    return JSONResponse(dict(PREFIXES), headers=EDITOR_CACHE)


@router.get("/terms.json")
def editor_term_lists(cat: Annotated[Catalog, Depends(get_catalog)]) -> JSONResponse:
    """Every class and property of the content, for completing terms after `a` and in predicate position."""
    return JSONResponse(editor_terms(cat), headers=EDITOR_CACHE)


class ShownAnswer(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def body(self) -> bytes: ...
    @property
    def truncated(self) -> bool: ...


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


def _table(answer: ShownAnswer, link: Callable[[str], str], prefixes: Mapping[str, str]) -> dict[str, Any]:
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


def _format_links(query: str, dataset: Sequence[tuple[str, str]], kind: str | None) -> list[tuple[str, str]]:
    offers = RESULT_OFFERS.get(kind or "", ())
    return [(r.label, "/sparql?" + urlencode([("query", query), *dataset, ("format", r.key)])) for r in offers]


def _download_formats() -> list[tuple[str, str, str]]:
    """(format key, label, the answer kinds it serves) of every download, for the editor script's links."""
    kinds: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    for kind, offers in RESULT_OFFERS.items():
        for offer in offers:
            kinds.setdefault(offer.key, []).append(kind)
            labels[offer.key] = offer.label
    return [(key, labels[key], " ".join(kinds[key])) for key in kinds]


def _error_view(error: ServiceError, query: str) -> dict[str, Any]:
    """The error for the page; with the parser's position, the line of the query and a caret under the column."""
    line, column = error.details.get("line"), error.details.get("column")
    excerpt = ""
    lines = query.splitlines()
    if isinstance(line, int) and isinstance(column, int) and 1 <= line <= len(lines):
        excerpt = f"{lines[line - 1]}\n{' ' * max(column - 1, 0)}^"
    return {"status": error.status, "message": error.message, "line": line, "column": column, "excerpt": excerpt}


def query_page(
    request: Request,
    state: ServiceState,
    *,
    query: str,
    answer: ShownAnswer | None = None,
    error: ServiceError | None = None,
    dataset: Sequence[tuple[str, str]] = (),
    declared_prefixes: Mapping[str, str] | None = None,
) -> Response:
    """The page for `query` (empty: the first example), with its answer or its error; `dataset` holds the request's
    `default-graph-uri` and `named-graph-uri` pairs, `declared_prefixes` the query's own PREFIX declarations."""
    shown = query or examples()[0].text if examples() else query
    prefixes = {**PREFIXES, **(declared_prefixes or {})}
    context = {
        "query": shown,
        "examples": [(e.name, e.text, "/sparql?" + urlencode({"query": e.text})) for e in examples()],  # titled by name
        "result": _table(answer, page_url, prefixes) if answer else None,
        "error": None if error is None else _error_view(error, shown),
        "downloads": _format_links(query, dataset, answer.kind if answer else None) if query else [],
        "timeout_s": state.settings.query_timeout_s,
        "max_rows": state.settings.max_result_rows,
        "page_rows": state.settings.query_page_rows,
        "description_links": [(r.label, f"/sparql?format={r.key}") for r in RDF_GRAPHS],
        "download_formats": _download_formats(),
    }
    status = error.status if error is not None else 200
    response = render(request, "sparql.html", context, status_code=status)
    if error is not None:
        for name, value in error.headers.items():
            response.headers[name] = value
    set_vary(response, "Accept, Accept-Language, Cookie")
    response.headers["Content-Security-Policy"] = with_style_hashes(YASGUI_STYLES)
    return response
