"""CSPA pages: the model and its service catalogue (`/def/cspa`) and one statistical service
(`/services/statisticalService/seasonalAdjustment`)."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import Request
from fastapi.responses import HTMLResponse

from ..catalog import Catalog
from ..catalog.cspa import cspa_model, service_detail
from ..validation.cspa_check import service_disagreements
from .templating import Alternate, render


def index_page(request: Request, cat: Catalog, *, lang: str, alternates: Sequence[Alternate]) -> HTMLResponse:
    return render(request, "cspa_index.html", {"m": cspa_model(cat)}, alternates=alternates, lang=lang)


def page(
    request: Request, cat: Catalog, iri: str, *, lang: str, alternates: Sequence[Alternate]
) -> HTMLResponse | None:
    detail = service_detail(cat, iri)
    if detail is None:
        return None
    disagreements = [d for d in service_disagreements(cat.store) if d.service == iri]
    context = {"d": detail, "disagreements": disagreements}
    return render(request, "cspa_service.html", context, alternates=alternates, lang=lang)
