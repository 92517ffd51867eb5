"""Languages of the pages: which one a request wants, and the interface strings in each.

The language comes from `?lang=` (which also sets a cookie), else the `lang` cookie, else `Accept-Language`, else
English. Content labels fall back to English when a resource has none in the chosen language.
"""

from __future__ import annotations

from functools import cache

from fastapi import Request

from .i18n_models import MODEL_STRINGS
from .i18n_pages import PAGE_STRINGS
from .i18n_site import SITE_STRINGS
from .i18n_tools import TOOL_STRINGS
from .languages import (  # the language of a request lives in `languages`; pages import it from here
    CONTENT_COOKIE,
    COOKIE,
    DEFAULT,
    LANG_NAMES,
    LANGS,
    interface_lang,
    parse_accept_language,
    requested_lang,
)
from .string_tables import in_lang

__all__ = [
    "CONTENT_COOKIE",
    "COOKIE",
    "DEFAULT",
    "LANGS",
    "LANG_NAMES",
    "error_page_words",
    "interface_lang",
    "parse_accept_language",
    "requested_lang",
    "strings",
]


# The tables whose strings every page gets as `t` (their keys must not collide); page families with words of their
# own (`review_strings`, `gsbpm_strings`, ...) pass them apart.
PAGE_TABLES = (SITE_STRINGS, MODEL_STRINGS, TOOL_STRINGS, PAGE_STRINGS)


@cache
def _merged(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for table in PAGE_TABLES:
        merged.update(in_lang(table, lang))
    return merged


def strings(lang: str) -> dict[str, str]:
    """The interface strings in `lang` (an unknown language gets English); one dict per language, read only."""
    return _merged(lang if lang in LANGS else DEFAULT)


def error_page_words(request: Request) -> tuple[str, dict[str, str]]:
    """The interface language of `request` and its strings, for the error pages `error_handlers` writes."""
    lang = interface_lang(request)
    return lang, strings(lang)
