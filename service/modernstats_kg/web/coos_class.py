"""COOS pages: the ontology with its class hierarchy (`/def/coos`) and one class (`/def/coos/StatisticalActivity`).
The same pages serve any other OWL vocabulary of the graph published under `/def/{name}` (e.g. the mapping
vocabulary at `/def/mapping`)."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import Request
from fastapi.responses import HTMLResponse

from ..catalog import Catalog
from ..catalog.coos import class_detail, ontology_model
from .templating import Alternate, render


def index_page(
    request: Request, cat: Catalog, ontology: str, namespace: str, *, lang: str, alternates: Sequence[Alternate]
) -> HTMLResponse:
    model = ontology_model(cat, ontology, namespace)
    return render(request, "coos_index.html", {"m": model}, alternates=alternates, lang=lang)


def page(
    request: Request, cat: Catalog, iri: str, namespace: str, *, lang: str, alternates: Sequence[Alternate]
) -> HTMLResponse | None:
    detail = class_detail(cat, iri, namespace)
    if detail is None:
        return None
    ontology = namespace.rstrip("#/")
    return render(
        request, "coos_class.html", {"d": detail, "ontology": cat.ref(ontology)}, alternates=alternates, lang=lang
    )
