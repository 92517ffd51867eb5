"""Information flow pages, derived from the mappings: `/flow?activity=5.3` (where each input comes from, where each
output goes), `/flow?class=InstanceVariable` (every activity using the class in GSBPM order, with its hand-offs)
and `/flow/gaps` (every input without an upstream producer)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from ..catalog import Catalog
from ..catalog.flow import class_flow, flow_gaps, information_flow
from ..catalog.mapping_matrix import role_mark
from ..catalog.vocab import GSIM
from ..state import get_catalog
from .diagrams import activity_flow_svg, class_flow_svg
from .i18n import requested_lang
from .matrix import activity_iri
from .not_found import not_found
from .review_strings import review_strings
from .templating import cached, render

router = APIRouter()


@router.get("/flow", response_class=HTMLResponse, include_in_schema=False)
def flow_page(
    request: Request,
    cat: Annotated[Catalog, Depends(get_catalog)],
    activity: Annotated[str, Query(max_length=300)] = "",
    cls: Annotated[str, Query(alias="class", max_length=300)] = "",
) -> Response:
    lang = requested_lang(request)
    return cached(request, cat, lambda: _flow(request, cat, lang, activity, cls), lang)


@router.get("/flow/gaps", response_class=HTMLResponse, include_in_schema=False)
def gaps_page(request: Request, cat: Annotated[Catalog, Depends(get_catalog)]) -> Response:
    lang = requested_lang(request)
    context = {"gaps": flow_gaps(cat), "rs": review_strings(lang), "role_mark": role_mark}
    return cached(request, cat, lambda: render(request, "flow_gaps.html", context, lang=lang), lang)


def _flow(request: Request, cat: Catalog, lang: str, activity: str, cls: str) -> Response:
    words = review_strings(lang)
    context: dict[str, object] = {"af": None, "cf": None, "rs": words, "role_mark": role_mark}
    if activity:
        iri = activity_iri(activity)
        if iri is None or not cat.exists(iri):
            return _missing(request, cat, activity)
        flow = information_flow(cat, iri)
        context |= {"af": flow, "svg": activity_flow_svg(flow, lang, words)}
        return render(request, "flow.html", context, lang=lang)
    if cls:
        iri = cls if cls.startswith(GSIM) else GSIM + cls
        if not cat.exists(iri):
            return _missing(request, cat, cls)
        cflow = class_flow(cat, iri)
        context |= {"cf": cflow, "svg": class_flow_svg(cflow, lang, words)}
        return render(request, "flow.html", context, lang=lang)
    return _missing(request, cat, "")


def _missing(request: Request, cat: Catalog, wanted: str) -> Response:
    return not_found(request, cat, wanted or "/flow")
