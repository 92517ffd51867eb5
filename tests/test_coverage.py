"""`mskg coverage`: gaps in the GSIM-GSBPM mapping, unused GSIM classes, counts per phase and role."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF

from conftest import PROJECT_ROOT
from modernstats_kg.cli import main
from modernstats_kg.validation.coverage import Coverage, code_key, coverage_of_files

CONTEXT = Path(__file__).parent / "fixtures" / "shapes" / "_context.ttl"
GSIM = "http://id.unece.org/def/gsim#"
MAP = "http://id.unece.org/def/mapping#"


@pytest.fixture(scope="module")
def real() -> Coverage:
    return coverage_of_files(root=PROJECT_ROOT)


def extra_mapping(tmp_path: Path, activity: str, cls: str, role: str, direction: str, status: str = "proposed") -> Path:
    path = tmp_path / f"extra-{len(list(tmp_path.iterdir()))}.ttl"
    path.write_text(
        f"""@prefix map: <{MAP}> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
<http://example.org/extra/{path.stem}> a owl:Ontology .
<http://example.org/extra/{path.stem}/m> a map:InformationMapping ;
    map:activity <http://id.unece.org/activities/{activity}> ; map:informationClass <{GSIM}{cls}> ;
    map:role <{GSIM}{role}> ; map:direction map:{direction} ; map:status map:{status} .
""",
        encoding="utf-8",
    )
    return path


def test_small_content_gaps_follow_the_mappings(tmp_path: Path) -> None:
    # The context maps 5.3 <- Instance Variable as Core Input; add 5.4 -> Data Set as Core Output.
    extra = extra_mapping(tmp_path, "subProcess/5.4", "DataSet", "CoreOutput", "output")
    coverage = coverage_of_files([CONTEXT, extra])
    assert [a.code for a in coverage.activities] == ["0.2", "5.3", "5.4"]
    assert [a.code for a in coverage.without_inputs] == ["0.2", "5.4"]
    assert [a.code for a in coverage.without_outputs] == ["0.2", "5.3"]
    unused = {c["iri"].removeprefix(GSIM) for c in coverage.unused_classes}
    assert "InstanceVariable" not in unused and "DataSet" not in unused
    assert "CoreInput" in unused  # a role class is still a GSIM class no mapping is about
    assert "Variable" not in unused  # deprecated GSIM 1.2 names are not counted
    assert coverage.per_phase == {"5": 2}
    assert coverage.per_role == {"Core Input": 1, "Core Output": 1}


def test_deprecated_mappings_do_not_count(tmp_path: Path) -> None:
    extra = extra_mapping(tmp_path, "subProcess/5.4", "DataSet", "CoreOutput", "output", status="deprecated")
    coverage = coverage_of_files([CONTEXT, extra])
    assert coverage.mappings == 1
    assert "5.4" in [a.code for a in coverage.without_outputs]
    assert "DataSet" in {c["iri"].removeprefix(GSIM) for c in coverage.unused_classes}


def test_overarching_processes_count_as_phase_0(tmp_path: Path) -> None:
    extra = extra_mapping(tmp_path, "overarchingActivity/0.2", "DataSet", "ProcessSupportInput", "input")
    coverage = coverage_of_files([CONTEXT, extra])
    assert coverage.per_phase == {"0": 1, "5": 1}
    assert coverage.per_phase_and_role["0"] == {"Process Support Input": 1}


def test_real_coverage_lists_every_gsbpm_sub_process_of_the_reference(real: Coverage, reference_dir: Path) -> None:
    coos = Graph().parse(reference_dir / "coos" / "coos.ttl")
    prefix = "http://id.unece.org/activities/subProcess/"
    reference = {str(s).removeprefix(prefix) for s in set(coos.subjects()) if str(s).startswith(prefix)}
    assert {a.code for a in real.activities if a.iri.startswith(prefix)} == reference


def test_real_coverage_counts_add_up(real: Coverage) -> None:
    mappings = Graph()
    for path in (PROJECT_ROOT / "mappings").glob("*.ttl"):
        mappings.parse(path)
    live = [
        m
        for m in mappings.subjects(RDF.type, URIRef(MAP + "InformationMapping"))
        if (m, URIRef(MAP + "status"), URIRef(MAP + "deprecated")) not in mappings
    ]
    assert real.mappings == len(live) > 0
    assert sum(real.per_phase.values()) == sum(real.per_role.values()) == real.mappings
    assert sum(a.inputs + a.outputs for a in real.activities) == real.mappings
    assert [a.code for a in real.without_inputs] == [a.code for a in real.activities if a.inputs == 0]
    for phase, row in real.per_phase_and_role.items():
        assert sum(row.values()) == real.per_phase[phase]


def test_real_unused_classes_are_current_gsim_classes_no_mapping_uses(real: Coverage) -> None:
    gsim = Graph().parse(PROJECT_ROOT / "ontology" / "gsim.ttl")
    current = {
        str(c) for c in gsim.subjects(URIRef(GSIM + "group"), None) if (c, OWL.deprecated, Literal(True)) not in gsim
    }
    mappings = Graph()
    for path in (PROJECT_ROOT / "mappings").glob("*.ttl"):
        mappings.parse(path)
    withdrawn = set(mappings.subjects(URIRef(MAP + "status"), URIRef(MAP + "deprecated")))
    used = {str(c) for m, c in mappings.subject_objects(URIRef(MAP + "informationClass")) if m not in withdrawn}
    assert {c["iri"] for c in real.unused_classes} == current - used
    assert real.gsim_classes == len(current)


def test_code_key_orders_numerically() -> None:
    assert sorted(["5.10", "5.9", "0.2", "10.1"], key=code_key) == ["0.2", "5.9", "5.10", "10.1"]


def test_coverage_command_text_and_json(real: Coverage) -> None:
    runner = CliRunner()
    text = runner.invoke(main, ["coverage"])
    assert text.exit_code == 0, text.output
    assert "Activities without any input mapped" in text.output
    assert "Mappings per phase" in text.output
    as_json = runner.invoke(main, ["coverage", "--format", "json"])
    assert as_json.exit_code == 0
    payload = json.loads(as_json.stdout)
    assert payload["mappings"] == real.mappings
    assert payload["without_inputs"] == [a.code for a in real.without_inputs]
    assert {"activities", "unused_classes", "per_phase", "per_role", "per_phase_and_role"} <= set(payload)


def test_coverage_command_on_unreadable_content_exits_2(tmp_path: Path) -> None:
    (tmp_path / "ontology").mkdir()
    (tmp_path / "mappings").mkdir()
    (tmp_path / "ontology" / "bad.ttl").write_text("<http://a> <http://b> .\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["coverage", "--content", str(tmp_path)])
    assert result.exit_code == 2
    assert "bad.ttl:1:" in result.output
