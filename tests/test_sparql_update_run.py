"""What a SPARQL Update would change (`sparql.update_run.change_of_update`): run on a scratch copy, diffed, the
store left untouched; the union default graph, the protocol's dataset, and every refusal."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from modernstats_kg.errors import BadRequest, Forbidden, QueryRejected, ServiceError, Unprocessable
from modernstats_kg.sparql.update_run import UpdateRequest, change_of_update
from modernstats_kg.store import ChangeSet, EmbeddedStore

EX = "http://example.org/"
HISTORY = "http://id.unece.org/history"
BASE = "http://id.unece.org/sparql"


def n(local: str) -> ox.NamedNode:
    return ox.NamedNode(EX + local)


def q(s: str, p: str, o: str | ox.Literal, g: str) -> ox.Quad:
    return ox.Quad(n(s), n(p), o if isinstance(o, ox.Literal) else n(o), n(g))


@pytest.fixture
def store() -> EmbeddedStore:
    store = EmbeddedStore()
    store.apply(
        ChangeSet.of(
            add=[
                q("a", "role", "input", "g1"),
                q("a", "label", ox.Literal("A"), "g1"),
                q("b", "role", "input", "g2"),
                q("a", "role", "input", "g2"),  # the same triple in two graphs
                ox.Quad(n("h1"), n("p"), n("o"), ox.NamedNode(HISTORY)),
                ox.Quad(n("c"), n("shape"), ox.BlankNode(), n("g3")),
            ]
        )
    )
    return store


def change(store: EmbeddedStore, text: str, **dataset: tuple[str, ...]) -> ChangeSet:
    before = set(store.quads())
    result = change_of_update(store, UpdateRequest(text, **dataset), base_iri=BASE, protected_graphs=[HISTORY])
    assert set(store.quads()) == before  # the store itself is never written
    return result


def test_a_change_in_a_named_graph_is_exactly_its_quads(store: EmbeddedStore) -> None:
    result = change(
        store,
        f"PREFIX ex: <{EX}> DELETE {{ GRAPH ex:g1 {{ ?m ex:role ex:input }} }} "
        "INSERT { GRAPH ex:g1 { ?m ex:role ex:output } } WHERE { GRAPH ex:g1 { ?m ex:role ex:input } }",
    )
    assert result.remove == {q("a", "role", "input", "g1")}
    assert result.add == {q("a", "role", "output", "g1")}


def test_the_default_graph_is_the_union_and_a_removal_from_it_removes_from_every_graph(store: EmbeddedStore) -> None:
    result = change(store, f"DELETE WHERE {{ <{EX}a> <{EX}role> ?r }}")
    assert result.remove == {q("a", "role", "input", "g1"), q("a", "role", "input", "g2")}
    assert not result.add
    data = change(store, f"DELETE DATA {{ <{EX}b> <{EX}role> <{EX}input> }}")
    assert data.remove == {q("b", "role", "input", "g2")}


def test_writing_into_the_default_graph_is_refused_with_advice(store: EmbeddedStore) -> None:
    with pytest.raises(BadRequest, match="GRAPH <g>"):
        change(store, f"INSERT DATA {{ <{EX}x> <{EX}y> <{EX}z> }}")
    with pytest.raises(BadRequest, match="default graph"):
        change(store, f"INSERT {{ ?s <{EX}seen> true }} WHERE {{ ?s <{EX}role> ?r }}")


def test_operations_run_in_order_and_prefixes_carry_over(store: EmbeddedStore) -> None:
    result = change(
        store,
        f"PREFIX ex: <{EX}>\nINSERT DATA {{ GRAPH ex:new {{ ex:s ex:p ex:o }} }} ;\n"
        "INSERT { GRAPH ex:copy { ?s ex:p2 ?o } } WHERE { GRAPH ex:new { ?s ex:p ?o } } ;\n"
        "# a comment ; with a semicolon\nDROP GRAPH ex:new",
    )
    assert result.add == {q("s", "p2", "o", "copy")}
    assert not result.remove


def test_the_protocol_dataset_becomes_using_clauses(store: EmbeddedStore) -> None:
    text = f"INSERT {{ GRAPH <{EX}out> {{ ?s <{EX}seen> ?s }} }} WHERE {{ ?s <{EX}role> ?r }}"
    result = change(store, text, using_graph_uris=(EX + "g2",))
    assert {x.subject for x in result.add} == {n("a"), n("b")}
    only_g1 = change(store, text, using_graph_uris=(EX + "g1",))
    assert {x.subject for x in only_g1.add} == {n("a")}
    named = change(
        store,
        f"INSERT {{ GRAPH <{EX}out> {{ ?s <{EX}in> ?g }} }} WHERE {{ GRAPH ?g {{ ?s <{EX}role> ?r }} }}",
        using_named_graph_uris=(EX + "g2",),
    )
    assert {x.object for x in named.add} == {n("g2")}
    short = change(store, f"DELETE WHERE {{ ?s <{EX}role> ?r }}", using_graph_uris=(EX + "g1",))
    assert short.remove == {q("a", "role", "input", "g1"), q("a", "role", "input", "g2")}  # from the union


def test_a_dataset_given_twice_is_refused(store: EmbeddedStore) -> None:
    with pytest.raises(BadRequest, match="one place only"):
        change(
            store,
            f"WITH <{EX}g1> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
            using_named_graph_uris=(EX + "g2",),
        )


@pytest.mark.parametrize(
    ("text", "error", "words"),
    [
        ("LOAD <http://example.org/data.ttl>", QueryRejected, "LOAD"),
        (f"LOAD <{EX}data.ttl> INTO GRAPH <{EX}g1>", QueryRejected, "LOAD"),
        (
            f"INSERT {{ GRAPH <{EX}g1> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <{EX}sparql> {{ ?s ?p ?o }} }}",
            QueryRejected,
            "SERVICE",
        ),
        (
            f"INSERT DATA {{ GRAPH <{HISTORY}> {{ <{EX}s> <{EX}p> <{EX}o> }} }}",
            Forbidden,
            "written only by the service",
        ),
        ("PREFIX u: <http://id.unece.org/> CLEAR GRAPH u:history", Forbidden, "written only by the service"),
        (f"DELETE WHERE {{ GRAPH <{EX}g3> {{ ?s ?p ?o }} }}", Unprocessable, "blank nodes"),
        ("CLEAR XYZ", BadRequest, "does not parse"),
        ("   ", BadRequest, "empty"),
        (f"CLEAR GRAPH <{EX}missing>", BadRequest, "does not exist"),
    ],
)
def test_refusals_are_4xx_with_a_message(
    store: EmbeddedStore, text: str, error: type[ServiceError], words: str
) -> None:
    with pytest.raises(error, match=words) as raised:
        change(store, text)
    assert 400 <= raised.value.status < 500


def test_a_syntax_error_carries_its_position(store: EmbeddedStore) -> None:
    with pytest.raises(BadRequest) as raised:
        change(store, "INSERT DATA {\n  GRAPH <http://example.org/g> { <http://example.org/s> }\n}")
    assert raised.value.details["line"] == 2


def test_clear_all_leaves_the_protected_history_alone(store: EmbeddedStore) -> None:
    store.update(f"DELETE WHERE {{ GRAPH <{EX}g3> {{ ?s ?p ?o }} }}")  # no blank nodes left to refuse
    result = change(store, "CLEAR ALL")
    assert not result.add
    assert {x.graph_name for x in result.remove} == {n("g1"), n("g2")}


def test_relative_iris_resolve_against_the_endpoint(store: EmbeddedStore) -> None:
    result = change(store, f"INSERT DATA {{ GRAPH <{EX}g1> {{ <{EX}s> <{EX}p> <test> }} }}")
    assert {x.object for x in result.add} == {ox.NamedNode("http://id.unece.org/test")}


@pytest.mark.parametrize(
    "text",
    [
        f"INSERT DATA {{ GRAPH <{EX}g1> {{ <{EX}a> <{EX}role> <{EX}output> . <{EX}a> <{EX}role> <{EX}input> }} }}",
        f"DELETE DATA {{ GRAPH <{EX}g1> {{ <{EX}a> <{EX}role> <{EX}input> . <{EX}zz> <{EX}p> <{EX}o> }} }}",
        f"DELETE DATA {{ <{EX}a> <{EX}role> <{EX}input> }}",
        f"INSERT DATA {{ GRAPH <{EX}g1> {{ <{EX}n> <{EX}p> 1 }} }} ;\n"
        f"DELETE DATA {{ GRAPH <{EX}g1> {{ <{EX}n> <{EX}p> 1 }} }}",
        f"DELETE DATA {{ GRAPH <{EX}g1> {{ <{EX}a> <{EX}label> 'A' }} }} ;\n"
        f"INSERT DATA {{ GRAPH <{EX}g1> {{ <{EX}a> <{EX}label> 'A' }} }}",
        f"INSERT DATA {{ GRAPH <{EX}g2> {{ <{EX}x> <{EX}p> <{EX}o> }} }} ; DELETE DATA {{ <{EX}x> <{EX}p> <{EX}o> }}",
    ],
)
def test_the_fast_path_for_data_operations_agrees_with_the_copy(store: EmbeddedStore, text: str) -> None:
    """INSERT DATA / DELETE DATA alone are looked up quad by quad; with any other operation the update runs on the
    copy: both give the same change."""
    quick = change(store, text)
    copied = change(store, text + f" ; CLEAR SILENT GRAPH <{EX}no-such-graph>")
    assert quick == copied
