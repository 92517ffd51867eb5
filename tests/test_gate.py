"""The write gate (`editing.gate.submit`) and the history it records (`editing.history`), on the real content in a
real on-disk pyoxigraph store; and the scoped validation it uses, against whole-graph `validate_change`."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from modernstats_kg.editing.gate import (
    ChangeRefused,
    EditingUnavailable,
    StaleChange,
    Submission,
    submit,
)
from modernstats_kg.editing.history import HISTORY_GRAPH, changes_of, history_page, read_record, user_iri
from modernstats_kg.loader import load_content
from modernstats_kg.store import ChangeSet, EmbeddedStore, Store
from modernstats_kg.validation import validate_change
from modernstats_kg.validation.scoped import affected_focus, shapes_of_store, validate_change_scoped

MAP = "http://id.unece.org/def/mapping#"
GSIM = "http://id.unece.org/def/gsim#"
IM = "http://id.unece.org/mappings/informationMapping/"
GRAPH = ox.NamedNode("http://id.unece.org/mappings/gsimGsbpm")
ACTIVITY = ox.NamedNode(MAP + "activity")
JUSTIFICATION = ox.NamedNode(MAP + "justification")
STATUS = ox.NamedNode(MAP + "status")
ACTIVITY_COUNT = "http://id.unece.org/shapes/mapping#activityCount"
MAPPING = ox.NamedNode(IM + "5.3-coreInput-instanceVariable")


@pytest.fixture(scope="module")
def content_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The real content in an on-disk store; each test undoes nothing, so tests only add what they check."""
    store = EmbeddedStore(tmp_path_factory.mktemp("gate") / "store")
    load_content(store)
    yield store
    store.close()


def statements(store: Store, subject: ox.NamedNode) -> set[ox.Quad]:
    rows = store.select("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", substitutions={"s": subject})
    return {ox.Quad(subject, r["p"], r["o"], r["g"]) for r in rows}


def the(store: Store, subject: ox.NamedNode, predicate: ox.NamedNode) -> ox.Quad:
    (quad,) = [q for q in statements(store, subject) if q.predicate == predicate]
    return quad


def history_size(store: Store) -> int:
    rows = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{HISTORY_GRAPH}> {{ ?s ?p ?o }} }}")
    return int(next(iter(rows))["n"].value)


def test_a_valid_change_is_applied_with_its_history_record_in_one_write(content_store: Store) -> None:
    store = content_store
    old = the(store, MAPPING, JUSTIFICATION)
    new = ox.Quad(MAPPING, JUSTIFICATION, ox.Literal("Reworded by the gate test.", language="en"), GRAPH)
    change = ChangeSet.of(remove=[old], add=[new])
    before = store.revision()

    receipt = submit(
        store,
        Submission(change, author="alice", comment="clearer wording", action="update", targets=(MAPPING.value,)),
    )

    assert receipt.revision == store.revision() != before
    quads = statements(store, MAPPING)
    assert new in quads and old not in quads
    record = read_record(store, receipt.change_iri)
    assert record is not None
    assert (record.author, record.comment, record.action, record.targets) == (
        "alice",
        "clearer wording",
        "update",
        (MAPPING.value,),
    )
    assert changes_of(record) == change, "the record replays as the change it describes"
    assert record.at == receipt.at
    # the record is PROV, readable over SPARQL in the history graph
    ask = (
        "ASK { GRAPH <http://id.unece.org/history> { ?c a <http://www.w3.org/ns/prov#Activity> ; "
        "<http://www.w3.org/ns/prov#wasAssociatedWith> ?who ; <http://www.w3.org/ns/prov#used> ?m } }"
    )
    assert store.query(
        ask, substitutions={"c": ox.NamedNode(receipt.change_iri), "who": ox.NamedNode(user_iri("alice")), "m": MAPPING}
    )
    assert [r.iri for r in history_page(store, target=MAPPING.value)][:1] == [receipt.change_iri]
    # a reopened store (as after a restart) holds both the change and its record
    assert isinstance(store, EmbeddedStore) and store.path is not None, "the gate's store is on disk"
    reopened = EmbeddedStore.read_only(store.path)
    assert new in statements(reopened, MAPPING) and read_record(reopened, receipt.change_iri) == record


def test_a_change_that_breaks_a_shape_is_refused_with_422_and_nothing_is_written(content_store: Store) -> None:
    store = content_store
    activity = the(store, MAPPING, ACTIVITY)
    revision, size, history = store.revision(), store.size(), history_size(store)

    with pytest.raises(ChangeRefused) as refused:
        submit(store, Submission(ChangeSet.of(remove=[activity]), author="bob", comment="drop it", action="update"))

    assert refused.value.status == 422
    failures = refused.value.report
    assert {(f["shape"], f["focus_node"]) for f in failures} == {(ACTIVITY_COUNT, MAPPING.value)}
    assert "exactly one map:activity" in failures[0]["message"]
    assert "exactly one map:activity" in refused.value.message
    assert (store.revision(), store.size(), history_size(store)) == (revision, size, history)
    assert activity in statements(store, MAPPING)


def test_the_history_graph_cannot_be_a_target(content_store: Store) -> None:
    store = content_store
    forged = ox.Quad(
        ox.NamedNode("http://id.unece.org/history/change/x"),
        ox.NamedNode(MAP + "x"),
        ox.Literal("x"),
        ox.NamedNode(HISTORY_GRAPH),
    )
    revision = store.revision()
    for change in (ChangeSet.of(add=[forged]), ChangeSet.of(remove=[forged])):
        with pytest.raises(ChangeRefused, match="history graph"):
            submit(store, Submission(change, author="mallory", comment="rewrite history", action="sparql-update"))
    assert store.revision() == revision


def test_a_stale_expected_revision_gets_412_and_an_empty_comment_422(content_store: Store) -> None:
    store = content_store
    note = ox.Quad(MAPPING, ox.NamedNode("http://www.w3.org/2004/02/skos/core#note"), ox.Literal("n"), GRAPH)
    revision = store.revision()
    with pytest.raises(StaleChange) as stale:
        submit(store, Submission(ChangeSet.of(add=[note]), "alice", "why", "update"), expect_revision="0")
    assert stale.value.status == 412
    with pytest.raises(ChangeRefused, match="comment"):
        submit(store, Submission(ChangeSet.of(add=[note]), "alice", "  ", "update"))
    assert store.revision() == revision
    receipt = submit(store, Submission(ChangeSet.of(add=[note]), "alice", "why", "update"), expect_revision=revision)
    assert receipt.revision == store.revision()


def test_a_comment_is_a_record_without_a_change(content_store: Store) -> None:
    store = content_store
    size = store.size()
    receipt = submit(
        store, Submission(ChangeSet(), "carol", "I think 5.3 also reads the rules", "comment", (MAPPING.value,))
    )
    record = read_record(store, receipt.change_iri)
    assert record is not None and record.action == "comment" and not changes_of(record)
    assert store.size() > size  # the record, nothing else: the mapping is unchanged
    assert [r.action for r in history_page(store, target=MAPPING.value, actions=("comment",))][:1] == ["comment"]


def test_the_in_memory_store_answers_503_with_how_to_start_a_durable_one() -> None:
    store = EmbeddedStore()
    note = ox.Quad(MAPPING, ox.NamedNode("http://www.w3.org/2004/02/skos/core#note"), ox.Literal("n"), GRAPH)
    with pytest.raises(EditingUnavailable) as unavailable:
        submit(store, Submission(ChangeSet.of(add=[note]), "alice", "why", "update"))
    assert unavailable.value.status == 503
    assert "mskg serve --store DIR" in unavailable.value.message
    assert store.size() == 0


# --- scoped validation gives the verdict of whole-graph validation ------------------------------------------------


def _new_mapping(
    iri: str, activity: str, cls: str, role: str, *, status: str = "proposed", qualifier: str | None = None
) -> list[ox.Quad]:
    m = ox.NamedNode(iri)
    direction = "input" if role.endswith("Input") else "output"
    values: list[tuple[str, ox.NamedNode | ox.Literal]] = [
        ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", ox.NamedNode(MAP + "InformationMapping")),
        (MAP + "activity", ox.NamedNode("http://id.unece.org/activities/subProcess/" + activity)),
        (MAP + "informationClass", ox.NamedNode(GSIM + cls)),
        (MAP + "role", ox.NamedNode(GSIM + role)),
        (MAP + "direction", ox.NamedNode(MAP + direction)),
        (MAP + "justification", ox.Literal("A test mapping.", language="en")),
        (MAP + "status", ox.NamedNode(MAP + status)),
        ("http://www.w3.org/ns/prov#wasAttributedTo", ox.NamedNode(user_iri("alice"))),
        (
            "http://purl.org/dc/terms/created",
            ox.Literal("2027-01-02", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
        ),
        ("http://purl.org/dc/terms/source", ox.NamedNode("https://github.com/UNECE/GSIM-2.0")),
    ]
    if qualifier is not None:
        values.append((MAP + "qualifier", ox.NamedNode("http://id.unece.org/mappings/qualifier/" + qualifier)))
    return [ox.Quad(m, ox.NamedNode(p), o, GRAPH) for p, o in values]


def _changes(store: Store) -> dict[str, ChangeSet]:
    activity = the(store, MAPPING, ACTIVITY)
    status = the(store, MAPPING, STATUS)
    justification = the(store, MAPPING, JUSTIFICATION)

    def replaced(quad: ox.Quad, value: ox.NamedNode | ox.Literal) -> ChangeSet:
        return ChangeSet.of(remove=[quad], add=[ox.Quad(quad.subject, quad.predicate, value, quad.graph_name)])

    return {
        "reworded": replaced(justification, ox.Literal("Another wording.", language="en")),
        "no activity": ChangeSet.of(remove=[activity]),
        "phase as activity": replaced(activity, ox.NamedNode("http://id.unece.org/activities/phase/5")),
        "unknown status": replaced(status, ox.NamedNode(MAP + "unheardOf")),
        "deprecated": replaced(status, ox.NamedNode(MAP + "deprecated")),
        "empty justification": replaced(justification, ox.Literal("", language="en")),
        "new valid mapping": ChangeSet.of(
            add=_new_mapping(IM + "5.4-coreInput-population", "5.4", "Population", "CoreInput")
        ),
        "duplicate of an existing mapping": ChangeSet.of(
            add=_new_mapping(IM + "5.3-coreInput-instanceVariable-x", "5.3", "InstanceVariable", "CoreInput")
        ),
        "misnamed mapping": ChangeSet.of(add=_new_mapping(IM + "wrongName", "5.4", "Population", "CoreInput")),
        "abstract class": ChangeSet.of(
            add=_new_mapping(IM + "5.4-coreInput-informationSet", "5.4", "InformationSet", "CoreInput")
        ),
        "qualifier of another class": ChangeSet.of(
            add=_new_mapping(
                IM + "5.4-coreInput-population-sample", "5.4", "Population", "CoreInput", qualifier="sample"
            )
        ),
        "class dropped in GSIM 2.0": ChangeSet.of(
            add=_new_mapping(IM + "5.4-coreInput-unitDataSet", "5.4", "UnitDataSet", "CoreInput")
        ),
        "output role as input": ChangeSet.of(
            add=_new_mapping(IM + "5.4-coreOutput-population", "5.4", "Population", "CoreOutput")
        ),
    }


@pytest.mark.slow
def test_scoped_validation_gives_the_verdict_of_whole_graph_validation() -> None:
    store = EmbeddedStore()
    load_content(store)
    shapes, shape_graphs = shapes_of_store(store)
    verdicts = {}
    for name, change in _changes(store).items():
        focus = affected_focus(store, change)
        assert focus is not None, name
        whole = validate_change(store, change, shapes=shapes)
        scoped = validate_change_scoped(store, change, focus, shapes, excluded=shape_graphs)
        whole_violations = {(r.shape, r.focus_node) for r in whole.violations}
        scoped_violations = {(r.shape, r.focus_node) for r in scoped.violations}
        assert (scoped.conforms, scoped_violations) == (whole.conforms, whole_violations), name
        verdicts[name] = whole.conforms
    # the set covers both verdicts, so agreement is not agreement on "conforms" alone
    assert verdicts["reworded"] and verdicts["deprecated"] and verdicts["new valid mapping"]
    assert sum(not v for v in verdicts.values()) >= 8


def test_a_change_not_about_mappings_only_is_validated_on_the_whole_graph(content_store: Store) -> None:
    label = ox.Quad(
        ox.NamedNode("http://id.unece.org/activities/subProcess/5.3"),
        ox.NamedNode("http://www.w3.org/2004/02/skos/core#note"),
        ox.Literal("x"),
        GRAPH,
    )
    assert affected_focus(content_store, ChangeSet.of(add=[label])) is None
    assert (
        affected_focus(content_store, ChangeSet.of(add=[ox.Quad(MAPPING, STATUS, ox.NamedNode(MAP + "x"), GRAPH)]))
        is not None
    )


def test_scope_takes_in_mappings_that_share_activity_class_and_role(content_store: Store) -> None:
    change = ChangeSet.of(
        add=_new_mapping(IM + "5.3-coreInput-instanceVariable-y", "5.3", "InstanceVariable", "CoreInput")
    )
    focus = affected_focus(content_store, change)
    assert focus is not None and MAPPING in focus


KILLED_WRITER = """
import os, signal, sys
from pathlib import Path
import pyoxigraph as ox
from modernstats_kg.store import ChangeSet, EmbeddedStore
store = EmbeddedStore(Path(sys.argv[1]))
quad = ox.Quad(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/p"), ox.Literal("kept"),
               ox.NamedNode("http://example.org/g"))
revision = store.apply(ChangeSet.of(add=[quad]))
print(revision, flush=True)
os.kill(os.getpid(), signal.SIGKILL)  # no flush, no close: as if the server were killed right after a 2xx
"""


def test_an_applied_change_survives_a_kill_9_of_the_writer(tmp_path: Path) -> None:
    """`apply` does not flush the memtables: the write-ahead log holds the change, for a reopened store and for
    read-only snapshots alike."""
    folder = tmp_path / "store"
    result = subprocess.run(
        [sys.executable, "-c", KILLED_WRITER, str(folder)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    (revision,) = result.stdout.split()
    ask = 'ASK { GRAPH <http://example.org/g> { <http://example.org/a> <http://example.org/p> "kept" } }'
    snapshot = EmbeddedStore.read_only(folder)
    assert snapshot.revision() == revision and bool(snapshot.query(ask))
    del snapshot
    reopened = EmbeddedStore(folder)
    assert bool(reopened.query(ask))
    reopened.close()
