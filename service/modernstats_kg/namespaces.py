"""The one table of namespaces and prefixes: the IRIs every layer names, and the prefixes written in Turtle output,
shown on pages and declared in the service's own queries."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "COOS",
    "CSPA",
    "DC",
    "DCTERMS",
    "FORMATS",
    "GSBPMX",
    "GSIM",
    "MAP",
    "MSKG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "REPORT_PREFIXES",
    "SD",
    "SH",
    "SKOS",
    "VOID",
    "XSD",
    "prologue",
]

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
DC = "http://purl.org/dc/elements/1.1/"
PROV = "http://www.w3.org/ns/prov#"
SH = "http://www.w3.org/ns/shacl#"
VOID = "http://rdfs.org/ns/void#"
SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
COOS = "http://id.unece.org/def/coos#"
GSIM = "http://id.unece.org/def/gsim#"
CSPA = "http://id.unece.org/def/cspa#"
MAP = "http://id.unece.org/def/mapping#"
GSBPMX = "http://id.unece.org/def/gsbpmx#"  # the project's GSBPM extensions (tasks, geospatial notes)
MSKG = "http://id.unece.org/def/mskg#"  # the service's own terms (the history of changes)

# Vocabulary prefixes: Turtle and RDF/XML output of pages and dumps, prefixed names on pages, queries' prologues.
PREFIXES: Mapping[str, str] = {
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "coos": COOS,
    "gsim": GSIM,
    "cspa": CSPA,
    "map": MAP,
}

# Also the instance namespaces, for compact focus nodes in validation reports.
REPORT_PREFIXES: Mapping[str, str] = {
    "sp": "http://id.unece.org/activities/subProcess/",
    "phase": "http://id.unece.org/activities/phase/",
    "oa": "http://id.unece.org/activities/overarchingActivity/",
    "gamso": "http://id.unece.org/activities/activity/",
    "im": "http://id.unece.org/mappings/informationMapping/",
    "svc": "http://id.unece.org/services/statisticalService/",
    "mapsh": "http://id.unece.org/shapes/mapping#",
    "modsh": "http://id.unece.org/shapes/model#",
    **PREFIXES,
    "sh": SH,
}


def prologue(*names: str) -> str:
    """The `PREFIX` lines for `names` (all vocabulary prefixes when none are given), for the service's own queries.

    >>> prologue("skos", "map")
    'PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\\nPREFIX map: <http://id.unece.org/def/mapping#>\\n'
    """
    table = {**PREFIXES, "sh": SH}
    return "".join(f"PREFIX {name}: <{table[name]}>\n" for name in (names or tuple(PREFIXES)))
