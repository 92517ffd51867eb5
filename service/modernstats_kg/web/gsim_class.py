"""The page of a GSIM class. `gsim:InstanceVariable` (`http://id.unece.org/def/gsim#InstanceVariable`) is served at
`/def/gsim/InstanceVariable`, because a fragment never reaches the server."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import Request
from fastapi.responses import HTMLResponse

from ..catalog import Catalog
from ..catalog.gsim import gsim_class_detail
from ..catalog.mapping import mappings
from .editing_strings import editing_strings
from .i18n import interface_lang
from .review_strings import review_strings
from .templating import Alternate, render


def page(
    request: Request, cat: Catalog, iri: str, *, lang: str, alternates: Sequence[Alternate]
) -> HTMLResponse | None:
    detail = gsim_class_detail(cat, iri)
    if detail is None:
        return None
    # a GSIM 1.2 term has no mappings of its own: its page shows those of the 2.0 class that replaced it
    successor_mappings = [(s, mappings(cat, cls=s.iri)) for s in detail.successors] if detail.deprecated else []
    context = {
        "d": detail,
        "successor_mappings": successor_mappings,
        "rs": review_strings(lang),
        "es": editing_strings(interface_lang(request)),
    }
    return render(request, "gsim_class.html", context, alternates=alternates, lang=lang)
