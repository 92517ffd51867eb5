"""Everything done to a query's text before it runs, in one call made in the query worker, never on the event loop.

The endpoint's event loop only measures the text (`len`) and hands it on; the worker process (or, for a remote
store, a thread) screens it here: nesting depth (`store.sparql_text.check_nesting`), the SERVICE screening and the
neutralised copy (`limits`), the query's own prefixes (for Turtle and RDF/XML answers and the query page), and
whether its answer may be kept (`cacheable`). `mskg query` calls the same `screen`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..store.sparql_text import check_nesting, mentions, prefixes, unescaped
from . import limits

__all__ = ["Screened", "cacheable", "screen"]

_VOLATILE = re.compile(r"\b(?:NOW|RAND|UUID|STRUUID)\s*\(", re.IGNORECASE)
_SERVICE = re.compile("service", re.IGNORECASE)


def cacheable(sparql: str, allow_list: Sequence[str] = ()) -> bool:
    """False when the answer may change while the content version stays: volatile functions (also when spelled
    with `\\u` escapes), or SERVICE calls that an allow-list lets through (without one, every SERVICE is refused
    before it runs).

    >>> cacheable("SELECT ?s WHERE { ?s ?p ?o }")
    True
    >>> cacheable("SELECT (now() AS ?t) WHERE {}")
    False
    """
    escaped = "\\u" in sparql or "\\U" in sparql
    volatile = escaped or mentions(sparql, "now", "rand", "uuid")  # a quick look before the regular expressions
    if volatile and (_VOLATILE.search(sparql) or (escaped and _VOLATILE.search(unescaped(sparql)))):
        return False
    return not (allow_list and (escaped or mentions(sparql, "service")) and _SERVICE.search(unescaped(sparql)))


@dataclass(frozen=True)
class Screened:
    """What screening learnt: the neutralised copy to parse first (None: nothing to neutralise), the query's
    PREFIX declarations, and whether its answer may be kept."""

    check: str | None
    prefixes: tuple[tuple[str, str], ...]
    cacheable: bool


def screen(sparql: str, allow_list: Sequence[str] = (), *, with_prefixes: bool = False) -> Screened:
    """Screen a query before any parser or engine sees it; raises `store.QueryTooDeep` (too deeply nested) or
    `errors.QueryRejected` (SERVICE not allowed)."""
    check_nesting(sparql)
    limits.check_query(sparql, allow_list)
    return Screened(
        check=limits.neutralized(sparql, allow_list),
        prefixes=tuple(prefixes(sparql).items()) if with_prefixes else (),
        cacheable=cacheable(sparql, allow_list),
    )
