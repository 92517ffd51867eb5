"""The embedded store on disk keeps its data across restarts and is not reloaded when the content is unchanged."""

from __future__ import annotations

from pathlib import Path

from modernstats_kg.loader import load_content
from modernstats_kg.store import EmbeddedStore, open_store
from test_content import GOOD_ONTOLOGY, GOOD_SCHEME, write_content


def test_on_disk_store_survives_a_restart_without_reloading(tmp_path: Path) -> None:
    root = write_content(tmp_path / "content", {"ontology/a.ttl": GOOD_ONTOLOGY, "ontology/b.ttl": GOOD_SCHEME})
    location = tmp_path / "store"
    first = EmbeddedStore(location)
    outcome = load_content(first, root=root)
    assert outcome.loaded and outcome.triples > 0
    first.close()
    del first

    reopened = open_store(str(location))
    assert reopened.size() == outcome.triples
    again = load_content(reopened, root=root)
    assert not again.loaded, "unchanged content is not reloaded"
    assert again.version == outcome.version
    reopened.close()


def test_on_disk_store_reloads_when_content_changes(tmp_path: Path) -> None:
    root = write_content(tmp_path / "content", {"ontology/a.ttl": GOOD_ONTOLOGY})
    location = tmp_path / "store"
    store = EmbeddedStore(location)
    load_content(store, root=root)
    write_content(root, {"ontology/b.ttl": GOOD_SCHEME})
    outcome = load_content(store, root=root)
    assert outcome.loaded and outcome.graphs == 2
    assert {g.iri for g in store.graphs()} == {"http://example.org/onto", "http://example.org/scheme"}


def test_removed_files_drop_their_graphs(tmp_path: Path) -> None:
    root = write_content(tmp_path / "content", {"ontology/a.ttl": GOOD_ONTOLOGY, "ontology/b.ttl": GOOD_SCHEME})
    store = EmbeddedStore()
    load_content(store, root=root)
    (root / "ontology" / "b.ttl").unlink()
    load_content(store, root=root)
    assert [g.iri for g in store.graphs()] == ["http://example.org/onto"]
