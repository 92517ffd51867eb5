"""The embedded backend: pyoxigraph, in memory or in a directory on disk.

Writes and revisions. `apply` is one pyoxigraph transaction (one `Store.update`: pyoxigraph runs all the operations
of an update in one transaction), in RocksDB's write-ahead log when it returns: that survives the process being
killed (kill -9), and read-only snapshots opened afterwards replay it, so an edit does not pay for a flush of the
memtables (about 0.1 s). Loads are flushed (the bulk loader writes no log). The revision of an on-disk store is
published in a small file beside the data (`mskg-store-revision`), replaced atomically after each write is stored, so
any process can read it cheaply without opening the store: the read-write owner, and the read-only snapshots of
other processes, which compare it with the revision they were opened at to know they are stale. A crash between a commit
and the publication would leave the old revision published: so opening a store read-write always publishes a new one.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from .base import GraphInfo, QueryResult, QuerySyntaxError, StaleRevision, Store, StoreError, Term
from .changes import NO_REVISION, ChangeSet, new_revision, sparql_update
from .sparql_text import check_nesting, has_dataset_clause

VERSION_FILE = "mskg-content-version"
REVISION_FILE = "mskg-store-revision"


def published_revision(path: Path) -> str | None:
    """The revision last published for the on-disk store at `path` (None when none was): one small file read."""
    try:
        with open(path / REVISION_FILE, encoding="ascii") as marker:
            return marker.read().strip() or None
    except FileNotFoundError:
        return None


def _publish_revision(path: Path, revision: str) -> None:
    """Replace the revision file atomically (write a temporary file, fsync, rename): readers see old or new."""
    temporary = path / f".{REVISION_FILE}.{os.getpid()}.tmp"
    with open(temporary, "w", encoding="ascii") as marker:
        marker.write(revision + "\n")
        marker.flush()
        os.fsync(marker.fileno())
    os.replace(temporary, path / REVISION_FILE)


class EmbeddedStore(Store):
    """pyoxigraph `Store`: `path=None` keeps everything in memory; a path persists across restarts."""

    def __init__(self, path: Path | None = None):
        self.path = path
        self._version: str | None = None
        self._read_only = False
        try:
            if path is None:
                self._store = ox.Store()
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except OSError as exc:
            raise StoreError(f"cannot open the store at {path}: {exc}") from exc
        self._revision = new_revision()
        if path is not None:
            _publish_revision(path, self._revision)

    @classmethod
    def read_only(cls, path: Path) -> EmbeddedStore:
        """An on-disk store opened read-only: a snapshot that several processes can read while the server writes.

        Its `revision()` is the one published when it was opened; `is_stale()` says a newer one was published since
        (then open a new snapshot). pyoxigraph calls opening read-only while another process writes undefined
        behaviour: open snapshots after a write has returned, never during one.
        """
        store = cls.__new__(cls)
        store.path, store._version, store._read_only = path, None, True
        for attempt in range(10):
            # The owner's background compaction may delete a file while it is being opened (pyoxigraph: undefined
            # behaviour), and a write may be published meanwhile: then open again.
            before = published_revision(path)
            try:
                store._store = ox.Store.read_only(str(path))
            except (OSError, RuntimeError) as exc:
                if attempt == 9:
                    raise StoreError(f"cannot open the store at {path} read-only: {exc}") from exc
                time.sleep(0.05)
                continue
            if published_revision(path) == before:
                break
        store._revision = before or NO_REVISION
        return store

    def revision(self) -> str:
        return self._revision

    def is_stale(self) -> bool:
        """True when this is a read-only snapshot and a newer revision was published since it was opened."""
        return self._read_only and self.path is not None and published_revision(self.path) != self._revision

    def apply(self, changes: ChangeSet, *, expect_revision: str | None = None) -> str:
        # One process owns an on-disk store (pyoxigraph's lock), so the owner's own revision is the store's.
        if expect_revision is not None and expect_revision != self._revision:
            raise StaleRevision(f"the store is at revision {self._revision}, not {expect_revision}")
        if not changes:
            return self._revision
        try:
            self._store.update(sparql_update(changes))
        except OSError as exc:
            raise StoreError(f"the change was not applied: {exc}") from exc
        return self._written(flush=False)

    def _written(self, *, flush: bool = True) -> str:
        """After a write: flush it to disk (unless it is in the write-ahead log already), then publish a new revision
        (in that order: a published revision's data is always on disk)."""
        if self.path is not None and flush:
            self._store.flush()
        self._revision = new_revision()
        if self.path is not None:
            _publish_revision(self.path, self._revision)
        return self._revision

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, Term] | None = None,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        check_nesting(sparql)  # before pyoxigraph's parser, which a deeply nested query crashes
        kwargs: dict[str, object] = {}
        if default_graph_uris:
            kwargs["default_graph"] = [ox.NamedNode(iri) for iri in default_graph_uris]
        elif named_graph_uris or not has_dataset_clause(sparql):  # FROM / FROM NAMED in the query: its dataset
            kwargs["use_default_graph_as_union"] = True
        if named_graph_uris:
            kwargs["named_graphs"] = [ox.NamedNode(iri) for iri in named_graph_uris]
        if substitutions:
            kwargs["substitutions"] = {ox.Variable(name): term for name, term in substitutions.items()}
        if base_iri:
            kwargs["base_iri"] = base_iri
        try:
            return self._store.query(sparql, **kwargs)  # type: ignore[arg-type]
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc.msg or exc), line=exc.lineno, column=exc.offset) from exc
        except OSError as exc:
            raise StoreError(str(exc)) from exc

    def quads(self) -> Iterable[ox.Quad]:
        return (q for q in self._store.quads_for_pattern(None, None, None) if isinstance(q.graph_name, ox.NamedNode))

    def update(self, sparql: str) -> None:
        try:
            self._store.update(sparql)
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc.msg or exc), line=exc.lineno, column=exc.offset) from exc
        except OSError as exc:
            raise StoreError(str(exc)) from exc
        self._written()

    def replace_graphs(self, graphs: Mapping[str, Iterable[ox.Triple]], *, drop_others: bool = False) -> None:
        quads = [
            ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(iri))
            for iri, triples in graphs.items()
            for t in triples
        ]
        dropped = self._existing_graphs(set(graphs), drop_others)
        if dropped:
            self._drop_then_insert(dropped, quads)
        else:
            self._store.extend(quads)  # one transaction too, and faster when there is nothing to drop
        self._written()

    def load_files(self, files: Mapping[str, Path], *, drop_others: bool = False) -> None:
        dropped = self._existing_graphs(set(files), drop_others)
        if dropped:
            quads = (
                ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(iri))
                for iri, path in files.items()
                for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
            )
            self._drop_then_insert(dropped, list(quads))
        else:
            # Nothing to replace (a new store): pyoxigraph's bulk loader reads the files itself, with no Python object
            # per triple, so loading stays fast and lean at scale. It is not transactional, but nothing was there
            # before; the revision is published only once everything is loaded and flushed.
            for iri, path in files.items():
                self._store.bulk_load(
                    path=path,
                    format=ox.RdfFormat.TURTLE,
                    base_iri=path.resolve().as_uri(),
                    to_graph=ox.NamedNode(iri),
                )
        self._written()

    def _existing_graphs(self, iris: set[str], drop_others: bool) -> list[ox.NamedNode]:
        """The graphs a replacement drops: those named that exist, and with `drop_others` every other one."""
        targets = {ox.NamedNode(iri) for iri in iris}
        if drop_others:
            targets |= {g for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)}
        return sorted((g for g in targets if self._store.contains_named_graph(g)), key=lambda g: g.value)

    def _drop_then_insert(self, graphs: list[ox.NamedNode], quads: list[ox.Quad]) -> None:
        """Drop `graphs` and add `quads` in one transaction: one SPARQL update (pyoxigraph's only way to remove and
        add atomically), about 0.2 s for the 14,000 triples of the content."""
        drops = [f"DROP SILENT GRAPH {graph}" for graph in graphs]
        self._store.update(sparql_update(ChangeSet.of(add=quads), before=drops))

    def graphs(self) -> list[GraphInfo]:
        counts = self._store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
        assert isinstance(counts, ox.QuerySolutions)
        return [GraphInfo(row["g"].value, int(row["n"].value)) for row in counts]

    def size(self) -> int:
        return len(self._store)

    def version(self) -> str | None:
        if self.path is not None:
            marker = self.path / VERSION_FILE
            return marker.read_text().strip() if marker.is_file() else None
        return self._version

    def set_version(self, version: str) -> None:
        self._version = version
        if self.path is not None:
            (self.path / VERSION_FILE).write_text(version + "\n")
        self._written()

    def close(self) -> None:
        if self.path is not None and not self._read_only:  # a read-only snapshot has nothing to flush
            self._store.flush()
