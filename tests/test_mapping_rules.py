"""The mapping as a reviewer signs it: qualifiers where one class plays several parts (in the content, the pages, the
API and the CSV), the GSIM 2.0 role convention, no abstract class, support inputs not taken for core inputs, and every
GSIM 2.0 class either mapped or explained. Each rule is read from the content files themselves."""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import Any

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from conftest import PROJECT_ROOT
from modernstats_kg.validation.coverage import coverage_of_files

MAP = Namespace("http://id.unece.org/def/mapping#")
GSIM = Namespace("http://id.unece.org/def/gsim#")
OWN_RIGHT = {GSIM.ParameterInput, GSIM.ProcessMetric, GSIM.ProcessExecutionLog}


@pytest.fixture(scope="module")
def content() -> Graph:
    graph = Graph()
    for folder in ("ontology", "mappings"):
        for path in (PROJECT_ROOT / folder).glob("*.ttl"):
            graph.parse(path)
    return graph


def in_force(graph: Graph) -> list[URIRef]:
    return [
        m
        for m in graph.subjects(RDF.type, MAP.InformationMapping)
        if isinstance(m, URIRef) and (m, MAP.status, MAP.deprecated) not in graph
    ]


def test_a_class_playing_one_role_twice_for_an_activity_is_qualified_each_time(content: Graph) -> None:
    keys = Counter(
        (content.value(m, MAP.activity), content.value(m, MAP.informationClass), content.value(m, MAP.role))
        for m in in_force(content)
    )
    for m in in_force(content):
        key = (content.value(m, MAP.activity), content.value(m, MAP.informationClass), content.value(m, MAP.role))
        if keys[key] > 1:
            assert content.value(m, MAP.qualifier) is not None, m


def test_every_data_set_mapping_says_which_data_set(content: Graph) -> None:
    unqualified = [
        m
        for m in in_force(content)
        if content.value(m, MAP.informationClass) == GSIM.DataSet and content.value(m, MAP.qualifier) is None
    ]
    # 5.8 brings together whatever the Process phase produced, 0.3 keeps whatever the process stores: any data set
    assert sorted(str(m).rsplit("/", 1)[-1] for m in unqualified) == ["0.3-coreInput-dataSet", "5.8-coreInput-dataSet"]


def test_qualifiers_have_a_label_a_definition_and_a_class(content: Graph) -> None:
    for q in content.subjects(RDF.type, MAP.Qualifier):
        assert content.value(q, SKOS.prefLabel) and content.value(q, SKOS.definition), q
        assert (content.value(q, MAP.qualifiedClass), GSIM.group, None) in content, q


def test_role_convention_parameter_metric_and_log_name_themselves(content: Graph) -> None:
    for m in in_force(content):
        role, cls = content.value(m, MAP.role), content.value(m, MAP.informationClass)
        if role in OWN_RIGHT:
            assert cls == role and content.value(m, MAP.qualifier) is not None, m
        assert cls != GSIM.Rule or role != GSIM.ParameterInput, m


def test_no_mapping_in_force_names_an_abstract_class(content: Graph) -> None:
    abstract = set(content.subjects(GSIM.isAbstract, Literal(True)))
    assert {GSIM.InformationSet, GSIM.IdentifiableArtefact, GSIM.InformationResource} <= abstract
    assert [m for m in in_force(content) if content.value(m, MAP.informationClass) in abstract] == []


def test_instruments_are_not_core_inputs_when_the_process_runs(content: Graph) -> None:
    instruments = {GSIM.Questionnaire, GSIM.DataHarvest, GSIM.DisseminationInstrument, GSIM.ReferenceDocument}
    wrong = [
        m
        for m in in_force(content)
        if content.value(m, MAP.role) == GSIM.CoreInput
        and content.value(m, MAP.informationClass) in instruments
        and str(content.value(m, MAP.activity)).rsplit("/", 1)[-1][0] in "45678"
    ]
    assert wrong == []


def test_record_relationship_is_not_put_out_as_record_linkage(content: Graph) -> None:
    assert [m for m in in_force(content) if content.value(m, MAP.informationClass) == GSIM.RecordRelationship] == []


def test_withdrawn_mappings_point_at_their_replacements(content: Graph) -> None:
    withdrawn = list(content.subjects(MAP.status, MAP.deprecated))
    assert withdrawn
    for m in withdrawn:
        assert content.value(m, SKOS.changeNote) is not None, m
        for successor in content.objects(m, URIRef("http://purl.org/dc/terms/isReplacedBy")):
            assert (successor, RDF.type, MAP.InformationMapping) in content, successor


def test_every_gsim_class_is_mapped_or_explained() -> None:
    coverage = coverage_of_files()
    assert coverage.gsim_classes == 127
    assert coverage.unexplained_classes == []
    gsim = Graph().parse(PROJECT_ROOT / "ontology" / "gsim.ttl")
    current = {c for c in gsim.subjects(GSIM.group, None) if (c, OWL.deprecated, Literal(True)) not in gsim}
    assert len(current) == 127
    for expected in (GSIM.Universe, GSIM.ClassificationItem, GSIM.QuestionBlock, GSIM.BusinessFunction):
        assert str(expected) not in {c["iri"] for c in coverage.unused_classes}, expected


def test_coverage_text_gives_a_reason_for_every_unused_class() -> None:
    text = coverage_of_files().to_text()
    assert "Data Point (Structures Group)\n    why: A data point is a part of a data set" in text
    assert "NOT EXPLAINED" not in text


@pytest.fixture(scope="module")
def client(real_page_client: Any) -> Any:
    return real_page_client


def test_qualifier_reaches_the_page_the_api_and_the_csv(client: Any) -> None:
    page = client.get("/activities/subProcess/4.1")
    assert page.status_code == 200
    assert "(frame)" in page.text and "(sample)" in page.text
    assert "Roles follow GSIM 2.0" in page.text
    api = client.get("/api/v1/subprocesses/4.1").json()
    labels = {m["qualifier"]["label"] for g in api["outputs"] for m in g["mappings"] if m.get("qualifier")}
    assert {"frame", "sample"} <= labels
    rows = list(csv.DictReader(io.StringIO(client.get("/downloads/mapping.csv").text)))
    at_41 = {r["qualifier_label"] for r in rows if r["activity_code"] == "4.1" and r["class_label"] == "Data Set"}
    assert {"frame", "sample", "previous-cycle data"} <= at_41
    assert not any(r["mapping"].endswith("4.3-coreInput-questionnaire") for r in rows)  # withdrawn: not listed
