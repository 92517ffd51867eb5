"""Validation of the content: SHACL shapes and OWL consistency, gathered into one readable `Report`.

    from modernstats_kg.validation import validate
    report = validate()                      # all content files, shapes from shapes/, with the OWL check
    report = validate(extra=[Path("new.ttl")], owl=False)
    print(report.to_text())

A file that cannot be read or parsed raises `ContentError` (file, line and column) before anything is checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rdflib import Graph

from ..content import ContentError, default_content_root
from .change import ChangeValidation, validate_change
from .limits import MAX_FILE_BYTES, MAX_RESULTS
from .loading import LoadedFiles, data_files, load_files, shape_files
from .report import SEVERITY_ORDER, Report, Result, display_path, shacl_results
from .shacl import load_shapes, validate_shacl

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_RESULTS",
    "ChangeValidation",
    "ContentError",
    "LoadedFiles",
    "Report",
    "Result",
    "validate",
    "validate_change",
    "validate_loaded",
]


def validate(
    files: Sequence[Path] | None = None,
    *,
    root: Path | None = None,
    extra: Sequence[Path] = (),
    shapes: Sequence[Path] | None = None,
    owl: bool = True,
    max_results: int | None = MAX_RESULTS,
    max_file_bytes: int = MAX_FILE_BYTES,
) -> Report:
    """Validate `files` (default: the content's ontology and mapping files) plus `extra` files.

    The data graph is the union of all of them; the shapes are `shapes` (default: the content's shapes files).
    With `owl`, the ontologies are also checked for consistency with HermiT. The report holds at most
    `max_results` results (the most severe first; None: all) and counts all of them. Only regular files of at
    most `max_file_bytes` are read."""
    base = root or default_content_root()
    data_paths = [*(files if files is not None else data_files(base)), *extra]
    shape_paths = list(shapes) if shapes is not None else shape_files(base)
    loaded = load_files(data_paths, max_file_bytes=max_file_bytes)
    shapes_graph = load_shapes(shape_paths, max_file_bytes=max_file_bytes)
    return validate_loaded(loaded, shapes_graph, root=base, owl=owl, max_results=max_results)


def validate_loaded(
    loaded: LoadedFiles,
    shapes_graph: Graph,
    *,
    root: Path | None = None,
    owl: bool = True,
    max_results: int | None = MAX_RESULTS,
) -> Report:
    """Validate already parsed files (see `validate`)."""
    outcome = validate_shacl(loaded, shapes_graph, max_results=max_results)
    report = Report(
        results=_most_severe(shacl_results(outcome.report, shapes_graph, loaded, root), max_results),
        files=[display_path(p, root) for p in loaded.paths],
        shacl_conforms=outcome.conforms,
        graph=outcome.report,
        found=outcome.found,
    )
    if owl:
        from .owl import check_consistency  # owlready2 (and Java) load only when the OWL check runs

        report.owl, owl_results = check_consistency(loaded, root=root)
        report.found.update(r.severity for r in owl_results)
        report.results.extend(owl_results)
    else:
        report.owl = {"checked": False, "consistent": None, "reason": "skipped with --no-owl"}
    return report


def _most_severe(results: list[Result], limit: int | None) -> list[Result]:
    """The first `limit` results by severity, in the order they came (both engines may each have given `limit`)."""
    if limit is None or len(results) <= limit:
        return results
    kept = set(map(id, sorted(results, key=lambda r: SEVERITY_ORDER.get(r.severity, 9))[:limit]))
    return [r for r in results if id(r) in kept]
