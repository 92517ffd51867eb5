"""Counts that describe the content: per graph, and per model (GSBPM, GAMSO, GSIM, CSPA, mappings)."""

from __future__ import annotations

from dataclasses import dataclass

from .namespaces import prologue
from .store import GraphInfo, Store

_PREFIXES = prologue("skos", "owl", "gsim", "cspa", "map")


def _iri_prefix_count(prefix: str) -> str:
    return (
        f'SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x skos:notation ?code . FILTER STRSTARTS(STR(?x), "{prefix}") }}'
    )


# Label -> a query projecting one count ?n. The labels are what `mskg stats` prints.
MODEL_COUNTS: dict[str, str] = {
    "GSBPM phases": _iri_prefix_count("http://id.unece.org/activities/phase/"),
    "GSBPM sub-processes": _iri_prefix_count("http://id.unece.org/activities/subProcess/"),
    "GSBPM overarching processes": _iri_prefix_count("http://id.unece.org/activities/overarchingActivity/"),
    "GAMSO activity areas": _iri_prefix_count("http://id.unece.org/activities/activityArea/"),
    "GAMSO activities": _iri_prefix_count("http://id.unece.org/activities/activity/"),
    "GSIM 2.0 classes": "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a owl:Class ; gsim:group ?g }",
    "GSIM 1.2 names (deprecated)": "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a owl:Class ; owl:deprecated true . "
    'FILTER STRSTARTS(STR(?c), "http://id.unece.org/def/gsim#") }',
    "CSPA services": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a cspa:StatisticalService }",
    "GSIM-GSBPM mappings": "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a map:InformationMapping }",
    "OWL classes (all)": "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a owl:Class . FILTER isIRI(?c) }",
    "SKOS concepts (all)": "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a skos:Concept }",
}


@dataclass(frozen=True)
class ContentStats:
    graphs: list[GraphInfo]
    total_triples: int
    counts: dict[str, int]
    version: str | None


def content_stats(store: Store) -> ContentStats:
    counts: dict[str, int] = {}
    for label, query in MODEL_COUNTS.items():
        counts[label] = int(next(iter(store.select(_PREFIXES + query)))["n"].value)
    return ContentStats(store.graphs(), store.size(), counts, store.version())
