"""Conditional writes that hold on Virtuoso when two replicas write at the same instant.

Virtuoso 7 evaluates the WHERE of a `DELETE/INSERT ... WHERE` under read-committed isolation and takes no lock on
what it read: two conditional updates sent at once both see the expected revision and both write. What does hold is
its row locks on writes, and a transaction poisoned with `txn_error` being rolled back whole:

1. `DELETE DATA` of the exact revision quad the writer read. Deleting a row takes its exclusive lock, so a second
   writer deleting the same quad waits here until the first commits (and then finds nothing to delete).
2. The change itself, and the new revision quad (with the list of graphs written).
3. A guard: count the revision quads this transaction now sees. Exactly one (its own) when the expected revision was
   there and no one else wrote since; two when another writer committed first (its revision and ours), or when the
   expected revision was already gone. Then the guard calls `bif:txn_error(6)`, which marks the transaction
   uncommittable, and `bif:signal`: Virtuoso rolls the whole request back (every operation of it) and answers
   `SR176 Transaction rolled back due to previous SQL error`. Nothing of the change is written.

The function calls take `?n` as an argument so that Virtuoso cannot evaluate them once as constants, ahead of the
count. `tests/test_remote_editing.py` fires two replicas at once over many rounds against the real Virtuoso of the
test suite: always one 2xx and one refusal, and only the winner's triples.

Other servers (Fuseki, GraphDB) run a single `DELETE/INSERT ... WHERE` serialisably and get that form instead
(`changes.conditional_update`).
"""

from __future__ import annotations

import pyoxigraph as ox

from .changes import ChangeSet, sparql_update

__all__ = ["ROLLED_BACK", "guarded_update", "is_virtuoso"]

ROLLED_BACK = "SR176"  # Virtuoso's code for a transaction rolled back after `txn_error`
_GUARD_MESSAGE = "MSKG-STALE-REVISION"


def is_virtuoso(server_header: str) -> bool:
    """True for Virtuoso's HTTP `Server` header (`Virtuoso/07.20.3235 (Linux) ...`)."""
    return server_header.lower().startswith("virtuoso")


def guarded_update(
    changes: ChangeSet,
    *,
    system: ox.NamedNode,
    revision_predicate: ox.NamedNode,
    expect_revision: str,
    new_revision: str,
    also: str = "",
) -> str:
    """One SPARQL Update request that applies `changes` only if the store is still at `expect_revision`, written
    as `revision_predicate` of `system` in graph `system`, and records `new_revision` (and the triples `also`)."""
    revision = f"{system} {revision_predicate}"
    claim = f"DELETE DATA {{ GRAPH {system} {{ {revision} {ox.Literal(expect_revision)} }} }}"
    record = f"INSERT DATA {{ GRAPH {system} {{ {revision} {ox.Literal(new_revision)} . {also} }} }}"
    guard = (
        f"INSERT {{ GRAPH {system} {{ {system} <urn:x-mskg:neverWritten> ?n }} }} WHERE {{\n"
        f"  {{ SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {system} {{ {revision} ?r }} }} }}\n"
        f"  FILTER (?n != 1 && bif:length(bif:vector(bif:txn_error(6 + 0 * ?n), "
        f"bif:signal('22023', bif:concat('{_GUARD_MESSAGE} ', STR(?n))))) = 2)\n}}"
    )
    return sparql_update(changes, before=[claim], after=[record, guard], insert_data_with_blank_nodes=False)
