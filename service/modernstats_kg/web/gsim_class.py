"""The page of a GSIM class. `gsim:InstanceVariable` (`http://id.unece.org/def/gsim#InstanceVariable`) is served at
`/def/gsim/InstanceVariable`, because a fragment never reaches the server."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import Request
from fastapi.responses import HTMLResponse

from ..catalog import Catalog
from ..catalog.gsim import gsim_class_detail
from .templating import Alternate, render


def page(
    request: Request, cat: Catalog, iri: str, *, lang: str, alternates: Sequence[Alternate]
) -> HTMLResponse | None:
    detail = gsim_class_detail(cat, iri)
    if detail is None:
        return None
    return render(request, "gsim_class.html", {"d": detail}, alternates=alternates, lang=lang)
