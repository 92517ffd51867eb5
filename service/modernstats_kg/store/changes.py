"""A change to the store's quads (`ChangeSet`), the SPARQL Update that applies it, and store revisions.

A change removes quads, then adds quads, in one transaction (`Store.apply`). Every quad is in a named graph: the
store's default graph is the union of its named graphs, so a quad in the default graph would have no home.

Blank nodes: a blank node in an added quad is a new node (the same label within one change is the same node), as
in SPARQL's INSERT DATA, on every backend. A removed quad cannot hold a blank node: SPARQL cannot name a stored
blank node, so no backend could remove exactly that quad.

Revisions (the "store version"): an opaque string that changes with every write, so a cache keyed by it is never
stale. It is not the content version (`Store.version()`, the fingerprint of the files last loaded).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby

import pyoxigraph as ox

__all__ = ["NO_REVISION", "ChangeSet", "conditional_update", "new_revision", "sparql_update"]

NO_REVISION = "0"  # the revision of a store that no write of this service has recorded one in


def new_revision() -> str:
    """A fresh revision: time-ordered (nanoseconds, hex) then random, so two writers never pick the same one."""
    return f"{time.time_ns():016x}{secrets.token_hex(4)}"


def _has_blank_node(quad: ox.Quad) -> bool:
    return isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode)


@dataclass(frozen=True)
class ChangeSet:
    """Quads to remove and quads to add; applied as removal then addition, in one transaction."""

    add: frozenset[ox.Quad] = frozenset()
    remove: frozenset[ox.Quad] = frozenset()

    def __post_init__(self) -> None:
        for name, quads in (("add", self.add), ("remove", self.remove)):
            if not isinstance(quads, frozenset):
                raise TypeError(f"ChangeSet.{name} must be a frozenset of Quad (use ChangeSet.of)")
            for quad in quads:
                if not isinstance(quad, ox.Quad):
                    raise TypeError(f"ChangeSet.{name} holds {quad!r}, not a Quad")
                if not isinstance(quad.graph_name, ox.NamedNode):
                    raise ValueError(f"every quad of a change needs a named graph: {quad}")
        with_blank = next((q for q in self.remove if _has_blank_node(q)), None)
        if with_blank is not None:
            raise ValueError(f"a removed quad cannot hold a blank node (SPARQL cannot name a stored one): {with_blank}")

    @classmethod
    def of(cls, *, add: Iterable[ox.Quad] = (), remove: Iterable[ox.Quad] = ()) -> ChangeSet:
        return cls(add=frozenset(add), remove=frozenset(remove))

    def __bool__(self) -> bool:
        return bool(self.add or self.remove)

    def __len__(self) -> int:
        return len(self.add) + len(self.remove)

    @property
    def graphs(self) -> frozenset[str]:
        """The IRIs of the graphs the change touches."""
        return frozenset(q.graph_name.value for q in (*self.add, *self.remove))  # type: ignore[union-attr]


def _graph_blocks(quads: Iterable[ox.Quad]) -> Iterator[str]:
    """`GRAPH <g> { triples }` for each graph, the triples written as N-Triples (valid SPARQL triple syntax)."""
    ordered = sorted(quads, key=lambda q: q.graph_name.value)  # type: ignore[union-attr]
    for graph, members in groupby(ordered, key=lambda q: q.graph_name):
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in members]
        body = (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode()
        yield f"GRAPH {graph} {{\n{body}}}"


def sparql_update(
    changes: ChangeSet,
    *,
    before: Iterable[str] = (),
    after: Iterable[str] = (),
    insert_data_with_blank_nodes: bool = True,
) -> str:
    """The one SPARQL Update request that applies `changes`: the `before` operations, DELETE DATA, INSERT DATA, then
    the `after` operations.

    Without `insert_data_with_blank_nodes` (Virtuoso refuses blank nodes in INSERT DATA), added quads with blank
    nodes go in one `INSERT { ... } WHERE {}` instead: the same meaning (one solution, so one new node per label).
    """
    operations = list(before)
    if changes.remove:
        operations.append("DELETE DATA {\n" + "\n".join(_graph_blocks(changes.remove)) + "\n}")
    if changes.add:
        blocks = "\n".join(_graph_blocks(changes.add))
        if insert_data_with_blank_nodes or not any(_has_blank_node(q) for q in changes.add):
            operations.append("INSERT DATA {\n" + blocks + "\n}")
        else:
            operations.append("INSERT {\n" + blocks + "\n} WHERE {}")
    operations.extend(after)
    return " ;\n".join(operations)


def conditional_update(changes: ChangeSet, *, condition: str, delete: str = "", insert: str = "") -> str:
    """One SPARQL Update operation that applies `changes` (and the `delete` and `insert` template parts) only when
    the group pattern `condition` has a solution: `DELETE { ... } INSERT { ... } WHERE { condition }`. One operation,
    so the server checks and writes in one step; `condition` should have exactly one solution (a blank node in an
    added quad is then one new node)."""
    removed = "\n".join(_graph_blocks(changes.remove))
    added = "\n".join(_graph_blocks(changes.add))
    return f"DELETE {{\n{removed}\n{delete}\n}}\nINSERT {{\n{added}\n{insert}\n}}\nWHERE {{ {condition} }}"
