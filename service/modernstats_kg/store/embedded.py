"""The embedded backend: pyoxigraph, in memory or in a directory on disk."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from .base import GraphInfo, QueryResult, QuerySyntaxError, Store, StoreError, Term

VERSION_FILE = "mskg-content-version"


class EmbeddedStore(Store):
    """pyoxigraph `Store`: `path=None` keeps everything in memory; a path persists across restarts."""

    def __init__(self, path: Path | None = None):
        self.path = path
        self._version: str | None = None
        try:
            if path is None:
                self._store = ox.Store()
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except OSError as exc:
            raise StoreError(f"cannot open the store at {path}: {exc}") from exc

    @classmethod
    def read_only(cls, path: Path) -> EmbeddedStore:
        """An on-disk store opened read-only: a snapshot that several processes can read while the server writes."""
        store = cls.__new__(cls)
        store.path, store._version = path, None
        try:
            store._store = ox.Store.read_only(str(path))
        except OSError as exc:
            raise StoreError(f"cannot open the store at {path} read-only: {exc}") from exc
        return store

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, Term] | None = None,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
    ) -> QueryResult:
        kwargs: dict[str, object] = {}
        if default_graph_uris:
            kwargs["default_graph"] = [ox.NamedNode(iri) for iri in default_graph_uris]
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graph_uris:
            kwargs["named_graphs"] = [ox.NamedNode(iri) for iri in named_graph_uris]
        if substitutions:
            kwargs["substitutions"] = {ox.Variable(name): term for name, term in substitutions.items()}
        try:
            return self._store.query(sparql, **kwargs)  # type: ignore[arg-type]
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc.msg or exc), line=exc.lineno, column=exc.offset) from exc
        except OSError as exc:
            raise StoreError(str(exc)) from exc

    def update(self, sparql: str) -> None:
        try:
            self._store.update(sparql)
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc.msg or exc), line=exc.lineno, column=exc.offset) from exc
        except OSError as exc:
            raise StoreError(str(exc)) from exc

    def replace_graphs(self, graphs: Mapping[str, Iterable[ox.Triple]], *, drop_others: bool = False) -> None:
        quads = [
            ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(iri))
            for iri, triples in graphs.items()
            for t in triples
        ]
        self._drop(set(graphs), drop_others)
        self._store.extend(quads)
        if self.path is not None:
            self._store.flush()

    def _drop(self, iris: set[str], drop_others: bool) -> None:
        # Clearing and adding cannot share one pyoxigraph transaction; everything was parsed and checked before
        # this point, so only a crash between the two steps could leave a partial state.
        targets: set[ox.NamedNode | ox.BlankNode] = {ox.NamedNode(iri) for iri in iris}
        if drop_others:
            targets |= set(self._store.named_graphs())
        for graph in targets:
            self._store.remove_graph(graph)

    def load_files(self, files: Mapping[str, Path], *, drop_others: bool = False) -> None:
        # pyoxigraph reads the files itself: no Python object per triple, so loading stays fast and lean at scale.
        self._drop(set(files), drop_others)
        for iri, path in files.items():
            self._store.bulk_load(
                path=path, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri(), to_graph=ox.NamedNode(iri)
            )
        if self.path is not None:
            self._store.flush()

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

    def close(self) -> None:
        if self.path is not None:
            self._store.flush()
