"""GAMSO pages: the activity tree (`/activities/gamso`) and one area or activity (`/activities/activity/3.4`)."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import Request
from fastapi.responses import HTMLResponse

from ..catalog import Catalog
from ..catalog.gamso import gamso_item, gamso_model
from .templating import Alternate, render


def tree_page(request: Request, cat: Catalog, *, lang: str, alternates: Sequence[Alternate]) -> HTMLResponse:
    return render(request, "gamso.html", {"m": gamso_model(cat), "item": None}, alternates=alternates, lang=lang)


def item_page(
    request: Request, cat: Catalog, iri: str, *, lang: str, alternates: Sequence[Alternate]
) -> HTMLResponse | None:
    item = gamso_item(cat, iri)
    if item is None:
        return None
    return render(request, "gamso.html", {"m": gamso_model(cat), "item": item}, alternates=alternates, lang=lang)
