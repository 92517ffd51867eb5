"""Content upgrades never discard edits: on a real on-disk store, a new content version is loaded and the changes
recorded in the history are replayed over it; a conflicting change stops the start (through `mskg` and through
`create_app`) with a message naming it and the `mskg rebase` commands, and each of those commands settles it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import PROJECT_ROOT
from modernstats_kg.app import create_app
from modernstats_kg.editing import history
from modernstats_kg.loader import BASE_FILE, HISTORY_GRAPH, ContentConflict, load_content
from modernstats_kg.settings import Settings
from modernstats_kg.store import ChangeSet, EmbeddedStore

pytestmark = pytest.mark.slow  # mskg load, serve and rebase run as processes

WEB_CONTENT = PROJECT_ROOT / "tests" / "fixtures" / "web-content"
MAPPINGS = "http://id.unece.org/mappings/informationMapping/"
MAP = "http://id.unece.org/def/mapping#"
GRAPH = ox.NamedNode("http://id.unece.org/mappings/gsimGsbpm")
MSKG = "http://id.unece.org/def/mskg#"
PROV = "http://www.w3.org/ns/prov#"
EDITED = "5.3-coreInput-dataSet"
OLD_TEXT = "Validation checks the test data set."
EDIT_TEXT = "Validation checks the data set, as edited through the service."


def justification(mapping: str, text: str) -> ox.Quad:
    return ox.Quad(
        ox.NamedNode(MAPPINGS + mapping), ox.NamedNode(MAP + "justification"), ox.Literal(text, language="en"), GRAPH
    )


def record(store: EmbeddedStore, iri: str, changes: ChangeSet, author: str = "alice") -> None:
    """Apply a change with its history record, in the gate's record format (one transaction)."""

    def nquads(quads: frozenset[ox.Quad]) -> str:
        return "".join(sorted(f"{q.subject} {q.predicate} {q.object} {q.graph_name} .\n" for q in quads))

    node, history = ox.NamedNode(iri), ox.NamedNode(HISTORY_GRAPH)
    at = ox.Literal(datetime.now(UTC).isoformat(), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime"))
    entry = [
        ox.Quad(
            node, ox.NamedNode(PROV + "wasAssociatedWith"), ox.NamedNode(f"http://id.unece.org/users/{author}"), history
        ),
        ox.Quad(node, ox.NamedNode(PROV + "endedAtTime"), at, history),
        ox.Quad(node, ox.NamedNode(MSKG + "removed"), ox.Literal(nquads(changes.remove)), history),
        ox.Quad(node, ox.NamedNode(MSKG + "added"), ox.Literal(nquads(changes.add)), history),
    ]
    store.apply(ChangeSet(add=changes.add | frozenset(entry), remove=changes.remove))


def mskg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "modernstats_kg", *args], capture_output=True, text=True, timeout=120)


def holds(store_dir: Path, quad: ox.Quad) -> bool:
    store = EmbeddedStore.read_only(store_dir)
    return quad in set(store.quads())


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(WEB_CONTENT, folder)
    return folder


@pytest.fixture
def edited_store(tmp_path: Path, content: Path) -> Iterator[Path]:
    """An on-disk store loaded by `mskg load`, then one change recorded through the service's record format."""
    store_dir = tmp_path / "store"
    loaded = mskg("load", "--store", str(store_dir), "--content", str(content))
    assert loaded.returncode == 0, loaded.stderr
    assert (store_dir / BASE_FILE).is_file()
    store = EmbeddedStore(store_dir)
    record(
        store,
        "http://id.unece.org/changes/0001",
        ChangeSet.of(remove=[justification(EDITED, OLD_TEXT)], add=[justification(EDITED, EDIT_TEXT)]),
    )
    store.close()
    del store
    yield store_dir


def rewrite(content: Path, old: str, new: str) -> None:
    path = content / "mappings" / "gsim-gsbpm.ttl"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_content_change_that_merges_keeps_the_edit(edited_store: Path, content: Path) -> None:
    rewrite(content, "Collection puts out the raw responses", "Collection puts out every raw response")
    app = create_app(Settings(store=str(edited_store), content_dir=content))  # the service's own start
    app.state.query_runner.close()
    app.state.service.store.close()
    assert holds(edited_store, justification(EDITED, EDIT_TEXT))  # the edit survived
    assert not holds(edited_store, justification(EDITED, OLD_TEXT))
    new = justification("4.3-coreOutput-dataSet", "Collection puts out every raw response as a test data set.")
    assert holds(edited_store, new)  # and the new content is in
    history = [q for q in EmbeddedStore.read_only(edited_store).quads() if q.graph_name == ox.NamedNode(HISTORY_GRAPH)]
    assert len(history) == 4  # the record is kept


def test_a_conflicting_content_change_refuses_to_start_and_names_the_way_out(edited_store: Path, content: Path) -> None:
    rewrite(content, OLD_TEXT, "Validation checks the test data set, says the new release.")
    served = mskg("serve", "--store", str(edited_store), "--content", str(content), "--get", "/health")
    assert served.returncode == 1
    assert "--accept-content" in served.stderr and "Traceback" not in served.stderr
    with pytest.raises(ContentConflict) as raised:
        create_app(Settings(store=str(edited_store), content_dir=content))
    message = str(raised.value)
    assert f"the mapping <{MAPPINGS}{EDITED}>" in message
    assert "<http://id.unece.org/changes/0001>" in message and "http://id.unece.org/users/alice" in message
    assert f"mskg rebase --store {edited_store} --drop http://id.unece.org/changes/0001" in message
    assert holds(edited_store, justification(EDITED, EDIT_TEXT))  # nothing was written


@pytest.mark.parametrize("how", ["drop", "accept-content", "accept-edits"])
def test_each_rebase_command_settles_the_conflict(edited_store: Path, content: Path, how: str) -> None:
    release = "Validation checks the test data set, says the new release."
    rewrite(content, OLD_TEXT, release)
    args = ["--drop", "http://id.unece.org/changes/0001"] if how == "drop" else [f"--{how}"]
    rebased = mskg("rebase", "--store", str(edited_store), "--content", str(content), *args)
    assert rebased.returncode == 0, rebased.stderr
    content_wins = how != "accept-edits"
    assert holds(edited_store, justification(EDITED, release)) is content_wins
    assert holds(edited_store, justification(EDITED, EDIT_TEXT)) is not content_wins
    served = mskg("serve", "--store", str(edited_store), "--content", str(content), "--get", "/health")
    assert served.returncode == 0, served.stderr  # it starts now, and a dropped change stays dropped
    store = EmbeddedStore(edited_store)
    outcome = load_content(store, root=content, force=True)
    assert outcome.replayed == (0 if content_wins else 1)
    store.close()


def test_a_change_the_new_content_already_holds_is_no_conflict(edited_store: Path, content: Path) -> None:
    rewrite(content, OLD_TEXT, EDIT_TEXT.removesuffix("."))  # the release took the edit up, in other words
    rewrite(content, EDIT_TEXT.removesuffix("."), EDIT_TEXT)
    store = EmbeddedStore(edited_store)
    outcome = load_content(store, root=content)
    assert outcome.loaded and outcome.replayed == 1
    store.close()
    assert holds(edited_store, justification(EDITED, EDIT_TEXT))


def test_a_rebase_names_an_unknown_change(edited_store: Path, content: Path) -> None:
    rebased = mskg("rebase", "--store", str(edited_store), "--content", str(content), "--drop", "http://x/none")
    assert rebased.returncode == 2 and "no recorded change <http://x/none>" in rebased.stderr


def test_the_loader_reads_the_history_the_gate_writes(tmp_path: Path, content: Path) -> None:
    """Through the real gate: a recorded change is replayed over new content (the loader cannot import editing)."""
    assert history.HISTORY_GRAPH == HISTORY_GRAPH
    store = EmbeddedStore(tmp_path / "gate-store")
    load_content(store, root=content)
    change = ChangeSet.of(remove=[justification(EDITED, OLD_TEXT)], add=[justification(EDITED, EDIT_TEXT)])
    at = datetime.now(UTC)
    store.apply(
        ChangeSet(
            add=change.add
            | frozenset(
                history.record_quads(
                    history.new_change_iri(),
                    changes=change,
                    author="ada",
                    comment="c",
                    action="update",
                    targets=(),
                    at=at,
                )
            ),
            remove=change.remove,
        )
    )
    rewrite(content, "Collection puts out the raw responses", "Collection puts out every raw response")
    outcome = load_content(store, root=content)
    assert outcome.replayed == 1
    assert justification(EDITED, EDIT_TEXT) in set(store.quads())
