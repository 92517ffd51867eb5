"""`mskg export --format csv|xlsx` (the mappings as a spreadsheet) and `mskg import FILE` (a sheet back into the
store through the editing gate). Exit codes: 0 done (or nothing to do), 1 the sheet has problems (all listed, nothing
written) or a user error, 2 the file is unreadable or no spreadsheet."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from ..catalog import Catalog
from ..catalog.mapping_matrix import MatrixFilters
from ..cli_common import UnreadableInput
from ..content import ContentError
from ..editing.accounts import AccountError, AccountStore, Role, accounts_folder
from ..loader import ContentConflict, load_content
from ..settings import Settings
from ..store import Store, StoreError, open_store
from ..store_options import remote_options
from .sheet_files import SheetError, read_sheet, write_csv, write_xlsx
from .sheet_import import ImportRefused, apply_import, check_sheet, preview
from .sheets import sheet_rows, vocabulary

__all__ = ["filters_of", "import_command", "write_sheet"]

MAX_FILE = 64 * 1024 * 1024


@contextmanager
def loaded_store(location: str, content_dir: Path | None) -> Iterator[Store]:
    try:
        store = open_store(location, remote_options(Settings.from_env()))
        load_content(store, root=content_dir)
    except ContentError as exc:
        raise UnreadableInput(str(exc)) from exc
    except (ContentConflict, StoreError) as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        yield store
    finally:
        store.close()


def filters_of(
    phase: tuple[str, ...],
    status: tuple[str, ...],
    role: tuple[str, ...],
    author: tuple[str, ...],
    group: tuple[str, ...],
) -> MatrixFilters:
    return MatrixFilters(
        phases=frozenset(phase),
        statuses=frozenset(status),
        roles=frozenset(role),
        authors=frozenset(author),
        groups=frozenset(group),
    )


def write_sheet(store: Store, kind: str, filters: MatrixFilters, out: Path) -> int:
    """Write the mappings the filters admit to `out` as CSV or XLSX; how many rows."""
    cat = Catalog(store, store.version())
    rows = sheet_rows(cat, filters)
    data = write_csv(rows) if kind == "csv" else write_xlsx(rows, vocabulary(cat))
    out.write_bytes(data)
    return len(rows)


def _importer(location: str, name: str) -> str:
    folder = accounts_folder(location)
    if folder is None or not folder.is_dir():
        raise click.ClickException("imports are attributed to an account: give --store DIR, an on-disk store")
    try:
        accounts = AccountStore.in_folder(folder)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    user = next((u for u in accounts.users() if u.name == name), None)
    if user is None:
        raise click.ClickException(f"--user {name}: no such account (add it with `mskg users add`)")
    if not user.can(Role.EDITOR):
        raise click.ClickException(f"--user {name}: an import needs the editor role or above")
    return user.name


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row and show the changes; write nothing.")
@click.option("--user", "user_name", required=True, help="The account the import is attributed to (editor or above).")
@click.option("--comment", default=None, help="Why (the history record's comment; default names the file).")
@click.option("--json", "as_json", is_flag=True, help="The problems and changes as JSON.")
@click.option("--store", envvar="MSKG_STORE", required=True, help="The on-disk store (env MSKG_STORE).")
@click.option(
    "--content",
    "content_dir",
    envvar="MSKG_CONTENT_DIR",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
)
def import_command(
    file: Path, dry_run: bool, user_name: str, comment: str | None, as_json: bool, store: str, content_dir: Path | None
) -> None:
    """Bring a CSV or XLSX sheet of mappings into the store as one change: all rows or none."""
    importer = _importer(store, user_name)
    if not file.is_file():
        raise UnreadableInput(f"{file}: not a regular file")
    if file.stat().st_size > MAX_FILE:
        raise UnreadableInput(f"{file}: larger than {MAX_FILE // (1024 * 1024)} MiB")
    try:
        table = read_sheet(file.read_bytes(), file.name)
    except SheetError as exc:
        raise UnreadableInput(f"{file}: {exc}") from exc
    with loaded_store(store, content_dir) as opened:
        cat = Catalog(opened, opened.version())
        plan = check_sheet(opened, cat, table, importer=importer, comment=comment or f"import of {file.name}")
        if dry_run:
            preview(opened, plan)
        elif not plan.problems:
            try:
                apply_import(opened, plan)
            except ImportRefused as exc:
                plan.problems = exc.problems
    if as_json:
        click.echo(json.dumps(plan.as_json(), indent=2, ensure_ascii=False))
    if plan.problems:
        for problem in plan.problems:
            click.echo(f"{file}: {problem}", err=True)
        click.echo(f"{file}: {len(plan.problems)} problems, nothing written", err=True)
        raise SystemExit(1)
    if not as_json:
        click.echo(plan.diff_text(), nl=False)
        click.echo("dry run: nothing written" if dry_run else f"imported as {importer}: {len(plan.changes)} changes")
