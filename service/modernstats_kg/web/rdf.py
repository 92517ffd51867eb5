"""RDF answers of the pages: which RDF format a request wants (delegated to `conneg`), and the serialised
description with its `Link` alternates."""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import Response

from .templating import Alternate

# file suffix -> format, in the order alternates are listed
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "nt": ox.RdfFormat.N_TRIPLES,
    "rdf": ox.RdfFormat.RDF_XML,
}

PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "coos": "http://id.unece.org/def/coos#",
    "gsim": "http://id.unece.org/def/gsim#",
    "cspa": "http://id.unece.org/def/cspa#",
    "map": "http://id.unece.org/def/mapping#",
}


def wanted_format(request: Request, suffix: str | None) -> ox.RdfFormat | None:
    """The RDF format asked for (by suffix, `format=` or `Accept`), or None for the HTML page."""
    explicit = suffix or request.query_params.get("format")
    if explicit:
        return RDF_FORMATS.get(explicit.lower().lstrip("."))
    accept = request.headers.get("accept", "")
    for part in accept.split(","):
        media = part.split(";")[0].strip().lower()
        if media in ("text/html", "application/xhtml+xml", "*/*", ""):
            return None
        fmt = ox.RdfFormat.from_media_type(media)
        if fmt is not None and fmt in RDF_FORMATS.values():
            return fmt
    return None


def serialize(triples: Sequence[ox.Triple], fmt: ox.RdfFormat) -> bytes:
    prefixes = PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML) else None
    return ox.serialize(triples, format=fmt, prefixes=prefixes) if prefixes else ox.serialize(triples, format=fmt)


def rdf_response(triples: Sequence[ox.Triple], fmt: ox.RdfFormat, alternates: Sequence[Alternate]) -> Response:
    response = Response(serialize(triples, fmt), media_type=fmt.media_type)
    response.headers["Vary"] = "Accept"
    if alternates:
        response.headers["Link"] = ", ".join(f'<{a.href}>; rel="alternate"; type="{a.media_type}"' for a in alternates)
    return response
