"""Answers of /sparql kept per content version (`sparql.answer_cache`): a repeat is answered without running the query,
a new content version or another format is a different entry, failures are never kept, memory stays under the cap.

What a client sees: `X-Cache: hit` (answered from the cache), `miss` (ran, now kept), `bypass` (ran, never kept: the
answer may change without a new content version); no `X-Cache` header when the cache is off.
"""

from __future__ import annotations

import asyncio
import doctest
import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import httpx2
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from conftest import SPARQL_CONTENT_DIR, app_state
from modernstats_kg.app import create_app
from modernstats_kg.loader import load_content
from modernstats_kg.settings import Settings
from modernstats_kg.sparql import answer_cache, endpoint
from modernstats_kg.sparql.answer_cache import ENTRY_OVERHEAD, ResultCache, cacheable
from modernstats_kg.sparql.execution import QueryAnswer, QueryFailure, QueryJob, decode_outcome, encode_outcome
from modernstats_kg.sparql.workers import QueryRunner
from modernstats_kg.store import EmbeddedStore
from modernstats_kg.store.sparql_text import mentions

JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
NUMBERS = "http://example.org/numbers#"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
SLOW = (  # 300^4 solutions to count: far beyond any time limit
    f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a <{NUMBERS}value> ?x . ?b <{NUMBERS}value> ?y . "
    f"?c <{NUMBERS}value> ?z . ?d <{NUMBERS}value> ?w }}"
)
SETTINGS = Settings(content_dir=SPARQL_CONTENT_DIR, query_timeout_s=3.0, max_result_rows=50)  # SLOW meets it


def _client(settings: Settings = SETTINGS) -> TestClient:
    return TestClient(create_app(settings), headers={"Accept": JSON})


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    """One app over the SPARQL fixture content (1 s per query, 50 rows), with the default 64 MiB cache."""
    with _client() as test_client:
        yield test_client


def _count(response: httpx.Response | httpx2.Response) -> int:
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def _entries(client: TestClient) -> int:
    entries: int = app_state(client).query_cache.stats().entries
    return entries


class _Calls:
    """Wraps a callable and counts its calls."""

    def __init__(self, inner: Any):
        self.inner, self.count = inner, 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.count += 1
        return self.inner(*args, **kwargs)


# --- repeats come from the cache --------------------------------------------------------------------------------


def test_a_repeated_get_is_replayed_without_reaching_the_endpoint(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = "SELECT ?label WHERE { ?class rdfs:label ?label } ORDER BY ?label # replayed"
    query = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> " + query
    first = client.get("/sparql", params={"query": query})
    assert first.status_code == 200 and first.headers["x-cache"] == "miss"
    answer = _Calls(endpoint._answer)
    monkeypatch.setattr(endpoint, "_answer", answer)
    again = client.get("/sparql", params={"query": query}, headers={"Origin": "https://example.org"})
    assert again.status_code == 200 and again.headers["x-cache"] == "hit"
    assert answer.count == 0  # answered in front of the routing
    assert again.content == first.content
    for header in ("content-type", "etag", "last-modified", "cache-control"):
        assert again.headers[header] == first.headers[header]
    assert again.headers["access-control-allow-origin"] == "*"  # the middleware outside still applies
    head = client.head("/sparql", params={"query": query})
    assert head.status_code == 200 and head.headers["x-cache"] == "hit" and head.content == b""
    assert answer.count == 0


def test_a_repeated_post_is_answered_without_a_worker(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    query = "SELECT ?s WHERE { ?s a <http://www.w3.org/2002/07/owl#Class> } ORDER BY ?s # posted"
    direct = {"Content-Type": "application/sparql-query"}
    first = client.post("/sparql", content=query, headers=direct)
    assert first.status_code == 200 and first.headers["x-cache"] == "miss"
    runner = app_state(client).query_runner

    async def broken(job: QueryJob, **kwargs: Any) -> QueryAnswer:
        raise AssertionError("the query ran again")

    monkeypatch.setattr(runner, "run_async", broken)
    again = client.post("/sparql", content=query, headers=direct)
    assert again.status_code == 200 and again.headers["x-cache"] == "hit"
    assert again.content == first.content
    form = client.post("/sparql", data={"query": query})  # another encoding of the same request
    assert form.status_code == 200 and form.headers["x-cache"] == "hit" and form.content == first.content


def test_a_revalidation_after_a_hit_still_gets_304(client: TestClient) -> None:
    query = "ASK { ?s ?p ?o } # revalidated"
    first = client.get("/sparql", params={"query": query})
    assert client.get("/sparql", params={"query": query}).headers["x-cache"] == "hit"
    revalidated = client.get("/sparql", params={"query": query}, headers={"If-None-Match": first.headers["etag"]})
    assert revalidated.status_code == 304


def test_each_result_format_is_its_own_entry(client: TestClient) -> None:
    query = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } # formats"
    as_json = client.get("/sparql", params={"query": query}, headers={"Accept": JSON})
    as_xml = client.get("/sparql", params={"query": query}, headers={"Accept": XML})
    as_csv = client.get("/sparql", params={"query": query, "format": "csv"})
    for response, media_type in ((as_json, JSON), (as_xml, XML), (as_csv, "text/csv")):
        assert response.status_code == 200 and response.headers["x-cache"] == "miss"
        assert response.headers["content-type"].startswith(media_type)
    for response, accept, params in ((as_json, JSON, {}), (as_xml, XML, {}), (as_csv, JSON, {"format": "csv"})):
        again = client.get("/sparql", params={"query": query, **params}, headers={"Accept": accept})
        assert again.headers["x-cache"] == "hit"
        assert again.headers["content-type"] == response.headers["content-type"]
        assert again.content == response.content


def test_a_new_content_version_misses_and_answers_from_the_new_content() -> None:
    with _client() as client:
        before = client.get("/sparql", params={"query": COUNT})
        assert before.headers["x-cache"] == "miss"
        assert client.get("/sparql", params={"query": COUNT}).headers["x-cache"] == "hit"
        posted = client.post("/sparql", data={"query": COUNT})
        assert posted.headers["x-cache"] == "hit"
        store = app_state(client).service.store
        extra = [
            ox.Triple(
                ox.NamedNode(f"http://example.org/extra#{i}"), ox.NamedNode("http://example.org/p"), ox.Literal(str(i))
            )
            for i in range(7)
        ]
        store.replace_graphs({"http://example.org/extra": extra})
        store.set_version("a-new-version")
        after = client.get("/sparql", params={"query": COUNT})
        assert after.headers["x-cache"] == "miss"
        assert _count(after) == _count(before) + 7
        assert _count(client.post("/sparql", data={"query": COUNT})) == _count(before) + 7
        again = client.get("/sparql", params={"query": COUNT})
        assert again.headers["x-cache"] == "hit" and _count(again) == _count(before) + 7


# --- what is never kept -----------------------------------------------------------------------------------------

NEVER_KEPT = [
    # (query, Accept, status)
    ("SELECT ?s WHERE { ?s ?p }", JSON, 400),  # syntax error
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", JSON, 400),  # refused SERVICE
    ("SELECT * WHERE { ?a ?b ?c FILTER(?a<?b)SERVICE?u#>\n{ ?s ?p ?o } }", JSON, 400),  # hidden SERVICE
    (f"SELECT ?v WHERE {{ ?s <{NUMBERS}value> ?v }}", JSON, 400),  # more rows than the cap
    ("ASK { ?s ?p ?o }", "text/csv", 406),  # no format fits
    (SLOW, JSON, 503),  # past the time limit
]


@pytest.mark.parametrize(("query", "accept", "status"), NEVER_KEPT)
def test_failures_are_never_kept(client: TestClient, query: str, accept: str, status: int) -> None:
    entries = _entries(client)
    for method in ("GET", "POST", "GET"):
        if method == "GET":
            response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
        else:
            response = client.post("/sparql", data={"query": query}, headers={"Accept": accept})
        assert response.status_code == status, response.text
        assert response.headers.get("x-cache") != "hit"
    assert _entries(client) == entries


@pytest.mark.parametrize("call", ["NOW()", "RAND()", "UUID()", "STRUUID()", "now ()"])
def test_answers_that_change_by_themselves_run_every_time(client: TestClient, call: str) -> None:
    query = f"SELECT (STR({call}) AS ?x) WHERE {{}}"
    entries = _entries(client)
    for _ in range(2):
        response = client.get("/sparql", params={"query": query})
        assert response.status_code == 200, response.text
        assert response.headers["x-cache"] == "bypass"
    assert _entries(client) == entries


def test_cacheable_refuses_volatile_calls_and_allow_listed_service_calls() -> None:
    assert cacheable("SELECT * WHERE { ?s ?p ?o }")
    assert cacheable("SELECT * WHERE { ?s ?p 'now()' }") is False  # a mere mention: not kept, still correct
    assert not cacheable("SELECT (rand() AS ?r) WHERE {}")
    allowed = ("http://example.org/sparql",)
    federated = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    assert cacheable(federated)  # refused before it runs without an allow-list: never reaches the cache
    assert not cacheable(federated, allowed)  # the other endpoint's data may change at any time
    assert not cacheable(federated.replace("SERVICE", "\\u0053ERVICE"), allowed)


def test_the_examples_in_the_cache_module_hold() -> None:
    outcome = doctest.testmod(answer_cache)
    assert outcome.attempted > 0 and outcome.failed == 0


@given(st.text(alphabet=st.sampled_from("sErvIcEloadNOWrn\\uU ſıKé"), max_size=30))
def test_the_quick_look_finds_what_the_regular_expression_finds(text: str) -> None:
    """`mentions` (used before every SERVICE check and by `cacheable`) never misses what `re.IGNORECASE` sees."""
    for words in (("service",), ("service", "load", "\\u"), ("now", "rand", "uuid")):
        expected = re.search("|".join(map(re.escape, words)), text, re.IGNORECASE) is not None
        assert mentions(text, *words) == expected


# --- memory -----------------------------------------------------------------------------------------------------


def _answer(size: int) -> QueryAnswer:
    return QueryAnswer("solutions", JSON, b"x" * size)


def test_the_byte_cap_evicts_the_least_recently_used_answers() -> None:
    one = ENTRY_OVERHEAD + 1000 + len("a")  # the cost of each entry below
    cache = ResultCache(max_bytes=3 * one)
    for name in "abc":
        assert cache.put(name, _answer(1000))
    assert cache.stats().bytes == 3 * one
    assert cache.get("a") is not None  # a is now the most recently used
    assert cache.put("d", _answer(1000))
    assert cache.get("b") is None  # the least recently used went
    assert all(cache.get(name) is not None for name in "acd")
    stats = cache.stats()
    assert stats.entries == 3 and stats.bytes <= stats.max_bytes and stats.evictions == 1
    assert not cache.put("huge", _answer(3 * one))  # larger than the whole cap: not stored, nothing evicted
    assert cache.stats().entries == 3
    assert cache.put("e", _answer(2 * one - ENTRY_OVERHEAD - 1))  # room for it takes two evictions
    assert cache.stats().evictions == 3 and cache.stats().bytes <= cache.max_bytes


def test_a_small_cache_over_http_keeps_only_what_fits() -> None:
    def query(letter: str) -> str:
        return f'SELECT ?x WHERE {{ BIND("{letter * 6000}" AS ?x) }}'

    with _client(SETTINGS.with_changes(query_cache_bytes=30_000)) as client:
        assert client.get("/sparql", params={"query": query("a")}).headers["x-cache"] == "miss"
        assert client.get("/sparql", params={"query": query("a")}).headers["x-cache"] == "hit"
        assert client.get("/sparql", params={"query": query("b")}).headers["x-cache"] == "miss"
        assert client.get("/sparql", params={"query": query("a")}).headers["x-cache"] == "miss"  # evicted by b
        stats = app_state(client).query_cache.stats()
        assert 0 < stats.bytes <= 30_000 and stats.evictions > 0


def test_with_the_cache_off_every_query_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    with _client(SETTINGS.with_changes(query_cache_bytes=0)) as client:
        runner = app_state(client).query_runner
        runs = _Calls(runner.run_async)
        monkeypatch.setattr(runner, "run_async", runs)
        for _ in range(3):
            response = client.get("/sparql", params={"query": COUNT})
            assert response.status_code == 200 and "x-cache" not in response.headers
        assert runs.count == 3
        assert app_state(client).query_cache.stats().entries == 0


# --- the hop to a worker ----------------------------------------------------------------------------------------


def test_outcomes_cross_the_wire_unchanged() -> None:
    answer = QueryAnswer("graph", "application/n-triples", b"<a> <b> <c> .\n" * 10_000, 10_000, True)
    decoded = decode_outcome(encode_outcome(answer), "v1")
    assert decoded == QueryAnswer(answer.kind, answer.media_type, answer.body, 10_000, True, "v1")
    failure = QueryFailure("syntax", "SPARQL syntax error at line 1, column 3: ...", 1, 3, {"k": 1})
    assert decode_outcome(encode_outcome(failure)) == failure


def test_large_jobs_and_answers_cross_the_worker_socket_intact() -> None:
    store = EmbeddedStore()
    load_content(store, root=SPARQL_CONTENT_DIR)
    runner = QueryRunner(store, timeout_s=30.0, workers=1)
    text = "é" + "0123456789" * 50_000  # a 500 kB literal in the job and, serialised, in the answer
    try:
        answer = runner.run(QueryJob(f'SELECT ?x WHERE {{ BIND("{text}" AS ?x) }}'))
        assert json.loads(answer.body)["results"]["bindings"][0]["x"]["value"] == text
        assert answer.content_version == runner.content_version()

        async def together() -> list[QueryAnswer]:  # more queries than workers: they wait their turn
            jobs = [runner.run_async(QueryJob(f"SELECT ?n WHERE {{ BIND({i} AS ?n) }}")) for i in range(6)]
            return list(await asyncio.gather(*jobs))

        answers = asyncio.run(together())
        assert [json.loads(a.body)["results"]["bindings"][0]["n"]["value"] for a in answers] == [
            str(i) for i in range(6)
        ]
    finally:
        runner.close()
