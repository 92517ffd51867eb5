"""The geospatial view of GSBPM (`/gsbpm/geospatial`: the matrix with the activities that have geospatial notes
highlighted and counted, the GSGF principles, the GSIM classes that carry location) and the page of one GSGF
principle (`/gsgf/principle/3`, the path of its IRI) with the notes serving it."""

from __future__ import annotations

from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, Response

from ..catalog import Catalog
from ..catalog.core import Text
from ..catalog.geospatial import GSGF_PRINCIPLE, geospatial_notes, location_classes, notes_serving, principles
from ..catalog.gsbpm import gsbpm_model
from ..errors import NotFound
from ..state import get_catalog
from .gsbpm_strings import gsbpm_strings
from .i18n import requested_lang
from .templating import cached, render

router = APIRouter()


@router.get("/gsbpm/geospatial", response_class=HTMLResponse, include_in_schema=False)
def geospatial_view(request: Request, cat: Annotated[Catalog, Depends(get_catalog)]) -> Response:
    lang = requested_lang(request)

    def build() -> Response:
        counts: dict[str, int] = {}
        for note in geospatial_notes(cat):
            counts[note.about.iri] = counts.get(note.about.iri, 0) + 1
        context = {
            "model": gsbpm_model(cat),
            "counts": counts,
            "principles": [(p, len(notes_serving(cat, p.iri))) for p in principles(cat)],
            "location_classes": location_classes(cat),
            "s": gsbpm_strings(lang),
        }
        return render(request, "gsbpm_geospatial.html", context, lang=lang)

    return cached(request, cat, build, lang)


@router.get("/gsgf/principle/{number}", response_class=HTMLResponse, include_in_schema=False)
def principle_page(
    request: Request, cat: Annotated[Catalog, Depends(get_catalog)], number: Annotated[str, Path(max_length=10)]
) -> Response:
    lang = requested_lang(request)
    iri = GSGF_PRINCIPLE + number
    principle = next((p for p in principles(cat) if p.iri == iri), None)
    if principle is None:
        raise NotFound(f"no GSGF principle {number!r}")

    def build() -> Response:
        definitions = [o for p, o in cat.outgoing(iri) if p.endswith("#definition") and isinstance(o, ox.Literal)]
        text = Text({o.language or "": o.value for o in definitions})  # by language: the page marks a fallback
        context = {"p": principle, "definition": text, "notes": notes_serving(cat, iri), "s": gsbpm_strings(lang)}
        return render(request, "gsgf_principle.html", context, lang=lang)

    return cached(request, cat, build, lang)
