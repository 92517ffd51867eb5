"""What a query may do on this endpoint, decided before it runs: no outbound calls, no file reads.

pyoxigraph evaluates `SERVICE <url>` by calling the URL, so a federated query would make the server send requests
on a client's behalf. `SERVICE` (and `LOAD`, an update) are therefore refused unless the endpoint IRI is in the
allow-list (`Settings.service_allow_list`). Two independent checks must both pass:

1. `check_query` tokenises the text following the SPARQL grammar (comments, short and long strings, IRIs,
   variables, prefixed names, `\\u` escapes) and refuses any keyword-like word that begins with `SERVICE` or `LOAD`,
   or a prefix name that does (pyoxigraph's parser reads `SERVICEx:y` as `SERVICE x:y`).
2. `neutralized` gives the worker a copy of the query in which every other spelling of `service` is replaced by
   letters of the same length; the worker parses that copy on an empty store first (`query_runner`). If the copy no
   longer parses while the query contains `service`, some `SERVICE` keyword was hidden from the tokenizer (for
   example behind a `<` that the parser reads as "less than") and the query is refused.

`prefixes` reads the query's PREFIX declarations (used to write Turtle results with the client's own prefixes).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache

from .errors import QueryRejected

__all__ = ["Token", "check_query", "mentions", "neutralized", "prefixes", "tokenize", "unescaped"]

# SPARQL 1.1 grammar, section 19.8 (terminals)
_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d\u2070-\u218f"
    "\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PN_LOCAL = f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"
_VARNAME = f"[{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"

_TOKEN = re.compile(
    "|".join(
        [
            r"(?P<ws>\s+)",
            r"(?P<comment>#[^\r\n]*)",
            r"(?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''"
            r'|"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""'
            r"|'(?:[^'\\\r\n]|\\.)*'"
            r'|"(?:[^"\\\r\n]|\\.)*")',
            r"(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)",
            f"(?P<var>[?$]{_VARNAME})",
            f"(?P<bnode>_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)",
            f"(?P<pname>(?P<prefix>{_PN_PREFIX})?:(?P<local>{_PN_LOCAL})?)",
            r"(?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)",
            r"(?P<word>[A-Za-z_][A-Za-z0-9_]*)",
            r"(?P<other>.)",
        ]
    ),
    re.DOTALL,
)

_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_SERVICE = re.compile("service", re.IGNORECASE)


@dataclass(frozen=True)
class Token:
    kind: str  # ws, comment, string, iri, var, bnode, pname, langtag, word, other
    text: str
    start: int
    prefix: str | None = None  # for pname tokens: the prefix name ("" for the default prefix)

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def tokenize(text: str) -> Iterator[Token]:
    """The SPARQL tokens of `text`, whitespace and comments included; never fails (unknown characters are `other`)."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind in ("prefix", "local"):
            kind = "pname"
        prefix = (match.group("prefix") or "") if kind == "pname" else None
        yield Token(kind, match.group(0), match.start(), prefix)


def mentions(text: str, *words: str) -> bool:
    """True when `text` contains one of `words` in any letter case, as `re.IGNORECASE` reads it (which also matches
    a few non-ASCII letters, such as the long s, to ASCII ones); for ASCII text, ten times faster than a regex."""
    if text.isascii():
        lowered = text.lower()
        return any(word in lowered for word in words)
    return _any_of(words).search(text) is not None


@cache
def _any_of(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)


def unescaped(text: str) -> str:
    """The text with its `\\u` and `\\U` escapes replaced by the characters they stand for (as the parser reads
    them anywhere in a query)."""

    def one(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group(0)

    return _UCHAR.sub(one, text)


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


def prefixes(text: str) -> dict[str, str]:
    """The PREFIX declarations of a query, name -> namespace IRI (absolute IRIs only)."""
    tokens = [t for t in tokenize(text) if t.kind not in ("ws", "comment")]
    found: dict[str, str] = {}
    for first, second, third in zip(tokens, tokens[1:], tokens[2:], strict=False):
        if (
            first.kind == "word"
            and first.text.upper() == "PREFIX"
            and second.kind == "pname"
            and second.text.endswith(":")
            and third.kind == "iri"
        ):
            iri = unescaped(third.text[1:-1])
            if re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", iri):
                found[second.text[:-1]] = iri
    return found
