"""pyshacl's constraint parameters looked up by hash (`validation.pyshacl_parameters`): the same answers as its list,
so the same constraints are evaluated; `tests/test_gate.py` and `tests/test_shapes.py` check the verdicts."""

from __future__ import annotations

import pyshacl.shape as pyshacl_shape
from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS
from rdflib import Literal, URIRef

import modernstats_kg.validation.shacl  # noqa: F401 - installs the parameter list
from modernstats_kg.validation.pyshacl_parameters import ParameterList

SH = "http://www.w3.org/ns/shacl#"


def test_pyshacl_uses_the_parameter_list_with_the_same_members_in_the_same_order() -> None:
    parameters, _ = pyshacl_shape.CONSTRAINT_PARAMS  # type: ignore[attr-defined]
    assert isinstance(parameters, ParameterList)
    assert list(parameters) == list(ALL_CONSTRAINT_PARAMETERS)


def test_membership_answers_as_the_plain_list_does() -> None:
    parameters = ParameterList(ALL_CONSTRAINT_PARAMETERS)
    probes = [*ALL_CONSTRAINT_PARAMETERS, URIRef(SH + "path"), URIRef(SH + "targetClass"), Literal(SH + "minCount")]
    for probe in probes:
        assert (probe in parameters) == (probe in list(ALL_CONSTRAINT_PARAMETERS)), probe
    assert URIRef(SH + "minCount") in parameters  # an equal term, not the same object
    assert Literal(SH + "minCount") not in parameters  # same text, another kind of term


def test_a_copy_extended_as_pyshacl_does_for_advanced_shapes_knows_the_new_member() -> None:
    parameters = ParameterList(ALL_CONSTRAINT_PARAMETERS)
    expression = URIRef(SH + "expression")
    extended = parameters.copy()
    extended.append(expression)
    assert isinstance(extended, ParameterList)
    assert expression in extended
    assert expression not in parameters  # the shared list is left as it was
