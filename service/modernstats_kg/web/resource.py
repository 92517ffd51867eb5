"""The generic page of any resource of the graph (`/resource?iri=...`, and the fallback for `id.unece.org` paths
that no specific page serves): outgoing and incoming statements, with labels instead of IRIs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from ..catalog import Catalog
from ..catalog.resource import describe
from .deps import get_catalog
from .templating import Alternate, render

router = APIRouter()


@router.get("/resource", include_in_schema=False)
def resource(
    request: Request,
    cat: Annotated[Catalog, Depends(get_catalog)],
    iri: Annotated[str, Query(description="the IRI of any resource of the graph", max_length=2000)],
) -> Response:
    from .dereference import serve_iri

    return serve_iri(request, cat, iri, page_path=None)


def page(request: Request, cat: Catalog, iri: str, *, lang: str, alternates: Sequence[Alternate]) -> Response | None:
    description = describe(cat, iri)
    if description is None:
        return None
    return render(request, "resource.html", {"d": description}, alternates=alternates, lang=lang)
