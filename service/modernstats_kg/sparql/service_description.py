"""The SPARQL 1.1 Service Description of `/sparql` (https://www.w3.org/TR/sparql11-service-description/).

What a plain GET on the endpoint returns to RDF clients: the endpoint IRI, the supported language (SPARQL 1.1
Query only: updates are not accepted there), the result formats, the features (the default graph is the union of
the named graphs), and the default dataset with each named graph and its size.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox

from .. import __version__
from ..conneg import RDF_GRAPHS, SOLUTION_RESULTS
from ..namespaces import DCTERMS, FORMATS, RDF, SD, VOID, XSD
from ..store import GraphInfo

__all__ = ["SD", "describe_service", "format_iri"]

_RDF_TYPE = ox.NamedNode(RDF + "type")
_VOID_TRIPLES = ox.NamedNode(VOID + "triples")
_DCT_TITLE = ox.NamedNode(DCTERMS + "title")
_DCT_DESCRIPTION = ox.NamedNode(DCTERMS + "description")
_XSD_INTEGER = ox.NamedNode(XSD + "integer")
_SIMPLE_ENTAILMENT = ox.NamedNode("http://www.w3.org/ns/entailment/Simple")

# pyoxigraph names JSON-LD with a newer IRI; the W3C format registry (and the SD examples) use this one
_FORMAT_IRIS = {"application/ld+json": FORMATS + "JSON-LD"}

PREFIXES = {"sd": SD, "void": VOID, "formats": FORMATS, "dcterms": DCTERMS, "rdf": RDF}


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def format_iri(media_type: str, iri: str) -> str:
    return _FORMAT_IRIS.get(media_type, iri)


def describe_service(
    endpoint: str,
    graphs: Sequence[GraphInfo],
    *,
    federated: bool = False,
) -> list[ox.Triple]:
    """The description of the endpoint at the absolute URL `endpoint`, over these named graphs.

    `federated`: SERVICE calls are allowed (to the allow-listed endpoints): the `sd:BasicFederatedQuery` feature.
    """
    service = ox.NamedNode(endpoint)
    dataset = ox.BlankNode("dataset")
    default_graph = ox.BlankNode("defaultGraph")
    triples = [
        ox.Triple(service, _RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), service),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        ox.Triple(service, _sd("defaultEntailmentRegime"), _SIMPLE_ENTAILMENT),
        ox.Triple(service, _DCT_TITLE, ox.Literal("ModernStats KG SPARQL endpoint", language="en")),
        ox.Triple(
            service,
            _DCT_DESCRIPTION,
            ox.Literal(
                f"SPARQL 1.1 queries over the ModernStats models (GSBPM, GSIM, CSPA, GAMSO, COOS) and their mappings; "
                f"service version {__version__}. The default graph is the union of the named graphs.",
                language="en",
            ),
        ),
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, _RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, _RDF_TYPE, _sd("Graph")),
        ox.Triple(default_graph, _VOID_TRIPLES, ox.Literal(str(sum(g.triples for g in graphs)), datatype=_XSD_INTEGER)),
    ]
    if federated:
        triples.append(ox.Triple(service, _sd("feature"), _sd("BasicFederatedQuery")))
    for representation in (*SOLUTION_RESULTS, *RDF_GRAPHS):
        assert representation.format is not None
        iri = format_iri(representation.media_type, representation.format.iri)
        triples.append(ox.Triple(service, _sd("resultFormat"), ox.NamedNode(iri)))
    for index, graph in enumerate(graphs):
        named = ox.BlankNode(f"namedGraph{index}")
        content = ox.BlankNode(f"graph{index}")
        triples += [
            ox.Triple(dataset, _sd("namedGraph"), named),
            ox.Triple(named, _RDF_TYPE, _sd("NamedGraph")),
            ox.Triple(named, _sd("name"), ox.NamedNode(graph.iri)),
            ox.Triple(named, _sd("graph"), content),
            ox.Triple(content, _RDF_TYPE, _sd("Graph")),
            ox.Triple(content, _VOID_TRIPLES, ox.Literal(str(graph.triples), datatype=_XSD_INTEGER)),
        ]
    return triples
