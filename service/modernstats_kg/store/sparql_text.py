"""SPARQL text without a parser: the one tokenizer (following the SPARQL 1.1 grammar's terminals), the query form,
binding values into a query for servers that take no bindings, checking syntax the way the embedded store does, and
placing a server's error.

`sparql.limits` screens queries with these tokens; the remote store binds values and checks syntax with them. The
remote store cannot hand bindings to the server as pyoxigraph's `substitutions`, so it writes them into the query as
a `VALUES` block; `values_clause` is the one place that turns request values into query text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox

from .base import QuerySyntaxError, Term

__all__ = [
    "Token",
    "bind_values",
    "check_syntax",
    "located",
    "mentions",
    "prefixes",
    "query_form",
    "tokenize",
    "unescaped",
    "values_clause",
]

# --- tokens ----------------------------------------------------------------------------------------------------

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


def _tokens(sparql: str) -> Iterator[Token]:
    """Significant tokens: whitespace and comments dropped."""
    return (token for token in tokenize(sparql) if token.kind not in ("ws", "comment"))


# --- query form and value binding --------------------------------------------------------------------------------

_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}


def _form_token(tokens: Iterator[Token]) -> Token | None:
    """Skip the prologue (BASE and PREFIX declarations); return the query form keyword, or None."""
    for token in tokens:
        word = token.text.upper() if token.kind == "word" else ""
        if word in {"BASE", "PREFIX"}:
            for inner in tokens:  # up to and including the declaration's IRI
                if inner.kind == "iri":
                    break
            continue
        return token if word in _FORMS else None
    return None


def query_form(sparql: str) -> str | None:
    """`SELECT`, `ASK`, `CONSTRUCT` or `DESCRIBE`, read after the prologue; None when the text does not say.

    >>> query_form("PREFIX ex: <http://example.org/#> # a comment\\n construct { ?s ?p ?o } WHERE { ?s ?p ?o }")
    'CONSTRUCT'
    """
    token = _form_token(_tokens(sparql))
    return token.text.upper() if token else None


def values_clause(substitutions: Mapping[str, Term]) -> str:
    """One row of bindings as a SPARQL `VALUES` block; with `values_rows`, the one place that writes request values
    into query text.

    Variable names are checked by `pyoxigraph.Variable`, IRIs by `NamedNode`, and every term is written by
    pyoxigraph's escaping N-Triples serialiser. Blank nodes cannot be bound (SPARQL has no syntax for them there).

    >>> values_clause({"s": ox.NamedNode("http://example.org/a"), "label": ox.Literal('say "hi"', language="en")})
    'VALUES (?s ?label) { (<http://example.org/a> "say \\\\"hi\\\\""@en) }'
    """
    names: list[str] = []
    terms: list[str] = []
    for name, term in substitutions.items():
        try:
            variable = ox.Variable(name)
        except ValueError as exc:
            raise ValueError(f"invalid SPARQL variable name {name!r}") from exc
        if not isinstance(term, ox.NamedNode | ox.Literal):
            raise ValueError(f"?{name}: only IRIs and literals can be bound, not {type(term).__name__}")
        names.append(str(variable))
        terms.append(str(term))
    return f"VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"


def values_rows(name: str, terms: Iterable[Term]) -> str:
    """Several values of one variable as a SPARQL `VALUES` block, each term checked and written as `values_clause`
    does (an empty list gives a block that matches nothing).

    >>> values_rows("s", [ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/b")])
    'VALUES ?s { <http://example.org/a> <http://example.org/b> }'
    """
    rows = [values_clause({name: term}) for term in terms]  # checks each name and term
    written = " ".join(row[row.index("{ (") + 3 : -3] for row in rows)
    return f"VALUES {ox.Variable(name)} {{ {written} }}"


def bind_values(sparql: str, substitutions: Mapping[str, Term]) -> str:
    """The query with `substitutions` joined at the start of its top-level WHERE group, as a `VALUES` block.

    A trailing VALUES clause would be standard too, but Virtuoso accepts it only after SELECT; a VALUES block first in
    the WHERE group works for every query form on every server. `CONSTRUCT WHERE { T }` is expanded to
    `CONSTRUCT { T } WHERE { VALUES ... T }`, since its short form allows nothing but triples.

    >>> bind_values("SELECT ?o WHERE { ?s ?p ?o }", {"s": ox.NamedNode("http://example.org/a")})
    'SELECT ?o WHERE { VALUES (?s) { (<http://example.org/a>) } ?s ?p ?o }'
    """
    if not substitutions:
        return sparql
    block = values_clause(substitutions)
    tokens = _tokens(sparql)
    form = _form_token(tokens)
    if form is None:
        raise QuerySyntaxError("cannot bind values: the query form (SELECT, ASK, CONSTRUCT, DESCRIBE) was not found")
    construct = form.text.upper() == "CONSTRUCT"
    template_read = False
    depth = 0
    previous: Token = form
    for token in tokens:
        if token.text == "(":
            depth += 1
        elif token.text == ")":
            depth -= 1
        elif token.text == "{" and depth == 0:
            short_form = construct and not template_read and previous.text.upper() == "WHERE"
            if not construct or template_read or short_form:
                return _insert_after(sparql, token, block, form, short_construct=short_form)
            _skip_group(tokens)  # the CONSTRUCT template
            template_read = True
        previous = token
    raise QuerySyntaxError("cannot bind values: the query has no WHERE group")


def _skip_group(tokens: Iterator[Token]) -> Token:
    """Consume tokens up to the `}` closing a group whose `{` was just read; return that `}`."""
    depth = 1
    for token in tokens:
        if token.text == "{":
            depth += 1
        elif token.text == "}":
            depth -= 1
            if depth == 0:
                return token
    raise QuerySyntaxError("unbalanced braces in the query")


def _insert_after(sparql: str, brace: Token, block: str, form: Token, *, short_construct: bool) -> str:
    bound = f"{sparql[: brace.end]} {block}{sparql[brace.end :]}"
    if not short_construct:
        return bound
    close = _skip_group(_tokens_from(sparql, brace.end))
    template = sparql[brace.end : close.start]
    # the form keyword comes before the brace, so its offset in `bound` is unchanged
    return f"{bound[: form.end]} {{{template}}}{bound[form.end :]}"


def _tokens_from(sparql: str, offset: int) -> Iterator[Token]:
    for token in _tokens(sparql[offset:]):
        yield Token(token.kind, token.text, token.start + offset, token.prefix)


# --- syntax -------------------------------------------------------------------------------------------------------

_PARSER = ox.Store()  # always empty: only its SPARQL parser is used
_UNUSED = ox.Literal("")


def check_syntax(sparql: str) -> None:
    """Raise `QuerySyntaxError` (pyoxigraph's message, as from the embedded store) unless `sparql` is a valid query.

    Servers are more lenient than the standard (Virtuoso answers `SELECT * { ?s ?p ?o } GROUP BY ?s`); checking with
    the embedded store's parser makes both backends accept the same queries. The query is parsed, never evaluated: it is
    given a substitution for a variable it does not contain, which pyoxigraph refuses after parsing and before
    evaluating, so nothing runs (no `SERVICE` call, no work on constants).

    >>> check_syntax("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s")
    >>> try:
    ...     check_syntax("SELECT * { ?s ?p ?o } GROUP BY ?s")
    ... except QuerySyntaxError as error:
    ...     print("SELECT * is not authorized with GROUP BY" in str(error))
    True
    """
    name = "mskg_parse_only"
    while name in sparql:
        name += "_"
    try:
        _PARSER.query(sparql, substitutions={ox.Variable(name): _UNUSED})
    except SyntaxError as exc:
        raise QuerySyntaxError(str(exc.msg or exc), line=exc.lineno, column=exc.offset) from exc
    except RuntimeError:  # "does not contain variable ?mskg_parse_only": it parsed, and was not evaluated
        return


# --- error positions ---------------------------------------------------------------------------------------------

_LINE = re.compile(r"\bline (\d+):")
_AT_TOKEN = re.compile(r" at '(.*?)'(?: before '.*')?\s*$", re.DOTALL)


def located(error: QuerySyntaxError, sparql: str) -> QuerySyntaxError:
    """The error with a line and column in `sparql`, read from a message such as Virtuoso's
    `SPARQL compiler, line 2: syntax error at '}' before '}'` (no column given: that of the token named after `at`).

    >>> found = located(QuerySyntaxError("SP030: SPARQL compiler, line 2: syntax error at 'p' before '}'"),
    ...                 "SELECT *\\nWHERE { ?s ?p }")
    >>> (found.line, found.column)
    (2, 13)
    """
    message = str(error)
    match = _LINE.search(message)
    if match is None or error.line is not None:
        return error
    lines = sparql.splitlines() or [""]
    line = min(max(int(match.group(1)), 1), len(lines))  # Virtuoso says line 0 for some lexer errors
    text = lines[line - 1]
    at = _AT_TOKEN.search(message, match.end())
    token = at.group(1).strip() if at else ""
    index = text.find(token) if token else -1
    column = index + 1 if index >= 0 else len(text) + 1  # unknown token: the error is at the end of the line
    return QuerySyntaxError(str(error), line=line, column=column)
