"""Downloads: each graph and the whole dataset in Turtle, N-Triples, JSON-LD and RDF/XML (and N-Quads/TriG for the
whole dataset with its graphs), the GSIM-GSBPM mapping as CSV (`/downloads/mapping.csv`), and the VoID
description (`/.well-known/void`)."""

from __future__ import annotations

from typing import Annotated, cast

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
from ..roundtrip.sssom import SETS as SSSOM_SETS
from ..roundtrip.sssom import sssom_tsv
from ..state import get_catalog
from .i18n import interface_lang, requested_lang
from .nav_strings import human_size
from .not_found import not_found
from .rdf import RDF_FORMATS, rdf_response, serialize, wanted
from .templating import cached, render

router = APIRouter()

QUAD_FORMATS = {"nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}


def mapping_csv_bytes(cat: Catalog) -> bytes:
    rows = ([row.get(column, "") for column in MAPPING_COLUMNS] for row in mapping_rows(cat))
    return csv_text(MAPPING_COLUMNS, rows).encode("utf-8")


def download_body(cat: Catalog, filename: str) -> tuple[bytes, str] | None:
    """The bytes and media type of `/downloads/{filename}` (a graph or the whole dataset in an RDF format, or the
    mapping as CSV); None for a name that is none of them."""
    if filename == "mapping.csv":
        return mapping_csv_bytes(cat), "text/csv; charset=utf-8"
    name, _, suffix = filename.rpartition(".")
    if name == "all" and suffix in QUAD_FORMATS:
        quad_format = QUAD_FORMATS[suffix]
        return cast(bytes, ox.serialize(dataset_quads(cat), format=quad_format)), quad_format.media_type
    fmt = RDF_FORMATS.get(suffix)
    if fmt is None or not name:
        return None
    if name == "all":
        return serialize(dataset_triples(cat), fmt), fmt.media_type
    match = next((f for f in graph_files(cat) if f.name == name), None)
    if match is None:
        return None
    return serialize(graph_triples(cat, match.graph.iri), fmt), fmt.media_type


def download_sizes(cat: Catalog) -> dict[str, int]:
    """The size in bytes of every file the downloads page offers (the RDF files, the mapping CSV, the SSSOM sets),
    worked out once per content version by building each file."""

    def compute() -> dict[str, int]:
        sizes: dict[str, int] = {}
        for stem in ["all", *(f.name for f in graph_files(cat))]:
            triples = dataset_triples(cat) if stem == "all" else graph_triples(cat, _graph_of(cat, stem))
            for suffix, fmt in RDF_FORMATS.items():
                sizes[f"{stem}.{suffix}"] = len(serialize(triples, fmt))
        quads = dataset_quads(cat)
        for suffix, quad_format in QUAD_FORMATS.items():
            sizes[f"all.{suffix}"] = len(cast(bytes, ox.serialize(quads, format=quad_format)))
        sizes["mapping.csv"] = len(mapping_csv_bytes(cat))
        for name in SSSOM_SETS:
            sizes[f"sssom/{name}.sssom.tsv"] = len(sssom_tsv(cat.store, name).encode("utf-8"))
        return sizes

    return cat.memo("download_sizes", compute)


def _graph_of(cat: Catalog, stem: str) -> str:
    return next(f.graph.iri for f in graph_files(cat) if f.name == stem)


@router.get("/downloads", response_class=HTMLResponse, include_in_schema=False)
def downloads_page(request: Request, cat: Annotated[Catalog, Depends(get_catalog)]) -> Response:
    lang = requested_lang(request)
    ui = interface_lang(request)

    def build() -> Response:
        sizes = download_sizes(cat)
        context = {
            "files": graph_files(cat),
            "formats": list(RDF_FORMATS.items()),
            "quad_formats": list(QUAD_FORMATS),
            "sssom_sets": list(SSSOM_SETS),
            "total": cat.store.size(),
            "size": lambda filename: human_size(sizes[filename], ui),
        }
        return render(request, "downloads.html", context, lang=lang)

    return cached(request, cat, build, lang)


@router.get("/downloads/mapping.csv", include_in_schema=False)
def mapping_csv(cat: Annotated[Catalog, Depends(get_catalog)]) -> Response:
    return Response(
        mapping_csv_bytes(cat),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="gsim-gsbpm-mapping.csv"'},
    )


@router.get("/downloads/{filename}", include_in_schema=False)
def download(filename: str, request: Request, cat: Annotated[Catalog, Depends(get_catalog)]) -> Response:
    found = download_body(cat, filename)
    if found is None:
        return _missing(request, cat, filename)
    body, media_type = found
    return Response(body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/.well-known/void", include_in_schema=False)
def void(request: Request, cat: Annotated[Catalog, Depends(get_catalog)]) -> Response:
    chosen = wanted(request, None, RDF_GRAPHS)
    fmt = chosen.format if isinstance(chosen.format, ox.RdfFormat) else ox.RdfFormat.TURTLE
    base = str(request.base_url).rstrip("/")
    return rdf_response(void_triples(cat, base), fmt, [])


def _missing(request: Request, cat: Catalog, wanted: str) -> Response:
    return not_found(request, cat, "/downloads/" + wanted)
