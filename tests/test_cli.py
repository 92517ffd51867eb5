"""The `mskg` command, run as a real process: output, help, exit codes, no tracebacks for user errors."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib

from conftest import PROJECT_ROOT
from test_content import BROKEN, GOOD_ONTOLOGY, GOOD_SCHEME, write_content

SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
PHASE_5 = "http://id.unece.org/activities/phase/5"
PHASE_5_QUERY = f"""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?code ?name WHERE {{ ?sp skos:broader <{PHASE_5}> ; skos:notation ?code ; skos:prefLabel ?name .
  FILTER(lang(?name) = "en") }} ORDER BY ?code"""


def mskg(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "modernstats_kg", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd or PROJECT_ROOT,
        timeout=120,
    )


def assert_clean_failure(result: subprocess.CompletedProcess[str], code: int) -> None:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def reference_phase_5(reference_dir: Path) -> list[tuple[str, str]]:
    graph = rdflib.Graph().parse(reference_dir / "coos" / "coos.ttl")
    rows = []
    for sp in graph.subjects(SKOS.broader, rdflib.URIRef(PHASE_5)):
        names = [str(o) for o in graph.objects(sp, SKOS.prefLabel) if getattr(o, "language", None) == "en"]
        rows.append((str(graph.value(sp, SKOS.notation)), names[0]))
    return sorted(rows)


def test_query_prints_the_subprocesses_of_phase_5_as_in_the_reference(reference_dir: Path) -> None:
    result = mskg("query", PHASE_5_QUERY, "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = [tuple(r) for r in csv.reader(io.StringIO(result.stdout))]
    assert rows[0] == ("code", "name")
    assert [code for code, _ in rows[1:]] == [code for code, _ in reference_phase_5(reference_dir)]
    assert len(rows) == 1 + 8


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "tsv"])
def test_query_output_formats_carry_the_same_rows(tmp_path: Path, fmt: str) -> None:
    root = write_content(tmp_path, {"ontology/a.ttl": GOOD_ONTOLOGY, "ontology/b.ttl": GOOD_SCHEME})
    sparql = "SELECT ?c ?n WHERE { ?c <http://www.w3.org/2004/02/skos/core#notation> ?n }"
    result = mskg("query", sparql, "--format", fmt, "--content", str(root))
    assert result.returncode == 0, result.stderr
    if fmt == "json":
        bindings = json.loads(result.stdout)["results"]["bindings"]
        assert [(b["c"]["value"], b["n"]["value"]) for b in bindings] == [("http://example.org/scheme/1", "1")]
    else:
        assert "http://example.org/scheme/1" in result.stdout
        if fmt == "table":
            assert result.stdout.splitlines()[0].split() == ["c", "n"]
            assert "(1 row)" in result.stdout
        if fmt == "tsv":
            assert result.stdout.splitlines()[0] == "?c\t?n"


def test_query_reads_from_a_file_and_from_stdin(tmp_path: Path) -> None:
    root = write_content(tmp_path / "c", {"ontology/a.ttl": GOOD_ONTOLOGY})
    query_file = tmp_path / "q.rq"
    query_file.write_text("ASK { ?x a <http://www.w3.org/2002/07/owl#Class> }")
    from_file = mskg("query", "--file", str(query_file), "--content", str(root))
    from_stdin = mskg("query", "--content", str(root), stdin=query_file.read_text())
    assert from_file.stdout.strip() == from_stdin.stdout.strip() == "true"


def test_construct_prints_turtle_that_parses(tmp_path: Path) -> None:
    root = write_content(tmp_path, {"ontology/a.ttl": GOOD_ONTOLOGY})
    result = mskg("query", "CONSTRUCT WHERE { ?s ?p ?o }", "--content", str(root))
    assert result.returncode == 0
    assert len(rdflib.Graph().parse(data=result.stdout, format="turtle")) == 3


def test_sparql_syntax_error_is_a_user_error_with_position() -> None:
    result = mskg("query", "SELECT ?x WHERE { ?x ?y }")
    assert_clean_failure(result, 1)
    assert "SPARQL syntax error" in result.stderr and "1:" in result.stderr


def test_broken_turtle_is_unreadable_input_named_with_line_and_column(tmp_path: Path) -> None:
    root = write_content(tmp_path, {"ontology/a.ttl": GOOD_ONTOLOGY, "ontology/broken.ttl": BROKEN})
    result = mskg("stats", "--content", str(root))
    assert_clean_failure(result, 2)
    assert "broken.ttl:3:45" in result.stderr


def test_load_into_disk_store_then_reuse_it(tmp_path: Path) -> None:
    root = write_content(tmp_path / "c", {"ontology/a.ttl": GOOD_ONTOLOGY, "ontology/b.ttl": GOOD_SCHEME})
    store = tmp_path / "store"
    first = mskg("load", "--store", str(store), "--content", str(root))
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("Loaded 7 triples in 2 graphs")
    second = mskg("load", "--store", str(store), "--content", str(root))
    assert second.stdout.startswith("Already current: 7 triples")
    stats = mskg("stats", "--store", str(store), "--content", str(root))
    assert "http://example.org/scheme" in stats.stdout and re.search(r"SKOS concepts \(all\) +1\n", stats.stdout)


def test_load_without_a_store_directory_is_a_user_error() -> None:
    assert_clean_failure(mskg("load"), 1)


def test_unknown_option_is_a_user_error() -> None:
    result = mskg("query", "--no-such-option")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", [[], ["serve"], ["load"], ["query"], ["stats"]])
def test_every_command_has_help(command: list[str]) -> None:
    result = mskg(*command, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("Usage: ")


def test_stats_counts_match_the_reference_models(reference_dir: Path) -> None:
    coos = rdflib.Graph().parse(reference_dir / "coos" / "coos.ttl")
    subjects = {str(s) for s in coos.subjects(SKOS.notation, None)}

    def coos_count(prefix: str) -> int:
        return sum(1 for s in subjects if s.startswith(f"http://id.unece.org/activities/{prefix}/"))

    classes_md = (reference_dir / "gsim-2.0" / "gsim-2.0-classes.md").read_text(encoding="utf-8")
    official_classes = {line[4:].strip() for line in classes_md.splitlines() if line.startswith("### ")}
    result = mskg("stats")
    assert result.returncode == 0, result.stderr
    printed = {}
    for line in result.stdout.splitlines():
        label, _, number = line.rpartition(" ")
        if number.isdigit():
            printed[label.strip()] = int(number)
    assert printed["GSBPM phases"] == coos_count("phase") == 8
    assert printed["GSBPM sub-processes"] == coos_count("subProcess") == 44
    assert printed["GSBPM overarching processes"] == coos_count("overarchingActivity") + 3 == 6
    assert printed["GAMSO activity areas"] == coos_count("activityArea")
    assert printed["GAMSO activities"] == coos_count("activity")
    assert printed["GSIM 2.0 classes"] == len(official_classes) == 127
    assert printed["GSIM-GSBPM mappings"] >= 2 * 44
    assert printed["total"] == sum(v for k, v in printed.items() if k.startswith("http"))


# --- serve --get: one in-process request -------------------------------------------------------------------------


def test_serve_get_prints_the_body_of_a_2xx_and_exits_0() -> None:
    result = mskg("serve", "--get", "/api/v1/subprocesses/5.3")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["code"] == "5.3"


def test_serve_get_sends_the_accept_header() -> None:
    path = "/sparql?query=ASK%20%7B%20?s%20?p%20?o%20%7D"
    result = mskg("serve", "--get", path, "--accept", "application/sparql-results+xml")
    assert result.returncode == 0, result.stderr
    assert "<boolean>true</boolean>" in result.stdout
    refused = mskg("serve", "--get", path, "--accept", "text/csv")  # ASK has no CSV form: 406, exit 1
    assert refused.returncode == 1 and json.loads(refused.stdout)["status"] == 406


def test_serve_get_of_a_missing_page_prints_the_error_body_and_exits_1() -> None:
    result = mskg("serve", "--get", "/activities/subProcess/9.9")
    assert result.returncode == 1
    assert json.loads(result.stdout)["status"] == 404
    assert result.stderr.strip() == "GET /activities/subProcess/9.9: 404 Not Found"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["serve", "--accept", "text/csv"], "--accept can only be used with --get"),
        (["serve", "--get", "health"], "starts with '/'"),
    ],
)
def test_serve_get_misuse_is_a_usage_error(args: list[str], message: str) -> None:
    result = mskg(*args)
    assert result.returncode == 1 and message in result.stderr  # the CLI's exit code for user errors
    assert "Traceback" not in result.stderr
