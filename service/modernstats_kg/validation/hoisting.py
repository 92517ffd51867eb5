"""Give the property shapes of targeted node shapes those targets themselves, so pyshacl checks them in bulk.

pyshacl checks a node shape's `sh:property` shapes one focus node at a time: a fresh evaluation of every property
shape for every focus node, about 3 ms per node over our mapping shapes (50,000 mappings: minutes). A property
shape that has targets of its own is checked once over all its focus nodes. By the SHACL definitions the results
are the same: a focus node of `S` conforms to `S`'s property shape `P` exactly when it conforms to `P` as a focus
node of `P`, and either way the result names `P` as its source shape, with `P`'s severity and messages.

Only what is plainly equivalent is moved: `S` must be used by no other shape (through `sh:node`, `sh:not`,
`sh:and`, ...), have targets and not be deactivated, and `P` must have no targets of its own. A `P` that other
shapes use too is copied for `S` (a fresh blank node with `P`'s description); the copy is reported as `P`.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

SH = Namespace("http://www.w3.org/ns/shacl#")
TARGET_PREDICATES = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)

__all__ = ["hoist_property_targets"]


def _targets(shapes: Graph, shape: Node) -> list[tuple[Node, Node]]:
    found: list[tuple[Node, Node]] = [
        (predicate, value) for predicate in TARGET_PREDICATES for value in shapes.objects(shape, predicate)
    ]
    if (shape, RDF.type, RDFS.Class) in shapes:  # an implicit class target
        found.append((SH.targetClass, shape))
    return found


def _uses(shapes: Graph, node: Node) -> int:
    return sum(1 for _ in shapes.subject_predicates(node))


def hoist_property_targets(shapes: Graph) -> dict[Node, Node]:
    """Copy the targets of each eligible node shape in `shapes` (changed in place) to its property shapes.

    Returns the copies of shared property shapes made, each mapped to the property shape it stands for."""
    copies: dict[Node, Node] = {}
    for shape in set(shapes.subjects(SH.property, None)):
        targets = _targets(shapes, shape)
        if not targets or _uses(shapes, shape) or (shape, SH.deactivated, Literal(True)) in shapes:
            continue
        for prop in list(shapes.objects(shape, SH.property)):
            if _targets(shapes, prop):
                continue
            shapes.remove((shape, SH.property, prop))
            holder = prop
            if _uses(shapes, prop):  # still used by another shape: check a copy for this one
                holder = BNode()
                copies[holder] = prop
                for predicate, value in list(shapes.predicate_objects(prop)):
                    shapes.add((holder, predicate, value))
            for predicate, value in targets:
                shapes.add((holder, predicate, value))
    return copies
