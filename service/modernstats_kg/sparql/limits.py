"""What a query may do on this endpoint, decided before it runs: no outbound calls, no file reads.

pyoxigraph evaluates `SERVICE <url>` by calling the URL, so a federated query would make the server send requests
on a client's behalf. `SERVICE` (and `LOAD`, an update) are therefore refused unless the endpoint IRI is in the
allow-list (`Settings.service_allow_list`). Two independent checks must both pass:

1. `check_query` tokenises the text following the SPARQL grammar (comments, short and long strings, IRIs,
   variables, prefixed names, `\\u` escapes) and refuses any keyword-like word that begins with `SERVICE` or `LOAD`,
   or a prefix name that does (pyoxigraph's parser reads `SERVICEx:y` as `SERVICE x:y`).
2. `neutralized` gives the worker a copy of the query in which every other spelling of `service` is replaced by
   letters of the same length; the worker parses that copy on an empty store first (`workers`). If the copy no
   longer parses while the query contains `service`, some `SERVICE` keyword was hidden from the tokenizer (for
   example behind a `<` that the parser reads as "less than") and the query is refused.

The tokenizer is `store.sparql_text`, shared with the remote backend.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import QueryRejected
from ..store.sparql_text import Token, mentions, tokenize, unescaped

__all__ = ["check_query", "neutralized"]

_SERVICE = re.compile("service", re.IGNORECASE)


def _significant(tokens: Sequence[Token], index: int) -> tuple[int, Token | None]:
    while index < len(tokens) and tokens[index].kind in ("ws", "comment"):
        index += 1
    return index, tokens[index] if index < len(tokens) else None


@dataclass(frozen=True)
class _Call:
    keyword: str  # "SERVICE" or "LOAD"
    start: int
    silent: Token | None
    target: str | None  # the IRI written in full, else None (a variable, prefixed name or relative IRI)
    glued: bool = False  # spelled as part of a longer word or prefix name (`SERVICEx:y`, `service:`)


def _calls(text: str, refused_words: Sequence[str] = ("service",)) -> list[_Call]:
    tokens = list(tokenize(text))
    calls: list[_Call] = []
    for index, token in enumerate(tokens):
        word = token.text if token.kind == "word" else token.prefix if token.kind == "pname" else None
        if not word:
            continue
        lowered = word.lower()
        keyword = next((w.upper() for w in refused_words if lowered.startswith(w)), None)
        if keyword is None:
            continue
        if token.kind != "word" or lowered != keyword.lower():
            calls.append(_Call(keyword, token.start, None, None, glued=True))  # never allowed
            continue
        after, nxt = _significant(tokens, index + 1)
        silent = None
        if nxt is not None and nxt.kind == "word" and nxt.text.upper() == "SILENT":
            silent = nxt
            after, nxt = _significant(tokens, after + 1)
        target = None
        if nxt is not None and nxt.kind == "iri":
            iri = unescaped(nxt.text[1:-1])
            target = iri if re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", iri) else None
        calls.append(_Call(keyword, token.start, silent, target))
    return calls


def check_query(text: str, allow_list: Sequence[str] = (), *, update: bool = False) -> None:
    """Raise `QueryRejected` when the text calls SERVICE (or, in an update, LOAD) on an endpoint not in `allow_list`.

    With an allow-list, only a call written with the endpoint's full IRI (`SERVICE <https://...>`) can pass.
    """
    if not mentions(text, "service", "load", "\\u"):
        return
    allowed = set(allow_list)
    words = ("service", "load") if update else ("service",)
    for version in dict.fromkeys((text, unescaped(text))):
        for call in _calls(version, words):
            if call.target is not None and call.target in allowed:
                continue
            raise QueryRejected(_refusal(call, allowed), operation=call.keyword)


def _refusal(call: _Call, allowed: set[str]) -> str:
    what = "SERVICE (a federated query)" if call.keyword == "SERVICE" else "LOAD"
    if call.glued:
        return (
            f"{what} is not allowed on this endpoint, and a word or prefix name that begins with "
            f"'{call.keyword.lower()}' reads as one: rename the prefix"
        )
    if not allowed:
        return (
            f"{what} is not allowed on this endpoint: it answers from its own graph only and makes no outbound requests"
        )
    return f"{what} is only allowed for these endpoints, written as full IRIs: {', '.join(sorted(allowed))}" + (
        f"; not for <{call.target}>" if call.target else ""
    )


def neutralized(text: str, allow_list: Sequence[str] = ()) -> str | None:
    """The query with every `service` spelling replaced by letters (allowed SERVICE calls become GRAPH patterns of
    the same shape), for a parse check before execution; None when the text never spells `service`."""
    if not mentions(text, "service"):
        return None
    allowed = set(allow_list)
    chars = list(text)
    keep: set[int] = set()
    for call in _calls(text):
        if call.keyword == "SERVICE" and call.target is not None and call.target in allowed:
            chars[call.start : call.start + 7] = list("GRAPH  ")
            keep.add(call.start)
            if call.silent is not None:
                chars[call.silent.start : call.silent.end] = list(" " * len(call.silent.text))
    for match in _SERVICE.finditer(text):
        if match.start() not in keep:
            chars[match.start() : match.end()] = list("zzzzzzz")
    return "".join(chars)
