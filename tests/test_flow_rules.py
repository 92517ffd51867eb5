"""One set of flow rules serves the flow pages (`catalog.flow`) and the coverage check (`validation.flow`): on
fixture flows with every kind of source, both find the same inputs without an upstream producer and the same
unexplained ones, and each input gets the source the rules say."""

from __future__ import annotations

import pytest

from conftest import PROJECT_ROOT
from modernstats_kg.catalog.core import Catalog
from modernstats_kg.catalog.flow import flow_gaps, information_flow
from modernstats_kg.flow_rules import FlowRules, FlowUse, subclass_closure
from modernstats_kg.validation.flow import check_flow
from modernstats_kg.validation.loading import load_files

MODELS = [PROJECT_ROOT / "mappings" / "mapping-vocabulary.ttl"] + [
    PROJECT_ROOT / "ontology" / name for name in ("gsim.ttl", "gsbpm.ttl")
]
GSIM = "http://id.unece.org/def/gsim#"
SP = "http://id.unece.org/activities/subProcess/"
FLOW = "http://example.org/flow/"

# name: (activity, class, direction, boundary)
MAPPINGS = {
    "made44": ("subProcess/4.4", "DataSet", "output", ""),
    "made52": ("subProcess/5.2", "DataSet", "output", ""),
    "fed53": ("subProcess/5.3", "DataSet", "input", ""),  # upstream: nearest earlier producer, 5.2
    "kept": ("overarchingActivity/0.2", "Rule", "output", ""),
    "ruled": ("subProcess/5.3", "Rule", "input", ""),  # alongside: only an overarching activity puts it out
    "built": ("subProcess/3.1", "Questionnaire", "output", ""),
    "asked": ("subProcess/4.3", "ExchangeInstrument", "input", ""),  # upstream through a sub-class
    "early": ("subProcess/2.1", "Population", "input", ""),  # loop: only 6.1, later, puts it out
    "late": ("subProcess/6.1", "Population", "output", ""),
    "alone": ("subProcess/5.4", "Product", "input", ""),  # none: nobody puts it out
    "given": ("subProcess/5.5", "Unit", "input", "fromOutside"),  # outside, declared
    "reused": ("subProcess/1.1", "DataSet", "input", "fromEarlierCycle"),  # earlier cycle with a basis (5.2)
    "baseless": ("subProcess/8.3", "Unit", "input", "fromEarlierCycle"),  # earlier cycle, nothing puts a Unit out
}


def _turtle() -> str:
    lines = [
        "@prefix map: <http://id.unece.org/def/mapping#> .",
        "<http://example.org/flow> a <http://www.w3.org/2002/07/owl#Ontology> .",
    ]
    for name, (activity, cls, direction, boundary) in MAPPINGS.items():
        role = "CoreInput" if direction == "input" else "CoreOutput"
        extra = f" ; map:flowBoundary map:{boundary}" if boundary else ""
        lines.append(
            f"<{FLOW}{name}> a map:InformationMapping ; map:activity <http://id.unece.org/activities/{activity}> ; "
            f"map:informationClass <{GSIM}{cls}> ; map:role <{GSIM}{role}> ; map:direction map:{direction} ; "
            f"map:status map:proposed{extra} ."
        )
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    path = tmp_path_factory.mktemp("flow") / "flow.ttl"
    path.write_text(_turtle(), encoding="utf-8")
    return Catalog(load_files([*MODELS, path]).store, "fixture")


def test_each_input_gets_the_source_the_rules_say(loaded: Catalog) -> None:
    expected = {
        "fed53": ("upstream", ["5.2"]),
        "ruled": ("alongside", ["0.2"]),
        "asked": ("upstream", ["3.1"]),
        "early": ("loop", ["6.1"]),
        "alone": ("none", []),
        "given": ("outside", []),
        "reused": ("outside", ["5.2"]),
        "baseless": ("none", []),
    }
    for name, (kind, producers) in expected.items():
        activity = "http://id.unece.org/activities/" + MAPPINGS[name][0]
        source = next(s for s in information_flow(loaded, activity).inputs if s.entry.mapping.iri == FLOW + name)
        assert (source.kind, [p.code for p in source.producers]) == (kind, producers), name


def test_pages_and_coverage_check_agree_on_the_gaps(loaded: Catalog) -> None:
    check = check_flow(loaded.store)
    page_gaps = flow_gaps(loaded)
    assert {g.entry.mapping.iri for g in page_gaps} == {g.end.mapping for g in check.unproduced_inputs}
    flagged = {g.entry.mapping.iri for g in page_gaps if g.flagged}
    unexplained_inputs = {g.end.mapping for g in check.unexplained if g.end.direction == "input"}
    assert flagged == unexplained_inputs == {FLOW + "early", FLOW + "alone", FLOW + "baseless"}


def test_closure_of_generalisations_and_related_classes() -> None:
    supers = subclass_closure([("c", "b"), ("b", "a"), ("x", "a")])
    assert supers == {"c": {"a", "b"}, "b": {"a"}, "x": {"a"}}
    rules = FlowRules(supers)
    assert rules.related("c", "a") and rules.related("a", "c") and not rules.related("c", "x")

    def use(order: tuple[int, ...], qualifier: str = "") -> FlowUse:
        return FlowUse(
            key=str(order),
            activity=str(order),
            order=order,
            overarching=False,
            cls="c",
            qualifier=qualifier,
            boundary="",
        )

    # qualifiers: equal or one missing is compatible; two different ones are not
    assert rules.carries(use((5, 2), "sample"), use((5, 3)))
    assert not rules.carries(use((5, 2), "sample"), use((5, 3), "frame"))
    assert [p.order for p in rules.source(use((5, 3)), [use((4, 4)), use((5, 2)), use((6, 1))]).producers] == [(5, 2)]
