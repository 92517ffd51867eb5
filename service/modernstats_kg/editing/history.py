"""The history of changes: one PROV record per accepted change, in the named graph `HISTORY_GRAPH`.

Each record is a `prov:Activity` written by the gate in the same transaction as the change it describes:

    <http://id.unece.org/history/change/{id}> a prov:Activity ;
        prov:wasAssociatedWith <http://id.unece.org/users/{name}> ;   # who
        prov:endedAtTime "2026-..."^^xsd:dateTime ;                   # when (UTC)
        rdfs:comment "why" ;  mskg:action "update" ;
        prov:used <mapping> ; mskg:target <mapping> ;                 # what it is about (both, for PROV readers)
        mskg:removed "<s> <p> <o> <g> .\\n..." ; mskg:added "..." .   # the quads, as N-Quads text

The removed and added quads make the record a replay log (like RDF Patch): `changes_of(record)` gives back the
`ChangeSet`. The graph is readable over SPARQL like any other; nothing but the gate writes it. Record ids are
time-ordered, so ordering by id is ordering by time.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import pyoxigraph as ox

from ..namespaces import MSKG, PROV, RDF, RDFS, XSD
from ..store import ChangeSet, Store
from ..store.sparql_text import values_clause

__all__ = [
    "CHANGE_BASE",
    "HISTORY_GRAPH",
    "USER_BASE",
    "ChangeRecord",
    "changes_of",
    "history_count",
    "history_page",
    "new_change_iri",
    "nquads",
    "parse_nquads",
    "read_record",
    "record_quads",
    "user_iri",
]

HISTORY_GRAPH = "http://id.unece.org/history"
CHANGE_BASE = "http://id.unece.org/history/change/"
USER_BASE = "http://id.unece.org/users/"

_GRAPH = ox.NamedNode(HISTORY_GRAPH)
_TYPE = ox.NamedNode(RDF + "type")
_ACTIVITY = ox.NamedNode(PROV + "Activity")
_ASSOCIATED = ox.NamedNode(PROV + "wasAssociatedWith")
_ENDED = ox.NamedNode(PROV + "endedAtTime")
_USED = ox.NamedNode(PROV + "used")
_COMMENT = ox.NamedNode(RDFS + "comment")
_ACTION = ox.NamedNode(MSKG + "action")
_TARGET = ox.NamedNode(MSKG + "target")
_REMOVED = ox.NamedNode(MSKG + "removed")
_ADDED = ox.NamedNode(MSKG + "added")
_DATETIME = ox.NamedNode(XSD + "dateTime")


def user_iri(name: str) -> str:
    """The IRI of an account in provenance: `http://id.unece.org/users/{name}` (names are IRI-safe, see accounts)."""
    return USER_BASE + name


def new_change_iri() -> str:
    """A fresh record IRI: time-ordered (nanoseconds, hex) then random, so two writers never pick the same one."""
    return f"{CHANGE_BASE}{time.time_ns():016x}{secrets.token_hex(4)}"


def nquads(quads: Iterable[ox.Quad]) -> str:
    """Quads as N-Quads text, one per line, sorted (the same change always gives the same text)."""
    lines = sorted(f"{q.subject} {q.predicate} {q.object} {q.graph_name} ." for q in quads)
    return "".join(line + "\n" for line in lines)


def parse_nquads(text: str) -> list[ox.Quad]:
    return list(ox.parse(text.encode(), format=ox.RdfFormat.N_QUADS)) if text else []


def _timestamp(at: datetime) -> ox.Literal:
    return ox.Literal(at.astimezone(UTC).isoformat().replace("+00:00", "Z"), datatype=_DATETIME)


def record_quads(
    change_iri: str,
    *,
    changes: ChangeSet,
    author: str,
    comment: str,
    action: str,
    targets: Sequence[str],
    at: datetime,
) -> list[ox.Quad]:
    """The quads of one history record (all in `HISTORY_GRAPH`)."""
    record = ox.NamedNode(change_iri)

    def quad(predicate: ox.NamedNode, value: ox.NamedNode | ox.Literal) -> ox.Quad:
        return ox.Quad(record, predicate, value, _GRAPH)

    quads = [
        quad(_TYPE, _ACTIVITY),
        quad(_ASSOCIATED, ox.NamedNode(user_iri(author))),
        quad(_ENDED, _timestamp(at)),
        quad(_COMMENT, ox.Literal(comment)),
        quad(_ACTION, ox.Literal(action)),
        quad(_REMOVED, ox.Literal(nquads(changes.remove))),
        quad(_ADDED, ox.Literal(nquads(changes.add))),
    ]
    for target in targets:
        quads += [quad(_USED, ox.NamedNode(target)), quad(_TARGET, ox.NamedNode(target))]
    return quads


@dataclass(frozen=True)
class ChangeRecord:
    """One history record, as read back from the store."""

    iri: str
    author: str  # the account name
    at: datetime
    comment: str
    action: str
    targets: tuple[str, ...]
    removed: str  # N-Quads text
    added: str

    @property
    def id(self) -> str:
        return self.iri.removeprefix(CHANGE_BASE)


def changes_of(record: ChangeRecord) -> ChangeSet:
    """The change a record describes, to replay it."""
    return ChangeSet.of(remove=parse_nquads(record.removed), add=parse_nquads(record.added))


_RECORDS = f"""
SELECT ?c ?who ?at ?comment ?action ?removed ?added (GROUP_CONCAT(STR(?t); separator=" ") AS ?targets) WHERE {{
  {{ SELECT ?c WHERE {{ GRAPH <{HISTORY_GRAPH}> {{ ?c a <{PROV}Activity> ; <{PROV}endedAtTime> ?t0 .
      %(filter)s }} }} ORDER BY %(order)s LIMIT %(limit)d OFFSET %(offset)d }}
  GRAPH <{HISTORY_GRAPH}> {{
    ?c <{PROV}wasAssociatedWith> ?who ; <{PROV}endedAtTime> ?at ; <{RDFS}comment> ?comment ;
       <{MSKG}action> ?action ; <{MSKG}removed> ?removed ; <{MSKG}added> ?added .
    OPTIONAL {{ ?c <{MSKG}target> ?t }}
  }}
}} GROUP BY ?c ?who ?at ?comment ?action ?removed ?added ORDER BY %(order)s
"""
_COUNT = f"""
SELECT (COUNT(?c) AS ?n) WHERE {{ GRAPH <{HISTORY_GRAPH}> {{ ?c a <{PROV}Activity> ; <{PROV}endedAtTime> ?t0 .
  %(filter)s }} }}
"""


def _record(row: ox.QuerySolution) -> ChangeRecord:
    targets = row["targets"]
    return ChangeRecord(
        iri=row["c"].value,
        author=row["who"].value.removeprefix(USER_BASE),
        at=datetime.fromisoformat(row["at"].value),
        comment=row["comment"].value,
        action=row["action"].value,
        targets=tuple(sorted(targets.value.split())) if targets is not None else (),
        removed=row["removed"].value,
        added=row["added"].value,
    )


def _filters(target: str | None, since: datetime | None, actions: Sequence[str], author: str | None = None) -> str:
    filters = []
    if author is not None:
        filters.append(
            values_clause({"author": ox.NamedNode(user_iri(author))}) + f" ?c <{PROV}wasAssociatedWith> ?author ."
        )
    if target is not None:
        filters.append(values_clause({"target": ox.NamedNode(target)}) + f" ?c <{MSKG}target> ?target .")
    if since is not None:
        filters.append(f"FILTER (?t0 > {_timestamp(since)})")
    if actions:
        filters.append(f"?c <{MSKG}action> ?a0 . FILTER (?a0 IN ({', '.join(str(ox.Literal(a)) for a in actions)}))")
    return "\n".join(filters)


def history_page(
    store: Store,
    *,
    target: str | None = None,
    since: datetime | None = None,
    actions: Sequence[str] = (),
    limit: int = 50,
    offset: int = 0,
    oldest_first: bool = False,
    author: str | None = None,
) -> list[ChangeRecord]:
    """Records newest first (or oldest first): all of them, or those about `target`, after `since`, of `actions`,
    by `author` (an account name)."""
    query = _RECORDS % {
        "filter": _filters(target, since, actions, author),
        "limit": max(limit, 0),
        "offset": max(offset, 0),
        "order": "?c" if oldest_first else "DESC(?c)",
    }
    return [_record(row) for row in store.select(query)]


def history_count(
    store: Store,
    *,
    target: str | None = None,
    since: datetime | None = None,
    actions: Sequence[str] = (),
    author: str | None = None,
) -> int:
    """How many records `history_page` would list with these filters."""
    row = next(iter(store.select(_COUNT % {"filter": _filters(target, since, actions, author)})))
    return int(row["n"].value)


def read_record(store: Store, change_iri: str) -> ChangeRecord | None:
    """One record by its IRI (None when there is none)."""
    query = _RECORDS % {
        "filter": values_clause({"c": ox.NamedNode(change_iri)}),
        "limit": 1,
        "offset": 0,
        "order": "?c",
    }
    return next((_record(row) for row in store.select(query)), None)
