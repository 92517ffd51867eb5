"""The Store contract, held by every backend: the embedded pyoxigraph store and the remote store on a real Virtuoso.

Each test runs once per backend (the `backend` fixture). Expected values come from parsing the fixture Turtle files
with the content loader, never from a backend's own answers.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from conftest import STORE_FIXTURE_CONTENT, Backend, LiveServer, triples, value_of
from modernstats_kg.content import ContentGraph, content_files, default_content_root, fingerprint, parse_file
from modernstats_kg.loader import load_content
from modernstats_kg.settings import Settings
from modernstats_kg.store import QuerySyntaxError, RemoteStore, Store, open_store
from modernstats_kg.store.sparql_text import check_syntax
from modernstats_kg.store_options import remote_options

EX = "http://example.org/things#"
STEPS = "http://example.org/steps"
THINGS = "http://example.org/things"
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
RDFS_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")


def fixture_graphs() -> dict[str, ContentGraph]:
    parsed = [parse_file(path) for path in content_files(STORE_FIXTURE_CONTENT)]
    return {graph.iri: graph for graph in parsed}


def without_blank_nodes(triples: object) -> set[ox.Triple]:
    return {
        t
        for t in triples  # type: ignore[attr-defined]
        if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)
    }


@pytest.fixture
def store(backend: Backend) -> Iterator[Store]:
    opened = backend.open_store()
    yield opened
    opened.close()


@pytest.fixture
def loaded(store: Store) -> Store:
    outcome = load_content(store, root=STORE_FIXTURE_CONTENT)
    assert outcome.loaded
    return store


def rows(result: object) -> list[dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]]:
    assert isinstance(result, ox.QuerySolutions)
    variables = [v.value for v in result.variables]
    return [{name: row[name] for name in variables if row[name] is not None} for row in result]


# --- dataset: union default graph, named graphs, sizes ---------------------------------------------------------


def as_triple(row: dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]) -> ox.Triple:
    """The triple of a `SELECT ?s ?p ?o` row."""
    subject, predicate = row["s"], row["p"]
    assert isinstance(subject, ox.NamedNode | ox.BlankNode) and isinstance(predicate, ox.NamedNode), row
    return ox.Triple(subject, predicate, row["o"])


def test_default_graph_is_the_union_of_the_content_graphs_and_nothing_else(loaded: Store) -> None:
    expected = set().union(*(set(g.triples) for g in fixture_graphs().values()))
    (row,) = rows(loaded.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
    assert int(row["n"].value) == len(expected)
    found = {as_triple(r) for r in rows(loaded.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }"))}
    assert without_blank_nodes(found) == without_blank_nodes(expected)


def test_graphs_and_size_report_each_content_graph(loaded: Store) -> None:
    expected = {iri: len(set(graph.triples)) for iri, graph in fixture_graphs().items()}
    assert {info.iri: info.triples for info in loaded.graphs()} == expected
    assert loaded.size() == sum(expected.values())


def test_graph_patterns_range_over_the_content_graphs_only(loaded: Store) -> None:
    found = {r["g"].value for r in rows(loaded.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))}
    assert found == set(fixture_graphs())


def test_the_content_version_is_not_visible_to_queries(loaded: Store) -> None:
    version = loaded.version()
    assert version
    hits = loaded.query(
        "ASK { { ?s ?p ?v } UNION { GRAPH ?g { ?s ?p ?v } } }", substitutions={"v": ox.Literal(version)}
    )
    assert not bool(hits)


def test_default_graph_uris_narrow_the_default_graph(loaded: Store) -> None:
    steps = fixture_graphs()[STEPS]
    (row,) = rows(loaded.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph_uris=[STEPS]))
    assert int(row["n"].value) == len(set(steps.triples))


def test_named_graph_uris_narrow_graph_patterns(loaded: Store) -> None:
    result = loaded.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", named_graph_uris=[THINGS])
    assert [r["g"].value for r in rows(result)] == [THINGS]


# --- terms survive the round trip ------------------------------------------------------------------------------


def test_labels_keep_their_language_tags_and_accents(loaded: Store) -> None:
    result = loaded.query(
        "SELECT ?label WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#label> ?label }",
        default_graph_uris=[THINGS],
    )
    expected = {t.object for t in fixture_graphs()[THINGS].triples if t.predicate == RDFS_LABEL}
    assert {r["label"] for r in rows(result)} == expected


def test_typed_literals_keep_their_datatypes(loaded: Store) -> None:
    order = ox.NamedNode(EX + "Order")
    expected = {
        t.object for t in things() if t.subject == order and isinstance(t.object, ox.Literal) and not t.object.language
    }
    result = loaded.query(
        'SELECT ?order ?o WHERE { ?order ?p ?o FILTER(isLiteral(?o) && lang(?o) = "") }', substitutions={"order": order}
    )
    assert {r["o"] for r in rows(result)} == expected


def test_blank_node_structures_stay_connected(loaded: Store) -> None:
    restriction = loaded.query(
        "PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX ex: <http://example.org/things#> "
        "SELECT ?n WHERE { ex:RepresentedVariable <http://www.w3.org/2000/01/rdf-schema#subClassOf> ?r . "
        "?r a owl:Restriction ; owl:onProperty ex:measures ; owl:maxCardinality ?n }"
    )
    # pyoxigraph stores xsd:nonNegativeInteger as xsd:integer (same value), so only the value is compared here
    assert [r["n"].value for r in rows(restriction)] == ["1"]
    members = loaded.query(
        "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> PREFIX ex: <http://example.org/things#> "
        "SELECT ?m WHERE { ex:Order ex:members/rdf:rest*/rdf:first ?m }"
    )
    assert {r["m"].value for r in rows(members)} == {EX + "Thing", EX + "Variable"}
    blank = rows(
        loaded.query("SELECT ?r WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf> ?r FILTER isBlank(?r) }")
    )
    assert blank and all(isinstance(r["r"], ox.BlankNode) for r in blank)


# --- query forms ---------------------------------------------------------------------------------------------------


def test_ask_answers_true_and_false(loaded: Store) -> None:
    assert bool(loaded.query(f"ASK {{ <{STEPS}/1.1> <http://www.w3.org/2004/02/skos/core#broader> <{STEPS}/1> }}"))
    assert not bool(loaded.query(f"ASK {{ <{STEPS}/2> <http://www.w3.org/2004/02/skos/core#broader> ?x }}"))


def test_construct_returns_triples_the_serialiser_accepts(loaded: Store) -> None:
    subject = ox.NamedNode(f"{STEPS}/1.1")
    result = loaded.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", substitutions={"s": subject})
    assert isinstance(result, ox.QueryTriples)
    triples = set(result)
    assert triples == {t for t in fixture_graphs()[STEPS].triples if t.subject == subject}
    turtle = ox.serialize(triples, format=ox.RdfFormat.TURTLE)
    reparsed = {quad.triple for quad in ox.parse(turtle, format=ox.RdfFormat.TURTLE)}
    assert reparsed == triples


def test_describe_returns_at_least_the_statements_about_the_resource(loaded: Store) -> None:
    subject = ox.NamedNode(f"{STEPS}/2")
    result = loaded.query(f"DESCRIBE {subject}")
    assert isinstance(result, ox.QueryTriples)
    assert set(result) >= {t for t in fixture_graphs()[STEPS].triples if t.subject == subject}


def things() -> tuple[ox.Triple, ...]:
    return fixture_graphs()[THINGS].triples


COMMENT = next(t.object for t in things() if t.predicate == RDFS_COMMENT)
REPRESENTED = ox.NamedNode(EX + "RepresentedVariable")
FRENCH = ox.Literal("Variable représentée", language="fr")

# (query, bindings, the variable read back, the values expected from the parsed Turtle)
SUBSTITUTIONS = [
    pytest.param(
        "SELECT ?c ?label WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#label> ?label }",
        {"c": REPRESENTED},
        "label",
        {t.object for t in things() if t.subject == REPRESENTED and t.predicate == RDFS_LABEL},
        id="select-iri",
    ),
    pytest.param(
        "SELECT ?c ?label WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#label> ?label }",
        {"label": FRENCH},
        "c",
        {t.subject for t in things() if t.object == FRENCH},
        id="select-accented-literal",
    ),
    pytest.param(
        "SELECT * WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#comment> ?text }",
        {"text": COMMENT},
        "c",
        {t.subject for t in things() if t.object == COMMENT},
        id="select-literal-with-quotes-backslash-newline",
    ),
]


@pytest.mark.parametrize(("sparql", "bindings", "variable", "expected"), SUBSTITUTIONS)
def test_substitutions_bind_terms_exactly(
    loaded: Store, sparql: str, bindings: dict[str, ox.NamedNode | ox.Literal], variable: str, expected: set[object]
) -> None:
    assert expected, "the fixture holds what the query looks for"
    assert {r[variable] for r in rows(loaded.query(sparql, substitutions=bindings))} == expected


def test_substitutions_in_ask_and_construct_where(loaded: Store) -> None:
    skos_broader = "<http://www.w3.org/2004/02/skos/core#broader>"
    child, parent = ox.NamedNode(f"{STEPS}/1.1"), ox.NamedNode(f"{STEPS}/1")
    assert bool(loaded.query(f"ASK {{ ?c {skos_broader} ?p }}", substitutions={"c": child, "p": parent}))
    assert not bool(loaded.query(f"ASK {{ ?c {skos_broader} ?p }}", substitutions={"c": parent, "p": child}))
    short = loaded.query(f"CONSTRUCT WHERE {{ ?c {skos_broader} ?p }}", substitutions={"c": child})
    assert set(triples(short)) == {ox.Triple(child, ox.NamedNode(skos_broader[1:-1]), parent)}


def test_a_bound_value_is_never_read_as_query_text(loaded: Store) -> None:
    size = loaded.size()
    hostile = ox.Literal('x" } } ; DROP ALL ; SELECT * WHERE { ?s ?p "')
    result = loaded.query(
        "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }",
        substitutions={"label": hostile},
    )
    assert rows(result) == []
    assert loaded.size() == size


# --- version, reloads, writes, errors -----------------------------------------------------------------------------


def test_a_new_store_has_no_version_until_one_is_set(store: Store) -> None:
    assert store.version() is None
    store.set_version("abc123")
    assert store.version() == "abc123"


def test_loading_the_same_content_again_writes_nothing(loaded: Store) -> None:
    before = loaded.graphs()
    again = load_content(loaded, root=STORE_FIXTURE_CONTENT)
    assert not again.loaded
    assert again.version == fingerprint(content_files(STORE_FIXTURE_CONTENT), STORE_FIXTURE_CONTENT)
    assert loaded.graphs() == before


def test_replace_graphs_is_idempotent(loaded: Store) -> None:
    graphs = {iri: g.triples for iri, g in fixture_graphs().items()}
    before = (loaded.graphs(), loaded.size())
    loaded.replace_graphs(graphs, drop_others=True)
    loaded.replace_graphs(graphs, drop_others=True)
    assert (loaded.graphs(), loaded.size()) == before


def test_replace_graphs_drops_the_others_only_when_asked(loaded: Store) -> None:
    graphs = fixture_graphs()
    steps = {STEPS: graphs[STEPS].triples}
    loaded.replace_graphs(steps)
    assert {g.iri for g in loaded.graphs()} == {STEPS, THINGS}
    loaded.replace_graphs(steps, drop_others=True)
    assert [g.iri for g in loaded.graphs()] == [STEPS]
    assert loaded.size() == len(set(graphs[STEPS].triples))


def test_update_writes_into_a_content_graph(loaded: Store) -> None:
    subject = f"{STEPS}/3"
    notation = "<http://www.w3.org/2004/02/skos/core#notation>"
    loaded.update(f'INSERT DATA {{ GRAPH <{STEPS}> {{ <{subject}> {notation} "3" }} }}')
    assert bool(loaded.query(f'ASK {{ <{subject}> ?p "3" }}'))


@pytest.mark.parametrize("sparql", ["SELECT ?x WHERE {", "SELECT ?x WHERE { ?x nope:p ?y }", "CONSTRUCT WHERE"])
def test_syntax_errors_raise_query_syntax_error_with_a_message(loaded: Store, sparql: str) -> None:
    with pytest.raises(QuerySyntaxError) as error:
        loaded.query(sparql)
    assert str(error.value).strip()


# Queries outside the SPARQL 1.1 grammar or its scoping rules that a lenient server answers (Virtuoso answers all
# but the last, on which it fails with HTTP 500): every backend must refuse them as the embedded store does.
LENIENTLY_ANSWERED = [
    "SELECT (1 AS ?x) { SELECT (2 AS ?x) {} }",
    "SELECT * WHERE { ?s ?p ?o } GROUP BY ?s",
    f"SELECT ?c (COUNT(?label) AS ?n) WHERE {{ ?c {RDFS_LABEL} ?label }}",
    f"SELECT ?c WHERE {{ ?c {RDFS_LABEL} ?label }} GROUP BY ?label",
    f"SELECT * WHERE {{ ?c {RDFS_LABEL} ?label BIND(1 AS ?label) }}",
]


@pytest.mark.parametrize("sparql", LENIENTLY_ANSWERED)
def test_queries_outside_the_standard_are_refused_by_every_backend(loaded: Store, sparql: str) -> None:
    with pytest.raises(QuerySyntaxError):
        loaded.query(sparql)


def test_the_syntax_check_parses_without_evaluating() -> None:
    """A SERVICE call in a checked query reaches no one: the check parses, it does not run the query."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(1.0)
        port = listener.getsockname()[1]
        queries = [
            f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }} ORDER BY ?s",
            f"ASK {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        ]

        def check_all() -> None:
            for query in queries:
                check_syntax(query)

        checking = threading.Thread(target=check_all, daemon=True)
        checking.start()  # in a thread: a check that did call the listener would wait for its answer forever
        checking.join(10)
        with pytest.raises(TimeoutError):
            listener.accept()
        assert not checking.is_alive()


# --- configuration of the remote backend ----------------------------------------------------------------------------


def test_remote_settings_reach_the_store_and_the_password_stays_out_of_reprs() -> None:
    secret = "s3cret-for-the-test"
    settings = Settings.from_env(
        {
            "MSKG_STORE": "http://db.example:8890/sparql",
            "MSKG_REMOTE_USER": "loader",
            "MSKG_REMOTE_PASSWORD": secret,
            "MSKG_REMOTE_GRAPH_STORE_URL": "http://db.example:8890/gsp",
            "MSKG_REMOTE_SYSTEM_GRAPH": "urn:x-test:system",
        }
    )
    assert settings.remote_password is not None and settings.remote_password.get_secret_value() == secret
    assert (settings.remote_user, settings.remote_auth) == ("loader", "digest")
    store = open_store(settings.store, remote_options(settings))
    assert isinstance(store, RemoteStore)
    try:
        config = store.config
        assert (config.query_url, config.graph_store_url, config.user, config.password, config.system_graph) == (
            settings.store,
            "http://db.example:8890/gsp",
            "loader",
            secret,
            "urn:x-test:system",
        )
        assert config.update_url is None and config.timeout_s == settings.query_timeout_s
        assert secret not in repr(settings) and secret not in repr(config)
    finally:
        store.close()


# --- over HTTP: the live service on each backend ------------------------------------------------------------------


def test_health_reports_the_content_version_and_size_on_each_backend(backend_server: LiveServer) -> None:
    body = httpx.get(f"{backend_server.url}/health").json()
    root = default_content_root()
    files = content_files(root)
    assert body["ready"] is True
    assert body["content_version"] == fingerprint(files, root)
    assert body["graphs"] == len(files)
    assert body["triples"] == sum(len(set(parse_file(path).triples)) for path in files)


def test_sparql_get_answers_json_on_each_backend(backend_server: LiveServer) -> None:
    gsbpm = Path(default_content_root()) / "ontology" / "gsbpm.ttl"
    assert gsbpm.is_file(), "the GSBPM content file is missing"
    notation = ox.NamedNode("http://www.w3.org/2004/02/skos/core#notation")
    subject = ox.NamedNode("http://id.unece.org/activities/subProcess/5.3")
    expected = sorted(
        value_of(t.object) for t in parse_file(gsbpm).triples if t.subject == subject and t.predicate == notation
    )
    query = f"SELECT ?code WHERE {{ {subject} {notation} ?code }}"
    response = httpx.get(
        f"{backend_server.url}/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert sorted(b["code"]["value"] for b in response.json()["results"]["bindings"]) == expected == ["5.3"]


def test_sparql_syntax_error_is_a_400_on_each_backend(backend_server: LiveServer) -> None:
    response = httpx.get(f"{backend_server.url}/sparql", params={"query": "SELECT ?x WHERE {"})
    assert response.status_code == 400
