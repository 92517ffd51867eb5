"""The Store interface: the one narrow surface every backend (embedded pyoxigraph, remote SPARQL server) offers.

Query results are pyoxigraph's result types (`QuerySolutions`, `QueryBoolean`, `QueryTriples`) whatever the backend,
so the protocol layer serialises them in one way.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .changes import ChangeSet

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
Term = ox.NamedNode | ox.BlankNode | ox.Literal


def _turtle_triples(path: Path) -> Iterable[ox.Triple]:
    for quad in ox.parse(path=path, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()):
        yield ox.Triple(quad.subject, quad.predicate, quad.object)


class StoreError(Exception):
    """The backend failed (I/O, unreachable server): a server-side problem, not the client's."""


class QuerySyntaxError(ValueError):
    """The SPARQL text does not parse; carries the parser's message (and position when known)."""

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None):
        self.line, self.column = line, column
        super().__init__(message)


class StaleRevision(Exception):
    """A conditional change (`apply(..., expect_revision=...)`) found the store at another revision: nothing of it
    was applied."""


class ChangeRejected(ValueError):
    """The backend refused a change as invalid for it (say, a literal its datatype does not allow): nothing of the
    change was applied. The client's problem, unlike `StoreError`."""


@dataclass(frozen=True)
class GraphInfo:
    iri: str
    triples: int


class Store(ABC):
    """A quad store whose default graph, for queries, is the union of its named graphs."""

    @abstractmethod
    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, Term] | None = None,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Run a SPARQL query; `substitutions` bind variables to terms (values are never pasted into text);
        `base_iri` resolves relative IRIs (a BASE in the query still wins)."""

    def select(self, sparql: str, *, substitutions: Mapping[str, Term] | None = None) -> ox.QuerySolutions:
        """Run a SELECT query of the service's own (not a client's): its solutions, typed as such."""
        result = self.query(sparql, substitutions=substitutions)
        if not isinstance(result, ox.QuerySolutions):
            raise TypeError("select() needs a SELECT query")
        return result

    def quads(self) -> Iterable[ox.Quad]:
        """Every quad of the named graphs (a copy to work on, e.g. to see what an update would change)."""
        rows = self.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert isinstance(rows, ox.QuerySolutions)
        for row in rows:
            yield ox.Quad(row["s"], row["p"], row["o"], row["g"])

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL update."""

    @abstractmethod
    def apply(self, changes: ChangeSet, *, expect_revision: str | None = None) -> str:
        """Remove `changes.remove`, then add `changes.add`, in one transaction; return the new `revision()`.

        With `expect_revision`, only if the store is still at that revision, checked in the same transaction (on a
        remote server: in the same request), else `StaleRevision` and nothing is applied.

        All or nothing: on any failure (`ChangeRejected`, `StoreError`) nothing of the change is applied. Removing a
        quad that is absent is no error. An empty change writes nothing and returns the current revision."""

    @abstractmethod
    def revision(self) -> str:
        """The store revision (the "store version"): changes with every write (`apply`, `update`, loads), so it keys
        caches of anything read from the store. Not the content version (`version()`), which names the content files
        last loaded and stays the same through edits."""

    @abstractmethod
    def replace_graphs(self, graphs: Mapping[str, Iterable[ox.Triple]], *, drop_others: bool = False) -> None:
        """Replace the named graphs given (and drop every other graph when `drop_others`), as one step."""

    def load_files(self, files: Mapping[str, Path], *, drop_others: bool = False) -> None:
        """Replace the named graphs with the Turtle files given (graph IRI -> file), like `replace_graphs`.

        The files were checked by the caller. This default streams each file through the parser; backends that can
        read a file themselves do better.
        """
        self.replace_graphs({iri: _turtle_triples(path) for iri, path in files.items()}, drop_others=drop_others)

    @abstractmethod
    def graphs(self) -> list[GraphInfo]:
        """The named graphs with their sizes, by IRI."""

    @abstractmethod
    def size(self) -> int:
        """The number of quads."""

    @abstractmethod
    def version(self) -> str | None:
        """The content version last loaded: the fingerprint of the content files (None when the store was never
        loaded). Edits (`apply`) do not change it; see `revision()` for what does."""

    @abstractmethod
    def set_version(self, version: str) -> None:
        """Record the content version now loaded (a write: the revision changes too)."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release resources (flush to disk, close connections)."""
