"""`mskg fmt [--check] [FILES]`: rewrite Turtle files in canonical form (see `canonical`), or only check them."""

from __future__ import annotations

from pathlib import Path

import click

from ..canonical import format_turtle
from ..cli_common import EXIT_USER_ERROR, UnreadableInput, content_option
from ..content import ContentError, content_files


def canonical_text(path: Path) -> str:
    """The canonical form of the file at `path` (UnreadableInput naming the file, line and column if it is broken)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableInput(f"{path}: cannot read file ({exc})") from exc
    try:
        return format_turtle(text, base_iri=path.resolve().as_uri())
    except SyntaxError as exc:
        raise UnreadableInput(f"{path}:{exc.lineno}:{exc.offset}: Turtle syntax error: {exc.msg}") from exc


@click.command()
@click.option("--check", is_flag=True, help="Change nothing; exit 1 when a file is not in canonical form.")
@content_option
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
def fmt(check: bool, content_dir: Path | None, files: tuple[Path, ...]) -> None:
    """Write Turtle FILES (default: every content file) in canonical form, keeping their comments."""
    try:
        paths = list(files) or content_files(content_dir)
    except ContentError as exc:
        raise UnreadableInput(str(exc)) from exc
    outdated = []
    for path in paths:
        canonical = canonical_text(path)
        if canonical == path.read_text(encoding="utf-8"):
            continue
        outdated.append(path)
        if check:
            click.echo(f"would reformat {path}")
        else:
            path.write_text(canonical, encoding="utf-8")
            click.echo(f"reformatted {path}")
    if check and outdated:
        click.echo(f"{len(outdated)} of {len(paths)} files not in canonical form (run: mskg fmt)", err=True)
        raise SystemExit(EXIT_USER_ERROR)
    if not outdated:
        click.echo(f"{len(paths)} files in canonical form")
