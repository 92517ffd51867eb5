"""Property-based fuzzing of /sparql (hypothesis): whatever the query text, headers, method or body, the answer is
never a 500 and never shows a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SPARQL_CONTENT_DIR
from modernstats_kg.app import create_app
from modernstats_kg.settings import Settings

FRAGMENTS = [
    "SELECT",
    "ASK",
    "CONSTRUCT",
    "DESCRIBE",
    "WHERE",
    "{",
    "}",
    "(",
    ")",
    "?s",
    "?p",
    "?o",
    "$x",
    "*",
    ".",
    ";",
    ",",
    "<http://example.org/animals#Cat>",
    "<",
    ">",
    "<>",
    "<<",
    ">>",
    "a",
    "FILTER",
    "OPTIONAL",
    "UNION",
    "MINUS",
    "GRAPH",
    "SERVICE",
    "SILENT",
    "BIND",
    "AS",
    "VALUES",
    "LIMIT",
    "OFFSET",
    "ORDER BY",
    "GROUP BY",
    "HAVING",
    "COUNT(",
    "REGEX(",
    "STR(",
    "LANG(",
    '"',
    "'",
    '"""',
    "'''",
    "\\",
    "\\u0053",
    "\\U0001F600",
    "#",
    "\n",
    "@en",
    "^^",
    "xsd:integer",
    "ex:",
    ":",
    "_:b",
    "[",
    "]",
    "1",
    "-1.5e3",
    "true",
    "PREFIX ex: <http://example.org/>",
    "BASE <http://x/>",
    "FROM",
    "FROM NAMED",
    "LOAD",
    "INSERT DATA",
    "DELETE",
    "CLEAR ALL",
    "é",
    "\x00",
    "\ufffd",
]

queries = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(FRAGMENTS), max_size=30).map(" ".join),
    st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join),
)
header_text = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=80)
accepts = st.one_of(
    header_text,
    st.sampled_from(
        [
            "",
            "*/*",
            "text/html",
            "application/json",
            "text/turtle",
            "text/csv;q=0.5, */*;q=0",
            "application/sparql-results+xml;q=x",
            ";;;,,,",
            "text/*;q=1.5",
            "*/turtle",
        ]
    ),
)
content_types = st.one_of(
    header_text,
    st.sampled_from(
        [
            "application/sparql-query",
            "application/x-www-form-urlencoded",
            "application/sparql-update",
            "application/sparql-query; charset=latin-1",
            "multipart/form-data",
            "text/plain",
            "",
        ]
    ),
)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    app = create_app(Settings(content_dir=SPARQL_CONTENT_DIR, query_timeout_s=2.0, max_request_bytes=20_000))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def _assert_handled(response: object) -> None:
    status = response.status_code  # type: ignore[attr-defined]
    assert status != 500 and status < 600, response.text  # type: ignore[attr-defined]
    assert "Traceback" not in response.text  # type: ignore[attr-defined]
    if status >= 400:
        assert response.headers["content-type"].startswith(("application/json", "text/html"))  # type: ignore[attr-defined]


FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(query=queries, accept=accepts, fmt=st.one_of(st.none(), header_text))
def test_get_never_answers_500(client: TestClient, query: str, accept: str, fmt: str | None) -> None:
    params = {"query": query, **({"format": fmt} if fmt is not None else {})}
    _assert_handled(client.get("/sparql", params=params, headers={"Accept": accept}))


@FUZZ
@given(
    body=st.one_of(queries.map(lambda q: q.encode("utf-8", "surrogatepass")), st.binary(max_size=300)),
    content_type=content_types,
    accept=accepts,
)
def test_post_never_answers_500(client: TestClient, body: bytes, content_type: str, accept: str) -> None:
    headers = {"Accept": accept, **({"Content-Type": content_type} if content_type else {})}
    _assert_handled(client.post("/sparql", content=body, headers=headers))


@FUZZ
@given(
    fields=st.lists(
        st.tuples(st.sampled_from(["query", "update", "default-graph-uri", "named-graph-uri", "format", "x"]), queries),
        max_size=4,
    ),
    accept=accepts,
)
def test_form_posts_never_answer_500(client: TestClient, fields: list[tuple[str, str]], accept: str) -> None:
    body = urlencode(fields, encoding="utf-8", errors="surrogatepass")
    headers = {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"}
    _assert_handled(client.post("/sparql", content=body, headers=headers))
