"""The generic page of any resource of the graph (`/resource?iri=...`, and the fallback for `id.unece.org` paths
that no specific page serves; both routed by `dereference`): outgoing and incoming statements, with labels."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import Request
from fastapi.responses import Response

from ..catalog import Catalog
from ..catalog.resource import describe
from ..editing.mappings import MAPPING_BASE
from .editing_strings import editing_strings
from .i18n import interface_lang
from .templating import Alternate, render


def page(request: Request, cat: Catalog, iri: str, *, lang: str, alternates: Sequence[Alternate]) -> Response | None:
    description = describe(cat, iri)
    if description is None:
        return None
    # a mapping's page is public and cached: a plain link leads to its per-user page (history, comments, forms)
    edit_url = "/edit/mappings/" + iri.removeprefix(MAPPING_BASE) if iri.startswith(MAPPING_BASE) else ""
    context = {"d": description, "edit_url": edit_url, "es": editing_strings(interface_lang(request))}
    return render(request, "resource.html", context, alternates=alternates, lang=lang)
