"""Search (`/search?q=`) over labels in every language, codes, synonyms and GSIM 1.2 names, results grouped by
model; and the small JSON endpoint the autocomplete script calls (`/search/suggest?q=`)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from ..catalog import Catalog
from ..catalog.search import SearchResults, search, suggest
from ..state import get_catalog
from .i18n import requested_lang
from .paths import page_url
from .templating import cached, render

router = APIRouter()

SearchText = Annotated[
    str, Query(max_length=200, description="text to look for: a name, a code such as 5.3, a synonym")
]


Facet = Annotated[str, Query(max_length=300, description="keep one model, or one type (an IRI)")]


def facet_links(q: str, results: SearchResults, model: str, kind: str) -> dict[str, list[tuple[str, int, str, bool]]]:
    """(value, count, URL that toggles it, chosen) for the model and type facets."""

    def url(**chosen: str) -> str:
        params = {"q": q, "model": model, "type": kind, **chosen}
        return "/search?" + urlencode({k: v for k, v in params.items() if v})

    return {
        "models": [(m, n, url(model="" if m == model else m), m == model) for m, n in results.models],
        "types": [(t, n, url(type="" if t == kind else t), t == kind) for t, n in results.types],
    }


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(
    request: Request,
    cat: Annotated[Catalog, Depends(get_catalog)],
    q: SearchText = "",
    model: Facet = "",
    kind: Annotated[str, Query(alias="type", max_length=300)] = "",
) -> Response:
    lang = requested_lang(request)

    def build() -> Response:
        results = search(cat, q, lang, model=model or None, kind=kind or None) if q.strip() else None
        context = {
            "q": q,
            "results": results,
            "facets": facet_links(q, results, model, kind) if results else None,
            "type_ref": lambda iri: cat.ref(iri),
        }
        return render(request, "search.html", context, lang=lang)

    return cached(request, cat, build, lang)


@router.get("/search/suggest", summary="Autocomplete over labels, codes and synonyms")
def suggest_json(request: Request, cat: Annotated[Catalog, Depends(get_catalog)], q: SearchText = "") -> JSONResponse:
    """Up to 8 resources whose labels, codes or synonyms match `q`, best first."""
    lang = requested_lang(request)
    hits = suggest(cat, q, lang) if q.strip() else []
    body = [
        {
            "iri": h.ref.iri,
            "label": h.ref.name(lang),
            "code": h.ref.code,
            "model": h.model,
            "matched": h.matched,
            "url": page_url(h.ref.iri),
            "deprecated": h.deprecated,
        }
        for h in hits
    ]
    return JSONResponse(body, headers={"Cache-Control": "public, max-age=60", "Vary": "Accept-Language, Cookie"})
