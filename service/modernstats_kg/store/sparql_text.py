"""SPARQL text for the remote store: which form a query has, binding values into it, checking its syntax the way
the embedded store does, placing a server's error.

The remote store cannot hand bindings to the server as pyoxigraph's `substitutions`, so it writes them into the
query as a `VALUES` block; `values_clause` is the one place that turns request values into query text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from .base import QuerySyntaxError, Term

__all__ = ["bind_values", "check_syntax", "located", "query_form", "values_clause"]

# --- query form and value binding --------------------------------------------------------------------

_TOKEN = re.compile(
    r"""(?P<ws>\s+)
    |(?P<comment>\#[^\n\r]*)
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
        |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
    |(?P<word>[A-Za-z_][A-Za-z0-9_\-]*)
    |(?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)
_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    end: int


def _tokens(sparql: str) -> Iterator[_Token]:
    """Significant tokens: IRIs, strings, words and single characters; whitespace and comments are dropped."""
    for match in _TOKEN.finditer(sparql):
        kind = match.lastgroup or "other"
        if kind not in {"ws", "comment"}:
            yield _Token(kind, match.group(), match.start(), match.end())


def _form_token(tokens: Iterator[_Token]) -> _Token | None:
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
    """One row of bindings as a SPARQL `VALUES` block; the one place that writes request values into query text.

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
    previous: _Token = form
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


def _skip_group(tokens: Iterator[_Token]) -> _Token:
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


def _insert_after(sparql: str, brace: _Token, block: str, form: _Token, *, short_construct: bool) -> str:
    bound = f"{sparql[: brace.end]} {block}{sparql[brace.end :]}"
    if not short_construct:
        return bound
    close = _skip_group(_tokens_from(sparql, brace.end))
    template = sparql[brace.end : close.start]
    # the form keyword comes before the brace, so its offset in `bound` is unchanged
    return f"{bound[: form.end]} {{{template}}}{bound[form.end :]}"


def _tokens_from(sparql: str, offset: int) -> Iterator[_Token]:
    for token in _tokens(sparql[offset:]):
        yield _Token(token.kind, token.text, token.start + offset, token.end + offset)


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
