"""pyshacl with bounded work per result: blank nodes named, never expanded; only the reported results built.

Two habits of pyshacl make hostile data expensive, and both are replaced here when this module is imported:
- It writes every blank node it mentions (a focus node, a value) out in full, nested blank nodes included, and
  copies that structure into the report graph. A blank node that refers to the next one through many properties,
  a few dozen levels deep (a "billion laughs" of 25 KB), expands to gigabytes. Here a blank node is named
  (`_:b0`), never expanded; the report still names the node, and `report.py` says whose nested node it is.
- It builds one text block per result and joins them by repeated concatenation, and puts every result into one
  rdflib report graph: 450,000 results take over ten minutes and gigabytes. The text is never used here; the
  report graph gets only the results that will be reported (`ResultBudget.limit`, the most severe first), and
  the others are only counted.

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
from pyshacl.validator import Validator
from rdflib import BNode, Graph, Literal, Namespace
from rdflib.namespace import RDF
from rdflib.term import Node

SH = Namespace("http://www.w3.org/ns/shacl#")
SEVERITY_RANK = {SH.Violation: 0, SH.Warning: 1, SH.Info: 2}

__all__ = ["ResultBudget", "result_budget"]


@dataclass
class ResultBudget:
    """How many results go into the report (None: all), and how many were found, by severity (`Violation`...)."""

    limit: int | None = None
    found: Counter[str] = field(default_factory=Counter)

    def count(self, severity: Node) -> None:
        self.found[str(severity).removeprefix(str(SH))] += 1


_current_budget: ContextVar[ResultBudget | None] = ContextVar("mskg_shacl_result_budget", default=None)


@contextmanager
def result_budget(limit: int | None) -> Iterator[ResultBudget]:
    """Within this block, pyshacl reports at most `limit` results and counts all of them in the budget yielded."""
    budget = ResultBudget(limit)
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
    severity, focus, shape = SH.Violation, "", ""
    for _, predicate, value in result[2]:
        if predicate == SH.resultSeverity:
            severity = value
        elif predicate == SH.focusNode:
            focus = str(_term(value))
        elif predicate == SH.sourceShape:
            shape = str(_term(value))
    return SEVERITY_RANK.get(severity, 9), focus, shape


def _bounded_report(cls: type[Validator], sg: Any, conforms: bool, results: list[_PyshaclResult]) -> tuple[Graph, str]:
    """Replaces `Validator.create_validation_report`: the report graph with the budget's share of the results."""
    del cls
    budget = _current_budget.get() or ResultBudget()
    for result in results:
        severity = next((v for _, p, v in result[2] if p == SH.resultSeverity), SH.Violation)
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
            graph.add((subject, predicate, _term(value)))  # blank nodes by name: their structure stays in the data
    return graph, ""


def install() -> None:
    """Replace the two pyshacl habits (idempotent; done on import)."""
    pyshacl_stringify.stringify_blank_node = _blank_node_name
    # pyshacl calls it as `self.create_validation_report(...)`: a class attribute is the one place to put it
    setattr(Validator, "create_validation_report", classmethod(_bounded_report))  # noqa: B010


install()
