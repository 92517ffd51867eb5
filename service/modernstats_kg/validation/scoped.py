"""Validate only what a change can affect: the fast path of the write gate.

`validate_change` validates the whole graph as the change would leave it: about 6 s on the real content, too slow
for an edit. A change that only touches mappings, Level-3 tasks and statistical organisations (every subject it adds
or removes quads about is a `map:InformationMapping`, `map:ServiceSupport`, `coos:Task`,
`coos:NationalStatisticalInstitute` or `coos:InternationalAgency`, before or after; and it says of a task or an
organisation only what the task and organisation operations write) can only change the verdict on:

- the resources it touches, and the nodes that point at them (the tasks attributed to an organisation);
- the organisations the tasks it touches are attributed to, before and after: the organisation shapes
  (`tasksh:Contributor`, `tasksh:NationalInstitute`, `tasksh:Organization`) target an organisation through the
  tasks attributed to it;
- the information mappings that share an activity, GSIM class and role with one of them: the only shapes that
  relate one mapping to another (`mapsh:uniqueMapping`, `mapsh:mappingIri`) compare those three values.

Those are the focus nodes. Their shapes read the focus node's own statements and those of the nodes it points at
(the activity's scheme and code, the class's GSIM group, the qualifier's labels), plus the class hierarchy for
`sh:class`: that, as the graph would be after the change, is the data validated, by the shapes that target a focus
node (and the shapes they refer to) only: about 0.08 s on the real content. Anything else (a change to a
sub-process, a class, a shape, a task put in a scheme) goes to `validate_change`. `tests/test_gate.py` (mappings)
and `tests/test_scoped_tasks.py` (tasks, organisations) check that both give the same verdict, with the same
violations, on a set of valid and invalid changes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import cast

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node as RdfNode

from ..content import check_file
from ..namespaces import COOS, DCTERMS, GSBPMX, MAP, PROV, RDF, RDFS, SH, SKOS
from ..store import ChangeSet, Store
from ..store.sparql_text import values_rows
from .change import ChangeValidation, graph_views, validate_change
from .loading import shape_files, to_rdflib
from .report import shacl_results
from .shacl import focus_nodes, load_shapes, validate_shacl

__all__ = ["affected_focus", "shapes_of_store", "validate_change_scoped", "validate_for_write"]

Node = ox.NamedNode | ox.BlankNode
_TYPE = ox.NamedNode(RDF + "type")
_MAPPING_TYPES = (ox.NamedNode(MAP + "InformationMapping"), ox.NamedNode(MAP + "ServiceSupport"))
RDF_TYPE, SH_NODE_SHAPE = URIRef(RDF + "type"), URIRef(SH + "NodeShape")
_KEY = (ox.NamedNode(MAP + "activity"), ox.NamedNode(MAP + "informationClass"), ox.NamedNode(MAP + "role"))
_HISTORY_GRAPH = "http://id.unece.org/history"  # the gate's record of changes (editing.history.HISTORY_GRAPH)
_TASK = ox.NamedNode(COOS + "Task")
_TASK_TYPES = (
    _TASK,
    ox.NamedNode(COOS + "NationalStatisticalInstitute"),
    ox.NamedNode(COOS + "InternationalAgency"),
)
_ATTRIBUTED = ox.NamedNode(PROV + "wasAttributedTo")
# what the task and organisation operations say of a task or an organisation (editing.tasks, editing.organizations),
# and the source of a task of GSBPM itself
_TASK_PREDICATES = frozenset(
    {
        _TYPE,
        _ATTRIBUTED,
        ox.NamedNode(MAP + "status"),
        ox.NamedNode(RDFS + "label"),
        ox.NamedNode(GSBPMX + "countryCode"),
    }
    | {ox.NamedNode(SKOS + p) for p in ("notation", "prefLabel", "definition", "changeNote")}
    | {ox.NamedNode(DCTERMS + p) for p in ("isPartOf", "contributor", "created", "modified", "source")}
    | {ox.NamedNode(GSBPMX + p) for p in ("input", "output", "paragraph")}
)


def _subjects(changes: ChangeSet) -> set[ox.NamedNode | ox.BlankNode]:
    return {cast(Node, q.subject) for q in (*changes.add, *changes.remove)}


def affected_focus(store: Store, changes: ChangeSet) -> set[ox.NamedNode] | None:
    """The focus nodes whose verdict the change can alter, or None when the change is not about mappings, tasks
    and organisations only (or says of a task or organisation what their operations never write)."""
    subjects = _subjects(changes)
    if any(not isinstance(s, ox.NamedNode) for s in subjects):
        return None
    named = cast(set[ox.NamedNode], subjects)
    types = values_rows("t", (*_MAPPING_TYPES, *_TASK_TYPES))
    typed: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
    for row in store.select(f"SELECT DISTINCT ?s ?t WHERE {{ {values_rows('s', named)} {types} ?s a ?t }}"):
        typed[cast(ox.NamedNode, row["s"])].add(cast(ox.NamedNode, row["t"]))
    for q in changes.add:
        if q.predicate == _TYPE and q.object in (*_MAPPING_TYPES, *_TASK_TYPES):
            typed[cast(ox.NamedNode, q.subject)].add(cast(ox.NamedNode, q.object))
    if any(not typed[s] for s in named):
        return None
    tasks_or_organizations = {s for s in named if not typed[s] & set(_MAPPING_TYPES)}
    if not _written_by_task_operations(changes, tasks_or_organizations):
        return None
    focus: set[ox.NamedNode] = set(named)
    # the history's records point at what they changed; no shape reads them, and a resource edited often has many
    pointing = (
        f"SELECT DISTINCT ?x WHERE {{ {values_rows('s', named)} GRAPH ?g {{ ?x ?p ?s }} "
        f"FILTER(isIRI(?x) && ?g != <{_HISTORY_GRAPH}>) }}"
    )
    focus |= {cast(ox.NamedNode, row["x"]) for row in store.select(pointing)}
    focus |= {cast(ox.NamedNode, q.subject) for q in changes.add if q.object in named}
    focus |= _attributed_to(store, {s for s in named if _TASK in typed[s]}, changes)
    keys = _keys(store, named, changes)
    if keys:
        rows = " ".join(f"({a} {c} {r})" for a, c, r in keys)
        sharing = (
            f"SELECT DISTINCT ?m WHERE {{ VALUES (?a ?c ?r) {{ {rows} }} "
            f"?m <{MAP}activity> ?a ; <{MAP}informationClass> ?c ; <{MAP}role> ?r }}"
        )
        focus |= {cast(ox.NamedNode, row["m"]) for row in store.select(sharing)}
    return focus


def _written_by_task_operations(changes: ChangeSet, subjects: set[ox.NamedNode]) -> bool:
    """True when every statement the change adds or removes about `subjects` is one the task and organisation
    operations write (`editing.tasks`, `editing.organizations`): another type or a scheme could bring in shapes that
    read beyond the scope (a code unique in its scheme), so such a change is validated on the whole graph."""
    for quad in (*changes.add, *changes.remove):
        if quad.subject in subjects:
            if quad.predicate not in _TASK_PREDICATES:
                return False
            if quad.predicate == _TYPE and quad.object not in _TASK_TYPES:
                return False
    return True


def _attributed_to(store: Store, tasks: set[ox.NamedNode], changes: ChangeSet) -> set[ox.NamedNode]:
    """The organisations the tasks are attributed to, before and after the change: the organisation shapes target
    an organisation through the tasks attributed to it (a national institute needs a country once it contributes)."""
    if not tasks:
        return set()
    query = f"SELECT DISTINCT ?o WHERE {{ {values_rows('t', tasks)} ?t <{PROV}wasAttributedTo> ?o FILTER(isIRI(?o)) }}"
    before = {cast(ox.NamedNode, row["o"]) for row in store.select(query)}
    after = {
        q.object
        for q in changes.add
        if q.subject in tasks and q.predicate == _ATTRIBUTED and isinstance(q.object, ox.NamedNode)
    }
    return before | after


def _keys(store: Store, mappings: set[ox.NamedNode], changes: ChangeSet) -> set[tuple[str, str, str]]:
    """The (activity, class, role) triples, as N-Triples terms, of the mappings before and after the change."""
    keys: set[tuple[str, str, str]] = set()
    before = (
        f"SELECT ?a ?c ?r WHERE {{ {values_rows('m', mappings)} "
        f"?m <{MAP}activity> ?a ; <{MAP}informationClass> ?c ; <{MAP}role> ?r }}"
    )
    for row in store.select(before):
        if all(isinstance(row[v], ox.NamedNode) for v in ("a", "c", "r")):
            keys.add((str(row["a"]), str(row["c"]), str(row["r"])))
    after: dict[tuple[object, ox.NamedNode], list[object]] = defaultdict(list)
    for statements in _statements(store, mappings, changes).values():  # indexed once: a batch may hold thousands
        for t in statements:
            after[(t.subject, t.predicate)].append(t.object)
    for mapping in mappings:
        values = [after.get((mapping, p), []) for p in _KEY]
        for a in values[0]:
            for c in values[1]:
                for r in values[2]:
                    if all(isinstance(x, ox.NamedNode) for x in (a, c, r)):
                        keys.add((str(a), str(c), str(r)))
    return keys


def _statements(store: Store, subjects: Collection[ox.NamedNode], changes: ChangeSet) -> dict[str, set[ox.Triple]]:
    """The statements about `subjects`, per graph, as they would be after `changes`."""
    graphs: dict[str, set[ox.Triple]] = defaultdict(set)
    if not subjects:
        return graphs
    query = f"SELECT ?g ?s ?p ?o WHERE {{ {values_rows('s', subjects)} GRAPH ?g {{ ?s ?p ?o }} }}"
    for row in store.select(query):
        graphs[row["g"].value].add(ox.Triple(row["s"], row["p"], row["o"]))
    wanted = set(subjects)
    for quad in changes.remove:
        if quad.subject in wanted:
            graphs[quad.graph_name.value].discard(ox.Triple(quad.subject, quad.predicate, quad.object))  # type: ignore[union-attr]
    for quad in changes.add:
        if quad.subject in wanted:
            graphs[quad.graph_name.value].add(ox.Triple(quad.subject, quad.predicate, quad.object))  # type: ignore[union-attr]
    return graphs


def _scoped_data(store: Store, focus: set[ox.NamedNode], changes: ChangeSet) -> dict[str, set[ox.Triple]]:
    """The focus nodes' statements, those of the nodes they point at, and the superclasses of their types (for
    `sh:class`), after the change."""
    graphs = _statements(store, focus, changes)
    pointed = {t.object for g in graphs.values() for t in g if isinstance(t.object, ox.NamedNode)} - focus
    for iri, triples in _statements(store, pointed, changes).items():
        graphs[iri] |= triples
    types = {
        t.object for g in graphs.values() for t in g if t.predicate == _TYPE and isinstance(t.object, ox.NamedNode)
    }
    hierarchy = (
        f"SELECT ?g ?s ?o WHERE {{ {values_rows('t', types)} ?t <{RDFS}subClassOf>* ?s . "
        f"GRAPH ?g {{ ?s <{RDFS}subClassOf> ?o }} }}"
    )
    for row in store.select(hierarchy):
        graphs[row["g"].value].add(ox.Triple(row["s"], ox.NamedNode(RDFS + "subClassOf"), row["o"]))
    return graphs


def validate_change_scoped(
    store: Store, changes: ChangeSet, focus: set[ox.NamedNode], shapes: Graph, *, excluded: Iterable[str] = ()
) -> ChangeValidation:
    """The SHACL results about `focus` (see `affected_focus`) over the graph as `changes` would leave it."""
    graphs = _scoped_data(store, focus, changes)
    for iri in excluded:
        graphs.pop(iri, None)
    loaded, graph_of_key = graph_views(graphs)
    # only the shapes that target a focus node: the others could only report on nodes outside the focus
    # (each shape's targets are computed once here and reused by the SHACL-SPARQL constraints)
    targets: dict[RdfNode, set[ox.NamedNode | ox.BlankNode | ox.Literal]] = {}
    targeting: list[URIRef] = []
    for shape in sorted(set(shapes.subjects(RDF_TYPE, SH_NODE_SHAPE)), key=str):
        if isinstance(shape, URIRef):
            targets[shape] = focus_nodes(loaded.store, shapes, shape)
            if targets[shape] & focus:
                targeting.append(shape)
    outcome = validate_shacl(loaded, shapes, focus=focus, use_shapes=targeting, targets=targets)
    wanted = {node.value for node in focus}
    results = [
        replace(r, file=graph_of_key.get(r.file, r.file))
        for r in shacl_results(outcome.report, shapes, loaded, None)
        if r.focus_node in wanted
    ]
    return ChangeValidation(not any(r.severity == "Violation" for r in results), results)


_SHAPE_GRAPHS = f"""SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s a ?t }}
  VALUES ?t {{ <{SH}NodeShape> <{SH}PropertyShape> }} }}"""
_shapes_cache: dict[tuple[int, str | None], tuple[Graph, frozenset[str]]] = {}


def shapes_of_store(store: Store) -> tuple[Graph, frozenset[str]]:
    """The shapes the store holds (the graphs that declare shapes) and those graphs' IRIs; kept per content
    version (edits never touch shapes graphs through the gate's mapping operations)."""
    key = (id(store), store.version())
    cached = _shapes_cache.get(key)
    if cached is not None:
        return cached
    iris = frozenset(row["g"].value for row in store.select(_SHAPE_GRAPHS))
    shapes = Graph()
    for iri in sorted(iris):
        query = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
        for row in store.select(query, substitutions={"g": ox.NamedNode(iri)}):
            shapes.add((to_rdflib(row["s"]), to_rdflib(row["p"]), to_rdflib(row["o"])))
    _shapes_cache.clear()  # one store per service: keep one entry
    _shapes_cache[key] = (shapes, iris)
    return shapes, iris


@lru_cache(maxsize=4)
def _content_shapes(root: Path | None) -> tuple[Graph, frozenset[str]]:
    paths = shape_files(root)
    return load_shapes(paths), frozenset(check_file(p) for p in paths)


def validate_for_write(store: Store, changes: ChangeSet, *, root: Path | None = None) -> ChangeValidation:
    """The gate's validation: scoped when the change is about mappings, tasks and organisations only, else the whole
    graph."""
    shapes, shape_graphs = shapes_of_store(store)
    if not shape_graphs:  # a store loaded without shapes: validate with the content's own
        shapes, shape_graphs = _content_shapes(root)
    if shape_graphs & changes.graphs:
        return validate_change(store, changes, shapes=shapes, root=root)
    focus = affected_focus(store, changes)
    if focus is None:
        return validate_change(store, changes, shapes=shapes, root=root)
    return validate_change_scoped(store, changes, focus, shapes, excluded=shape_graphs)
