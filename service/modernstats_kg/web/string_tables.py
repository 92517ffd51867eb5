"""The registry of interface-string tables: every module that holds the words of some pages registers its table
here (`register`), so the translation test checks every table, whichever page family it serves.

A table maps each interface language to its strings: `{"en": {key: text}, "fr": {...}, "es": {...}}`. Every key has
an entry in every language (the test fails otherwise); a word that is the same in all of them (`SPARQL`, `CSV`) is
repeated, so that a missing translation is never hidden by the English one.
"""

from __future__ import annotations

StringTable = dict[str, dict[str, str]]

TABLES: dict[str, StringTable] = {}


def register(name: str, table: StringTable) -> StringTable:
    """Record `table` under `name` (its module's name) and return it unchanged."""
    TABLES[name] = table
    return table


def in_lang(table: StringTable, lang: str) -> dict[str, str]:
    """The strings of `table` in `lang`; an unknown language gets English (the tables themselves are complete)."""
    return table.get(lang, table["en"])
