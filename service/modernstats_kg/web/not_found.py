"""The answer for a path or IRI the graph does not hold: 404 with suggestions from the label search."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response

from ..catalog import Catalog
from ..catalog.search import similar
from ..catalog.vocab import local_name
from ..conneg import wants_html
from ..errors import NotFound
from .i18n import requested_lang
from .templating import render

__all__ = ["not_found"]


def not_found(request: Request, cat: Catalog, wanted: str) -> Response:
    """404 with suggestions (resources whose labels match the last segment of the path or IRI): a page for
    browsers; for data clients a `NotFound` that `error_handlers` turns into the JSON error shape, with the
    suggestions."""
    lang = requested_lang(request)
    words = _split_camel(local_name(wanted.rstrip("/")))
    hits = similar(cat, words, lang, limit=8) if words.strip() else []
    if not wants_html(request):
        raise NotFound(f"nothing is known under {wanted}", suggestions=[h.ref.iri for h in hits])
    return render(
        request,
        "not_found.html",
        {"wanted": wanted, "hits": hits, "search_url": "/search?q=" + quote(words)},
        status_code=404,
        lang=lang,
    )


def _split_camel(text: str) -> str:
    out = []
    for i, ch in enumerate(text):
        if i and ch.isupper() and text[i - 1].islower():
            out.append(" ")
        out.append(ch)
    return "".join(out).replace("_", " ").replace("-", " ")
