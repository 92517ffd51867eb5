"""The remote store and its SPARQL text: value binding and query-form reading (checked against pyoxigraph itself),
error positions, and what only a real server shows: Virtuoso's own default graph, both write paths, errors, the CLI,
and replicas that do not reload a store already holding their content version."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator

import httpx
import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import (
    PROJECT_ROOT,
    STORE_FIXTURE_CONTENT,
    free_port,
    remote_config,
    remote_store,
    solutions,
    virtuoso_env,
)
from modernstats_kg.content import content_files, fingerprint, parse_file
from modernstats_kg.loader import load_content
from modernstats_kg.store import EmbeddedStore, QuerySyntaxError, RemoteStore, StoreError
from modernstats_kg.store.remote import RemoteConfig
from modernstats_kg.store.sparql_text import bind_values, located, query_form, values_clause
from virtuoso import VirtuosoServer

EX = "http://example.org/things#"
STEPS = "http://example.org/steps"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"


# --- query form ------------------------------------------------------------------------------------------------

FORMS = [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("  ask { ?s ?p ?o }", "ASK"),
    ("PREFIX ex: <http://example.org/#>\nBASE <http://example.org/>\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("# DESCRIBE in a comment\nPREFIX : <http://example.org/a#b>  SELECT ?x { ?x ?p ?o }", "SELECT"),
    ("PREFIX ex:<http://example.org/#> DESCRIBE ex:a", "DESCRIBE"),
    ("INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }", None),
    ("this is not sparql", None),
    ("", None),
]


@pytest.mark.parametrize(("sparql", "form"), FORMS)
def test_query_form_is_read_after_the_prologue(sparql: str, form: str | None) -> None:
    assert query_form(sparql) == form


# --- binding values: the bound text must mean what pyoxigraph's own substitution means ------------------------

BOUND_QUERIES = [
    ("SELECT ?c ?label WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#label> ?label }", {"c": EX + "Variable"}),
    ('SELECT * WHERE { ?c ?p ?o FILTER(?p != <http://example.org/x> && STR(?o) < "}{") }', {"c": EX + "Thing"}),
    (
        "PREFIX ex: <http://example.org/things#>  # { a comment with braces }\n"
        "SELECT ?c (EXISTS { ?c ex:members ?m } AS ?listed) WHERE { ?c a ?type }",
        {"c": EX + "Order"},
    ),
    (
        "SELECT ?c (COUNT(?label) AS ?n) WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#label> ?label } GROUP BY ?c",
        {"c": EX + "Thing"},
    ),
    ("ASK { ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf> ?d }", {"c": EX + "Variable"}),
    ("ASK WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf> ?d }", {"c": EX + "Thing"}),
    ('CONSTRUCT { ?c <http://example.org/named> "{ not a group }" } WHERE { ?c ?p ?o }', {"c": EX + "Variable"}),
    ("CONSTRUCT { ?c <http://example.org/seen> ?o } { ?c ?p ?o }", {"c": EX + "Thing"}),
    ("CONSTRUCT WHERE { ?c ?p ?o }", {"c": f"{STEPS}/1.1"}),
    ("DESCRIBE ?c WHERE { ?c ?p ?o }", {"c": f"{STEPS}/2"}),
]


@pytest.fixture(scope="module")
def embedded() -> EmbeddedStore:
    store = EmbeddedStore()
    load_content(store, root=STORE_FIXTURE_CONTENT)
    return store


def as_comparable(result: object) -> object:
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QueryTriples):
        return {t for t in result if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)}
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return sorted(tuple(str(row[n]) for n in names) for row in result)


@pytest.mark.parametrize(("sparql", "bindings"), BOUND_QUERIES)
def test_bound_query_text_means_what_pyoxigraph_substitution_means(
    embedded: EmbeddedStore, sparql: str, bindings: dict[str, str]
) -> None:
    terms = {name: ox.NamedNode(iri) for name, iri in bindings.items()}
    expected = as_comparable(embedded.query(sparql, substitutions=terms))
    assert as_comparable(embedded.query(bind_values(sparql, terms))) == expected
    assert expected or isinstance(expected, bool), "the fixture content answers the query"


@given(text=st.text(), language=st.sampled_from([None, "en", "fr", "es-419"]))
@settings(max_examples=200, deadline=None)
def test_any_literal_binds_to_exactly_itself(text: str, language: str | None) -> None:
    literal = ox.Literal(text, language=language) if language else ox.Literal(text)
    result = EmbeddedStore().query(bind_values("SELECT ?x WHERE { }", {"x": literal}))
    assert [row["x"] for row in solutions(result)] == [literal]


@pytest.mark.parametrize(
    ("bindings", "message"),
    [
        ({"x": ox.BlankNode()}, "only IRIs and literals"),
        ({"not a name": ox.Literal("a")}, "invalid SPARQL variable"),
        ({"x}": ox.Literal("a")}, "invalid SPARQL variable"),
    ],
)
def test_values_clause_refuses_what_sparql_cannot_bind(bindings: dict[str, ox.Literal], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        values_clause(bindings)


def test_docstring_examples_of_the_sparql_text_module_run() -> None:
    import doctest

    from modernstats_kg.store import sparql_text

    outcome = doctest.testmod(sparql_text)
    assert outcome.attempted >= 4 and outcome.failed == 0


# (query, a server message) -> the line and column the error is reported at, by the rule: Virtuoso's line, clamped
# to the query's lines; the column of the token it names after `at`, else the end of that line
POSITIONS = [
    ("SELECT ?s\nWHERE { ?s ?p }", "SP030: SPARQL compiler, line 2: syntax error at '}' before '}'", (2, 15)),
    ("SELECT ?x WHERE {", "SP030: SPARQL compiler, line 2: syntax error", (1, 18)),
    (
        "SELECT ?x WHERE { ?x 'open }",
        "SP030: SPARQL compiler, line 0: End-of-line in a short single-quoted string at ''open }\n'",
        (1, 22),
    ),
    (
        "SELECT ?x WHERE { ?x nope:p ?y }",
        "SP030: SPARQL compiler, line 1: Undefined namespace prefix at 'nope' before '?y'",
        (1, 22),
    ),
]


@pytest.mark.parametrize(("sparql", "message", "position"), POSITIONS)
def test_server_syntax_errors_get_a_line_and_column_in_the_query(
    sparql: str, message: str, position: tuple[int, int]
) -> None:
    error = located(QuerySyntaxError(message), sparql)
    line, column = position
    assert (error.line, error.column) == position
    assert 1 <= column <= len(sparql.splitlines()[line - 1]) + 1
    assert str(error) == message


def test_binding_needs_a_where_group() -> None:
    with pytest.raises(QuerySyntaxError):
        bind_values(f"DESCRIBE <{EX}Thing>", {"x": ox.NamedNode(EX + "Thing")})


# --- against a real Virtuoso ------------------------------------------------------------------------------------


def remote(server: VirtuosoServer, **changes: object) -> RemoteStore:
    """A store on its own dataset of `server`, writing over the Graph Store Protocol unless told otherwise."""
    config = RemoteConfig(
        server.sparql_url,
        update_url=server.sparql_auth_url,
        graph_store_url=server.graph_store_auth_url,
        user="dba",
        password="dba",
        system_graph=f"urn:x-mskg:system:test:{time.monotonic_ns()}",
    )
    return RemoteStore(RemoteConfig(**{**config.__dict__, **changes}))


def fixture_triples() -> dict[str, set[ox.Triple]]:
    return {g.iri: set(g.triples) for g in map(parse_file, content_files(STORE_FIXTURE_CONTENT))}


@pytest.mark.virtuoso
def test_virtuoso_default_graph_holds_its_own_system_graphs_but_ours_does_not(virtuoso: VirtuosoServer) -> None:
    bare = httpx.get(
        virtuoso.sparql_url,
        params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert int(bare.json()["results"]["bindings"][0]["n"]["value"]) > 0, "Virtuoso's default graph is not empty"
    store = remote(virtuoso)
    assert store.size() == 0 and store.graphs() == []
    result = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert [row["n"].value for row in solutions(result)] == ["0"]


@pytest.mark.virtuoso
@pytest.mark.parametrize("path", ["graph-store", "sparql-update-in-small-chunks"])
def test_both_write_paths_load_every_triple_and_keep_blank_nodes_together(virtuoso: VirtuosoServer, path: str) -> None:
    if path == "graph-store":
        store = remote(virtuoso)
    else:  # the public endpoint, no credentials (the test server grants SPARQL_UPDATE to everyone)
        store = remote(
            virtuoso, update_url=None, graph_store_url=None, user=None, password=None, insert_chunk_triples=3
        )
    load_content(store, root=STORE_FIXTURE_CONTENT)
    expected = fixture_triples()
    assert {g.iri: g.triples for g in store.graphs()} == {iri: len(t) for iri, t in expected.items()}
    members = store.query(
        "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
        f"SELECT ?m WHERE {{ <{EX}Order> <{EX}members>/rdf:rest*/rdf:first ?m }}"
    )
    assert {row["m"].value for row in solutions(members)} == {EX + "Thing", EX + "Variable"}
    one_node = store.query(
        f"SELECT ?r WHERE {{ <{EX}RepresentedVariable> ?sub ?r . ?r <http://www.w3.org/2002/07/owl#onProperty> ?p ; "
        "<http://www.w3.org/2002/07/owl#maxCardinality> ?n ; a ?kind }"
    )
    assert len(list(solutions(one_node))) == 1, "the restriction's three triples share one blank node"


NASTY = ['say "hi"', "back\\slash", "\\u0022 stays text", "line\nbreak\ttab\r", "}{ ; DROP ALL #", "é ñ 日本 🙂", ""]


@pytest.mark.virtuoso
@pytest.mark.parametrize("text", NASTY)
def test_virtuoso_returns_a_bound_literal_unchanged(virtuoso: VirtuosoServer, text: str) -> None:
    literal = ox.Literal(text, language="fr")
    result = remote(virtuoso).query("SELECT ?x WHERE { }", substitutions={"x": literal})
    assert [row["x"] for row in solutions(result)] == [literal]


@pytest.mark.virtuoso
def test_virtuoso_blank_node_labels_become_valid_and_stable_within_a_result(virtuoso: VirtuosoServer) -> None:
    store = remote(virtuoso)
    load_content(store, root=STORE_FIXTURE_CONTENT)
    result = store.query(f"SELECT ?r ?p WHERE {{ <{EX}RepresentedVariable> ?sub ?r . ?r ?p ?o FILTER isBlank(?r) }}")
    nodes = [row["r"] for row in solutions(result)]
    assert len(nodes) == 3 and all(isinstance(n, ox.BlankNode) for n in nodes) and len(set(nodes)) == 1


@pytest.mark.virtuoso
def test_virtuoso_syntax_errors_carry_its_message_without_the_echoed_query(virtuoso: VirtuosoServer) -> None:
    with pytest.raises(QuerySyntaxError) as error:
        remote(virtuoso).query("SELECT ?x WHERE { ?x nope:p ?y }")
    assert "nope" in str(error.value) and "SPARQL query:" not in str(error.value)
    assert (error.value.line, error.value.column) == (1, 22)


def test_an_unreachable_server_is_a_store_error_not_a_syntax_error() -> None:
    store = RemoteStore(RemoteConfig(f"http://127.0.0.1:{free_port()}/sparql", timeout_s=2.0))
    with pytest.raises(StoreError, match="unreachable"):
        store.query("ASK {}")


@pytest.mark.virtuoso
def test_writes_with_a_wrong_password_are_refused_with_a_clear_message(virtuoso: VirtuosoServer) -> None:
    store = remote(virtuoso, password="wrong")
    with pytest.raises(StoreError, match="MSKG_REMOTE_USER"):
        store.replace_graphs(
            {f"{STEPS}-denied": [ox.Triple(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "b"), ox.Literal("c"))]}
        )


# --- the CLI and stateless replicas -------------------------------------------------------------------------------


def mskg(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "modernstats_kg", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=180,
        env={**os.environ, **env},
    )


@pytest.fixture
def dataset_env(virtuoso: VirtuosoServer) -> dict[str, str]:
    """The environment of a deployment on its own dataset of the session's Virtuoso, over the fixture content."""
    env = virtuoso_env(virtuoso, system_graph=f"urn:x-mskg:system:test:{time.monotonic_ns()}")
    env["MSKG_CONTENT_DIR"] = str(STORE_FIXTURE_CONTENT)
    return env


@pytest.mark.virtuoso
def test_mskg_load_pushes_the_content_once_then_finds_it_current(dataset_env: dict[str, str]) -> None:
    first = mskg("load", env=dataset_env)
    assert first.returncode == 0, first.stderr
    version = fingerprint(content_files(STORE_FIXTURE_CONTENT), STORE_FIXTURE_CONTENT)
    assert first.stdout.startswith("Loaded") and version in first.stdout
    again = mskg("load", env=dataset_env)
    assert again.returncode == 0 and again.stdout.startswith("Already current")
    store = remote_store(dataset_env["MSKG_STORE"], dataset_env)
    assert store.version() == version
    assert store.size() == sum(len(t) for t in fixture_triples().values())


def test_mskg_load_fails_in_one_line_when_the_server_is_down() -> None:
    result = mskg("load", env={"MSKG_STORE": f"http://127.0.0.1:{free_port()}/sparql"})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "unreachable" in result.stderr


@pytest.fixture
def serve(dataset_env: dict[str, str]) -> Iterator[Callable[[], str]]:
    processes: list[subprocess.Popen[bytes]] = []

    def start() -> str:
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "modernstats_kg", "serve", "--port", str(port)],
            cwd=PROJECT_ROOT,
            env={**os.environ, **dataset_env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(process)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert process.poll() is None, "mskg serve exited"
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    return url
            except httpx.TransportError:
                time.sleep(0.1)
        raise AssertionError("mskg serve did not become ready")

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


MARKER = f'<{STEPS}/1> <http://example.org/marker> "written after the load"'


def has_marker(url: str) -> bool:
    response = httpx.get(f"{url}/sparql", params={"query": f"ASK {{ {MARKER} }}"})
    assert response.status_code == 200, response.text
    return bool(response.json()["boolean"])


@pytest.mark.virtuoso
def test_replicas_on_a_current_store_serve_it_without_reloading(
    dataset_env: dict[str, str], serve: Callable[[], str]
) -> None:
    assert mskg("load", env=dataset_env).returncode == 0
    store = remote_store(dataset_env["MSKG_STORE"], dataset_env)
    store.update(f"INSERT DATA {{ GRAPH <{STEPS}> {{ {MARKER} }} }}")  # a reload would wipe this triple
    first, second = serve(), serve()
    assert has_marker(first) and has_marker(second)
    assert httpx.get(f"{first}/health").json()["content_version"] == store.version()


@pytest.mark.virtuoso
def test_a_replica_of_other_content_reloads_the_store(dataset_env: dict[str, str], serve: Callable[[], str]) -> None:
    assert mskg("load", env=dataset_env).returncode == 0
    store = remote_store(dataset_env["MSKG_STORE"], dataset_env)
    store.update(f"INSERT DATA {{ GRAPH <{STEPS}> {{ {MARKER} }} }}")
    store.set_version("an-older-release")
    url = serve()
    assert not has_marker(url)
    assert store.version() == fingerprint(content_files(STORE_FIXTURE_CONTENT), STORE_FIXTURE_CONTENT)


def test_settings_for_a_remote_store_come_from_the_environment() -> None:
    config = remote_config(
        "http://db.example:8890/sparql",
        {
            "MSKG_REMOTE_UPDATE_URL": "http://db.example:8890/sparql-auth",
            "MSKG_REMOTE_USER": "loader",
            "MSKG_REMOTE_PASSWORD": "secret",
            "MSKG_REMOTE_AUTH": "basic",
            "MSKG_QUERY_TIMEOUT_S": "3",
        },
    )
    assert (config.update_url, config.user, config.password, config.auth, config.timeout_s) == (
        "http://db.example:8890/sparql-auth",
        "loader",
        "secret",
        "basic",
        3.0,
    )
    assert isinstance(config.http_auth(), httpx.BasicAuth)
    assert remote_config("http://db.example/sparql", {}).http_auth() is None
    with pytest.raises(StoreError):
        remote_config("http://db.example/sparql", {"MSKG_REMOTE_AUTH": "kerberos"})


def test_open_store_gives_a_remote_store_for_a_url() -> None:
    from modernstats_kg.store import open_store

    store = open_store("http://127.0.0.1:1/sparql")
    assert isinstance(store, RemoteStore)
    store.close()
