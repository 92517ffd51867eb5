"""Hardening, in process: bad input never gets a 5xx on any route (fuzzed), the page cache is bounded in bytes and
keyed on what selects a page, FROM / FROM NAMED are honoured, deep nesting is refused before any parser, and the
errors below the routes (405, CORS preflight, OpenAPI) say what they should."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modernstats_kg import web
from modernstats_kg.app import create_app
from modernstats_kg.settings import Settings
from modernstats_kg.state import catalog_for
from modernstats_kg.store import EmbeddedStore, RemoteStore
from modernstats_kg.store.sparql_text import QueryTooDeep, check_nesting

W3C_PROTOCOL = Path(__file__).resolve().parent.parent.parent / "shared" / "w3c-sparql11" / "protocol"
KASEI = "http://kasei.us/2009/09/sparql/data/"
COOS_ALIGNMENT = "http://id.unece.org/mappings/coosAlignment"
PAGE_CACHE = 2 * 1024 * 1024


@pytest.fixture(scope="module")
def app_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """An app on a durable store (so accounts, and /login, work), with a small page cache."""
    store = str(tmp_path_factory.mktemp("hardening-store"))
    app = create_app(Settings(store=store, page_cache_bytes=PAGE_CACHE, query_workers=2))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client
    app.state.query_runner.close()


def _count(client: TestClient, query: str, **params: str) -> int:
    response = client.post("/sparql", data={"query": query, **params}, headers={"accept": "text/csv"})
    assert response.status_code == 200, response.text
    return int(response.text.splitlines()[1])


# --- never a 5xx for bad input ------------------------------------------------------------------------------------


def _routes() -> list[APIRoute]:
    app = create_app(Settings(query_workers=1))
    app.state.query_runner.close()
    routes = [r for m in (*web.__dict__.values(),) if hasattr(m, "router") for r in m.router.routes]
    api_paths = [p for p in app.openapi()["paths"]]
    return [r for r in routes if isinstance(r, APIRoute) and "GET" in (r.methods or ())] + [
        APIRoute(path, lambda: None, methods=["GET"]) for path in api_paths
    ]


ROUTES = _routes()
NASTY = st.one_of(
    st.sampled_from(["Instance Variable", "<", '"', ">", "%", "a b<c>\"d'", "\x00", "../../etc", "{" * 300, "é" * 50]),
    st.text(min_size=0, max_size=40),
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(route=st.sampled_from(ROUTES), value=NASTY, extra=st.sampled_from(["q", "class", "activity", "iri", "lang"]))
def test_no_route_answers_bad_input_with_a_5xx(app_client: TestClient, route: APIRoute, value: str, extra: str) -> None:
    """Every path and query parameter of every page and API route, filled with hostile text: 4xx at worst."""
    path = route.path_format
    for name in route.param_convertors:
        path = path.replace("{" + name + "}", quote(value, safe="") or "x")
    params = {param.alias: value for param in route.dependant.query_params} or {extra: value}
    response = app_client.get(path, params=params)
    assert response.status_code < 500, (path, params, response.status_code, response.text[:300])


def test_flow_with_a_space_in_the_class_is_a_404_not_a_500(app_client: TestClient) -> None:
    response = app_client.get("/flow?class=Instance%20Variable")
    assert response.status_code == 404
    assert "gsim#InstanceVariable" in response.text  # with suggestions


# --- the page cache -----------------------------------------------------------------------------------------------


def test_junk_parameters_share_one_page_cache_entry_and_the_cache_stays_under_its_bytes(
    app_client: TestClient,
) -> None:
    app_client.get("/def/gsim.nt")
    app = app_client.app
    catalog = catalog_for(app.state.service, app.state)  # type: ignore[attr-defined]
    before = catalog.cache_size()
    first = app_client.get("/def/gsim.nt?junk=0")
    for n in range(1, 300):
        response = app_client.get(f"/def/gsim.nt?junk={n}")
        assert response.status_code == 200
    assert response.content == first.content and response.headers["etag"] == first.headers["etag"]
    assert catalog.cache_size() == before  # not one byte more: the junk is not part of the key
    for n in range(400):  # distinct searches are distinct pages: evicted, never past the cap
        assert app_client.get(f"/search?q=x{n}").status_code == 200
    assert 0 < catalog.cache_size() <= PAGE_CACHE


# --- FROM and FROM NAMED ----------------------------------------------------------------------------------------


def test_from_counts_one_graph_and_the_protocol_dataset_wins(app_client: TestClient) -> None:
    in_graph = _count(app_client, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{COOS_ALIGNMENT}> {{ ?s ?p ?o }} }}")
    everything = _count(app_client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert 0 < in_graph < everything
    assert _count(app_client, f"SELECT (COUNT(*) AS ?n) FROM <{COOS_ALIGNMENT}> WHERE {{ ?s ?p ?o }}") == in_graph
    named = f"SELECT (COUNT(*) AS ?n) FROM NAMED <{COOS_ALIGNMENT}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert _count(app_client, named) == in_graph
    # the protocol's default-graph-uri overrides the query's FROM
    query = f"SELECT (COUNT(*) AS ?n) FROM <{COOS_ALIGNMENT}> WHERE {{ ?s ?p ?o }}"
    assert _count(app_client, query, **{"default-graph-uri": "http://id.unece.org/def/coos"}) != in_graph


@pytest.fixture(scope="module")
def w3c_store() -> EmbeddedStore:
    if not W3C_PROTOCOL.is_dir():
        pytest.fail(f"the W3C protocol cases are missing: {W3C_PROTOCOL}")
    store = EmbeddedStore()
    graphs = {}
    for name in ("data1", "data2", "data3"):
        triples = ox.parse((W3C_PROTOCOL / f"{name}.nt").read_bytes(), format=ox.RdfFormat.N_TRIPLES)
        graphs[f"{KASEI}{name}.rdf"] = [ox.Triple(q.subject, q.predicate, q.object) for q in triples]
    store.replace_graphs(graphs)
    return store


def test_w3c_query_multiple_dataset_case_reads_from_in_the_query_and_lets_the_protocol_win(
    w3c_store: EmbeddedStore,
) -> None:
    manifest = (W3C_PROTOCOL / "manifest.ttl").read_text()
    query = re.search(r'cnt:chars "(ASK FROM <[^"]*)"', manifest)
    assert query is not None
    ask = query.group(1)
    # the query alone: its dataset is data3 as the default graph and no named graph, so no GRAPH matches
    assert bool(w3c_store.query(ask)) is False
    # the manifest's protocol dataset (named graphs data1 and data2) replaces the query's: true
    named = [f"{KASEI}data1.rdf", f"{KASEI}data2.rdf"]
    assert bool(w3c_store.query(ask, default_graph_uris=[f"{KASEI}data3.rdf"], named_graph_uris=named)) is True
    count = "SELECT (COUNT(*) AS ?n) FROM <{}> WHERE {{ ?s ?p ?o }}"
    for name in ("data1", "data2", "data3"):
        expected = len(list(ox.parse((W3C_PROTOCOL / f"{name}.nt").read_bytes(), format=ox.RdfFormat.N_TRIPLES)))
        rows = list(w3c_store.query(count.format(f"{KASEI}{name}.rdf")))  # type: ignore[arg-type]
        assert int(rows[0][0].value) == expected


# --- deep nesting ---------------------------------------------------------------------------------------------


DEEP = "SELECT * WHERE " + "{" * 5000 + "}" * 5000


def test_deep_nesting_is_refused_before_any_parser_on_both_backends() -> None:
    with pytest.raises(QueryTooDeep, match="nests brackets more than 200 deep"):
        EmbeddedStore().query(DEEP)
    with pytest.raises(QueryTooDeep, match="prefix operators"):
        check_nesting("ASK { FILTER(" + "!" * 20_000 + "true) }")
    check_nesting("SELECT * WHERE { ?s ?p '" + "{" * 5000 + "' }")  # in a string: not nesting
    remote = RemoteStore.at("http://127.0.0.1:9/sparql")  # nothing listens: refused before any request is sent
    with pytest.raises(QueryTooDeep):
        remote.query(DEEP)


@pytest.mark.slow
def test_mskg_query_refuses_deep_nesting_and_service_with_exit_1() -> None:
    mskg = [sys.executable, "-m", "modernstats_kg", "query"]
    deep = subprocess.run([*mskg, DEEP], capture_output=True, text=True, timeout=120, check=False)
    assert deep.returncode == 1, deep.stderr
    assert "nests brackets" in deep.stderr and "Traceback" not in deep.stderr
    federated = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    service = subprocess.run([*mskg, federated], capture_output=True, text=True, timeout=120, check=False)
    assert service.returncode == 1, service.stderr
    assert "SERVICE" in service.stderr and "Traceback" not in service.stderr


def test_endpoint_refuses_deep_nesting_with_a_400_that_says_why(app_client: TestClient) -> None:
    response = app_client.post("/sparql", content=DEEP, headers={"content-type": "application/sparql-query"})
    assert response.status_code == 400
    assert "nests brackets more than 200 deep" in response.json()["error"]
    assert _count(app_client, "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?c }") > 0  # the workers still answer


# --- errors below the routes ------------------------------------------------------------------------------------


def test_invalid_utf8_in_a_get_query_is_a_400_like_post(app_client: TestClient) -> None:
    get = app_client.get("/sparql?query=ASK%20%7B%7D%FF")
    post = app_client.post("/sparql", content=b"ASK {}\xff", headers={"content-type": "application/sparql-query"})
    assert get.status_code == post.status_code == 400
    assert "UTF-8" in get.json()["error"]


def test_405_names_every_allowed_method(app_client: TestClient) -> None:
    response = app_client.delete("/sparql")
    assert response.status_code == 405
    allowed = {m.strip() for m in response.headers["allow"].split(",")}
    assert {"GET", "HEAD", "POST"} <= allowed
    assert response.json()["status"] == 405


def test_refused_cors_preflight_has_the_error_shape(app_client: TestClient) -> None:
    headers = {"origin": "http://example.org", "access-control-request-method": "DELETE"}
    response = app_client.options("/api/v1/subprocesses", headers=headers)
    assert response.status_code == 400
    assert response.json()["ok"] is False and "cross-origin" in response.json()["error"]


def test_openapi_lists_the_error_answers_of_the_sparql_operations(app_client: TestClient) -> None:
    paths = app_client.get("/openapi.json").json()["paths"]["/sparql"]
    assert {"400", "406", "413", "415"} <= set(paths["post"]["responses"])
    assert {"400", "406", "413", "414"} <= set(paths["get"]["responses"])
