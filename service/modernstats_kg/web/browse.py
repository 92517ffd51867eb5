"""Browsing a vocabulary as Skosmos offers it: the list of vocabularies (`/browse`), the A-Z index of one
(`/browse/gsim/a-z`: a letter bar, every class or concept with its code, deprecated ones marked) and its hierarchy
(`/browse/gsbpm/tree`: nested lists, collapsible with `<details>`, no script). Data from `catalog.browse`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, Response

from ..catalog import Catalog
from ..catalog.browse import az_index, trees, vocabularies, vocabulary
from ..state import get_catalog
from .i18n import requested_lang
from .not_found import not_found
from .templating import cached, render

router = APIRouter()

# The vocabularies whose index page is a section of the site: their breadcrumb goes Home > section > page.
SECTION_VOCABULARIES = frozenset({"gsbpm", "gsim", "gamso", "cspa", "coos"})

VocId = Annotated[str, Path(max_length=100)]


def browse_urls(vocid: str) -> tuple[str, str]:
    """The A-Z index and the hierarchy page of a vocabulary."""
    return f"/browse/{vocid}/a-z", f"/browse/{vocid}/tree"


@router.get("/browse", response_class=HTMLResponse, include_in_schema=False)
def browse_index(request: Request, cat: Annotated[Catalog, Depends(get_catalog)]) -> Response:
    lang = requested_lang(request)

    def build() -> Response:
        rows = [(v, sum(len(e) for _, e in az_index(cat, v.id, lang)), browse_urls(v.id)) for v in vocabularies(cat)]
        return render(request, "browse_index.html", {"rows": rows}, lang=lang)

    return cached(request, cat, build, lang)


@router.get("/browse/{vocid}/a-z", response_class=HTMLResponse, include_in_schema=False)
def az_page(request: Request, cat: Annotated[Catalog, Depends(get_catalog)], vocid: VocId) -> Response:
    lang = requested_lang(request)
    vocab = vocabulary(cat, vocid)
    if vocab is None:
        return not_found(request, cat, request.url.path)

    def build() -> Response:
        context = {
            "v": vocab,
            "letters": az_index(cat, vocid, lang),
            "urls": browse_urls(vocid),
            "SECTION_VOCABULARIES": SECTION_VOCABULARIES,
        }
        return render(request, "browse_az.html", context, lang=lang)

    return cached(request, cat, build, lang)


@router.get("/browse/{vocid}/tree", response_class=HTMLResponse, include_in_schema=False)
def tree_page(request: Request, cat: Annotated[Catalog, Depends(get_catalog)], vocid: VocId) -> Response:
    lang = requested_lang(request)
    vocab = vocabulary(cat, vocid)
    if vocab is None:
        return not_found(request, cat, request.url.path)

    def build() -> Response:
        context = {"v": vocab, "trees": trees(cat, vocid), "urls": browse_urls(vocid)}
        context["SECTION_VOCABULARIES"] = SECTION_VOCABULARIES
        return render(request, "browse_tree.html", context, lang=lang)

    return cached(request, cat, build, lang)
