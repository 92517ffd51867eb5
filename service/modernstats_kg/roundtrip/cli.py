"""`mskg export`, `mskg release create|list`: the store's content back to files, and dated releases.

`export --to FOLDER` writes Turtle; `export --format csv|xlsx --out FILE` writes the mapping as a spreadsheet.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..cli_common import content_option
from ..content import default_content_root
from .commands import data_folder, export_turtle, open_snapshot
from .releases import ReleaseError, create_release, list_releases
from .sheet_cli import filters_of, loaded_store, write_sheet


def _store_dir(store: str | None) -> Path:
    folder = data_folder(store)
    if folder is None or not folder.is_dir():
        raise click.ClickException("give --store DIR: the folder of an on-disk store (MSKG_STORE=DIR)")
    return folder


@click.command()
@click.option("--store", envvar="MSKG_STORE", default=None, help="The on-disk store to export (env MSKG_STORE).")
@click.option("--to", "to_folder", type=click.Path(file_okay=False, path_type=Path), help="Folder for Turtle files.")
@click.option(
    "--format",
    "kind",
    type=click.Choice(["turtle", "csv", "xlsx"]),
    default="turtle",
    show_default=True,
    help="Turtle files (--to FOLDER), or the mappings as a spreadsheet (--out FILE).",
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="The spreadsheet file to write.")
@click.option("--phase", multiple=True, help="Spreadsheet: only these GSBPM phases (5; 0 = overarching).")
@click.option("--status", multiple=True, help="Spreadsheet: only these statuses (proposed, endorsed).")
@click.option("--role", multiple=True, help="Spreadsheet: only these roles (CoreInput...).")
@click.option("--author", multiple=True, help="Spreadsheet: only mappings attributed to these (account names).")
@click.option("--group", multiple=True, help="Spreadsheet: only classes of these GSIM groups (BusinessGroup...).")
@content_option
def export(
    store: str | None,
    to_folder: Path | None,
    kind: str,
    out: Path | None,
    phase: tuple[str, ...],
    status: tuple[str, ...],
    role: tuple[str, ...],
    author: tuple[str, ...],
    group: tuple[str, ...],
    content_dir: Path | None,
) -> None:
    """Write the store's content graphs to --to FOLDER as canonical Turtle, named as the content files; or, with
    --format csv|xlsx --out FILE, the mappings (narrowed by --phase, --status, --role, --author, --group)."""
    if kind != "turtle":
        if out is None:
            raise click.ClickException(f"give --out FILE (the {kind.upper()} file to write)")
        with loaded_store(store or "memory", content_dir) as opened:
            count = write_sheet(opened, kind, filters_of(phase, status, role, author, group), out)
        click.echo(f"wrote {count} mappings to {out}")
        return
    if to_folder is None:
        raise click.ClickException("give --to FOLDER (Turtle files), or --format csv|xlsx --out FILE")
    written = export_turtle(_store_dir(store), to_folder, content_dir)
    click.echo(f"wrote {len(written)} files to {to_folder}")


@click.group()
def release() -> None:
    """Dated releases of the content, kept in the data folder (--store DIR) and never rewritten."""


@release.command("create")
@click.argument("name")
@click.option("--note", required=True, help="What the release is and why.")
@click.option("--date", "today", default=None, metavar="YYYY-MM-DD", help="The release date (default: today, UTC).")
@click.option("--store", envvar="MSKG_STORE", default=None, help="The on-disk store (and data folder).")
@content_option
def create(name: str, note: str, today: str | None, store: str | None, content_dir: Path | None) -> None:
    """Record the store's current content as release NAME."""
    data_dir = _store_dir(store)
    root = content_dir or default_content_root()
    snapshot = open_snapshot(str(data_dir), None, root)
    try:
        made = create_release(data_dir, name, note, snapshot, comments_from=root, today=today)
    except ReleaseError as exc:
        raise click.ClickException(str(exc)) from exc
    changes = made.changes["mappings"]
    click.echo(
        f"release {made.name} ({made.date}, content version {made.version}): {len(made.graphs)} graphs; since "
        f"{made.previous or 'the start'}: {len(changes['added'])} mappings added, {len(changes['removed'])} removed, "
        f"{len(changes['changed'])} changed"
    )


@release.command("list")
@click.option("--store", envvar="MSKG_STORE", default=None, help="The on-disk store (and data folder).")
def list_command(store: str | None) -> None:
    """The releases, newest first."""
    for item in list_releases(_store_dir(store)):
        click.echo(f"{item.name}\t{item.date}\t{item.version}\t{item.note}")
