"""Render pages: one Jinja2 environment (autoescaped), the common page context, and the response headers every page
carries (language, alternates, the `lang` cookie when `?lang=` chose one)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup, escape

from ..catalog.browse import browse_id
from ..catalog.core import Catalog, Lit, Ref, Text
from ..catalog.resource import BlankNodeValue, ListValue
from ..catalog.vocab import local_name
from ..conneg import Validators, link_header, set_vary
from ..editing.gate import durable
from . import i18n
from .nav_strings import human_size, nav_strings
from .paths import page_url
from .sections import breadcrumb, nav_tabs, section_crumbs, section_of

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
    autoescape=True,  # every template, whatever its name: labels and definitions come from data
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,
)
environment.globals.update(
    url=page_url, local_name=local_name, browse_id=browse_id, LANGS=i18n.LANGS, LANG_NAMES=i18n.LANG_NAMES
)


PAGE_VARY = "Accept, Accept-Language, Cookie"

# The query parameters that select what a page shows (a page with a new parameter adds it here); any other
# (`?junk=1`) changes neither the page, its ETag, its links nor its place in the page cache (`cached`, bounded in
# bytes besides), so a flood of distinct URLs cannot grow memory.
PAGE_PARAMS = frozenset(
    {
        "q",
        "activity",
        "class",
        "group",
        "direction",
        "iri",
        "lang",
        "clang",
        # the search page's facets
        "model",
        "type",
        # the matrix's filters and export shape (web/matrix_export.py)
        "phase",
        "role",
        "status",
        "author",
        "shape",
        # release comparison, lists
        "from",
        "to",
        "limit",
        "offset",
        "since",
    }
)


def page_params(request: Request) -> list[tuple[str, str]]:
    """The query parameters of the request that select the page (`PAGE_PARAMS`), in order."""
    return [(k, v) for k, v in request.query_params.multi_items() if k in PAGE_PARAMS]


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
    if not ref.label and (page_lang or lang) != "en":  # its local name, an English identifier: not a fallback
        lang_attr = ' lang="en"'
    name = ref.name(lang)
    # a code equal to the name (status `proposed`) is said once, not as "proposed proposed"
    shown = with_code and ref.code and ref.code.casefold() != name.casefold()
    code = f'<span class="code">{escape(ref.code)}</span> ' if shown else ""
    return Markup(f'<a href="{escape(page_url(ref.iri))}"{lang_attr}>{code}{escape(name)}</a>')


def name_markup(ref: Ref, lang: str, page_lang: str, with_code: bool = False) -> Markup:
    """The name of `ref` in `lang` (with its code: `title`), in a `<span lang>` when its language is not the page's
    (a label shown in English because it has no translation is marked as such)."""
    name = ref.title(lang) if with_code else ref.name(lang)
    lang_attr = _lang_attributes(ref.label.lang_of(lang), lang, page_lang)
    return Markup(f"<span{lang_attr}>{escape(name)}</span>") if lang_attr else Markup(escape(name))


def name_lang(ref: Ref, lang: str, page_lang: str) -> Markup:
    """` lang="en"` when the name of `ref` is not in the page's language (for `<title>`, which holds no markup)."""
    shown = ref.label.lang_of(lang)
    return Markup(f' lang="{escape(shown)}"') if shown and shown != page_lang else Markup("")


def readable_type(ref: Ref, lang: str, page_lang: str | None = None) -> Markup:
    """A type as a page kicker: its label, or its CamelCase local name as words (`ObjectProperty` -> `Object
    property`, English, marked so), linked to its page."""
    name = ref.name(lang)
    lang_attr = _lang_attributes(ref.label.lang_of(lang) or "en", lang, page_lang)
    if name == local_name(ref.iri) and name[:1].isupper():
        words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).split(" ")
        name = " ".join([words[0], *(w.lower() if not w.isupper() else w for w in words[1:])])
    return Markup(f'<a href="{escape(page_url(ref.iri))}"{lang_attr}>{escape(name)}</a>')


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
    language, the format). None when the app holds no service state. A service that takes edits lets browsers keep
    a page but not reuse it unchecked (max-age 0: a 304 while nothing changed), so a contributor going back to a
    page sees the edit just made rather than the copy of a minute ago."""
    state = getattr(request.app.state, "service", None)
    if state is None:
        return None
    selected = urlencode(page_params(request))
    max_age = 0 if state.takes_edits else 60
    return Validators.for_content(
        state.data_version, state.modified_at, request.url.path, selected, *variant, max_age=max_age
    )


@dataclass(frozen=True)
class Alternate:
    """Another representation of the page (`rel="alternate"`)."""

    href: str
    media_type: str
    label: str
    size: int | None = None  # bytes, when known


def lang_links(request: Request, parameter: str = "lang") -> list[tuple[str, str, str]]:
    """(code, name, URL of this page in that language) for a language switcher: the interface's (`lang`) or the
    content's (`clang`)."""
    params = [(k, v) for k, v in page_params(request) if k != parameter]
    return [
        (code, i18n.LANG_NAMES[code], request.url.path + "?" + urlencode([*params, (parameter, code)]))
        for code in i18n.LANGS
    ]


def alternate_links(alternates: Sequence[Alternate]) -> str:
    """The `Link` header naming a page's other representations."""
    return link_header((a.href, "alternate", a.media_type) for a in alternates)


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
    strings = i18n.strings(ui)
    nav = nav_strings(ui)
    section = context["section"] if "section" in context else section_of(request.url.path)
    full = {
        "lang": lang,
        "ui_lang": ui,
        "t": strings,
        "nav": nav,
        "section": section,
        "nav_tabs": nav_tabs({**strings, **nav}),
        "trail": lambda items: breadcrumb(section_crumbs(section, {**strings, **nav}), items, request.url.path),
        "lang_links": lang_links(request),
        "content_lang_links": lang_links(request, "clang"),
        "path": request.url.path,
        "alternates": alternates,
        "content_version": state.content_version if state is not None else "",
        # links to the editing pages only where edits can be kept (not on the in-memory store)
        "editable": state is not None and durable(state.store),
        "link": lambda ref, with_code=True: link_markup(ref, lang, with_code, ui),
        "text": lambda value: text_markup(value, lang, ui),
        "term": lambda value: term_markup(value, lang),
        "type_link": lambda ref: readable_type(ref, lang, ui),
        "named": lambda ref: name_markup(ref, lang, ui),
        "titled": lambda ref: name_markup(ref, lang, ui, with_code=True),
        "name_lang": lambda ref: name_lang(ref, lang, ui),
        "size_text": lambda size: human_size(size, ui),
        **context,
    }
    body = environment.get_template(template).render(full)
    response = HTMLResponse(body, status_code=status_code)
    response.headers["Content-Language"] = ui if ui == lang else f"{ui}, {lang}"
    set_vary(response, PAGE_VARY)
    validators = validators_for(request, "html", ui, lang) if status_code == 200 else None
    if validators is not None:
        validators.apply(response, vary=PAGE_VARY)
    if alternates:
        response.headers["Link"] = alternate_links(alternates)
    for parameter, cookie in (("lang", i18n.COOKIE), ("clang", i18n.CONTENT_COOKIE)):
        explicit = request.query_params.get(parameter, "").lower()
        if explicit in i18n.LANGS:
            response.set_cookie(cookie, explicit, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    if request.query_params.get("lang", "").lower() in i18n.LANGS and "clang" not in request.query_params:
        response.delete_cookie(i18n.CONTENT_COOKIE)  # choosing the interface language shows content in it too
    return response


def cached(request: Request, cat: Catalog, build: Callable[[], Response], *variant: str) -> Response:
    """The response `build` makes for this path, its selecting parameters (`PAGE_PARAMS`) and variant (the
    negotiated language and format), built once per content version.

    Pages are pure functions of the content version, the path, those parameters and the variant, so a successful
    response is kept (LRU bounded in bytes, in the catalog of the content version) and later requests get a copy of
    its bytes and headers. Other query parameters are not part of the key: `?junk=N` floods reuse one entry.
    """
    explicit = request.query_params.get("lang", "").lower()  # sets the `lang` cookie: a variant of its own
    chosen = explicit if explicit in i18n.LANGS else ""
    key = ("page", request.url.path, tuple(page_params(request)), chosen, *variant)
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
