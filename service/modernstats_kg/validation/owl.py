"""OWL 2 consistency of the content with HermiT, the reasoner owlready2 ships.

The parsed Turtle is written as N-Triples (rdflib) to a temporary folder and handed to owlready2's HermiT with
owlready2's Java settings. Two questions are asked, not a full classification (`owlready2.sync_reasoner`
classifies and realises every individual, which takes close to a minute over the whole content):
- is everything together consistent (ontologies and mappings), and if not, which files are inconsistent alone;
- which classes of the ontologies are unsatisfiable (equivalent to owl:Nothing).
When no Java runtime is found, the check is skipped and the report says so.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import owlready2
from owlready2 import reasoning
from rdflib import Graph, URIRef

from .loading import LoadedFiles, to_rdflib
from .report import Result, display_path, focus_name

_UNSATISFIABLE = re.compile(r"^\t<?([^\s<>]+)>?$", re.MULTILINE)
_NOTHING = "http://www.w3.org/2002/07/owl#Nothing"
CHECK_SECONDS = 300


class ReasonerError(RuntimeError):
    """HermiT could not run or could not read the ontologies."""


def java_executable() -> str | None:
    return shutil.which(owlready2.JAVA_EXE or "java")


def _write_ntriples(data: LoadedFiles, paths: Sequence[Path], target: Path) -> Path:
    graph = Graph()
    for path in paths:
        for t in data.triples[path]:
            graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    graph.serialize(target, format="nt", encoding="utf-8")
    return target


def _command(java: str, source: Path, *flags: str) -> list[str]:
    return [
        java,
        f"-Xmx{owlready2.JAVA_MEMORY}M",
        "-XX:TieredStopAtLevel=1",  # short runs: the quick JIT tier halves HermiT's wall time here
        "-cp",
        reasoning._HERMIT_CLASSPATH,
        "org.semanticweb.HermiT.cli.CommandLine",
        "--ignoreUnsupportedDatatypes",
        "--no-prefixes",  # full IRIs in the output
        *flags,
        source.resolve().as_uri(),
    ]


def _start(java: str, source: Path, *flags: str) -> subprocess.Popen[str]:
    try:
        return subprocess.Popen(
            _command(java, source, *flags), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    except OSError as exc:
        raise ReasonerError(f"HermiT did not run: {exc}") from exc


def _finish(process: subprocess.Popen[str]) -> subprocess.CompletedProcess[str]:
    try:
        stdout, stderr = process.communicate(timeout=CHECK_SECONDS)
    except subprocess.TimeoutExpired as exc:
        process.kill()
        process.communicate()
        raise ReasonerError(f"HermiT took more than {CHECK_SECONDS} s") from exc
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def _is_inconsistent(process: subprocess.CompletedProcess[str]) -> bool:
    return process.returncode != 0 and "InconsistentOntologyException" in (process.stderr + process.stdout)


def _failure(process: subprocess.CompletedProcess[str]) -> ReasonerError:
    lines = (process.stderr or process.stdout).strip().splitlines()
    return ReasonerError("HermiT failed: " + (lines[0] if lines else f"exit code {process.returncode}"))


def _consistent(java: str, source: Path) -> bool:
    process = _finish(_start(java, source, "-k"))
    if _is_inconsistent(process):
        return False
    if process.returncode != 0:
        raise _failure(process)
    return True


def check_consistency(data: LoadedFiles, *, root: Path | None = None) -> tuple[dict[str, object], list[Result]]:
    """Check the loaded files; returns a summary for the report and the problems found as results."""
    java = java_executable()
    if java is None:
        return {"checked": False, "consistent": None, "reason": "java not found: install a Java runtime"}, []
    started = time.perf_counter()
    ontology_paths = [p for p in data.paths if p.parent.name == "ontology"] or list(data.paths)
    results: list[Result] = []
    try:
        with tempfile.TemporaryDirectory(prefix="mskg-owl-") as folder:
            everything = _write_ntriples(data, data.paths, Path(folder) / "all.nt")
            ontologies = _write_ntriples(data, ontology_paths, Path(folder) / "ontologies.nt")
            # Both questions at once, one JVM each: consistency of everything, unsatisfiable ontology classes.
            unsatisfiable = _start(java, ontologies, "-U")
            try:
                check = _finish(_start(java, everything, "-k"))
                consistent = not _is_inconsistent(check)
                if consistent and check.returncode != 0:
                    raise _failure(check)
                if consistent:
                    classes = _finish(unsatisfiable)
                    if classes.returncode != 0:
                        raise _failure(classes)
                    results.extend(_unsatisfiable(classes.stdout, data, root))
            finally:
                if unsatisfiable.poll() is None:
                    unsatisfiable.kill()
                unsatisfiable.communicate()  # reads and closes its pipes, also when it ended unread
            if not consistent:
                results.extend(_locate_inconsistency(java, data, Path(folder), root))
    except ReasonerError as exc:
        summary: dict[str, object] = {"checked": False, "consistent": None, "reason": str(exc)}
        return summary, []
    summary = {
        "checked": True,
        "consistent": consistent,
        "unsatisfiable_classes": sum(1 for r in results if r.component == "OWL:unsatisfiable"),
        "seconds": round(time.perf_counter() - started, 2),
    }
    return summary, results


def _locate_inconsistency(java: str, data: LoadedFiles, folder: Path, root: Path | None) -> list[Result]:
    culprits = []
    for index, path in enumerate(data.paths):
        single = _write_ntriples(data, [path], folder / f"file{index}.nt")
        if not _consistent(java, single):
            culprits.append(path)
    if culprits:
        return [
            Result(
                file=display_path(path, root),
                focus="the whole file",
                focus_node="",
                rule="OWL consistency",
                message="HermiT finds this file contradictory on its own: some individual is forced into disjoint "
                "classes, or a restriction cannot be met. Look at recent disjointness, cardinality, "
                "functional-property and type statements in it.",
                value="",
                expected="a consistent OWL 2 ontology",
                severity="Violation",
                shape="",
                component="OWL",
            )
            for path in culprits
        ]
    return [
        Result(
            file="(several files)",
            focus="all files together",
            focus_node="",
            rule="OWL consistency",
            message="Each file is consistent alone, but together they contradict each other: look for a term used "
            "in one file against the axioms (domains, ranges, disjointness, cardinalities) of another.",
            value="",
            expected="a consistent OWL 2 ontology",
            severity="Violation",
            shape="",
            component="OWL",
        )
    ]


def _unsatisfiable(output: str, data: LoadedFiles, root: Path | None) -> list[Result]:
    results = []
    for iri in sorted(set(_UNSATISFIABLE.findall(output)) - {_NOTHING}):
        path = data.file_of(iri)
        results.append(
            Result(
                file=display_path(path, root) if path else "(unknown file)",
                focus=focus_name(data.graph, URIRef(iri)),
                focus_node=iri,
                rule="satisfiable class",
                message="No individual can belong to this class: its superclasses, restrictions or disjointness "
                "axioms contradict each other. Check the axioms stated on it and on its superclasses.",
                value="",
                expected="a class that can have members",
                severity="Violation",
                shape="",
                component="OWL:unsatisfiable",
            )
        )
    return results
