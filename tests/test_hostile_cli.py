"""`mskg validate`, `mskg query` and `mskg coverage` on hostile or careless input: bounded time and memory, one line.

Each hostile run is a real `mskg` process under an address-space cap (RLIMIT_AS) and a wall-clock timeout, so a
regression fails the test instead of eating the machine.
"""

from __future__ import annotations

import importlib.util
import json
import os
import resource
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import pytest
from rdflib import Graph, Namespace

from conftest import PROJECT_ROOT
from modernstats_kg.validation.loading import load_files, shape_files
from modernstats_kg.validation.shacl import load_shapes, validate_shacl

SH = Namespace("http://www.w3.org/ns/shacl#")
SHAPES_CONTEXT = PROJECT_ROOT / "tests" / "fixtures" / "shapes" / "_context.ttl"  # the models the shapes refer to
MSKG = str(Path(sys.executable).parent / "mskg")
GIB = 1024**3


def _load_hostile_files() -> ModuleType:
    spec = importlib.util.spec_from_file_location("hostile_files", PROJECT_ROOT / "bench" / "hostile_files.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hostile = _load_hostile_files()


def mskg(
    *args: str | Path, memory: int = GIB, timeout: float = 60, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `mskg` in its own process with at most `memory` bytes of address space and `timeout` seconds."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run(
        [MSKG, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=cap,
        cwd=cwd,
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The single stderr line of a failed command (no traceback)."""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


# --- unreadable files: refused at once, one line, exit 2 ------------------------------------------------------------


def test_dev_zero_is_refused_without_reading_it() -> None:
    result = mskg("validate", "--no-owl", "/dev/zero", memory=GIB, timeout=30)
    assert result.returncode == 2
    line = one_line_error(result)
    assert "/dev/zero" in line and "not a regular file" in line and "device" in line


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "proposal.ttl"
    os.mkfifo(fifo)
    result = mskg("validate", "--no-owl", fifo, timeout=30)
    assert result.returncode == 2
    assert "FIFO" in one_line_error(result)


def test_a_directory_is_refused_as_unreadable_input(tmp_path: Path) -> None:
    result = mskg("validate", "--no-owl", tmp_path, timeout=30)
    assert result.returncode == 2
    assert "directory" in one_line_error(result)


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.ttl"
    with big.open("wb") as file:  # sparse: 40 MB on paper, nothing on disk
        file.truncate(40 * 1024 * 1024)
    started = time.perf_counter()
    result = mskg("validate", "--no-owl", big, memory=GIB, timeout=30)
    assert result.returncode == 2
    line = one_line_error(result)
    assert "big.ttl" in line and f"{32 * 1024 * 1024:,}-byte limit" in line
    assert time.perf_counter() - started < 15


def test_the_size_cap_is_an_option(tmp_path: Path) -> None:
    small = hostile.write_failing_mappings(tmp_path / "small.ttl", 100)
    assert small.stat().st_size > 2000
    result = mskg("validate", "--no-owl", "--max-file-bytes", "2000", small, timeout=60)
    assert result.returncode == 2
    assert "2,000-byte limit" in one_line_error(result)


# --- blank nodes: named, never expanded -------------------------------------------------------------------------


def test_blank_node_billion_laughs_is_reported_within_a_gigabyte(tmp_path: Path) -> None:
    laughs = hostile.write_blank_node_laughs(tmp_path / "laughs.ttl")
    assert laughs.stat().st_size < 30_000
    result = mskg("validate", "--no-owl", "--format", "json", laughs, memory=GIB, timeout=60)
    assert result.returncode == 1, result.stderr[-2000:]
    report = json.loads(result.stdout)
    blank = [r for r in report["results"] if r["focus_node"].startswith("_:")]
    assert blank, "the blank-node mapping breaks the mapping rules and must be reported"
    assert all(r["file"].endswith("laughs.ttl") for r in blank)
    assert len(result.stdout) < 1_000_000  # named, not written out

    turtle = mskg("validate", "--no-owl", "--format", "turtle", laughs, memory=GIB, timeout=60)
    assert turtle.returncode == 1, turtle.stderr[-2000:]
    assert len(turtle.stdout) < 1_000_000
    assert len(list(Graph().parse(data=turtle.stdout, format="turtle").objects(None, SH.result))) == report["shown"]


# --- many failing nodes: fast, counted in full, reported up to the cap ----------------------------------------------


def results_per_failing_mapping(tmp_path: Path) -> int:
    """How many results one bare mapping gets, found by pyshacl alone (no fast paths, no cap) on a small sample."""
    shapes = load_shapes(shape_files(PROJECT_ROOT))

    def results(count: int) -> int:
        sample = hostile.write_failing_mappings(tmp_path / f"sample{count}.ttl", count)
        outcome = validate_shacl(load_files([SHAPES_CONTEXT, sample]), shapes, pure_pyshacl=True)
        return len(set(outcome.report.objects(None, SH.result)))

    per_mapping = results(4) - results(3)
    assert per_mapping > 0
    return per_mapping


@pytest.mark.slow
def test_fifty_thousand_failing_mappings_are_counted_in_full_and_reported_up_to_the_cap(tmp_path: Path) -> None:
    per_mapping = results_per_failing_mapping(tmp_path)
    many = hostile.write_failing_mappings(tmp_path / "many.ttl", 50_000)
    few = hostile.write_failing_mappings(tmp_path / "few.ttl", 0)
    started = time.perf_counter()
    result = mskg("validate", "--no-owl", "--format", "json", many, memory=2 * GIB, timeout=300)
    seconds = time.perf_counter() - started
    assert result.returncode == 1, result.stderr[-2000:]
    report = json.loads(result.stdout)
    baseline = json.loads(mskg("validate", "--no-owl", "--format", "json", few, timeout=60).stdout)
    assert report["total"] - baseline["total"] == 50_000 * per_mapping
    assert report["shown"] == len(report["results"]) == 1000
    # Over 13 minutes before; about 20 s on an idle 2-CPU machine now (bench/bench_hostile_validate.py keeps the
    # 30 s target); the bound here leaves room for a machine shared with other work (80 s seen at load 12).
    assert seconds < 240


@pytest.mark.slow
def test_results_beyond_the_cap_are_counted_and_said_to_be_left_out(tmp_path: Path) -> None:
    mappings = hostile.write_failing_mappings(tmp_path / "mappings.ttl", 20)
    full = json.loads(mskg("validate", "--no-owl", "--format", "json", "--max-results", "0", mappings).stdout)
    assert full["shown"] == full["total"] > 20
    capped = mskg("validate", "--no-owl", "--format", "json", "--max-results", "7", mappings)
    report = json.loads(capped.stdout)
    assert report["shown"] == len(report["results"]) == 7
    assert report["total"] == full["total"] and report["counts"] == full["counts"]
    text = mskg("validate", "--no-owl", "--max-results", "7", mappings)
    assert text.returncode == 1
    assert f"7 of {full['total']} results shown; {full['total'] - 7} more not shown" in text.stdout
    assert f"({full['counts']['Violation']} violations)" in text.stdout
    turtle = mskg("validate", "--no-owl", "--format", "turtle", "--max-results", "7", mappings)
    assert turtle.stdout.startswith(f"# 7 of {full['total']} results shown")
    assert len(list(Graph().parse(data=turtle.stdout, format="turtle").objects(None, SH.result))) == 7


def _result_keys(report: Graph) -> Counter[tuple[str, ...]]:
    return Counter(
        (
            str(report.value(r, SH.focusNode)),
            str(report.value(r, SH.sourceShape)),
            str(report.value(r, SH.sourceConstraintComponent)),
            str(report.value(r, SH.resultPath)),
        )
        for r in report.objects(None, SH.result)
    )


def test_bulk_checked_property_shapes_report_what_pyshacl_reports_per_node(tmp_path: Path) -> None:
    """Shared property shapes (mappings and service supports) are checked through copies reported as the original."""
    files: Sequence[Path] = [
        SHAPES_CONTEXT,
        hostile.write_failing_mappings(tmp_path / "mappings.ttl", 5),
        tmp_path / "supports.ttl",
    ]
    (tmp_path / "supports.ttl").write_text(
        hostile.HEADER.replace("hostile>", "hostile-supports>")
        + "ex:s1 a map:ServiceSupport .\nex:s2 a map:ServiceSupport ; map:status map:proposed .\n",
        encoding="utf-8",
    )
    loaded = load_files(files)
    shapes = load_shapes(shape_files(PROJECT_ROOT))
    bulk = validate_shacl(loaded, shapes)
    per_node = validate_shacl(loaded, shapes, pure_pyshacl=True)
    assert bulk.conforms == per_node.conforms is False
    expected = _result_keys(per_node.report)
    assert any("ServiceSupport" in k[0] or k[0].endswith("/s1") for k in expected)
    assert _result_keys(bulk.report) == expected


# --- query and coverage: the exit codes the README gives ----------------------------------------------------------


def test_query_from_a_missing_file_is_unreadable_input(tmp_path: Path) -> None:
    result = mskg("query", "-f", tmp_path / "missing.rq", timeout=60)
    assert result.returncode == 2
    line = one_line_error(result)
    assert "missing.rq" in line and "No such file" in line


def test_query_from_dev_zero_is_refused_without_reading_it() -> None:
    result = mskg("query", "-f", "/dev/zero", memory=GIB, timeout=30)
    assert result.returncode == 2
    assert "not a regular file" in one_line_error(result)


def test_query_on_endless_stdin_is_refused_past_the_cap() -> None:
    with open("/dev/zero", "rb") as endless:
        result = subprocess.run(
            [MSKG, "query"],
            stdin=endless,
            capture_output=True,
            text=True,
            timeout=30,
            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (GIB, GIB)),
        )
    assert result.returncode == 2
    assert "more than 1,000,000 bytes" in one_line_error(result)


@pytest.mark.parametrize("folders", [[], ["ontology", "mappings", "shapes"]], ids=["empty", "empty-subfolders"])
def test_coverage_of_an_empty_content_folder_fails_with_one_line(tmp_path: Path, folders: list[str]) -> None:
    for folder in folders:
        (tmp_path / folder).mkdir()
    result = mskg("coverage", "--content", tmp_path, timeout=60)
    assert result.returncode == 2
    line = one_line_error(result)
    assert str(tmp_path) in line and "no Turtle files" in line


def test_coverage_without_gsbpm_fails_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "ontology").mkdir()
    (tmp_path / "ontology" / "other.ttl").write_text(
        "<http://example.org/o> a <http://www.w3.org/2002/07/owl#Ontology> .\n", encoding="utf-8"
    )
    result = mskg("coverage", "--content", tmp_path, timeout=60)
    assert result.returncode == 2
    assert "no GSBPM sub-processes" in one_line_error(result)


@pytest.mark.slow
def test_running_out_of_memory_is_one_line_and_exit_2(tmp_path: Path) -> None:
    many = hostile.write_failing_mappings(tmp_path / "many.ttl", 50_000)
    result = mskg("validate", "--no-owl", many, memory=400 * 1024**2, timeout=120)
    assert result.returncode == 2
    assert "out of memory" in one_line_error(result)
