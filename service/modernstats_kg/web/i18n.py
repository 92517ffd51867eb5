"""Languages of the pages: which one a request wants, and the interface strings in each.

The language comes from `?lang=` (which also sets a cookie), else the `lang` cookie, else `Accept-Language`, else
English. Content labels fall back to English when a resource has none in the chosen language.
"""

from __future__ import annotations

from fastapi import Request

from .strings import STRINGS as _STRINGS

LANGS = ("en", "fr", "es")
DEFAULT = "en"
COOKIE = "lang"
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


def requested_lang(request: Request) -> str:
    """The language of this request's page."""
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


def strings(lang: str) -> dict[str, str]:
    """The interface strings in `lang` (every key present: missing translations fall back to English)."""
    if lang == DEFAULT or lang not in _STRINGS:
        return _STRINGS[DEFAULT]
    return {**_STRINGS[DEFAULT], **_STRINGS[lang]}
