"""The home page: the GSBPM 5.2 matrix as people know it, and the ways into the other models."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ..catalog import Catalog
from ..catalog.cspa import cspa_model
from ..catalog.gamso import gamso_model
from ..catalog.gsbpm import gsbpm_model
from ..catalog.gsim import gsim_model
from ..state import get_catalog
from .gsbpm_strings import gsbpm_strings
from .i18n import requested_lang
from .templating import cached, render

router = APIRouter()


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request, cat: Annotated[Catalog, Depends(get_catalog)]) -> Response:
    return cached(request, cat, lambda: home_page(request, cat), requested_lang(request))


def home_page(request: Request, cat: Catalog) -> HTMLResponse:
    return render(
        request,
        "home.html",
        {
            "model": gsbpm_model(cat),
            "gsim": gsim_model(cat),
            "cspa": cspa_model(cat),
            "gamso": gamso_model(cat),
            "s": gsbpm_strings(requested_lang(request)),
        },
    )
