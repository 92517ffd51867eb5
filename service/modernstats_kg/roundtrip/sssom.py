"""The cross-model mappings as SSSOM TSV (https://mapping-commons.github.io/sssom/): a YAML metadata block of `#` lines
(mapping set id, license, creator, prefixes, extension columns), then one row per mapping.

Four sets, read from the store:

- `coos-gsim-w3c` and `gamso-gsbpm`: every SKOS mapping relation (and `coos:supports` / `coos:uses`) stated in the
  alignment graphs; the relation is the `predicate_id`;
- `cspa-gsbpm`: each `map:ServiceSupport` (service -> sub-process), `predicate_id` `cspa:supportsSubProcess`;
- `gsim-gsbpm`: each `map:InformationMapping` (GSBPM activity -> GSIM class), `predicate_id` `skos:relatedMatch`,
  with the GSIM role, direction, qualifier and status in extension columns (`mapping_role`, `mapping_direction`,
  `mapping_qualifier`, `mapping_status`, declared under `extension_definitions`).

Every row's `mapping_justification` is `semapv:ManualMappingCuration` (each mapping was written and reviewed by
people); the one-sentence justification goes in `comment`, the mapping resource's IRI in `see_also`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from ..namespaces import MAP, RDFS, REPORT_PREFIXES, SKOS
from ..store import Store

LICENSE = "https://creativecommons.org/licenses/by/4.0/"
CREATOR = "unorg:modernStatsKG"
JUSTIFICATION = "semapv:ManualMappingCuration"
CURIES = {
    **{p: ns for p, ns in REPORT_PREFIXES.items() if p not in ("sh", "mapsh", "modsh")},
    "coos": "http://id.unece.org/def/coos#",
    "area": "http://id.unece.org/activities/area/",
    "ss": "http://id.unece.org/mappings/serviceSupport/",
    "unorg": "http://id.unece.org/organizations/",
    "semapv": "https://w3id.org/semapv/vocab/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
}
_RELATIONS = ["exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch"]
ALIGNMENT_PREDICATES = [SKOS + r for r in _RELATIONS] + [CURIES["coos"] + "supports", CURIES["coos"] + "uses"]
BASE_COLUMNS = [
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
    "author_id",
    "comment",
    "see_also",
]
EXTENSIONS = ["mapping_role", "mapping_direction", "mapping_qualifier", "mapping_status"]


@dataclass(frozen=True)
class MappingSet:
    name: str
    title: str
    graph: str


SETS = {
    s.name: s
    for s in (
        MappingSet(
            "coos-gsim-w3c", "COOS - GSIM 2.0 - W3C class alignment", "http://id.unece.org/mappings/coosAlignment"
        ),
        MappingSet("gamso-gsbpm", "GAMSO 1.2 - GSBPM 5.1 alignment", "http://id.unece.org/mappings/gamsoGsbpm"),
        MappingSet("cspa-gsbpm", "CSPA 2.0 - GSBPM 5.1 service support", "http://id.unece.org/mappings/cspaGsbpm"),
        MappingSet("gsim-gsbpm", "GSIM 2.0 - GSBPM 5.1 information mapping", "http://id.unece.org/mappings/gsimGsbpm"),
    )
}

_LABEL = f"""OPTIONAL {{ ?{{v}} <{SKOS}prefLabel> ?{{v}}Pref FILTER(langMatches(lang(?{{v}}Pref), "en")) }}
  OPTIONAL {{ ?{{v}} <{RDFS}label> ?{{v}}Rdfs FILTER(langMatches(lang(?{{v}}Rdfs), "en")) }}"""

_ALIGNMENT = (
    "SELECT ?g ?s ?p ?o ?sPref ?sRdfs ?oPref ?oRdfs WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?p IN ("
    + ", ".join(f"<{p}>" for p in ALIGNMENT_PREDICATES)
    + ") && isIRI(?o))\n  "
    + _LABEL.replace("{v}", "s")
    + "\n  "
    + _LABEL.replace("{v}", "o")
    + " }"
)
_SERVICE = f"""SELECT ?g ?m ?s ?o ?just ?status ?sPref ?sRdfs ?oPref ?oRdfs WHERE {{
  GRAPH ?g {{ ?m a <{MAP}ServiceSupport> ; <{MAP}service> ?s ; <{MAP}activity> ?o .
  OPTIONAL {{ ?m <{MAP}justification> ?just }} OPTIONAL {{ ?m <{MAP}status> ?status }} }}
  {_LABEL.replace("{v}", "s")}
  {_LABEL.replace("{v}", "o")} }}"""
_INFORMATION = f"""SELECT ?g ?m ?s ?o ?just ?status ?role ?direction ?qualifier ?sPref ?sRdfs ?oPref ?oRdfs WHERE {{
  GRAPH ?g {{ ?m a <{MAP}InformationMapping> ; <{MAP}activity> ?s ; <{MAP}informationClass> ?o ; <{MAP}role> ?role .
  OPTIONAL {{ ?m <{MAP}direction> ?direction }} OPTIONAL {{ ?m <{MAP}justification> ?just }}
  OPTIONAL {{ ?m <{MAP}status> ?status }} OPTIONAL {{ ?m <{MAP}qualifier> ?qualifier }} }}
  {_LABEL.replace("{v}", "s")}
  {_LABEL.replace("{v}", "o")} }}"""


def curie(iri: str) -> str:
    for prefix, namespace in sorted(CURIES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _text(value: object) -> str:
    """A cell: no tab or line break can split the table."""
    text = value.value if isinstance(value, ox.Literal | ox.NamedNode) else ""
    return " ".join(text.split())


def _label(row: ox.QuerySolution, v: str) -> str:
    return _text(row[f"{v}Pref"] or row[f"{v}Rdfs"])


def rows(store: Store, mapping_set: MappingSet) -> list[dict[str, str]]:
    graph = {"g": ox.NamedNode(mapping_set.graph)}
    out: list[dict[str, str]] = []
    if mapping_set.name in ("coos-gsim-w3c", "gamso-gsbpm"):
        for row in store.select(_ALIGNMENT, substitutions=graph):
            out.append(
                {
                    "subject_id": curie(row["s"].value),
                    "subject_label": _label(row, "s"),
                    "predicate_id": curie(row["p"].value),
                    "object_id": curie(row["o"].value),
                    "object_label": _label(row, "o"),
                }
            )
    else:
        query = _SERVICE if mapping_set.name == "cspa-gsbpm" else _INFORMATION
        for row in store.select(query, substitutions=graph):
            item = {
                "subject_id": curie(row["s"].value),
                "subject_label": _label(row, "s"),
                "predicate_id": "cspa:supportsSubProcess" if mapping_set.name == "cspa-gsbpm" else "skos:relatedMatch",
                "object_id": curie(row["o"].value),
                "object_label": _label(row, "o"),
                "comment": _text(row["just"]),
                "see_also": row["m"].value,
            }
            if mapping_set.name == "gsim-gsbpm":
                item |= {
                    "mapping_role": curie(row["role"].value),
                    "mapping_direction": curie(row["direction"].value) if row["direction"] else "",
                    "mapping_qualifier": curie(row["qualifier"].value) if row["qualifier"] else "",
                }
            item["mapping_status"] = curie(row["status"].value) if row["status"] else ""
            out.append(item)
    for item in out:
        item |= {"mapping_justification": JUSTIFICATION, "author_id": CREATOR}
    return sorted(out, key=lambda r: (r["subject_id"], r["predicate_id"], r["object_id"], r.get("see_also", "")))


def sssom_tsv(store: Store, name: str) -> str:
    """The SSSOM TSV (metadata block and table) of the mapping set `name` (KeyError for an unknown name)."""
    mapping_set = SETS[name]
    table = rows(store, mapping_set)
    extensions = [] if name == "coos-gsim-w3c" or name == "gamso-gsbpm" else EXTENSIONS
    if name == "cspa-gsbpm":
        extensions = ["mapping_status"]
    columns = BASE_COLUMNS + extensions
    used = {c.split(":", 1)[0] for r in table for c in r.values() if ":" in c and not c.startswith("http")}
    used |= {"semapv", "unorg", "cspa", "skos", "map", "gsim"}
    meta = [
        "curie_map:",
        *(f"  {p}: {ns}" for p, ns in sorted(CURIES.items()) if p in used),
        f"mapping_set_id: {mapping_set.graph}/sssom/{name}.sssom.tsv",
        f"mapping_set_title: {mapping_set.title}",
        f"license: {LICENSE}",
        "creator_id:",
        f"  - {CREATOR}",
        "creator_label:",
        "  - ModernStats KG project",
        f"mapping_set_description: The mappings of the graph {mapping_set.graph}; justifications in the comment "
        "column.",
    ]
    if extensions:
        meta.append("extension_definitions:")
        for slot in extensions:
            meta += [
                f"  - slot_name: {slot}",
                f"    property: map:{slot.removeprefix('mapping_')}",
                "    type_hint: xsd:string",
            ]
    lines = [f"#{line}" for line in meta]
    lines.append("\t".join(columns))
    lines += ["\t".join(r.get(c, "") for c in columns) for r in table]
    return "\n".join(lines) + "\n"
