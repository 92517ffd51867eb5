"""The GSIM-GSBPM mapping as editable resources: read one from the store, build the change of each operation.

A mapping lives at `http://id.unece.org/mappings/informationMapping/{code}-{role}-{class}[-{qualifier}]` (role and
class in lowerCamelCase, as in `mappings/gsim-gsbpm.ttl`); its id is that last path segment. Its state is every
statement about that IRI outside the history graph; its ETag is a hash of those statements, so any change to it,
by any path, changes the ETag.

The operations that change a mapping are in `mapping_changes`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

from ..errors import NotFound, ServiceError
from ..namespaces import DCTERMS, GSIM, MAP, PROV, RDF, RDFS, SKOS
from ..store import Store
from ..store.sparql_text import values_clause
from .editable import AUTHORING_ACTIONS, Editable, local_name, read_quads
from .history import USER_BASE, user_iri

__all__ = [
    "AUTHORING_ACTIONS",
    "MAPPING_BASE",
    "MAPPING_GRAPH",
    "ROLES",
    "STATUSES",
    "AlreadyExists",
    "Mapping",
    "list_mappings",
    "mapping_id",
    "read_mapping",
]

MAPPING_BASE = "http://id.unece.org/mappings/informationMapping/"
QUALIFIER_BASE = "http://id.unece.org/mappings/qualifier/"
MAPPING_GRAPH = "http://id.unece.org/mappings/gsimGsbpm"
ACTIVITY_BASES = {
    "sub": "http://id.unece.org/activities/subProcess/",
    "oa": "http://id.unece.org/activities/overarchingActivity/",
}
STATUSES = ("proposed", "endorsed", "rejected", "deprecated")
INPUT_ROLES = ("CoreInput", "ParameterInput", "ProcessSupportInput")
OUTPUT_ROLES = ("CoreOutput", "ProcessMetric", "ProcessExecutionLog")
ROLES = INPUT_ROLES + OUTPUT_ROLES
FLOW_BOUNDARIES = ("fromOutside", "fromEarlierCycle", "toOutside")
DEFAULT_SOURCES = (
    "https://github.com/UNECE/GSIM-2.0",
    "https://unece.org/statistics/documents/2025/07/standards/generic-statistical-business-process-model-gsbpm-version-52",
)

CODE = re.compile(r"[0-9]\.[0-9]{1,2}")
CLASS_NAME = re.compile(r"[A-Z][A-Za-z0-9]{0,79}")
QUALIFIER_NAME = re.compile(r"[a-z][A-Za-z0-9]{0,59}")
MAPPING_ID = re.compile(r"[0-9]\.[0-9]{1,2}-[a-z][A-Za-z]{0,40}-[a-z][A-Za-z0-9]{0,79}(-[a-z][A-Za-z0-9]{0,59})?")

_GRAPH = ox.NamedNode(MAPPING_GRAPH)


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


P_TYPE, P_LABEL = _n(RDF + "type"), _n(RDFS + "label")
P_ACTIVITY, P_CLASS, P_ROLE = _n(MAP + "activity"), _n(MAP + "informationClass"), _n(MAP + "role")
P_DIRECTION, P_JUSTIFICATION, P_STATUS = _n(MAP + "direction"), _n(MAP + "justification"), _n(MAP + "status")
P_QUALIFIER, P_BOUNDARY = _n(MAP + "qualifier"), _n(MAP + "flowBoundary")
P_ATTRIBUTED, P_CREATED, P_MODIFIED = _n(PROV + "wasAttributedTo"), _n(DCTERMS + "created"), _n(DCTERMS + "modified")
P_SOURCE, P_CHANGE_NOTE, P_REPLACED_BY = _n(DCTERMS + "source"), _n(SKOS + "changeNote"), _n(DCTERMS + "isReplacedBy")


class AlreadyExists(ServiceError):
    """409: a mapping already sits at the IRI a new one would get."""

    status = 409


def lower_camel(name: str) -> str:
    return name[:1].lower() + name[1:]


def mapping_id(code: str, role: str, information_class: str, qualifier: str | None = None) -> str:
    """`5.3-coreInput-instanceVariable`, `4.1-coreOutput-dataSet-sample`: the naming rule of the mapping shapes."""
    base = f"{code}-{lower_camel(role)}-{lower_camel(information_class)}"
    return f"{base}-{qualifier}" if qualifier else base


def mapping_iri(mapping_id_: str) -> str:
    if not MAPPING_ID.fullmatch(mapping_id_):
        raise NotFound(f"no mapping has the id {mapping_id_!r} (ids read like 5.3-coreInput-instanceVariable)")
    return MAPPING_BASE + mapping_id_


def activity_iri(code: str) -> str:
    return ACTIVITY_BASES["oa" if code.startswith("0.") else "sub"] + code


_local = local_name


def words(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name)


@dataclass(frozen=True)
class Mapping(Editable):
    """A mapping as the store holds it now (its ETag and status: `Editable`)."""

    @property
    def authors(self) -> list[str]:
        """The account names among the agents it is attributed to."""
        return sorted(
            v.value.removeprefix(USER_BASE) for v in self.values(P_ATTRIBUTED) if v.value.startswith(USER_BASE)
        )

    def to_json(self) -> dict[str, object]:
        activity, cls, role = self.value(P_ACTIVITY), self.value(P_CLASS), self.value(P_ROLE)
        qualifier, boundary = self.value(P_QUALIFIER), self.value(P_BOUNDARY)
        return {
            "id": self.id,
            "iri": self.iri,
            "label": self.value(P_LABEL),
            "activity": _local(activity) if activity else None,
            "information_class": _local(cls) if cls else None,
            "role": _local(role) if role else None,
            "direction": _local(d) if (d := self.value(P_DIRECTION)) else None,
            "qualifier": _local(qualifier) if qualifier else None,
            "flow_boundary": _local(boundary) if boundary else None,
            "justification": self.value(P_JUSTIFICATION),
            "status": self.status,
            "attributed_to": [v.value for v in self.values(P_ATTRIBUTED)],
            "authors": self.authors,
            "created": self.value(P_CREATED),
            "modified": self.value(P_MODIFIED),
            "sources": [v.value for v in self.values(P_SOURCE)],
            "change_note": self.value(P_CHANGE_NOTE),
            "replaced_by": self.value(P_REPLACED_BY),
            "etag": self.etag,
        }


def read_mapping(store: Store, mapping_id_: str) -> Mapping:
    """The mapping with this id as the store holds it now (404 when there is none)."""
    iri = mapping_iri(mapping_id_)
    quads = read_quads(store, iri)
    if not any(q.predicate == P_TYPE for q in quads):
        raise NotFound(f"no mapping has the id {mapping_id_!r}")
    return Mapping(mapping_id_, iri, quads)


_LIST = f"""
SELECT ?m (SAMPLE(?status0) AS ?status) WHERE {{
  ?m a <{MAP}InformationMapping> ; <{MAP}activity> ?activity ; <{MAP}informationClass> ?class ; <{MAP}role> ?role .
  OPTIONAL {{ ?m <{MAP}status> ?status0 }}
  %(filters)s
}} GROUP BY ?m ORDER BY ?m
"""


def list_mappings(
    store: Store,
    *,
    activity: str | None = None,
    information_class: str | None = None,
    role: str | None = None,
    status: str | None = None,
    editor: str | None = None,
) -> list[str]:
    """The ids of the information mappings that pass every filter given, in id order."""
    bound: dict[str, ox.NamedNode] = {}
    filters: list[str] = []
    if activity is not None:
        bound["activity"] = _n(activity_iri(activity))
    if information_class is not None:
        bound["class"] = _n(GSIM + information_class)
    if role is not None:
        bound["role"] = _n(GSIM + role)
    if status is not None:
        bound["wanted"] = _n(MAP + status)
        filters.append(f"?m <{MAP}status> ?wanted .")
    if editor is not None:
        bound["editor"] = _n(user_iri(editor))
        filters.append(f"?m <{PROV}wasAttributedTo> ?editor .")
    if bound:
        filters.insert(0, values_clause(bound))
    rows = store.select(_LIST % {"filters": "\n".join(filters)})
    return [row["m"].value.removeprefix(MAPPING_BASE) for row in rows if row["m"].value.startswith(MAPPING_BASE)]
