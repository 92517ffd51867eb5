"""`mskg validate`: exit codes, readable text, JSON and Turtle reports, parse errors with file:line:column, OWL."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import owlready2
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

from conftest import PROJECT_ROOT
from modernstats_kg.cli import main
from modernstats_kg.validation import validate

SH = Namespace("http://www.w3.org/ns/shacl#")
SUB_PROCESS = "http://id.unece.org/activities/subProcess/5.3"
MAPPING = "http://id.unece.org/mappings/informationMapping/5.3-processMetric-processMetric"
HEADER = """@prefix map: <http://id.unece.org/def/mapping#> .
@prefix gsim: <http://id.unece.org/def/gsim#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<http://example.org/proposal> a owl:Ontology ; owl:versionInfo "1" ;
    dcterms:license <https://creativecommons.org/licenses/by/4.0/> ;
    dcterms:source <https://github.com/UNECE/GSIM-2.0> .
"""


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def wrong_direction(tmp_path: Path) -> Path:
    """A proposed mapping whose output role (Process Metric) is given as an input."""
    path = tmp_path / "proposal.ttl"
    path.write_text(
        HEADER
        + f"""<{MAPPING}> a map:InformationMapping ;
    map:activity <{SUB_PROCESS}> ; map:informationClass gsim:ProcessMetric ;
    map:role gsim:ProcessMetric ; map:direction map:input ;
    map:qualifier <http://id.unece.org/mappings/qualifier/testMetrics> ;
    map:justification "Counts of variables failing edits describe how the review went."@en ;
    map:status map:proposed ; prov:wasAttributedTo <http://id.unece.org/organizations/modernStatsKG> ;
    dcterms:created "2026-11-24"^^xsd:date ; dcterms:source <https://github.com/UNECE/GSIM-2.0> .
""",
        encoding="utf-8",
    )
    return path


@pytest.fixture()
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.ttl"
    path.write_text(HEADER + "<http://example.org/a> <http://example.org/b> .\n", encoding="utf-8")
    return path


def broken_line(path: Path) -> int:
    return next(
        i for i, line in enumerate(path.read_text().splitlines(), 1) if line.startswith("<http://example.org/a>")
    )


def english_name(path: Path, iri: str) -> str:
    graph = Graph().parse(path)
    return next(
        str(v) for v in graph.objects(URIRef(iri), SKOS.prefLabel) if isinstance(v, Literal) and v.language == "en"
    )


def test_real_content_exits_0(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", "--no-owl"])
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output


def test_a_violation_exits_1_and_names_the_mapping_in_words(runner: CliRunner, wrong_direction: Path) -> None:
    result = runner.invoke(main, ["validate", "--no-owl", str(wrong_direction)])
    assert result.exit_code == 1, result.output
    sub_process = english_name(PROJECT_ROOT / "ontology" / "gsbpm.ttl", SUB_PROCESS)
    gsim = PROJECT_ROOT / "ontology" / "gsim.ttl"
    variable = english_name(gsim, "http://id.unece.org/def/gsim#ProcessMetric")
    metric = english_name(gsim, "http://id.unece.org/def/gsim#ProcessMetric")
    assert f"5.3 {sub_process} -> {variable} ({metric})" in result.output
    assert wrong_direction.name in result.output  # grouped under the file the mapping comes from
    assert "role fits direction" in result.output
    assert not re.search(r"\b_:|\bN[0-9a-f]{32}\b", result.output), "a blank node is named in the report"


def test_json_report_has_the_fields(runner: CliRunner, wrong_direction: Path) -> None:
    result = runner.invoke(main, ["validate", "--no-owl", "--format", "json", str(wrong_direction)])
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["conforms"] is False
    assert payload["counts"]["Violation"] == len([r for r in payload["results"] if r["severity"] == "Violation"]) == 1
    (found,) = payload["results"]
    assert set(found) >= {"file", "focus", "focus_node", "rule", "message", "value", "expected", "severity"}
    assert found["focus_node"] == MAPPING
    assert Path(found["file"]).name == wrong_direction.name
    assert found["value"] == "gsim:ProcessMetric"
    assert found["severity"] == "Violation"
    assert found["message"] and found["expected"]


def test_turtle_report_is_a_shacl_validation_report(runner: CliRunner, wrong_direction: Path) -> None:
    result = runner.invoke(main, ["validate", "--no-owl", "--format", "turtle", str(wrong_direction)])
    assert result.exit_code == 1
    graph = Graph().parse(data=result.stdout, format="turtle")
    (report,) = graph.subjects(RDF.type, SH.ValidationReport)
    assert graph.value(report, SH.conforms) == Literal(False)
    focus = {graph.value(r, SH.focusNode) for r in graph.objects(report, SH.result)}
    assert focus == {URIRef(MAPPING)}


def test_turtle_report_of_conformant_content_says_so(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", "--no-owl", "--format", "turtle"])
    assert result.exit_code == 0
    graph = Graph().parse(data=result.stdout, format="turtle")
    (report,) = graph.subjects(RDF.type, SH.ValidationReport)
    assert graph.value(report, SH.conforms) == Literal(True)


def test_broken_turtle_exits_2_with_file_line_and_column(runner: CliRunner, broken: Path) -> None:
    result = runner.invoke(main, ["validate", "--no-owl", str(broken)])
    assert result.exit_code == 2
    assert re.search(rf"broken\.ttl:{broken_line(broken)}:\d+: Turtle syntax error", result.output), result.output
    assert "Traceback" not in result.output


def test_broken_turtle_through_the_installed_command_has_no_traceback(broken: Path) -> None:
    process = subprocess.run(
        [sys.executable, "-m", "modernstats_kg", "validate", "--no-owl", str(broken)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert process.returncode == 2
    assert f"broken.ttl:{broken_line(broken)}:" in process.stderr
    assert "Traceback" not in process.stderr + process.stdout


def test_missing_file_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["validate", "--no-owl", str(tmp_path / "absent.ttl")])
    assert result.exit_code == 2
    assert "absent.ttl" in result.output


def test_installed_command_exit_code_on_violations(wrong_direction: Path) -> None:
    process = subprocess.run(
        [sys.executable, "-m", "modernstats_kg", "validate", "--no-owl", "--format", "json", str(wrong_direction)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert process.returncode == 1
    assert json.loads(process.stdout)["conforms"] is False


# --- OWL consistency ---------------------------------------------------------------------------------------------

ONTOLOGY_HEADER = """@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/owl#> .
<http://example.org/owl> a owl:Ontology .
ex:Survey a owl:Class ; rdfs:label "Survey"@en .
ex:Register a owl:Class ; rdfs:label "Register"@en ; owl:disjointWith ex:Survey .
"""


def owl_file(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "ontology"
    folder.mkdir(exist_ok=True)
    path = folder / "small.ttl"
    path.write_text(ONTOLOGY_HEADER + body, encoding="utf-8")
    return path


def needs_java() -> None:
    from conftest import require
    from modernstats_kg.validation.owl import java_executable

    require(java_executable() is not None, "java not found: install a Java runtime (default-jre-headless)")


def test_owl_inconsistency_is_reported_with_its_file(tmp_path: Path) -> None:
    needs_java()
    path = owl_file(tmp_path, "ex:census a ex:Survey , ex:Register .\n")
    report = validate(files=[path], root=tmp_path, shapes=[], owl=True)
    assert report.owl["checked"] is True and report.owl["consistent"] is False
    assert not report.conforms
    (problem,) = report.results
    assert problem.file == "ontology/small.ttl"
    assert problem.rule == "OWL consistency"
    assert "INCONSISTENT" in report.to_text()


def test_owl_unsatisfiable_class_is_named(tmp_path: Path) -> None:
    needs_java()
    path = owl_file(
        tmp_path, 'ex:Hybrid a owl:Class ; rdfs:label "Hybrid"@en ; rdfs:subClassOf ex:Survey , ex:Register .\n'
    )
    report = validate(files=[path], root=tmp_path, shapes=[], owl=True)
    assert report.owl["consistent"] is True
    assert [(r.focus, r.focus_node) for r in report.violations] == [("Hybrid", "http://example.org/owl#Hybrid")]


def test_owl_consistent_ontology_passes(tmp_path: Path) -> None:
    needs_java()
    path = owl_file(tmp_path, "ex:census a ex:Survey .\n")
    report = validate(files=[path], root=tmp_path, shapes=[], owl=True)
    assert report.owl["consistent"] is True
    assert report.conforms and not report.results


def test_without_java_the_owl_step_is_skipped_with_one_line(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(owlready2, "JAVA_EXE", "/nonexistent/java-for-this-test")
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if "OWL consistency not checked" in line]
    assert len(notes) == 1 and "java" in notes[0]


@pytest.mark.slow
def test_real_content_is_owl_consistent(runner: CliRunner) -> None:
    needs_java()
    result = runner.invoke(main, ["validate", "--format", "json"])
    payload = json.loads(result.stdout)
    assert payload["owl"]["checked"] is True, payload["owl"]
    assert payload["owl"]["consistent"] is True
    assert result.exit_code == 0, [r for r in payload["results"] if r["severity"] == "Violation"]
