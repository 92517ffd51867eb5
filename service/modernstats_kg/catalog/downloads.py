"""What the downloads offer: each named graph (one per content file) and the whole dataset, the mapping as rows
for CSV, and the VoID description of the dataset."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

from ..namespaces import COOS, CSPA, DCTERMS, GSIM, MAP, RDF, SKOS, VOID, XSD
from .core import Catalog, Ref
from .mapping import all_mappings

_SAFE = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True)
class GraphFile:
    """One named graph offered for download under `name` (e.g. `gsim`, `gsbpm`, `gsimGsbpm`)."""

    name: str
    graph: Ref
    triples: int


def graph_files(cat: Catalog) -> list[GraphFile]:
    """The named graphs with short, unique download names taken from the last segment of their IRI."""

    def compute() -> list[GraphFile]:
        infos = cat.store.graphs()
        names: dict[str, int] = {}
        for info in infos:
            short = _SAFE.sub("-", info.iri.rstrip("/#").rsplit("/", 1)[-1]) or "graph"
            names[short] = names.get(short, 0) + 1
        files = []
        for info in infos:
            short = _SAFE.sub("-", info.iri.rstrip("/#").rsplit("/", 1)[-1]) or "graph"
            if names[short] > 1 or short == "all":
                short = _SAFE.sub("-", info.iri.split("://", 1)[-1]).strip("-")
            files.append(GraphFile(short, cat.ref(info.iri), info.triples))
        return sorted(files, key=lambda f: f.name.casefold())

    return cat.memo("graph_files", compute)


def graph_triples(cat: Catalog, graph: str) -> list[ox.Triple]:
    result = cat.store.query("CONSTRUCT WHERE { ?s ?p ?o }", default_graph_uris=[graph])
    return list(result)  # type: ignore[arg-type]


def dataset_triples(cat: Catalog) -> list[ox.Triple]:
    result = cat.store.query("CONSTRUCT WHERE { ?s ?p ?o }")
    return list(result)  # type: ignore[arg-type]


def dataset_quads(cat: Catalog) -> list[ox.Quad]:
    """Every statement with its graph, graph by graph (one CONSTRUCT per graph: far quicker than turning a SELECT
    of every quad into rows)."""
    quads = []
    for info in cat.store.graphs():
        graph = ox.NamedNode(info.iri)
        quads += [ox.Quad(t.subject, t.predicate, t.object, graph) for t in graph_triples(cat, info.iri)]
    return quads


MAPPING_COLUMNS = (
    "mapping",
    "activity_code",
    "activity",
    "activity_label",
    "direction",
    "role",
    "role_label",
    "class",
    "class_label",
    "qualifier",
    "qualifier_label",
    "qualifier_definition",
    "group",
    "status",
    "justification",
)


def mapping_rows(cat: Catalog) -> list[dict[str, str]]:
    """The GSIM-GSBPM mappings as flat rows (English labels), one per mapping, in GSBPM order."""
    rows = []
    for e in all_mappings(cat):
        rows.append(
            {
                "mapping": e.mapping.iri,
                "activity_code": e.activity.code or "",
                "activity": e.activity.iri,
                "activity_label": e.activity.name("en"),
                "direction": e.direction,
                "role": e.role.iri if e.role else "",
                "role_label": e.role.name("en") if e.role else "",
                "class": e.cls.iri,
                "class_label": e.cls.name("en"),
                "qualifier": e.qualifier.iri if e.qualifier else "",
                "qualifier_label": e.qualifier.name("en") if e.qualifier else "",
                "qualifier_definition": e.qualifier_definition,
                "group": e.group.name("en") if e.group else "",
                "status": e.status.name("en") if e.status else "",
                "justification": e.justification.get("en"),
            }
        )
    return rows


def void_triples(cat: Catalog, base: str) -> list[ox.Triple]:
    """A VoID description: the dataset, one subset per graph with its dump, the SPARQL endpoint, the URI space."""
    n = ox.NamedNode
    dataset = n(f"{base}/.well-known/void#dataset")
    a = n(RDF + "type")
    triples = [
        ox.Triple(dataset, a, n(VOID + "Dataset")),
        ox.Triple(dataset, n(DCTERMS + "title"), ox.Literal("ModernStats KG", language="en")),
        ox.Triple(
            dataset,
            n(DCTERMS + "description"),
            ox.Literal(
                "The UNECE ModernStats models (GSBPM, GSIM, CSPA, GAMSO, COOS) and the GSIM-GSBPM mapping"
                " as linked data.",
                language="en",
            ),
        ),
        ox.Triple(dataset, n(DCTERMS + "license"), n("https://creativecommons.org/licenses/by/4.0/")),
        ox.Triple(dataset, n(VOID + "sparqlEndpoint"), n(f"{base}/sparql")),
        ox.Triple(dataset, n(VOID + "uriSpace"), ox.Literal("http://id.unece.org/")),
        ox.Triple(
            dataset,
            n(VOID + "triples"),
            ox.Literal(str(cat.store.size()), datatype=n(XSD + "integer")),
        ),
        ox.Triple(dataset, n(VOID + "dataDump"), n(f"{base}/downloads/all.nt")),
        ox.Triple(dataset, n(VOID + "dataDump"), n(f"{base}/downloads/all.ttl")),
        ox.Triple(dataset, n(VOID + "rootResource"), n("http://id.unece.org/activities/gsbpm")),
    ]
    for vocabulary in (SKOS, COOS, GSIM, CSPA, MAP):
        triples.append(ox.Triple(dataset, n(VOID + "vocabulary"), n(vocabulary)))
    for f in graph_files(cat):
        subset = n(f"{base}/.well-known/void#{f.name}")
        triples += [
            ox.Triple(dataset, n(VOID + "subset"), subset),
            ox.Triple(subset, a, n(VOID + "Dataset")),
            ox.Triple(subset, n(DCTERMS + "source"), n(f.graph.iri)),
            ox.Triple(subset, n(DCTERMS + "title"), ox.Literal(f.graph.name("en"), language="en")),
            ox.Triple(
                subset,
                n(VOID + "triples"),
                ox.Literal(str(f.triples), datatype=n(XSD + "integer")),
            ),
            ox.Triple(subset, n(VOID + "dataDump"), n(f"{base}/downloads/{f.name}.ttl")),
        ]
    return triples
