"""`mskg validate` and `mskg coverage`.

Exit codes of `validate`: 0 the content conforms, 1 violations (SHACL or OWL), 2 a file cannot be read or parsed
(or is not a regular file, or is over the size cap) or validation could not finish; always one line saying why.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..cli_common import EXIT_USER_ERROR, UnreadableInput, content_option
from ..content import ContentError, default_content_root
from .limits import MAX_FILE_BYTES, MAX_RESULTS

EXIT_VIOLATIONS = EXIT_USER_ERROR


class ViolationsFound(click.ClickException):
    """The report is already printed; this only sets the exit code (1)."""

    exit_code = EXIT_VIOLATIONS

    def __init__(self) -> None:
        super().__init__("the content does not conform")

    def show(self, file: object = None) -> None:
        del file


def _unreadable(error: ContentError) -> click.ClickException:
    """The `mskg` command's own error for unreadable input: one line, exit code 2."""
    return UnreadableInput(str(error))


@click.command("validate")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "turtle"]),
    default="text",
    show_default=True,
    help="text for people; json for programs; turtle for the standard SHACL sh:ValidationReport.",
)
@click.option("--no-owl", is_flag=True, help="Skip the OWL consistency check (HermiT, a few seconds).")
@click.option(
    "--max-results",
    type=click.IntRange(min=0),
    default=MAX_RESULTS,
    show_default=True,
    help="Report at most this many results, the most severe first (all are counted); 0 reports all.",
)
@click.option(
    "--max-file-bytes",
    type=click.IntRange(min=1),
    default=MAX_FILE_BYTES,
    show_default=True,
    help="Refuse a file larger than this (only regular files are read).",
)
@content_option
def validate(
    files: tuple[Path, ...],
    output_format: str,
    no_owl: bool,
    max_results: int,
    max_file_bytes: int,
    content_dir: Path | None,
) -> None:
    """Check the content, and any extra Turtle FILES with it, against the SHACL shapes and for OWL consistency.

    Exit 0 when everything conforms, 1 on violations, 2 when a file cannot be read or parsed."""
    from . import validate as run_validation  # pyshacl and owlready2 load only when this command runs

    root = content_dir or default_content_root()
    try:
        report = run_validation(
            root=root, extra=files, owl=not no_owl, max_results=max_results or None, max_file_bytes=max_file_bytes
        )
        rendered = {"json": report.to_json, "turtle": report.to_turtle}.get(output_format, report.to_text)()
    except ContentError as error:
        raise _unreadable(error) from error
    except RecursionError:
        raise UnreadableInput("validation stopped: the files nest deeper than this process can follow") from None
    if not no_owl and not report.owl.get("checked"):
        click.echo(f"OWL consistency not checked: {report.owl.get('reason')}", err=True)
    if output_format == "turtle":
        sys.stdout.write(rendered)
    else:
        click.echo(rendered)
    if not report.conforms:
        raise ViolationsFound()


@click.command("coverage")
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output."
)
@content_option
def coverage(output_format: str, content_dir: Path | None) -> None:
    """How far the GSIM-GSBPM mapping covers GSBPM and GSIM: gaps, unused classes, flow gaps, counts per phase, role."""
    from .coverage import coverage_of_files  # rdflib loads only when this command runs

    try:
        figures = coverage_of_files(root=content_dir or default_content_root())
    except ContentError as error:
        raise _unreadable(error) from error
    click.echo(figures.to_json() if output_format == "json" else figures.to_text())
