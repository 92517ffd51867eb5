"""CSPA 2.0: the service model's terms and the catalogue of statistical services, and the detail of one service."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from .core import Catalog, Ref, Text, Value, objects, per_version, texts
from .vocab import CSPA, CSPA_ONTOLOGY, DCTERMS, RDF, RDFS, SKOS

_SHOWN = {
    RDF + "type",
    RDFS + "label",
    SKOS + "prefLabel",
    DCTERMS + "description",
    SKOS + "definition",
    CSPA + "supportsSubProcess",
    CSPA + "hasInput",
    CSPA + "hasOutput",
}


@dataclass(frozen=True)
class CspaModel:
    ontology: Ref
    description: Text
    classes: list[Ref]
    properties: list[Ref]
    services: list[Ref]


@dataclass(frozen=True)
class ServiceDetail:
    service: Ref
    description: Text
    supports: list[Ref]
    inputs: list[Ref]
    outputs: list[Ref]
    other: list[tuple[Ref, Value]]  # the remaining statements (levels, descriptions, older IRIs)


def _by_name(refs: list[Ref]) -> list[Ref]:
    return sorted(refs, key=lambda r: r.name().casefold())


def cspa_model(cat: Catalog) -> CspaModel:
    def compute() -> CspaModel:
        classes: set[str] = set()
        properties: set[str] = set()
        for row in cat.select("namespace_terms", ns=ox.Literal(CSPA)):
            kind = row["kind"].value
            (classes if kind.endswith("Class") else properties).add(row["term"].value)
        services = {row["s"].value for row in cat.select("typed", type=CSPA + "StatisticalService")}
        pairs = cat.outgoing(CSPA_ONTOLOGY)
        return CspaModel(
            ontology=cat.ref(CSPA_ONTOLOGY),
            description=texts(pairs, DCTERMS + "description"),
            classes=_by_name(cat.refs(classes)),
            properties=_by_name(cat.refs(properties)),
            services=_by_name(cat.refs(services)),
        )

    return cat.memo("cspa_model", compute)


@per_version
def service_detail(cat: Catalog, iri: str) -> ServiceDetail | None:
    """The detail of one CSPA statistical service; None when the graph does not hold it."""
    pairs = cat.outgoing(iri)
    if not pairs:
        return None
    description = texts(pairs, DCTERMS + "description") or texts(pairs, SKOS + "definition")
    other = [(cat.ref(p), cat.value(o)) for p, o in pairs if p not in _SHOWN]
    return ServiceDetail(
        service=cat.ref(iri),
        description=description,
        supports=sorted(cat.refs(objects(pairs, CSPA + "supportsSubProcess")), key=lambda r: r.code or ""),
        inputs=_by_name(cat.refs(objects(pairs, CSPA + "hasInput"))),
        outputs=_by_name(cat.refs(objects(pairs, CSPA + "hasOutput"))),
        other=other,
    )


def is_service(cat: Catalog, iri: str) -> bool:
    return CSPA + "StatisticalService" in cat.types(iri)
