"""SHACL validation of the content: pyshacl for SHACL Core, one query per constraint for SHACL-SPARQL.

pyshacl evaluates a SHACL-SPARQL constraint by re-parsing and running its query once per focus node with rdflib,
which takes about 50 ms a node: over a few hundred mappings that is minutes. Here each `sh:sparql` constraint is
instead run once over the whole data graph with pyoxigraph, `$this` left free, and its solutions are kept for the
shape's focus nodes. For constraints whose query mentions `$this` in its graph patterns (as all of ours do) this
gives the results pre-binding gives; `tests/test_shapes.py` checks both ways agree on every fixture. The SHACL Core
part, the SPARQL-based targets included, stays with pyshacl (`advanced=True` is needed for those targets only).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pyshacl
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from ..store import Store
from .loading import LoadedFiles, parse_all, to_rdflib
from .report import compact

SH = Namespace("http://www.w3.org/ns/shacl#")
_VAR_IN_MESSAGE = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")
_THIS = re.compile(r"\$this\b")


@dataclass(frozen=True)
class ShaclOutcome:
    conforms: bool
    report: Graph  # the sh:ValidationReport, with the results of both engines


def load_shapes(paths: Sequence[Path]) -> Graph:
    """The shapes graph: the union of the shapes files (syntax errors raise ContentError with line and column)."""
    graph = Graph()
    for triples in parse_all(paths).values():
        for t in triples:
            graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    graph.bind("sh", SH)
    return graph


def core_shapes(shapes: Graph) -> Graph:
    """The shapes graph without its SHACL-SPARQL constraints (those are run by `run_sparql_constraints`)."""
    core = Graph()
    for triple in shapes:
        if triple[1] != SH.sparql:
            core.add(triple)
    for prefix, namespace in shapes.namespaces():
        core.bind(prefix, namespace)
    return core


def validate_shacl(
    data: LoadedFiles,
    shapes: Graph,
    *,
    pure_pyshacl: bool = False,
    focus: Collection[ox.NamedNode | ox.BlankNode] | None = None,
) -> ShaclOutcome:
    """Validate the loaded data against `shapes`.

    With `pure_pyshacl`, pyshacl evaluates everything itself (slow; used by tests to check the fast path). With
    `focus`, the SHACL-SPARQL constraints report only on those focus nodes (the SHACL Core part reports on every
    node: pyshacl's own `focus_nodes` option also skips the nodes that `sh:node` reaches, so it is not used)."""
    shapes_for_pyshacl = shapes if pure_pyshacl else core_shapes(shapes)
    conforms, report, _ = pyshacl.validate(
        data.graph,
        shacl_graph=shapes_for_pyshacl,
        inference="none",
        advanced=True,  # for the sh:SPARQLTarget targets of the model shapes
        allow_warnings=True,  # warnings are reported but do not make the content non-conformant
        allow_infos=True,
        meta_shacl=False,
        do_owl_imports=False,
        abort_on_first=False,
        inplace=True,  # no inference and no SHACL rules: the data graph is never changed, so no copy is needed
    )
    assert isinstance(report, Graph)
    if not pure_pyshacl:
        added = run_sparql_constraints(data.store, shapes, report, focus=focus)
        if any(severity == SH.Violation for severity in added):
            conforms = False
            _set_conforms(report, False)
    return ShaclOutcome(bool(conforms), report)


def _set_conforms(report: Graph, conforms: bool) -> None:
    for node in report.subjects(RDF.type, SH.ValidationReport):
        report.set((node, SH.conforms, Literal(conforms)))


def _prefix_block(shapes: Graph, holder: Node) -> str:
    lines = []
    for ontology in shapes.objects(holder, SH.prefixes):
        for declaration in shapes.objects(ontology, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(lines) + "\n"


def _to_ox(node: Node) -> ox.NamedNode:
    return ox.NamedNode(str(node))


def focus_nodes(store: Store, shapes: Graph, shape: Node) -> set[ox.NamedNode | ox.BlankNode | ox.Literal]:
    """The focus nodes of a shape's targets (class, node, subjects-of, objects-of and SPARQL targets)."""
    found: set[ox.NamedNode | ox.BlankNode | ox.Literal] = set()

    def select(query: str) -> None:
        for solution in store.select(query):
            if solution["this"] is not None:
                found.add(solution["this"])

    classes = list(shapes.objects(shape, SH.targetClass))
    if (shape, RDF.type, RDFS.Class) in shapes:
        classes.append(shape)
    for cls in classes:
        select(f"SELECT DISTINCT ?this WHERE {{ ?this a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{cls}> }}")
    for node in shapes.objects(shape, SH.targetNode):
        found.add(_to_ox(node) if isinstance(node, URIRef) else ox.Literal(str(node)))
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        select(f"SELECT DISTINCT ?this WHERE {{ ?this <{prop}> ?o }}")
    for prop in shapes.objects(shape, SH.targetObjectsOf):
        select(f"SELECT DISTINCT ?this WHERE {{ ?s <{prop}> ?this }}")
    for target in shapes.objects(shape, SH.target):
        text = shapes.value(target, SH.select)
        if text is not None:
            select(_prefix_block(shapes, target) + str(text))
    return found


def _render(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    return term.value


def _fill_message(message: str, solution: ox.QuerySolution) -> str:
    """The message with each `{?var}` (or `{$var}`) replaced by the solution's value of that variable."""
    return _VAR_IN_MESSAGE.sub(lambda m: _render(solution[m.group(1)]), message)


def run_sparql_constraints(
    store: Store, shapes: Graph, report: Graph, *, focus: Collection[ox.NamedNode | ox.BlankNode] | None = None
) -> list[Node]:
    """Evaluate every active `sh:sparql` constraint of `shapes` once over `store`; add the results to `report`.
    With `focus`, only the results about those focus nodes.

    Returns the severities of the results added."""
    report_node = next(iter(report.subjects(RDF.type, SH.ValidationReport)))
    severities: list[Node] = []
    for shape, constraint in sorted(shapes.subject_objects(SH.sparql)):
        if (shape, SH.deactivated, Literal(True)) in shapes or (constraint, SH.deactivated, Literal(True)) in shapes:
            continue
        text = shapes.value(constraint, SH.select)
        if text is None:
            continue
        targets = focus_nodes(store, shapes, shape)
        if focus is not None:
            targets &= set(focus)
        if not targets:
            continue
        query = _prefix_block(shapes, constraint) + _THIS.sub("?this", str(text))
        severity = shapes.value(shape, SH.severity) or SH.Violation
        messages = list(shapes.objects(constraint, SH.message)) or list(shapes.objects(shape, SH.message))
        seen: set[tuple[str, str, str]] = set()
        for solution in store.select(query):
            this = solution["this"]
            if this is None or this not in targets:
                continue
            value = solution["value"] if solution["value"] is not None else this
            key = (str(this), str(value), str(solution["path"]))
            if key in seen:
                continue
            seen.add(key)
            result = BNode()
            report.add((report_node, SH.result, result))
            report.add((result, RDF.type, SH.ValidationResult))
            report.add((result, SH.focusNode, to_rdflib(this)))
            report.add((result, SH.value, to_rdflib(value)))
            report.add((result, SH.resultSeverity, severity))
            report.add((result, SH.sourceShape, shape))
            report.add((result, SH.sourceConstraint, constraint))
            report.add((result, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
            if solution["path"] is not None:
                report.add((result, SH.resultPath, to_rdflib(solution["path"])))
            for message in messages:
                filled = _fill_message(str(message), solution)
                lang = message.language if isinstance(message, Literal) else None
                report.add((result, SH.resultMessage, Literal(filled, lang=lang)))
            severities.append(severity)
    return severities
