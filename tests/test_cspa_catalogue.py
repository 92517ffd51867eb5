"""CSPA as it is: a service catalogue within the CSPA 2.0 frame, each service definition in the project's words with
its outcome, restrictions, GSBPM links and GSIM inputs and outputs with roles; wrong-looking source inputs and outputs
noted; expected links the catalogue lacks as proposals; the services checked against the GSIM-GSBPM mapping."""

from __future__ import annotations

from typing import Any

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from conftest import PROJECT_ROOT
from modernstats_kg.validation.coverage import coverage_of_files

CSPA = Namespace("http://id.unece.org/def/cspa#")
GSIM = Namespace("http://id.unece.org/def/gsim#")
MAP = Namespace("http://id.unece.org/def/mapping#")
SVC = "http://id.unece.org/services/statisticalService/"
SP = "http://id.unece.org/activities/subProcess/"
ROLES = {GSIM.CoreInput, GSIM.ProcessSupportInput, GSIM.ParameterInput, GSIM.CoreOutput}


@pytest.fixture(scope="module")
def cspa() -> Graph:
    graph = Graph()
    for name in ("ontology/cspa.ttl", "mappings/cspa-gsbpm.ttl", "ontology/gsim.ttl"):
        graph.parse(PROJECT_ROOT / name)
    return graph


def test_the_file_says_what_it_is(cspa: Graph) -> None:
    ontology = URIRef("http://id.unece.org/def/cspa")
    assert "service catalogue within the CSPA 2.0 frame" in str(cspa.value(ontology, DCTERMS.title))
    assert "Logical Information Model" in str(cspa.value(ontology, SKOS.scopeNote))


def test_each_definition_says_what_outcome_and_restrictions_and_carries_the_links(cspa: Graph) -> None:
    services = set(cspa.subjects(RDF.type, CSPA.StatisticalService))
    assert len(services) == 10
    for service in services:
        definition = cspa.value(service, CSPA.hasDefinition)
        for prop in (SKOS.definition, CSPA.outcome, CSPA.restriction):
            assert cspa.value(definition, prop), (definition, prop)
        assert set(cspa.objects(definition, CSPA.supportsSubProcess)) == set(
            cspa.objects(service, CSPA.supportsSubProcess)
        )
        for direction, plain in ((CSPA.definitionInput, CSPA.hasInput), (CSPA.definitionOutput, CSPA.hasOutput)):
            ends = list(cspa.objects(definition, direction))
            assert {cspa.value(e, CSPA.gsimClass) for e in ends} == set(cspa.objects(definition, plain)), definition
            for end in ends:
                assert cspa.value(end, CSPA.gsimRole) in ROLES, end


def test_abstract_source_inputs_and_outputs_carry_an_editorial_note(cspa: Graph) -> None:
    abstract = set(cspa.subjects(GSIM.isAbstract, Literal(True)))
    ends = [e for p in (CSPA.definitionInput, CSPA.definitionOutput) for e in cspa.objects(None, p)]
    flagged = [e for e in ends if cspa.value(e, CSPA.gsimClass) in abstract]
    assert len(flagged) >= 4  # Identifiable Artefact, Process Input, Process Output (twice)
    for end in flagged:
        assert str(cspa.value(end, SKOS.editorialNote)).startswith("Looks wrong"), end


@pytest.mark.parametrize(
    ("service", "code"),
    [
        ("statisticalChartGenerator", "7.2"),
        ("retrieveStatisticalClassification", "5.2"),
        ("listStatisticalClassifications", "5.2"),
        ("confidentializedAnalysis", "7.3"),
        ("confidentializedAnalysis", "7.5"),
    ],
)
def test_expected_links_missing_from_the_catalogue_are_proposals(cspa: Graph, service: str, code: str) -> None:
    found = [
        m for m in cspa.subjects(MAP.service, URIRef(SVC + service)) if cspa.value(m, MAP.activity) == URIRef(SP + code)
    ]
    assert len(found) == 1
    mapping = found[0]
    assert cspa.value(mapping, MAP.status) == MAP.proposed and cspa.value(mapping, MAP.justification)
    assert "Project proposal" in str(cspa.value(mapping, SKOS.editorialNote))
    # SSSOM-ready: subject, predicate (support), object, justification, author, date
    assert cspa.value(mapping, URIRef("http://www.w3.org/ns/prov#wasAttributedTo")) and cspa.value(
        mapping, DCTERMS.created
    )
    assert (URIRef(SVC + service), CSPA.supportsSubProcess, URIRef(SP + code)) not in cspa  # not the catalogue's


def test_coverage_reports_where_services_and_the_mapping_disagree() -> None:
    found = {
        (d.service.rsplit("/", 1)[-1], d.direction, d.cls.rsplit("#", 1)[-1])
        for d in coverage_of_files().service_disagreements
    }
    assert ("seasonalAdjustment", "input", "InformationConsumer") in found
    assert ("seasonalAdjustment", "input", "IdentifiableArtefact") in found  # abstract: never agrees
    assert ("sampleSelection", "input", "DataSet") not in found  # 4.1 takes data sets in


def test_coverage_text_lists_the_disagreements() -> None:
    text = coverage_of_files().to_text()
    assert "CSPA service inputs and outputs the mapping of the supported sub-process lacks" in text
    assert "Seasonal Adjustment (6.1): input InformationConsumer is not mapped there" in text


def test_the_service_page_shows_the_disagreements(real_page_client: Any) -> None:
    page = real_page_client.get("/services/statisticalService/seasonalAdjustment")
    assert page.status_code == 200
    assert "Against the GSIM-GSBPM mapping" in page.text
    assert "InformationConsumer" in page.text.split("Against the GSIM-GSBPM mapping", 1)[1]
