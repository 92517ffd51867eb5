"""The review queue: every `proposed` mapping, oldest first, in one query (the shipped content alone holds hundreds,
so they are not read one by one). "Oldest" is the time of the mapping's last recorded change (the history, comments and
reviews aside), else its `dcterms:modified`, else the day it was proposed (`dcterms:created`); mappings without any
come first, in id order."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

from ..namespaces import DCTERMS, MAP, MSKG, PROV, RDFS
from ..store import Store
from ..store.sparql_text import values_clause
from .history import HISTORY_GRAPH, USER_BASE, user_iri
from .mappings import MAPPING_BASE

__all__ = ["QueueEntry", "review_queue"]

PHASE = re.compile(r"[0-9]")

_QUEUE = f"""
SELECT ?m ?label ?activity ?class ?role ?since (GROUP_CONCAT(DISTINCT STR(?who); separator=" ") AS ?authors) WHERE {{
  ?m a <{MAP}InformationMapping> ; <{MAP}status> <{MAP}proposed> ;
     <{MAP}activity> ?activity ; <{MAP}informationClass> ?class ; <{MAP}role> ?role .
  %(filters)s
  OPTIONAL {{ ?m <{RDFS}label> ?label }}
  OPTIONAL {{ ?m <{DCTERMS}created> ?created }}
  OPTIONAL {{ ?m <{DCTERMS}modified> ?modified }}
  OPTIONAL {{ ?m <{PROV}wasAttributedTo> ?who }}
  OPTIONAL {{ SELECT ?m (MAX(STR(?at)) AS ?changed) WHERE {{ GRAPH <{HISTORY_GRAPH}> {{
    ?c <{MSKG}target> ?m ; <{PROV}endedAtTime> ?at ; <{MSKG}action> ?action .
    FILTER (?action NOT IN ("comment", "review")) }} }} GROUP BY ?m }}
  BIND (COALESCE(?changed, STR(?modified), STR(?created), "") AS ?since)
}} GROUP BY ?m ?label ?activity ?class ?role ?since ORDER BY ?since ?m
"""


@dataclass(frozen=True)
class QueueEntry:
    id: str
    label: str
    activity: str  # GSBPM code
    information_class: str  # GSIM class local name
    role: str  # GSIM role local name
    since: str  # ISO date or date-time; "" when the mapping gives none
    authors: tuple[str, ...]  # account names, or the local names of other agents


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


def review_queue(store: Store, *, phase: str | None = None, author: str | None = None) -> list[QueueEntry]:
    """The proposed mappings, oldest first; `phase` a GSBPM phase code (`0`: the overarching processes), `author` an
    account name the mapping is attributed to."""
    filters: list[str] = []
    if author is not None:
        filters.append(values_clause({"author": ox.NamedNode(user_iri(author))}))
        filters.append(f"?m <{PROV}wasAttributedTo> ?author .")
    seen: dict[str, QueueEntry] = {}
    for row in store.select(_QUEUE % {"filters": "\n".join(filters)}):
        iri = row["m"].value
        if not iri.startswith(MAPPING_BASE):
            continue
        mapping_id = iri.removeprefix(MAPPING_BASE)
        code = _local(row["activity"].value)
        if phase is not None and code.split(".", 1)[0] != phase:
            continue
        if mapping_id in seen:  # a second label or date: the first row (the oldest) stands
            continue
        label = row["label"]
        authors = row["authors"]
        seen[mapping_id] = QueueEntry(
            id=mapping_id,
            label=label.value if label is not None else mapping_id,
            activity=code,
            information_class=_local(row["class"].value),
            role=_local(row["role"].value),
            since=row["since"].value,
            authors=tuple(
                sorted(
                    a.removeprefix(USER_BASE) if a.startswith(USER_BASE) else _local(a) for a in authors.value.split()
                )
            )
            if authors is not None
            else (),
        )
    return list(seen.values())
