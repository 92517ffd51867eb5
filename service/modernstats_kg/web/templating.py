"""Render pages: one Jinja2 environment (autoescaped), the common page context, and the response headers every page
carries (language, alternates, the `lang` cookie when `?lang=` chose one)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup, escape

from ..catalog.core import Catalog, Lit, Ref, Text
from ..catalog.resource import BlankNodeValue, ListValue
from ..catalog.vocab import local_name
from ..conneg import Validators
from . import i18n
from .paths import page_url

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
    autoescape=True,  # every template, whatever its name: labels and definitions come from data
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,
)
environment.globals.update(url=page_url, local_name=local_name, LANGS=i18n.LANGS, LANG_NAMES=i18n.LANG_NAMES)


PAGE_VARY = "Accept, Accept-Language, Cookie"


# --- the three ways a page shows data: a link to a resource, a text in the page's language, any RDF term ----------
# Plain functions rather than Jinja macros: pages call them hundreds of times. Every value goes through `escape`.


def _lang_attributes(shown: str, lang: str, page_lang: str | None) -> str:
    """`lang` when the text's language differs from the page's; a text not in the content language (a fallback)
    also gets `class="fallback"`, which the style sheet marks with its language."""
    if not shown:
        return ""
    if shown != lang:
        return f' lang="{escape(shown)}" class="fallback"'
    return f' lang="{escape(shown)}"' if shown != (page_lang or lang) else ""


def link_markup(ref: Ref, lang: str, with_code: bool = True, page_lang: str | None = None) -> Markup:
    """`<a href="page of ref">code label</a>` with the label in `lang`; its own language is marked when it differs
    from the page's (`page_lang`, the interface language; `lang` by default)."""
    label_lang = ref.label.lang_of(lang)
    lang_attr = _lang_attributes(label_lang, lang, page_lang)
    code = f'<span class="code">{escape(ref.code)}</span> ' if with_code and ref.code else ""
    return Markup(f'<a href="{escape(page_url(ref.iri))}"{lang_attr}>{code}{escape(ref.name(lang))}</a>')


def text_markup(value: Text, lang: str, page_lang: str | None = None) -> Markup:
    picked = value.pick(lang)
    if not picked:
        return Markup("")
    lang_attr = _lang_attributes(picked[0], lang, page_lang)
    return Markup(f"<span{lang_attr}>{escape(picked[1])}</span>")


def term_markup(value: Ref | Lit | BlankNodeValue | ListValue, lang: str) -> Markup:
    if isinstance(value, ListValue):  # an RDF list: its items in order
        items = "".join(f"<li>{term_markup(item, lang)}</li>" for item in value.items)
        return Markup(f'<ol class="rdf-list">{items}</ol>')
    if isinstance(value, BlankNodeValue):  # a blank node: what is said about it, nested
        rows = "".join(f"<dt>{link_markup(p, lang)}</dt><dd>{term_markup(v, lang)}</dd>" for p, v in value.pairs)
        return Markup(f'<dl class="bnode">{rows}</dl>')
    if isinstance(value, Ref):
        if value.iri.startswith("_:"):
            return Markup(f'<span class="bnode">{escape(value.iri)}</span>')
        return link_markup(value, lang)
    lang_attr = f' lang="{escape(value.lang)}"' if value.lang else ""
    tag = ""
    if value.lang:
        tag = f' <span class="tag">@{escape(value.lang)}</span>'
    elif value.datatype and not value.datatype.endswith("#string"):
        tag = f' <span class="tag">{escape(local_name(value.datatype))}</span>'
    return Markup(f'<span class="literal"{lang_attr}>{escape(value.value)}</span>{tag}')


def validators_for(request: Request, *variant: str) -> Validators | None:
    """ETag and Last-Modified of a page: the content version, the URL and whatever else selects the variant (the
    language, the format). None when the app holds no service state."""
    state = getattr(request.app.state, "service", None)
    if state is None:
        return None
    return Validators.for_content(state.content_version, state.loaded_at, request.url.path, request.url.query, *variant)


@dataclass(frozen=True)
class Alternate:
    """Another representation of the page (`rel="alternate"`)."""

    href: str
    media_type: str
    label: str


def lang_links(request: Request, parameter: str = "lang") -> list[tuple[str, str, str]]:
    """(code, name, URL of this page in that language) for a language switcher: the interface's (`lang`) or the
    content's (`clang`)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != parameter]
    return [
        (code, i18n.LANG_NAMES[code], request.url.path + "?" + urlencode([*params, (parameter, code)]))
        for code in i18n.LANGS
    ]


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    *,
    status_code: int = 200,
    alternates: Sequence[Alternate] = (),
    lang: str | None = None,
) -> HTMLResponse:
    """Render `template` with the page context; sets `Content-Language`, `Link` alternates and the `lang` cookie."""
    lang = lang or i18n.requested_lang(request)  # the content language: labels, definitions
    ui = i18n.interface_lang(request)  # the page's own words and its <html lang>
    state = getattr(request.app.state, "service", None)
    full = {
        "lang": lang,
        "ui_lang": ui,
        "t": i18n.strings(ui),
        "lang_links": lang_links(request),
        "content_lang_links": lang_links(request, "clang"),
        "path": request.url.path,
        "alternates": alternates,
        "content_version": state.content_version if state is not None else "",
        "link": lambda ref, with_code=True: link_markup(ref, lang, with_code, ui),
        "text": lambda value: text_markup(value, lang, ui),
        "term": lambda value: term_markup(value, lang),
        **context,
    }
    body = environment.get_template(template).render(full)
    response = HTMLResponse(body, status_code=status_code)
    response.headers["Content-Language"] = ui if ui == lang else f"{ui}, {lang}"
    response.headers["Vary"] = PAGE_VARY
    validators = validators_for(request, "html", ui, lang) if status_code == 200 else None
    if validators is not None:
        validators.apply(response, vary=PAGE_VARY)
    if alternates:
        response.headers["Link"] = ", ".join(f'<{a.href}>; rel="alternate"; type="{a.media_type}"' for a in alternates)
    for parameter, cookie in (("lang", i18n.COOKIE), ("clang", i18n.CONTENT_COOKIE)):
        explicit = request.query_params.get(parameter, "").lower()
        if explicit in i18n.LANGS:
            response.set_cookie(cookie, explicit, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    if request.query_params.get("lang", "").lower() in i18n.LANGS and "clang" not in request.query_params:
        response.delete_cookie(i18n.CONTENT_COOKIE)  # choosing the interface language shows content in it too
    return response


def cached(request: Request, cat: Catalog, build: Callable[[], Response], *variant: str) -> Response:
    """The response `build` makes for this URL and variant (language, format), built once per content version.

    Pages are pure functions of the content version, the URL and the variant, so a successful response is kept
    (bounded LRU, in the catalog of the content version) and later requests get a copy of its bytes and headers.
    """
    key = ("page", request.url.path, request.url.query, i18n.interface_lang(request), *variant)
    hit: tuple[int, bytes, list[tuple[bytes, bytes]]] | None = cat.recall(key)
    if hit is not None:
        status, body, raw_headers = hit
        response = Response(body, status_code=status)
        response.raw_headers = list(raw_headers)
        return response
    response = build()
    if response.status_code == 200 and isinstance(getattr(response, "body", None), bytes):
        cat.keep(key, (response.status_code, response.body, list(response.raw_headers)))
    return response
