"""The page of what changed from GSBPM 5.1 to 5.2 (`/gsbpm/changes`), item by item."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ..catalog import Catalog
from ..catalog.gsbpm_versions import version_changes
from ..state import get_catalog
from .gsbpm_strings import gsbpm_strings
from .i18n import requested_lang
from .templating import cached, render

router = APIRouter()


@router.get("/gsbpm/changes", response_class=HTMLResponse, include_in_schema=False)
def changes_page(request: Request, cat: Annotated[Catalog, Depends(get_catalog)]) -> Response:
    lang = requested_lang(request)

    def build() -> Response:
        context = {"changes": version_changes(cat), "s": gsbpm_strings(lang)}
        return render(request, "gsbpm_changes.html", context, lang=lang)

    return cached(request, cat, build, lang)
