"""The namespaces and well-known IRIs the read model relies on, and which model an IRI belongs to."""

from __future__ import annotations

import re

from ..namespaces import COOS, CSPA, DC, DCTERMS, GSIM, MAP, OWL, PROV, RDF, RDFS, SKOS, XSD

ID = "http://id.unece.org/"
# re-exported for the read model
__all__ = ["COOS", "CSPA", "DC", "DCTERMS", "GSIM", "MAP", "OWL", "PROV", "RDF", "RDFS", "SKOS", "XSD"]

GSBPM_SCHEME = "http://id.unece.org/activities/gsbpm"
GAMSO_SCHEME = "http://id.unece.org/activities/gamso"
GSBPM_TOP = "http://id.unece.org/activities/statisticalProductionProcess"
GSIM_ONTOLOGY = "http://id.unece.org/def/gsim"
COOS_ONTOLOGY = "http://id.unece.org/def/coos"
CSPA_ONTOLOGY = "http://id.unece.org/def/cspa"
PHASE = "http://id.unece.org/activities/phase/"
SUBPROCESS = "http://id.unece.org/activities/subProcess/"
OVERARCHING = "http://id.unece.org/activities/overarchingActivity/"
GAMSO_AREA = "http://id.unece.org/activities/activityArea/"
GAMSO_ACTIVITY = "http://id.unece.org/activities/activity/"
SERVICES = "http://id.unece.org/services/"
MAPPINGS = "http://id.unece.org/mappings/"

INPUT = MAP + "input"
OUTPUT = MAP + "output"

# The models, in the order pages list them; `model_of` files every IRI under one of them.
MODELS = ("GSBPM", "GSIM", "GAMSO", "CSPA", "COOS", "Mapping", "Other")

_CODE = re.compile(r"^(?:[0-9]+)(?:\.[0-9]+)?$")


def model_of(iri: str) -> str:
    """Which model an IRI belongs to (`GSBPM`, `GSIM`, `GAMSO`, `CSPA`, `COOS`, `Mapping` or `Other`).

    >>> model_of("http://id.unece.org/activities/subProcess/5.3"), model_of(GSIM + "InstanceVariable")
    ('GSBPM', 'GSIM')
    """
    if iri.startswith((PHASE, SUBPROCESS, OVERARCHING)) or iri in (GSBPM_SCHEME, GSBPM_TOP):
        return "GSBPM"
    if iri.startswith((GAMSO_AREA, GAMSO_ACTIVITY)) or iri in (GAMSO_SCHEME, ID + "activities/officialStatistics"):
        return "GAMSO"
    if iri.startswith(GSIM) or iri == GSIM_ONTOLOGY:
        return "GSIM"
    if iri.startswith((CSPA, SERVICES)) or iri == CSPA_ONTOLOGY:
        return "CSPA"
    if iri.startswith(COOS) or iri == COOS_ONTOLOGY:
        return "COOS"
    if iri.startswith((MAP, MAPPINGS)) or iri == MAP[:-1]:
        return "Mapping"
    return "Other"


def is_code(text: str) -> bool:
    """A GSBPM/GAMSO notation such as `5`, `5.3` or `0.2`."""
    return bool(_CODE.match(text))


def code_key(code: str | None) -> tuple[int, ...]:
    """Sort key that orders notations numerically (`5.9` before `5.10`); missing codes last."""
    if not code:
        return (10_000,)
    try:
        return tuple(int(part) for part in code.split("."))
    except ValueError:
        return (10_000,)


def local_name(iri: str) -> str:
    """The part after the last `#` or `/`: a readable fallback when a resource has no label."""
    for sep in ("#", "/"):
        if sep in iri:
            tail = iri.rsplit(sep, 1)[1]
            if tail:
                return tail
    return iri
