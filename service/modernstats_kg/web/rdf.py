"""RDF answers of the pages: which representation a request wants (negotiated by `conneg`, the one negotiator),
and the serialised description with its `Link` alternates.

A page path accepts a file suffix (`/activities/subProcess/5.3.ttl`), which counts as an explicit `format=`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import Response

from ..conneg import HTML, RDF_GRAPHS, Representation, negotiate, set_vary
from ..namespaces import PREFIXES
from .templating import Alternate, alternate_links

PAGE_OFFERS: tuple[Representation, ...] = (HTML, *RDF_GRAPHS)

# file suffix of a page path -> the format it asks for, in the order alternates are listed
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    fmt.file_extension: fmt
    for fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.JSON_LD, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.RDF_XML)
}


def wanted(request: Request, suffix: str | None, offers: Sequence[Representation] = PAGE_OFFERS) -> Representation:
    """The representation to send: the path suffix, else `format=`, else `Accept` (406 when none fits)."""
    explicit = suffix or request.query_params.get("format")
    return negotiate(offers, request.headers.get("accept"), format=explicit)


def wanted_format(request: Request, suffix: str | None) -> ox.RdfFormat | None:
    """The RDF format asked for, or None for the HTML page."""
    chosen = wanted(request, suffix)
    return chosen.format if isinstance(chosen.format, ox.RdfFormat) else None


def serialize(triples: Sequence[ox.Triple], fmt: ox.RdfFormat) -> bytes:
    prefixes = dict(PREFIXES) if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML) else None
    # Without an output, ox.serialize returns the bytes; its stub types every call as `bytes | None`.
    return cast(bytes, ox.serialize(triples, format=fmt, prefixes=prefixes))


def rdf_response(triples: Sequence[ox.Triple], fmt: ox.RdfFormat, alternates: Sequence[Alternate]) -> Response:
    response = Response(serialize(triples, fmt), media_type=fmt.media_type)
    set_vary(response, "Accept")
    if alternates:
        response.headers["Link"] = alternate_links(alternates)
    return response
