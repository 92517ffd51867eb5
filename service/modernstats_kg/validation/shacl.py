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
import weakref
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pyshacl
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from ..store import Store
from . import pyshacl_parameters  # noqa: F401 - for its effect: pyshacl's parameter lookups by hash
from .bounded_pyshacl import ResultBudget, result_budget
from .hoisting import hoist_property_targets
from .loading import MAX_FILE_BYTES, LoadedFiles, parse_all, to_rdflib
from .report import compact

SH = Namespace("http://www.w3.org/ns/shacl#")
_VAR_IN_MESSAGE = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")
_THIS = re.compile(r"\$this\b")


@dataclass(frozen=True)
class ShaclOutcome:
    conforms: bool
    report: Graph  # the sh:ValidationReport, with the results of both engines (at most `max_results` of each)
    found: Counter[str] = field(default_factory=Counter)  # all results found, by severity (Violation, Warning, Info)


def load_shapes(paths: Sequence[Path], *, max_file_bytes: int = MAX_FILE_BYTES) -> Graph:
    """The shapes graph: the union of the shapes files (syntax errors raise ContentError with line and column)."""
    graph = Graph()
    for triples in parse_all(paths, max_file_bytes=max_file_bytes).values():
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


_core_cache: list[tuple[Graph, int, Graph]] = []  # (shapes, their size, core shapes): the last few shapes graphs


def _core_shapes_cached(shapes: Graph) -> Graph:
    """`core_shapes`, kept for the shapes graphs seen last (the write gate validates with the same one every time)."""
    for known, size, core in _core_cache:
        if known is shapes and size == len(shapes):
            return core
    core = core_shapes(shapes)
    _core_cache.insert(0, (shapes, len(shapes), core))
    del _core_cache[4:]
    return core


_reachable_cache: dict[tuple[int, int, tuple[URIRef, ...]], Graph] = {}


def reachable_shapes(shapes: Graph, roots: Sequence[URIRef]) -> Graph:
    """The part of `shapes` reachable from `roots` by following objects that are themselves described in it."""
    reduced = Graph()
    frontier: list[Node] = list(roots)
    seen: set[Node] = set(frontier)
    while frontier:
        node = frontier.pop()
        for triple in shapes.triples((node, None, None)):
            reduced.add(triple)
            value = triple[2]
            if isinstance(value, URIRef | BNode) and value not in seen and (value, None, None) in shapes:
                seen.add(value)
                frontier.append(value)
    for prefix, namespace in shapes.namespaces():
        reduced.bind(prefix, namespace)
    return reduced


def _reachable_cached(shapes: Graph, roots: tuple[URIRef, ...]) -> Graph:
    key = (id(shapes), len(shapes), roots)
    found = _reachable_cache.get(key)
    if found is None:
        if len(_reachable_cache) > 16:
            _reachable_cache.clear()
        found = _reachable_cache[key] = reachable_shapes(shapes, roots)
    return found


def validate_shacl(
    data: LoadedFiles,
    shapes: Graph,
    *,
    pure_pyshacl: bool = False,
    max_results: int | None = None,
    focus: Collection[ox.NamedNode | ox.BlankNode] | None = None,
    use_shapes: Sequence[URIRef] | None = None,
    targets: dict[Node, set[ox.NamedNode | ox.BlankNode | ox.Literal]] | None = None,
) -> ShaclOutcome:
    """Validate the loaded data against `shapes`.

    The report graph holds at most `max_results` results of each engine (the most severe first; None: all); the
    outcome counts all of them. With `pure_pyshacl`, pyshacl evaluates everything itself (slow; used by tests to
    check the fast path). With `focus`, the SHACL-SPARQL constraints report only on those focus nodes, and
    `use_shapes` limits SHACL Core to the shapes reachable from them (the write gate; pyshacl's own `focus_nodes`
    option also skips the nodes that `sh:node` reaches, so it is not used). `targets`: the focus nodes of shapes
    already computed over this data (`focus_nodes`), reused and added to."""
    copies: dict[Node, Node] = {}
    if pure_pyshacl:
        shapes_for_pyshacl = shapes
    elif focus is not None or use_shapes is not None:
        # the write gate: a few focus nodes, the same shapes every time (cached, so never changed in place)
        shapes_for_pyshacl = _core_shapes_cached(shapes)
        if use_shapes is not None:
            shapes_for_pyshacl = _reachable_cached(shapes_for_pyshacl, tuple(use_shapes))
    else:
        shapes_for_pyshacl = core_shapes(shapes)  # a fresh graph: hoisting changes it in place
        copies = hoist_property_targets(shapes_for_pyshacl)
    with result_budget(max_results, shape_copies=copies) as budget:
        conforms, report, _ = _run_pyshacl(data, shapes_for_pyshacl)
    assert isinstance(report, Graph)
    if not pure_pyshacl:
        added = run_sparql_constraints(data.store, shapes, report, budget, focus=focus, targets=targets)
        if any(severity == SH.Violation for severity in added):
            conforms = False
            _set_conforms(report, False)
    return ShaclOutcome(bool(conforms), report, budget.found)


def _run_pyshacl(data: LoadedFiles, shapes: Graph) -> tuple[object, object, object]:
    result: tuple[object, object, object] = pyshacl.validate(
        data.graph,
        shacl_graph=shapes,
        inference="none",
        advanced=True,  # for the sh:SPARQLTarget targets of the model shapes
        allow_warnings=True,  # warnings are reported but do not make the content non-conformant
        allow_infos=True,
        meta_shacl=False,
        do_owl_imports=False,
        abort_on_first=False,
        inplace=True,  # no inference and no SHACL rules: the data graph is never changed, so no copy is needed
    )
    return result


def _set_conforms(report: Graph, conforms: bool) -> None:
    for node in report.subjects(RDF.type, SH.ValidationReport):
        report.set((node, SH.conforms, Literal(conforms)))


_prefix_cache: weakref.WeakKeyDictionary[Graph, dict[tuple[int, Node], str]] = weakref.WeakKeyDictionary()


def _prefix_block(shapes: Graph, holder: Node) -> str:
    """The PREFIX lines a SHACL-SPARQL query declares (`sh:prefixes`), kept per shapes graph (and its size)."""
    known = _prefix_cache.setdefault(shapes, {})
    key = (len(shapes), holder)
    found = known.get(key)
    if found is None:
        found = known[key] = _declared_prefixes(shapes, holder)
    return found


def _declared_prefixes(shapes: Graph, holder: Node) -> str:
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


# focus nodes of the SHACL targets; the bound variable is projected, as pyoxigraph's substitutions require
_INSTANCES = "SELECT DISTINCT ?this ?cls WHERE { ?this a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?cls }"
_SUBJECTS_OF = "SELECT DISTINCT ?this ?prop WHERE { ?this ?prop ?o }"
_OBJECTS_OF = "SELECT DISTINCT ?this ?prop WHERE { ?s ?prop ?this }"


def focus_nodes(store: Store, shapes: Graph, shape: Node) -> set[ox.NamedNode | ox.BlankNode | ox.Literal]:
    """The focus nodes of a shape's targets (class, node, subjects-of, objects-of and SPARQL targets)."""
    found: set[ox.NamedNode | ox.BlankNode | ox.Literal] = set()

    def select(query: str, **bound: Node) -> None:
        # the shape's IRIs are bound as values, never pasted into the text
        substitutions = {name: _to_ox(value) for name, value in bound.items()}
        for solution in store.select(query, substitutions=substitutions or None):
            if solution["this"] is not None:
                found.add(solution["this"])

    classes = list(shapes.objects(shape, SH.targetClass))
    if (shape, RDF.type, RDFS.Class) in shapes:
        classes.append(shape)
    for cls in classes:
        select(_INSTANCES, cls=cls)
    for node in shapes.objects(shape, SH.targetNode):
        found.add(_to_ox(node) if isinstance(node, URIRef) else ox.Literal(str(node)))
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        select(_SUBJECTS_OF, prop=prop)
    for prop in shapes.objects(shape, SH.targetObjectsOf):
        select(_OBJECTS_OF, prop=prop)
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
    store: Store,
    shapes: Graph,
    report: Graph,
    budget: ResultBudget | None = None,
    *,
    focus: Collection[ox.NamedNode | ox.BlankNode] | None = None,
    targets: dict[Node, set[ox.NamedNode | ox.BlankNode | ox.Literal]] | None = None,
) -> list[Node]:
    """Evaluate every active `sh:sparql` constraint of `shapes` once over `store`; add the results to `report`.
    With `focus`, only the results about those focus nodes. `targets`: shapes' focus nodes over this `store`
    computed before (reused, and the ones computed here added).

    Every result is counted in `budget`; only its first `budget.limit` go into `report`. Returns the severities
    of all the results found."""
    budget = budget or ResultBudget()
    added = 0
    report_node = next(iter(report.subjects(RDF.type, SH.ValidationReport)))
    severities: list[Node] = []
    for shape, constraint in sorted(shapes.subject_objects(SH.sparql)):
        if (shape, SH.deactivated, Literal(True)) in shapes or (constraint, SH.deactivated, Literal(True)) in shapes:
            continue
        text = shapes.value(constraint, SH.select)
        if text is None:
            continue
        known = targets if targets is not None else {}
        if shape not in known:
            known[shape] = focus_nodes(store, shapes, shape)
        shape_targets = known[shape]
        if focus is not None:
            shape_targets = shape_targets & set(focus)
        if not shape_targets:
            continue
        query = _prefix_block(shapes, constraint) + _THIS.sub("?this", str(text))
        severity = shapes.value(shape, SH.severity) or SH.Violation
        messages = list(shapes.objects(constraint, SH.message)) or list(shapes.objects(shape, SH.message))
        seen: set[tuple[str, str, str]] = set()
        for solution in store.select(query):
            this = solution["this"]
            if this is None or this not in shape_targets:
                continue
            value = solution["value"] if solution["value"] is not None else this
            key = (str(this), str(value), str(solution["path"]))
            if key in seen:
                continue
            seen.add(key)
            severities.append(severity)
            budget.count(severity)
            if budget.limit is not None and added >= budget.limit:
                continue
            added += 1
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
    return severities
