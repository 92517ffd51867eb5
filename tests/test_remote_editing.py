"""Edits on the remote backend (the real Virtuoso of the test session): each change is one request to its
authenticated update endpoint, and two replicas changing the same mapping at once from the same revision: exactly
one wins, the other is refused (`StaleRevision`, 412 through the gate), the condition checked by Virtuoso in the same
request as the write (`store/virtuoso_guard.py`), over many simultaneous rounds."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from conftest import drop_graphs_since, graph_names
from modernstats_kg.editing.gate import StaleChange, Submission, submit
from modernstats_kg.loader import HISTORY_GRAPH, load_content
from modernstats_kg.store import ChangeSet, RemoteStore, StaleRevision
from modernstats_kg.store.remote_config import RemoteConfig
from virtuoso import VirtuosoServer

pytestmark = [pytest.mark.virtuoso, pytest.mark.slow]

MAPPING = ox.NamedNode("http://id.unece.org/mappings/informationMapping/5.3-coreInput-dataSet")
JUSTIFICATION = ox.NamedNode("http://id.unece.org/def/mapping#justification")
GRAPH = ox.NamedNode("http://id.unece.org/mappings/gsimGsbpm")


def replicas(server: VirtuosoServer, count: int = 2) -> list[RemoteStore]:
    """Stores of `count` service replicas over one dataset of `server` (one system graph), writing with SPARQL
    Update on the digest-protected endpoint."""
    config = RemoteConfig(
        server.sparql_url,
        update_url=server.sparql_auth_url,
        user="dba",
        password="dba",
        system_graph=f"urn:x-mskg:system:replicas:{time.monotonic_ns()}",
    )
    return [RemoteStore(config) for _ in range(count)]


@pytest.fixture(scope="module")
def loaded(virtuoso: VirtuosoServer) -> Iterator[list[RemoteStore]]:
    stores = replicas(virtuoso)
    before = graph_names(stores[0])
    load_content(stores[0])  # the real content: the gate validates mapping changes with its shapes
    yield stores
    drop_graphs_since(stores[0], before, HISTORY_GRAPH)


def current_justifications(store: RemoteStore) -> set[str]:
    rows = store.select("SELECT ?j WHERE { ?m ?p ?j }", substitutions={"m": MAPPING, "p": JUSTIFICATION})
    return {row["j"].value for row in rows}


def rewording(store: RemoteStore, text: str) -> ChangeSet:
    rows = store.select("SELECT ?j WHERE { ?m ?p ?j }", substitutions={"m": MAPPING, "p": JUSTIFICATION})
    old = [ox.Quad(MAPPING, JUSTIFICATION, row["j"], GRAPH) for row in rows]
    return ChangeSet.of(remove=old, add=[ox.Quad(MAPPING, JUSTIFICATION, ox.Literal(text, language="en"), GRAPH)])


ROUNDS = 20


def recorded_revisions(store: RemoteStore) -> list[str]:
    """The revisions written in the system graph (outside the dataset that queries see)."""
    rows = store.query(
        "SELECT ?r WHERE { ?s <urn:x-mskg:storeRevision> ?r }", default_graph_uris=[store.config.system_graph]
    )
    return [row["r"].value for row in rows]  # type: ignore[union-attr]


def race(stores: list[RemoteStore], changes: list[ChangeSet], revision: str) -> list[object]:
    """Apply `changes[i]` on `stores[i]` at the same instant (a barrier), each conditional on `revision`."""
    outcomes: list[object] = [None] * len(stores)
    start = threading.Barrier(len(stores))

    def write(index: int) -> None:
        start.wait()
        try:
            outcomes[index] = stores[index].apply(changes[index], expect_revision=revision)
        except StaleRevision as exc:
            outcomes[index] = exc

    threads = [threading.Thread(target=write, args=(i,)) for i in range(len(stores))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_two_replicas_writing_at_once_from_one_revision_exactly_one_wins(loaded: list[RemoteStore]) -> None:
    first, second = loaded
    winners_seen = set()
    for number in range(ROUNDS):
        revision = first.revision()
        assert second.revision() == revision
        texts = [f"Round {number}, reworded by replica one.", f"Round {number}, reworded by replica two."]
        outcomes = race(loaded, [rewording(first, texts[0]), rewording(second, texts[1])], revision)
        winners = [i for i, outcome in enumerate(outcomes) if isinstance(outcome, str)]
        losers = [i for i, outcome in enumerate(outcomes) if isinstance(outcome, StaleRevision)]
        assert len(winners) == 1 and len(losers) == 1, (number, outcomes)
        winners_seen.add(winners[0])
        assert current_justifications(first) == {texts[winners[0]]}  # the loser wrote nothing
        assert first.revision() == outcomes[winners[0]]
        assert len(recorded_revisions(first)) == 1  # one revision recorded, not one per writer


def test_plain_changes_from_two_replicas_at_once_are_both_applied(loaded: list[RemoteStore]) -> None:
    """Unconditional changes on Virtuoso are conditional on the revision read just before, retried when overtaken:
    both land, and the store records one revision."""
    first, second = loaded
    notes = [ox.NamedNode(f"http://id.unece.org/mappings/test/plain-{i}") for i in range(2)]
    quads = [ox.Quad(note, JUSTIFICATION, ox.Literal("plain"), GRAPH) for note in notes]
    outcomes = race(loaded, [ChangeSet.of(add=[quads[0]]), ChangeSet.of(add=[quads[1]])], revision="unused")
    assert all(isinstance(outcome, StaleRevision) for outcome in outcomes)  # conditional on a revision never held
    start = threading.Barrier(2)
    done: list[str] = []

    def write(index: int) -> None:
        start.wait()
        done.append(loaded[index].apply(ChangeSet.of(add=[quads[index]])))

    threads = [threading.Thread(target=write, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(done) == 2
    assert set(second.quads()) >= set(quads)
    assert second.revision() in done
    assert len(recorded_revisions(second)) == 1
    first.apply(ChangeSet.of(remove=quads))


def test_a_stale_replica_gets_412_through_the_gate_and_nothing_is_written(loaded: list[RemoteStore]) -> None:
    first, second = loaded
    revision = second.revision()  # both replicas read the mapping at this revision
    won = submit(
        first,
        Submission(rewording(first, "Endorsed wording."), author="ada", comment="wording", action="update"),
        expect_revision=revision,
    )
    assert won.revision == first.revision()
    with pytest.raises(StaleChange) as refused:
        submit(
            second,
            Submission(rewording(second, "Late wording."), author="bob", comment="late", action="update"),
            expect_revision=revision,
        )
    assert refused.value.status == 412
    assert current_justifications(second) == {"Endorsed wording."}
    history = second.select(
        "SELECT ?c WHERE { GRAPH <http://id.unece.org/history> { "
        "?c <http://www.w3.org/2000/01/rdf-schema#comment> ?w } }",
        substitutions={"w": ox.Literal("late")},
    )
    assert not list(history)


def test_an_apply_conditional_on_a_revision_the_store_left_writes_nothing(loaded: list[RemoteStore]) -> None:
    first, _ = loaded
    before = current_justifications(first)
    with pytest.raises(StaleRevision):
        first.apply(rewording(first, "Never written."), expect_revision="0000-an-old-revision")
    assert current_justifications(first) == before
