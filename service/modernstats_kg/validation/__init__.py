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
from .loading import LoadedFiles, data_files, load_files, shape_files
from .report import Report, Result, display_path, shacl_results
from .shacl import load_shapes, validate_shacl

__all__ = [
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
) -> Report:
    """Validate `files` (default: the content's ontology and mapping files) plus `extra` files.

    The data graph is the union of all of them; the shapes are `shapes` (default: the content's shapes files).
    With `owl`, the ontologies are also checked for consistency with HermiT."""
    base = root or default_content_root()
    data_paths = [*(files if files is not None else data_files(base)), *extra]
    shape_paths = list(shapes) if shapes is not None else shape_files(base)
    loaded = load_files(data_paths)
    shapes_graph = load_shapes(shape_paths)
    return validate_loaded(loaded, shapes_graph, root=base, owl=owl)


def validate_loaded(loaded: LoadedFiles, shapes_graph: Graph, *, root: Path | None = None, owl: bool = True) -> Report:
    """Validate already parsed files (see `validate`)."""
    outcome = validate_shacl(loaded, shapes_graph)
    report = Report(
        results=shacl_results(outcome.report, shapes_graph, loaded, root),
        files=[display_path(p, root) for p in loaded.paths],
        shacl_conforms=outcome.conforms,
        graph=outcome.report,
    )
    if owl:
        from .owl import check_consistency  # owlready2 (and Java) load only when the OWL check runs

        report.owl, owl_results = check_consistency(loaded, root=root)
        report.results.extend(owl_results)
    else:
        report.owl = {"checked": False, "consistent": None, "reason": "skipped with --no-owl"}
    return report
