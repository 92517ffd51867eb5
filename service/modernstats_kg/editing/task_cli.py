"""`mskg tasks import FILE --user NAME [--dry-run]` and `mskg organisations add|list`: contributed tasks and the
organisations that contribute them, on an on-disk store (`--store DIR`, or MSKG_STORE) while no server holds it.

Exit codes as for every command: 0 ok, 1 a problem (each on its own line: what, and where), 2 unreadable input.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..cli_common import EXIT_USER_ERROR, content_option, store_option
from ..errors import ServiceError
from ..loader import ContentConflict, load_content
from ..store import EmbeddedStore, Store, StoreError
from .accounts import AccountError, AccountStore, Role, User, accounts_folder
from .organizations import KINDS, list_organizations, register_organization
from .task_import import ImportRefused, run_import


def _user(store: str, name: str, role: Role) -> User:
    folder = accounts_folder(store)
    if folder is None or not folder.is_dir():
        raise click.ClickException("give --store DIR: the folder of an on-disk store, where the accounts are")
    accounts = AccountStore.in_folder(folder)
    try:
        user = accounts.user(name)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        accounts.close()
    if user is None:
        raise click.ClickException(f"--user {name}: no such account (add it with `mskg users add`)")
    if not user.can(role):
        raise click.ClickException(f"--user {name}: this needs the {role.value} role or above; {name} is {user.role}")
    return user


def _store(location: str, content_dir: Path | None) -> Store:
    try:
        store = EmbeddedStore(Path(location))
        load_content(store, root=content_dir)
    except (StoreError, ContentConflict, OSError) as exc:
        raise click.ClickException(f"--store {location}: {exc}") from exc
    return store


@click.group("tasks")
def tasks() -> None:
    """Level-3 tasks contributed by statistical organisations."""


@tasks.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--user", "user_name", required=True, help="The account the tasks are submitted by (its organisation).")
@click.option("--comment", default="imported from a spreadsheet", show_default=True, help="Why: kept in the history.")
@click.option("--dry-run", is_flag=True, help="Check every row (the task rules too) and write nothing.")
@store_option
@content_option
def import_command(
    file: Path, user_name: str, comment: str, dry_run: bool, store: str, content_dir: Path | None
) -> None:
    """Import the tasks of a CSV FILE, all or nothing (columns: organization, sub-process, code, name, description,
    language, inputs, outputs)."""
    user = _user(store, user_name, Role.EDITOR)
    opened = _store(store, content_dir)
    try:
        result = run_import(opened, file, user=user, comment=comment, dry_run=dry_run)
    except ImportRefused as exc:
        for problem in exc.problems:
            click.echo(f"{file}: {problem}", err=True)
        raise SystemExit(EXIT_USER_ERROR) from None
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc
    finally:
        opened.close()
    if isinstance(result, int):
        click.echo(f"{file}: {result} tasks would be added (dry run: nothing written)", err=True)
    else:
        click.echo(f"{file}: added {len(result.tasks)} tasks as one change, {result.receipt.change_iri}", err=True)


@click.group("organisations")
def organisations() -> None:
    """Statistical organisations that contribute tasks (registered by admins)."""


@organisations.command("add")
@click.argument("code")
@click.option("--kind", type=click.Choice(sorted(KINDS)), required=True, help="nsi or agency.")
@click.option("--name", required=True, help="The organisation's name in English.")
@click.option("--country", default=None, help="ISO 3166-1 alpha-2 code, for a national institute.")
@click.option("--user", "user_name", required=True, help="The admin account registering it.")
@store_option
@content_option
def add_organisation(
    code: str, kind: str, name: str, country: str | None, user_name: str, store: str, content_dir: Path | None
) -> None:
    """Register the organisation CODE (the short code used in its IRI and its tasks' IRIs)."""
    user = _user(store, user_name, Role.ADMIN)
    opened = _store(store, content_dir)
    try:
        _, organization = register_organization(
            opened, code, kind, name, country, author=user.name, comment=f"registered {code}"
        )
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc
    finally:
        opened.close()
    click.echo(f"Registered {organization.code}: {organization.iri}", err=True)


@organisations.command("list")
@store_option
@content_option
def list_command(store: str, content_dir: Path | None) -> None:
    """The registered organisations: code, kind, country, name."""
    opened = _store(store, content_dir)
    try:
        for o in list_organizations(opened):
            click.echo(f"{o.code}\t{o.kind}\t{o.country or '-'}\t{o.name}")
    finally:
        opened.close()
