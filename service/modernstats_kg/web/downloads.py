"""Downloads: each graph and the whole dataset in Turtle, N-Triples, JSON-LD and RDF/XML (and N-Quads/TriG for the
whole dataset with its graphs), the GSIM-GSBPM mapping as CSV (`/downloads/mapping.csv`), and the VoID
description (`/.well-known/void`)."""

from __future__ import annotations

from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ..catalog import Catalog
from ..catalog.downloads import (
    MAPPING_COLUMNS,
    dataset_quads,
    dataset_triples,
    graph_files,
    graph_triples,
    mapping_rows,
    void_triples,
)
from ..conneg import RDF_GRAPHS
from ..roundtrip.sheets import csv_text
from ..state import get_catalog
from .not_found import not_found
from .rdf import RDF_FORMATS, rdf_response, serialize, wanted
from .templating import render

router = APIRouter()

QUAD_FORMATS = {"nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}


@router.get("/downloads", response_class=HTMLResponse, include_in_schema=False)
def downloads_page(request: Request, cat: Annotated[Catalog, Depends(get_catalog)]) -> HTMLResponse:
    return render(
        request,
        "downloads.html",
        {
            "files": graph_files(cat),
            "formats": list(RDF_FORMATS.items()),
            "quad_formats": list(QUAD_FORMATS),
            "total": cat.store.size(),
        },
    )


@router.get("/downloads/mapping.csv", include_in_schema=False)
def mapping_csv(cat: Annotated[Catalog, Depends(get_catalog)]) -> Response:
    rows = ([row.get(column, "") for column in MAPPING_COLUMNS] for row in mapping_rows(cat))
    return Response(
        csv_text(MAPPING_COLUMNS, rows).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="gsim-gsbpm-mapping.csv"'},
    )


@router.get("/downloads/{filename}", include_in_schema=False)
def download(filename: str, request: Request, cat: Annotated[Catalog, Depends(get_catalog)]) -> Response:
    name, _, suffix = filename.rpartition(".")
    disposition = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if name == "all" and suffix in QUAD_FORMATS:
        quad_format = QUAD_FORMATS[suffix]
        return Response(
            ox.serialize(dataset_quads(cat), format=quad_format), media_type=quad_format.media_type, headers=disposition
        )
    fmt = RDF_FORMATS.get(suffix)
    if fmt is None or not name:
        return _missing(request, cat, filename)
    if name == "all":
        triples = dataset_triples(cat)
    else:
        match = next((f for f in graph_files(cat) if f.name == name), None)
        if match is None:
            return _missing(request, cat, filename)
        triples = graph_triples(cat, match.graph.iri)
    return Response(serialize(triples, fmt), media_type=fmt.media_type, headers=disposition)


@router.get("/.well-known/void", include_in_schema=False)
def void(request: Request, cat: Annotated[Catalog, Depends(get_catalog)]) -> Response:
    chosen = wanted(request, None, RDF_GRAPHS)
    fmt = chosen.format if isinstance(chosen.format, ox.RdfFormat) else ox.RdfFormat.TURTLE
    base = str(request.base_url).rstrip("/")
    return rdf_response(void_triples(cat, base), fmt, [])


def _missing(request: Request, cat: Catalog, wanted: str) -> Response:
    return not_found(request, cat, "/downloads/" + wanted)
