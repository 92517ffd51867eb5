"""Do the CSPA services' GSIM inputs and outputs agree with the GSIM-GSBPM mapping of the sub-processes they support?

For each catalogue service (cspa:StatisticalService) and each GSIM class its definition names as an input (output),
a disagreement is reported when no mapping in force of a sub-process the service supports takes in (puts out) that
class or a class above or below it. Abstract classes are reported too: the mapping never names them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ..store import Store

_ENDS = """PREFIX cspa: <http://id.unece.org/def/cspa#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?service ?label ?direction ?class ?code WHERE {
    ?service a cspa:StatisticalService ; cspa:supportsSubProcess ?sp .
    ?sp skos:notation ?code .
    OPTIONAL { ?service skos:prefLabel ?label FILTER ( LANG(?label) = "en" ) }
    { ?service cspa:hasInput ?class BIND ("input" AS ?direction) }
    UNION { ?service cspa:hasOutput ?class BIND ("output" AS ?direction) }
}"""

_AGREES = """PREFIX cspa: <http://id.unece.org/def/cspa#>
PREFIX map: <http://id.unece.org/def/mapping#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX gsim: <http://id.unece.org/def/gsim#>
SELECT ?service ?direction ?class WHERE {
    ?service a cspa:StatisticalService ; cspa:supportsSubProcess ?sp .
    { ?service cspa:hasInput ?class BIND (map:input AS ?dir) BIND ("input" AS ?direction) }
    UNION { ?service cspa:hasOutput ?class BIND (map:output AS ?dir) BIND ("output" AS ?direction) }
    ?m a map:InformationMapping ; map:activity ?sp ; map:direction ?dir ; map:informationClass ?mapped .
    FILTER NOT EXISTS { ?m map:status map:deprecated }
    FILTER NOT EXISTS { ?class gsim:isAbstract true }
    FILTER ( ?mapped = ?class || EXISTS { ?mapped rdfs:subClassOf+ ?class }
             || EXISTS { ?class rdfs:subClassOf+ ?mapped } )
}"""


@dataclass(frozen=True)
class ServiceDisagreement:
    """A class a service's definition names that no supported sub-process takes in (or puts out) in the mapping."""

    service: str
    service_label: str
    direction: str
    cls: str
    sub_processes: str

    def describe(self) -> str:
        name = self.cls.rsplit("#", 1)[-1]
        return f"{self.service_label} ({self.sub_processes}): {self.direction} {name} is not mapped there"

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def service_disagreements(store: Store) -> list[ServiceDisagreement]:
    agreed = {(s["service"].value, s["direction"].value, s["class"].value) for s in store.select(_AGREES)}
    found: dict[tuple[str, str, str], tuple[str, set[str]]] = {}
    for s in store.select(_ENDS):
        key = (s["service"].value, s["direction"].value, s["class"].value)
        if key in agreed:
            continue
        label = s["label"].value if s["label"] is not None else key[0].rsplit("/", 1)[-1]
        found.setdefault(key, (label, set()))[1].add(s["code"].value)
    return sorted(
        (ServiceDisagreement(k[0], label, k[1], k[2], ", ".join(sorted(codes))) for k, (label, codes) in found.items()),
        key=lambda d: (d.service_label, d.direction, d.cls),
    )
