"""One validation report: the results of SHACL and the OWL check, readable by people and by programs.

Each result names the file the focus node comes from, the focus node in words (a mapping by its sub-process,
GSIM class and role; anything else by its label or compact IRI), the rule broken, the value found, what is
expected and the severity. Renderers: text (grouped by file, then focus node), JSON, and Turtle (the standard
sh:ValidationReport).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import BNode, Node

from .loading import LoadedFiles

SH = Namespace("http://www.w3.org/ns/shacl#")
MAP = Namespace("http://id.unece.org/def/mapping#")

PREFIXES = {
    "map": "http://id.unece.org/def/mapping#",
    "gsim": "http://id.unece.org/def/gsim#",
    "coos": "http://id.unece.org/def/coos#",
    "cspa": "http://id.unece.org/def/cspa#",
    "sp": "http://id.unece.org/activities/subProcess/",
    "phase": "http://id.unece.org/activities/phase/",
    "oa": "http://id.unece.org/activities/overarchingActivity/",
    "gamso": "http://id.unece.org/activities/activity/",
    "im": "http://id.unece.org/mappings/informationMapping/",
    "svc": "http://id.unece.org/services/statisticalService/",
    "mapsh": "http://id.unece.org/shapes/mapping#",
    "modsh": "http://id.unece.org/shapes/model#",
    "tasksh": "http://id.unece.org/shapes/task#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "sh": "http://www.w3.org/ns/shacl#",
}
SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


def compact(iri: str) -> str:
    """`gsim:DataSet` for a known namespace, else `<iri>`."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>"


def show(node: Node | None) -> str:
    """A term as a person reads it: compact IRI, quoted literal with its language or datatype."""
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return compact(str(node))
    if isinstance(node, Literal):
        text = json.dumps(str(node), ensure_ascii=False)
        if node.language:
            return f"{text}@{node.language}"
        if node.datatype is not None:
            return f"{text}^^{compact(str(node.datatype))}"
        return text
    return "(blank node)"


@dataclass(frozen=True)
class Result:
    """One problem found."""

    file: str  # the file that defines the focus node, relative to the content root when inside it
    focus: str  # the focus node in words
    focus_node: str  # its IRI (or blank node id)
    rule: str  # the name of the rule broken
    message: str  # what is wrong and what to do
    value: str  # the value found ("" when the problem is a missing value)
    expected: str  # what the rule expects
    severity: str  # Violation, Warning or Info
    shape: str  # the shape (or SPARQL constraint) IRI
    component: str  # the SHACL constraint component (or "OWL" for the reasoner)
    path: str = ""  # the property concerned, compact


@dataclass
class Report:
    """Everything validation found, with the standard SHACL report graph it came from."""

    results: list[Result] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    shacl_conforms: bool = True
    owl: dict[str, object] = field(default_factory=dict)  # {"checked": bool, "consistent": bool|None, ...}
    graph: Graph | None = None  # the sh:ValidationReport (with the results reported, not all those found)
    found: Counter[str] = field(default_factory=Counter)  # every result found, by severity, reported or not

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def counts(self) -> dict[str, int]:
        """Results found by severity: all of them, also those left out of `results` by the cap."""
        reported = Counter(r.severity for r in self.results)
        return {name: max(self.found[name], reported[name]) for name in ("Violation", "Warning", "Info")}

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def _left_out_note(self) -> str:
        left_out = self.total - len(self.results)
        if left_out <= 0:
            return ""
        return f"{len(self.results)} of {self.total} results shown; {left_out} more not shown (see --max-results)."

    @property
    def conforms(self) -> bool:
        return self.shacl_conforms and not self.violations and self.owl.get("consistent") is not False

    # --- renderers -------------------------------------------------------------------------------------------

    def to_json(self) -> str:
        payload = {
            "conforms": self.conforms,
            "files": self.files,
            "counts": self.counts,
            "total": self.total,
            "shown": len(self.results),
            "owl": self.owl,
            "results": [asdict(r) for r in self.results],
        }
        return json.dumps(payload, indent=2, ensure_ascii=False)

    def to_turtle(self) -> str:
        graph = self.graph if self.graph is not None else _empty_report(self.conforms)
        graph.bind("sh", SH)
        note = self._left_out_note()
        return (f"# {note}\n" if note else "") + graph.serialize(format="turtle")

    def to_text(self) -> str:
        lines: list[str] = []
        by_file: dict[str, dict[tuple[str, str], list[Result]]] = defaultdict(lambda: defaultdict(list))
        for result in self.results:
            by_file[result.file][(result.focus, result.focus_node)].append(result)
        for file in sorted(by_file):
            lines.append(file)
            for (focus, node), results in sorted(by_file[file].items()):
                where = compact(node) if not node.startswith("_:") else ""
                lines.append(f"  {focus}" + (f"  {where}" if where and where != focus else ""))
                for r in sorted(results, key=lambda r: (SEVERITY_ORDER.get(r.severity, 9), r.rule, r.value)):
                    lines.append(f"    [{r.severity}] {r.rule}: {r.message}")
                    detail = [r.path] if r.path else []
                    if r.value:
                        detail.append(f"found {r.value}")
                    if r.expected:
                        detail.append(f"expected {r.expected}")
                    if detail:
                        lines.append("      " + "; ".join(detail))
            lines.append("")
        summary = ", ".join(f"{n} {s.lower()}{'s' if n != 1 else ''}" for s, n in self.counts.items() if n)
        owl_line = _owl_summary(self.owl)
        verdict = "conforms" if self.conforms else "does not conform"
        lines.append(f"{len(self.files)} files checked: {verdict}" + (f" ({summary})" if summary else "") + ".")
        if owl_line:
            lines.append(owl_line)
        note = self._left_out_note()
        if note:
            lines.append(note)
        return "\n".join(lines)


def _owl_summary(owl: dict[str, object]) -> str:
    if not owl:
        return ""
    if not owl.get("checked"):
        return f"OWL consistency: not checked ({owl.get('reason', 'skipped')})."
    seconds = owl.get("seconds")
    timing = f", {seconds:.1f} s" if isinstance(seconds, float) else ""
    if owl.get("consistent"):
        return f"OWL consistency: consistent (HermiT{timing})."
    return f"OWL consistency: INCONSISTENT (HermiT{timing})."


def _empty_report(conforms: bool) -> Graph:
    graph = Graph()
    node = BNode()
    graph.add((node, RDF.type, SH.ValidationReport))
    graph.add((node, SH.conforms, Literal(conforms)))
    return graph


# --- naming focus nodes ---------------------------------------------------------------------------------------


def english_label(graph: Graph, node: Node) -> str | None:
    """The English (or untagged) skos:prefLabel or rdfs:label of a node."""
    for prop in (SKOS.prefLabel, RDFS.label):
        fallback = None
        for label in graph.objects(node, prop):
            if isinstance(label, Literal):
                if label.language == "en":
                    return str(label)
                if label.language is None and fallback is None:
                    fallback = str(label)
        if fallback is not None:
            return fallback
    return None


def activity_name(graph: Graph, node: Node) -> str:
    code = graph.value(node, SKOS.notation)
    label = english_label(graph, node)
    if code is not None and label:
        return f"{code} {label}"
    if label:
        return label
    return show(node)


def focus_name(graph: Graph, node: Node) -> str:
    """A focus node in words: mappings from their parts, other nodes by label, else compact IRI."""
    types = set(graph.objects(node, RDF.type))
    if MAP.InformationMapping in types:
        activity = graph.value(node, MAP.activity)
        cls = graph.value(node, MAP.informationClass)
        role = graph.value(node, MAP.role)
        left = activity_name(graph, activity) if activity is not None else "(no activity)"
        right = (english_label(graph, cls) or show(cls)) if cls is not None else "(no GSIM class)"
        role_name = (english_label(graph, role) or show(role)) if role is not None else "no role"
        return f"{left} -> {right} ({role_name})"
    if MAP.ServiceSupport in types:
        service = graph.value(node, MAP.service)
        activity = graph.value(node, MAP.activity)
        left = (english_label(graph, service) or show(service)) if service is not None else "(no service)"
        right = activity_name(graph, activity) if activity is not None else "(no activity)"
        return f"{left} supports {right}"
    if isinstance(node, URIRef) and graph.value(node, SKOS.notation) is not None:
        return activity_name(graph, node)
    label = english_label(graph, node)
    if label:
        return label
    if isinstance(node, BNode):
        owner = _blank_owner(graph, node)
        return f"a nested node of {focus_name(graph, owner)}" if owner is not None else "an anonymous node"
    return show(node)


def _blank_owner(graph: Graph, node: BNode) -> Node | None:
    seen: set[Node] = {node}
    current: Node = node
    while isinstance(current, BNode):
        parent = next(iter(graph.subjects(None, current)), None)
        if parent is None or parent in seen:
            return None
        seen.add(parent)
        current = parent
    return current


# --- what a constraint expects ----------------------------------------------------------------------------------


def _list_items(shapes: Graph, head: Node | None) -> list[Node]:
    items: list[Node] = []
    while head is not None and head != RDF.nil:
        first = shapes.value(head, RDF.first)
        if first is not None:
            items.append(first)
        head = shapes.value(head, RDF.rest)
    return items


def expected_text(shapes: Graph, shape: Node, component: str, constraint: Node | None) -> str:
    """What a constraint asks for, in words, from the shape's parameters."""
    value = shapes.value
    name = component.removeprefix(str(SH)).removesuffix("ConstraintComponent")
    if name == "MinCount":
        return f"at least {value(shape, SH.minCount)} value(s)"
    if name == "MaxCount":
        return f"at most {value(shape, SH.maxCount)} value(s)"
    if name == "In":
        return "one of " + ", ".join(show(v) for v in _list_items(shapes, value(shape, SH["in"])))
    if name == "Pattern":
        return f"text matching /{value(shape, SH.pattern)}/"
    if name == "Datatype":
        return f"a literal of type {show(value(shape, SH.datatype))}"
    if name == "LanguageIn":
        return "language " + ", ".join(str(v) for v in _list_items(shapes, value(shape, SH.languageIn)))
    if name == "NodeKind":
        return {str(SH.IRI): "an IRI", str(SH.Literal): "a literal"}.get(str(value(shape, SH.nodeKind)), "")
    if name == "Class":
        return f"an instance of {show(value(shape, SH['class']))}"
    if name == "HasValue":
        return f"the value {show(value(shape, SH.hasValue))}"
    if name == "Node":
        target = value(shape, SH.node)
        described = value(target, SH.name) if target is not None else None
        return f"a {described}" if described else f"a node conforming to {show(target)}"
    if name in {"QualifiedMinCount", "QualifiedMaxCount"}:
        low, high = value(shape, SH.qualifiedMinCount), value(shape, SH.qualifiedMaxCount)
        qualified = value(shape, SH.qualifiedValueShape)
        what = ""
        if qualified is not None:
            languages = value(qualified, SH.languageIn)
            pattern = value(qualified, SH.pattern)
            if languages is not None:
                what = " in " + ", ".join(str(v) for v in _list_items(shapes, languages))
            elif pattern is not None:
                what = f" matching /{pattern}/"
        if low is not None and high is not None:
            count = f"exactly {low}" if low == high else f"{low} to {high}"
        elif low is not None:
            count = f"at least {low}"
        else:
            count = f"at most {high}"
        return f"{count} value(s){what}"
    if name == "MinLength":
        return f"at least {value(shape, SH.minLength)} characters"
    if name == "SPARQL" and constraint is not None:
        return str(value(constraint, RDFS.comment) or value(constraint, SH.name) or "")
    return ""


def rule_name(shapes: Graph, shape: Node, constraint: Node | None) -> str:
    for node in (constraint, shape):
        if node is not None:
            name = shapes.value(node, SH.name)
            if name is not None:
                return str(name)
    return show(constraint or shape)


# --- from the SHACL report graph to results ------------------------------------------------------------------


def display_path(path: Path, root: Path | None) -> str:
    resolved = path.resolve()
    for base in (root, Path.cwd()):
        if base is not None and resolved.is_relative_to(base.resolve()):
            return resolved.relative_to(base.resolve()).as_posix()
    return str(path)


def shacl_results(report: Graph, shapes: Graph, data: LoadedFiles, root: Path | None) -> list[Result]:
    """Turn the sh:ValidationReport into readable results."""
    results: list[Result] = []
    for node in report.objects(None, SH.result):
        focus = report.value(node, SH.focusNode)
        shape = report.value(node, SH.sourceShape)
        component = str(report.value(node, SH.sourceConstraintComponent) or "")
        constraint = report.value(node, SH.sourceConstraint)
        value = report.value(node, SH.value)
        path = report.value(node, SH.resultPath)
        severity = str(report.value(node, SH.resultSeverity) or SH.Violation).removeprefix(str(SH))
        messages = [str(m) for m in report.objects(node, SH.resultMessage)]
        if focus is None or shape is None:
            continue
        owner = _blank_owner(data.graph, focus) if isinstance(focus, BNode) else focus
        file = data.file_of(str(owner if owner is not None else focus))  # a top-level blank node: its own file
        if component.endswith("SPARQLConstraintComponent") and value == focus:
            value = None  # a node-level SPARQL result without ?value repeats the focus node
        shown_value = show(value) if value is not None else ""
        results.append(
            Result(
                file=display_path(file, root) if file is not None else "(unknown file)",
                focus=focus_name(data.graph, focus),
                focus_node=str(focus) if isinstance(focus, URIRef) else f"_:{focus}",
                rule=rule_name(shapes, shape, constraint if component.endswith("SPARQLConstraintComponent") else None),
                message=messages[0] if messages else "",
                value=shown_value,
                expected=expected_text(shapes, shape, component, constraint),
                severity=severity,
                shape=str(constraint if component.endswith("SPARQLConstraintComponent") and constraint else shape),
                component=compact(component),
                path=show(path) if path is not None else "",
            )
        )
    results.sort(key=lambda r: (r.file, r.focus, SEVERITY_ORDER.get(r.severity, 9), r.rule, r.value))
    return results
