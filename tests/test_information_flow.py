"""The information flow of the GSIM-GSBPM mapping holds together: every input is put out earlier (GSBPM order, or by
an overarching activity) or marked as coming from outside the process, an earlier cycle or the run itself; every output
is taken in later or marked as leaving the process. `mskg coverage` lists each gap with what explains it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import PROJECT_ROOT
from modernstats_kg.cli import main
from modernstats_kg.validation.coverage import Coverage, coverage_of_files

CONTEXT = Path(__file__).parent / "fixtures" / "shapes" / "_context.ttl"
MODELS = [PROJECT_ROOT / "mappings" / "mapping-vocabulary.ttl", PROJECT_ROOT / "ontology" / "gsim.ttl"]
MAP = "http://id.unece.org/def/mapping#"
GSIM = "http://id.unece.org/def/gsim#"
IM = "http://id.unece.org/mappings/informationMapping/"


@pytest.fixture(scope="module")
def real() -> Coverage:
    return coverage_of_files(root=PROJECT_ROOT)


def mapping(name: str, activity: str, cls: str, direction: str, extra: str = "") -> str:
    role = "CoreInput" if direction == "input" else "CoreOutput"
    return f"""<http://example.org/flow/{name}> a map:InformationMapping ;
    map:activity <http://id.unece.org/activities/{activity}> ; map:informationClass <{GSIM}{cls}> ;
    map:role <{GSIM}{role}> ; map:direction map:{direction} ; map:status map:proposed {extra}.
"""


def content(tmp_path: Path, *mappings: str) -> Path:
    path = tmp_path / "flow.ttl"
    path.write_text(
        f"@prefix map: <{MAP}> .\n@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "<http://example.org/flow> a owl:Ontology .\n" + "".join(mappings),
        encoding="utf-8",
    )
    return path


def gaps(coverage: Coverage) -> tuple[dict[str, str], dict[str, str]]:
    def short(iri: str) -> str:
        return iri.rsplit("/", 1)[-1]

    return (
        {short(g.end.mapping): g.explanation for g in coverage.flow.unproduced_inputs},
        {short(g.end.mapping): g.explanation for g in coverage.flow.untaken_outputs},
    )


def test_the_real_mapping_has_no_unexplained_flow_gap(real: Coverage) -> None:
    assert [g.end.describe() for g in real.flow.unexplained] == []
    # the gaps are there, each explained: the check is not vacuous
    assert len(real.flow.unproduced_inputs) > 40 and len(real.flow.untaken_outputs) > 10
    explanations = {g.explanation for g in (*real.flow.unproduced_inputs, *real.flow.untaken_outputs)}
    assert {"from outside the process", "from an earlier cycle", "set at run time", "to outside the process"} <= (
        explanations
    )


def test_every_parameter_input_is_set_at_run_time(real: Coverage) -> None:
    parameters = [g for g in real.flow.unproduced_inputs if g.end.cls == GSIM + "ParameterInput"]
    assert len(parameters) >= 10
    assert {g.explanation for g in parameters} == {"set at run time"}


def test_a_producer_must_come_earlier_and_a_taker_later(tmp_path: Path) -> None:
    # 5.4 puts out a Data Set that 5.3 takes in: too late for 5.3, too early for nobody after it
    extra = content(
        tmp_path,
        mapping("late", "subProcess/5.4", "DataSet", "output"),
        mapping("early", "subProcess/5.3", "DataSet", "input"),
    )
    inputs, outputs = gaps(coverage_of_files([CONTEXT, *MODELS, extra]))
    assert inputs["early"] == "" and outputs["late"] == ""


def test_overarching_activities_produce_and_take_for_every_step(tmp_path: Path) -> None:
    extra = content(
        tmp_path,
        mapping("kept", "overarchingActivity/0.2", "DataSet", "output"),
        mapping("used", "subProcess/5.3", "DataSet", "input"),
    )
    inputs, outputs = gaps(coverage_of_files([CONTEXT, *MODELS, extra]))
    assert "used" not in inputs and "kept" not in outputs


def test_a_subclass_or_superclass_carries_the_object(tmp_path: Path) -> None:
    extra = content(
        tmp_path,
        mapping("built", "subProcess/5.3", "Questionnaire", "output"),
        mapping("run", "subProcess/5.4", "ExchangeInstrument", "input"),
    )
    inputs, outputs = gaps(coverage_of_files([CONTEXT, *MODELS, extra]))
    assert "run" not in inputs and "built" not in outputs


def test_an_earlier_cycle_needs_a_later_producer(tmp_path: Path) -> None:
    boundary = "; map:flowBoundary map:fromEarlierCycle "
    with_producer = content(
        tmp_path,
        mapping("reused", "subProcess/5.3", "DataSet", "input", boundary),
        mapping("made", "subProcess/5.4", "DataSet", "output"),
    )
    inputs, outputs = gaps(coverage_of_files([CONTEXT, *MODELS, with_producer]))
    assert inputs["reused"] == "from an earlier cycle" and outputs["made"] == "taken in the next cycle"
    without = content(tmp_path, mapping("reused", "subProcess/5.3", "DataSet", "input", boundary))
    inputs, _ = gaps(coverage_of_files([CONTEXT, *MODELS, without]))
    assert inputs["reused"] == ""


def test_coverage_command_reports_the_flow(tmp_path: Path) -> None:
    runner = CliRunner()
    text = runner.invoke(main, ["coverage"])
    assert text.exit_code == 0, text.output
    assert "Inputs no earlier activity puts out (" in text.output
    assert "  4.1 Parameter Input (sample design parameters): set at run time" in text.output
    assert "NOT EXPLAINED" not in text.output
    answer = json.loads(runner.invoke(main, ["coverage", "--format", "json"]).output)
    assert answer["flow"]["unexplained"] == []
    assert any(g["explanation"] == "to outside the process" for g in answer["flow"]["untaken_outputs"])
