"""Content upgrades on the remote store (the real Virtuoso of the test session), as on the embedded one: the store
keeps its base on its server, and on new content the changes made through the service are replayed over it; a
conflicting change stops the load (for every replica: the base is on the server), and the rebase choices settle it."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import PROJECT_ROOT, drop_graphs_since, graph_names
from modernstats_kg.editing import history
from modernstats_kg.loader import HISTORY_GRAPH, ContentConflict, load_content
from modernstats_kg.store import ChangeSet, RemoteStore
from modernstats_kg.store.remote_config import RemoteConfig
from virtuoso import VirtuosoServer

pytestmark = [pytest.mark.virtuoso, pytest.mark.slow]

WEB_CONTENT = PROJECT_ROOT / "tests" / "fixtures" / "web-content"
MAPPINGS = "http://id.unece.org/mappings/informationMapping/"
GRAPH = ox.NamedNode("http://id.unece.org/mappings/gsimGsbpm")
EDITED = "5.3-coreInput-dataSet"
OLD_TEXT = "Validation checks the test data set."
EDIT_TEXT = "Validation checks the data set, as edited through the service."


def justification(mapping: str, text: str) -> ox.Quad:
    predicate = ox.NamedNode("http://id.unece.org/def/mapping#justification")
    return ox.Quad(ox.NamedNode(MAPPINGS + mapping), predicate, ox.Literal(text, language="en"), GRAPH)


def replica(server: VirtuosoServer, system_graph: str) -> RemoteStore:
    config = RemoteConfig(
        server.sparql_url, update_url=server.sparql_auth_url, user="dba", password="dba", system_graph=system_graph
    )
    return RemoteStore(config)


def rewrite(content: Path, old: str, new: str) -> None:
    path = content / "mappings" / "gsim-gsbpm.ttl"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def edit(store: RemoteStore) -> str:
    """The edit of the mapping, applied with its history record in the gate's format; its record's IRI."""
    change = ChangeSet.of(remove=[justification(EDITED, OLD_TEXT)], add=[justification(EDITED, EDIT_TEXT)])
    iri = history.new_change_iri()
    record = history.record_quads(
        iri, changes=change, author="ada", comment="clearer", action="update", targets=(), at=datetime.now(UTC)
    )
    store.apply(ChangeSet(add=change.add | frozenset(record), remove=change.remove))
    return iri


def holds(store: RemoteStore, quad: ox.Quad) -> bool:
    return quad in set(store.quads())


@pytest.fixture
def edited(virtuoso: VirtuosoServer, tmp_path: Path) -> Iterator[tuple[RemoteStore, RemoteStore, Path, str]]:
    """Two replicas over one dataset loaded from a copy of the content, then one edit recorded. The content and
    history graphs are the server's, whatever the system graph: the history starts empty and is dropped after."""
    content = tmp_path / "content"
    shutil.copytree(WEB_CONTENT, content)
    system_graph = f"urn:x-mskg:system:upgrade:{uuid.uuid4().hex}"
    first, second = replica(virtuoso, system_graph), replica(virtuoso, system_graph)
    first.update(f"DROP SILENT GRAPH <{HISTORY_GRAPH}>")
    before = graph_names(first)
    load_content(first, root=content)
    yield first, second, content, edit(first)
    drop_graphs_since(first, before, HISTORY_GRAPH)
    first.close()
    second.close()


def test_a_content_change_that_merges_keeps_the_edit(edited: tuple[RemoteStore, RemoteStore, Path, str]) -> None:
    first, second, content, _ = edited
    rewrite(content, "Collection puts out the raw responses", "Collection puts out every raw response")
    outcome = load_content(second, root=content)  # another replica starts on the new content
    assert outcome.loaded and outcome.replayed == 1
    assert holds(first, justification(EDITED, EDIT_TEXT)) and not holds(first, justification(EDITED, OLD_TEXT))
    new = justification("4.3-coreOutput-dataSet", "Collection puts out every raw response as a test data set.")
    assert holds(first, new)
    assert not load_content(first, root=content).loaded  # the other replica finds the store current
    records = first.select(
        "SELECT ?c WHERE { GRAPH <http://id.unece.org/history> { ?c ?p ?o } }",
    )
    assert len({row["c"] for row in records}) == 1  # the history record is kept


def test_a_conflicting_content_change_is_refused_then_settled(
    edited: tuple[RemoteStore, RemoteStore, Path, str],
) -> None:
    first, second, content, change = edited
    release = "Validation checks the test data set, says the new release."
    rewrite(content, OLD_TEXT, release)
    for store in (first, second):  # every replica reads the same base and history from the server
        with pytest.raises(ContentConflict) as raised:
            load_content(store, root=content)
        message = str(raised.value)
        assert f"the mapping <{MAPPINGS}{EDITED}>" in message and f"<{change}>" in message
        assert f"mskg rebase --store {store.config.query_url} --drop {change}" in message
    assert holds(first, justification(EDITED, EDIT_TEXT)) and not holds(first, justification(EDITED, release))
    outcome = load_content(second, root=content, accept="content")
    assert outcome.replayed == 0
    assert holds(first, justification(EDITED, release)) and not holds(first, justification(EDITED, EDIT_TEXT))
    again = load_content(first, root=content, force=True)  # the dropped change stays dropped, on the server
    assert again.replayed == 0 and holds(first, justification(EDITED, release))


def test_the_edits_can_win_a_conflict(edited: tuple[RemoteStore, RemoteStore, Path, str]) -> None:
    first, _, content, _ = edited
    rewrite(content, OLD_TEXT, "Validation checks the test data set, says the new release.")
    outcome = load_content(first, root=content, accept="edits")
    assert outcome.replayed == 1
    assert holds(first, justification(EDITED, EDIT_TEXT))
