"""Which languages a request wants: the interface language (the page's own words) and the content language (the
labels and definitions), chosen apart as in Skosmos; English is the fallback of both."""

from __future__ import annotations

from fastapi import Request

LANGS = ("en", "fr", "es")
DEFAULT = "en"
COOKIE = "lang"
CONTENT_COOKIE = "clang"
LANG_NAMES = {"en": "English", "fr": "Français", "es": "Español"}


def parse_accept_language(header: str) -> list[str]:
    """Primary language subtags of an `Accept-Language` header, best first (q=0 dropped).

    >>> parse_accept_language("fr-CH, fr;q=0.9, en;q=0.8, *;q=0.5")
    ['fr', 'fr', 'en', '*']
    """
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower()
        if not tag:
            continue
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0:
            weighted.append((-q, index, tag.split("-")[0]))
    return [tag for _, _, tag in sorted(weighted)]


def interface_lang(request: Request) -> str:
    """The language of the page's own words (menus, headings, notes): `?lang=`, the `lang` cookie, Accept-Language."""
    explicit = request.query_params.get("lang", "").lower()
    if explicit in LANGS:
        return explicit
    cookie = request.cookies.get(COOKIE, "").lower()
    if cookie in LANGS:
        return cookie
    for tag in parse_accept_language(request.headers.get("accept-language", "")):
        if tag in LANGS:
            return tag
    return DEFAULT


def requested_lang(request: Request) -> str:
    """The content language: the language labels and definitions are shown in (`?clang=`, the `clang` cookie),
    the interface language unless the reader chose another. A label missing in it falls back to English, marked."""
    explicit = request.query_params.get("clang", "").lower()
    if explicit in LANGS:
        return explicit
    cookie = request.cookies.get(CONTENT_COOKIE, "").lower()
    if cookie in LANGS:
        return cookie
    return interface_lang(request)
