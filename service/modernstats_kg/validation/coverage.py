"""How far the GSIM-GSBPM mapping covers the models.

- GSBPM sub-processes and overarching processes with no input mapped, or no output mapped;
- current GSIM 2.0 classes that no mapping uses, each with the reason its map:UnmappedClassNote gives (or none);
- mappings counted per GSBPM phase and per role;
- the information flow: inputs no earlier activity puts out, outputs no later activity takes in, each with the flow
  boundary that explains it (or none) (see `flow.py`).
Deprecated mappings do not count. The figures come from the content itself (SPARQL over the parsed files).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..content import ContentError, default_content_root
from ..store import Store
from .cspa_check import ServiceDisagreement, service_disagreements
from .flow import FlowCheck, check_flow
from .loading import data_files, load_files

GSBPM = "http://id.unece.org/activities/gsbpm"
SUB_PROCESS = "http://id.unece.org/activities/subProcess/"
OVERARCHING = "http://id.unece.org/activities/overarchingActivity/"
PHASE = "http://id.unece.org/activities/phase/"
GSIM = "http://id.unece.org/def/gsim#"
OVERARCHING_PHASE = "0"
ROLE_ORDER = (
    "CoreInput",
    "ParameterInput",
    "ProcessSupportInput",
    "CoreOutput",
    "ProcessMetric",
    "ProcessExecutionLog",
)

_PREFIXES = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX map: <http://id.unece.org/def/mapping#>
PREFIX gsim: <http://id.unece.org/def/gsim#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

_ACTIVITIES = (
    _PREFIXES
    + """
SELECT ?activity ?code ?label WHERE {
    ?activity skos:inScheme <http://id.unece.org/activities/gsbpm> ; skos:notation ?code .
    FILTER ( STRSTARTS(STR(?activity), "http://id.unece.org/activities/subProcess/")
          || STRSTARTS(STR(?activity), "http://id.unece.org/activities/overarchingActivity/") )
    OPTIONAL { ?activity skos:prefLabel ?label FILTER ( LANG(?label) = "en" ) }
}"""
)

_MAPPINGS = (
    _PREFIXES
    + """
SELECT ?mapping ?activity ?class ?role ?direction WHERE {
    ?mapping a map:InformationMapping ; map:activity ?activity .
    OPTIONAL { ?mapping map:informationClass ?class }
    OPTIONAL { ?mapping map:role ?role }
    OPTIONAL { ?mapping map:direction ?direction }
    FILTER NOT EXISTS { ?mapping map:status map:deprecated }
}"""
)

_CLASSES = (
    _PREFIXES
    + """
SELECT ?class ?label ?group WHERE {
    ?class gsim:group ?group .
    FILTER NOT EXISTS { ?class owl:deprecated true }
    OPTIONAL { ?class skos:prefLabel ?label FILTER ( LANG(?label) = "en" ) }
}"""
)

_NOTES = (
    _PREFIXES
    + """
SELECT ?class ?reason WHERE {
    ?note a map:UnmappedClassNote ; map:aboutClass ?class ; map:reason ?reason .
    FILTER ( LANG(?reason) = "en" )
}"""
)

_LABELS = _PREFIXES + "SELECT ?node ?label WHERE { ?node skos:prefLabel|rdfs:label ?label FILTER(LANG(?label) = 'en') }"


def code_key(code: str) -> tuple[int, ...]:
    """Sort key for GSBPM codes: "5.10" after "5.9"."""
    return tuple(int(part) if part.isdigit() else 0 for part in code.split("."))


@dataclass
class ActivityCoverage:
    code: str
    label: str
    iri: str
    inputs: int = 0
    outputs: int = 0


@dataclass
class Coverage:
    activities: list[ActivityCoverage] = field(default_factory=list)
    unused_classes: list[dict[str, str]] = field(default_factory=list)
    per_phase: dict[str, int] = field(default_factory=dict)
    per_role: dict[str, int] = field(default_factory=dict)
    per_phase_and_role: dict[str, dict[str, int]] = field(default_factory=dict)
    mappings: int = 0
    gsim_classes: int = 0
    flow: FlowCheck = field(default_factory=lambda: FlowCheck([], []))
    service_disagreements: list[ServiceDisagreement] = field(default_factory=list)

    @property
    def without_inputs(self) -> list[ActivityCoverage]:
        return [a for a in self.activities if a.inputs == 0]

    @property
    def unexplained_classes(self) -> list[dict[str, str]]:
        """Unused classes without a note saying why."""
        return [c for c in self.unused_classes if not c.get("reason")]

    @property
    def without_outputs(self) -> list[ActivityCoverage]:
        return [a for a in self.activities if a.outputs == 0]

    def as_dict(self) -> dict[str, object]:
        return {
            "mappings": self.mappings,
            "activities": [asdict(a) for a in self.activities],
            "without_inputs": [a.code for a in self.without_inputs],
            "without_outputs": [a.code for a in self.without_outputs],
            "gsim_classes": self.gsim_classes,
            "unused_classes": self.unused_classes,
            "unexplained_classes": [c["iri"] for c in self.unexplained_classes],
            "per_phase": self.per_phase,
            "per_role": self.per_role,
            "per_phase_and_role": self.per_phase_and_role,
            "flow": self.flow.as_dict(),
            "service_disagreements": [d.as_dict() for d in self.service_disagreements],
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False)

    def to_text(self) -> str:
        lines = [f"{self.mappings} GSIM-GSBPM mappings over {len(self.activities)} GSBPM activities."]
        lines.append("")
        lines.append(f"Activities without any input mapped ({len(self.without_inputs)}):")
        lines.extend(f"  {a.code} {a.label}" for a in self.without_inputs) if self.without_inputs else lines.append(
            "  none"
        )
        lines.append(f"Activities without any output mapped ({len(self.without_outputs)}):")
        lines.extend(f"  {a.code} {a.label}" for a in self.without_outputs) if self.without_outputs else lines.append(
            "  none"
        )
        lines.append("")
        lines.append(
            f"GSIM 2.0 classes no mapping uses ({len(self.unused_classes)} of {self.gsim_classes},"
            f" {len(self.unexplained_classes)} without a reason):"
        )
        if self.unused_classes:
            for c in self.unused_classes:
                lines.append(f"  {c['label']} ({c['group']})")
                lines.append(f"    why: {c.get('reason') or 'NOT EXPLAINED'}")
        else:
            lines.append("  none")
        lines.append("")
        lines.extend(self.flow.text_lines())
        lines.append("")
        lines.append(
            f"CSPA service inputs and outputs the mapping of the supported sub-process lacks"
            f" ({len(self.service_disagreements)}):"
        )
        lines.extend(f"  {d.describe()}" for d in self.service_disagreements)
        lines.append("")
        roles = list(self.per_role)
        header = ["phase", *roles, "total"]
        rows = [
            [phase, *(str(row.get(r, 0)) for r in roles), str(self.per_phase.get(phase, 0))]
            for phase, row in self.per_phase_and_role.items()
        ]
        rows.append(["total", *(str(self.per_role[r]) for r in roles), str(self.mappings)])
        widths = [max(len(line[i]) for line in [header, *rows]) for i in range(len(header))]
        lines.append("Mappings per phase (0: overarching processes) and role:")
        for line in [header, *rows]:
            cells = [line[0].ljust(widths[0]), *(cell.rjust(w) for cell, w in zip(line[1:], widths[1:], strict=True))]
            lines.append("  " + "  ".join(cells))
        return "\n".join(lines)


def _value(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    return term.value if term is not None else ""


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def phase_of(code: str, iri: str) -> str:
    return OVERARCHING_PHASE if iri.startswith(OVERARCHING) else code.split(".")[0]


def compute_coverage(store: Store) -> Coverage:
    """The coverage figures of the content loaded in `store` (default graph = union of the files)."""
    labels = {_value(s["node"]): _value(s["label"]) for s in store.select(_LABELS)}
    reasons = {_value(s["class"]): _value(s["reason"]) for s in store.select(_NOTES)}
    activities: dict[str, ActivityCoverage] = {}
    for s in store.select(_ACTIVITIES):
        iri = _value(s["activity"])
        activities.setdefault(iri, ActivityCoverage(_value(s["code"]), _value(s["label"]), iri))
    coverage = Coverage(
        activities=sorted(activities.values(), key=lambda a: (a.iri.startswith(SUB_PROCESS), code_key(a.code)))
    )
    used: set[str] = set()
    per_role: Counter[str] = Counter()
    per_phase: Counter[str] = Counter()
    per_phase_and_role: dict[str, Counter[str]] = {}
    for s in store.select(_MAPPINGS):
        coverage.mappings += 1
        activity = activities.get(_value(s["activity"]))
        direction = _value(s["direction"])
        if activity is not None:
            if direction.endswith("#input"):
                activity.inputs += 1
            elif direction.endswith("#output"):
                activity.outputs += 1
        used.add(_value(s["class"]))
        role_iri = _value(s["role"])
        role = labels.get(role_iri) or _local(role_iri) or "(no role)"
        phase = phase_of(activity.code, activity.iri) if activity is not None else "?"
        per_role[role] += 1
        per_phase[phase] += 1
        per_phase_and_role.setdefault(phase, Counter())[role] += 1
    classes = []
    for s in store.select(_CLASSES):
        iri = _value(s["class"])
        classes.append(iri)
        if iri not in used:
            group = labels.get(_value(s["group"])) or _local(_value(s["group"]))
            coverage.unused_classes.append(
                {"iri": iri, "label": _value(s["label"]) or _local(iri), "group": group, "reason": reasons.get(iri, "")}
            )
    coverage.gsim_classes = len(set(classes))
    coverage.unused_classes.sort(key=lambda c: (c["group"], c["label"]))
    known = [labels.get(GSIM + name) or name for name in ROLE_ORDER]
    role_order = [r for r in known if r in per_role] + sorted(r for r in per_role if r not in known)
    coverage.per_role = {r: per_role[r] for r in role_order}
    phases = sorted(per_phase, key=lambda p: code_key(p) if p != "?" else (99,))
    coverage.per_phase = {p: per_phase[p] for p in phases}
    coverage.per_phase_and_role = {p: dict(per_phase_and_role[p]) for p in phases}
    coverage.flow = check_flow(store)
    coverage.service_disagreements = service_disagreements(store)
    return coverage


def coverage_of_files(files: Sequence[Path] | None = None, *, root: Path | None = None) -> Coverage:
    """Coverage of the content's ontology and mapping files (or of `files`). Raises ContentError on bad input."""
    base = root or default_content_root()
    paths = list(files) if files is not None else data_files(base)
    if not paths:
        raise ContentError("no Turtle files in ontology/ or mappings/: nothing to measure coverage of", path=base)
    coverage = compute_coverage(load_files(paths).store)
    if not coverage.activities:
        raise ContentError("no GSBPM sub-processes found: coverage needs the GSBPM ontology", path=base)
    return coverage
