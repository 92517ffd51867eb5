"""pyshacl with bounded work per result: blank nodes named, never expanded; only the reported results built.

Two habits of pyshacl make hostile data expensive, and both are replaced here when this module is imported:
- It writes every blank node it mentions (a focus node, a value) out in full, nested blank nodes included, and
  copies that structure into the report graph. A blank node that refers to the next one through many properties,
  a few dozen levels deep (a "billion laughs" of 25 KB), expands to gigabytes. Here a blank node is named
  (`_:b0`), never expanded; the report still names the node, and `report.py` says whose nested node it is.
- It writes one text block per result (half its time on 50,000 failing mappings), joins them by repeated
  concatenation, and puts every result into one rdflib report graph: 450,000 results take over ten minutes and
  gigabytes. The text is never used here, so it is not written; the report graph gets only the results that will
  be reported (`ResultBudget.limit`, the most severe first), and the others are only counted.

The SHACL evaluation itself is pyshacl's, unchanged.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import pyshacl.rdfutil.stringify as pyshacl_stringify
from pyshacl.constraints.constraint_component import ConstraintComponent
from pyshacl.validator import Validator
from rdflib import BNode, Graph, Literal, Namespace
from rdflib.namespace import RDF
from rdflib.term import Node

SH = Namespace("http://www.w3.org/ns/shacl#")
SEVERITY_RANK = {SH.Violation: 0, SH.Warning: 1, SH.Info: 2}
_SEVERITY, _FOCUS, _SOURCE_SHAPE, _VIOLATION = SH.resultSeverity, SH.focusNode, SH.sourceShape, SH.Violation

__all__ = ["ResultBudget", "result_budget"]


@dataclass
class ResultBudget:
    """How many results go into the report (None: all), and how many were found, by severity (`Violation`...)."""

    limit: int | None = None
    found: Counter[str] = field(default_factory=Counter)
    shape_copies: dict[Node, Node] = field(default_factory=dict)  # reported as the shape each copy stands for

    def count(self, severity: Node) -> None:
        self.found[str(severity).removeprefix(str(SH))] += 1


_current_budget: ContextVar[ResultBudget | None] = ContextVar("mskg_shacl_result_budget", default=None)


@contextmanager
def result_budget(limit: int | None, *, shape_copies: dict[Node, Node] | None = None) -> Iterator[ResultBudget]:
    """Within this block, pyshacl reports at most `limit` results and counts all of them in the budget yielded.

    A result whose source shape is a key of `shape_copies` is reported with the shape it maps to."""
    budget = ResultBudget(limit, shape_copies=shape_copies or {})
    token = _current_budget.set(budget)
    try:
        yield budget
    finally:
        _current_budget.reset(token)


def _blank_node_name(graph: Graph, bnode: BNode, *args: Any, **kwargs: Any) -> str:
    del graph, args, kwargs
    return f"_:{bnode}"


_ResultTriple = tuple[Node, Node, Any]
_PyshaclResult = tuple[str, BNode, Sequence[_ResultTriple]]


def _term(value: Any) -> Node:
    """A report object: pyshacl passes terms of the data or shapes graph as (graph, term) pairs."""
    term: Node = value[1] if isinstance(value, tuple) else value
    return term


def _rank(result: _PyshaclResult) -> tuple[int, str, str]:
    severity, focus, shape = _VIOLATION, "", ""
    for _, predicate, value in result[2]:
        if predicate == _SEVERITY:
            severity = value
        elif predicate == _FOCUS:
            focus = str(_term(value))
        elif predicate == _SOURCE_SHAPE:
            shape = str(_term(value))
    return SEVERITY_RANK.get(severity, 9), focus, shape


def _bounded_report(cls: type[Validator], sg: Any, conforms: bool, results: list[_PyshaclResult]) -> tuple[Graph, str]:
    """Replaces `Validator.create_validation_report`: the report graph with the budget's share of the results."""
    del cls
    budget = _current_budget.get() or ResultBudget()
    for result in results:
        severity = next((v for _, p, v in result[2] if p == _SEVERITY), _VIOLATION)
        budget.count(severity)
    kept = results if budget.limit is None else heapq.nsmallest(budget.limit, results, key=_rank)
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in sg.graph.namespace_manager.namespaces():
        graph.namespace_manager.bind(prefix, namespace)
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(conforms)))
    for _, node, triples in kept:
        graph.add((report, SH.result, node))
        for subject, predicate, value in triples:
            term = _term(value)  # blank nodes by name: their structure stays in the data
            if predicate == _SOURCE_SHAPE:
                term = budget.shape_copies.get(term, term)
            graph.add((subject, predicate, term))
    return graph, ""


def _no_description(*args: Any, **kwargs: Any) -> str:
    del args, kwargs
    return ""


def install() -> None:
    """Replace the two pyshacl habits (idempotent; done on import)."""
    pyshacl_stringify.stringify_blank_node = _blank_node_name
    setattr(ConstraintComponent, "make_v_result_description", _no_description)  # noqa: B010
    # pyshacl calls it as `self.create_validation_report(...)`: a class attribute is the one place to put it
    setattr(Validator, "create_validation_report", classmethod(_bounded_report))  # noqa: B010


install()
