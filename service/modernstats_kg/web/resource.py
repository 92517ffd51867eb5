"""The generic page of any resource of the graph (`/resource?iri=...`, and the fallback for `id.unece.org` paths
that no specific page serves; both routed by `dereference`): outgoing and incoming statements, with labels."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import Request
from fastapi.responses import Response

from ..catalog import Catalog
from ..catalog.resource import describe
from .templating import Alternate, render


def page(request: Request, cat: Catalog, iri: str, *, lang: str, alternates: Sequence[Alternate]) -> Response | None:
    description = describe(cat, iri)
    if description is None:
        return None
    return render(request, "resource.html", {"d": description}, alternates=alternates, lang=lang)
