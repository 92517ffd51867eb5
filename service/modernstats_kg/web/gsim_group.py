"""GSIM overview pages: the ontology (`/def/gsim`: its groups and classes, the GSIM 1.2 names) and one group
(`/def/gsim/BusinessGroup`) with a class diagram drawn from the graph."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import Request
from fastapi.responses import HTMLResponse

from ..catalog import Catalog
from ..catalog.browse import group_tree
from ..catalog.gsim import group_diagram, gsim_model
from . import i18n
from .diagrams import group_svg
from .templating import Alternate, render


def ontology_page(request: Request, cat: Catalog, *, lang: str, alternates: Sequence[Alternate]) -> HTMLResponse:
    return render(request, "gsim_ontology.html", {"m": gsim_model(cat)}, alternates=alternates, lang=lang)


def group_page(
    request: Request, cat: Catalog, iri: str, *, lang: str, alternates: Sequence[Alternate]
) -> HTMLResponse | None:
    diagram = group_diagram(cat, iri)
    if diagram is None:
        return None
    return render(
        request,
        "gsim_group.html",
        {
            "g": diagram,
            "svg": group_svg(diagram, lang, i18n.strings(i18n.interface_lang(request))),
            "classes": group_tree(cat, diagram),
        },
        alternates=alternates,
        lang=lang,
    )
