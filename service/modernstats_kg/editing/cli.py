"""`mskg users add|list|remove` and `mskg tokens create|revoke`: the accounts of an on-disk store's folder.

Each takes `--store DIR` (or MSKG_STORE). Exit codes as for every command: 0 ok, 1 a user error in one line.
"""

from __future__ import annotations

import sys
import time

import click

from ..cli_common import store_option
from .accounts import AccountError, AccountStore, Role, accounts_folder


def _accounts(store: str) -> AccountStore:
    folder = accounts_folder(store)
    if folder is None:
        where = (
            "a remote SPARQL server has no data folder" if store.startswith("http") else "the in-memory store has none"
        )
        raise click.ClickException(
            f"accounts live in an on-disk store's folder: give --store DIR (or MSKG_STORE=DIR); {where}"
        )
    if folder.exists() and not folder.is_dir():
        raise click.ClickException(f"--store {folder}: not a directory")
    try:
        return AccountStore.in_folder(folder)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc


def _role(ctx: click.Context, param: click.Parameter, value: str) -> Role:
    try:
        return Role.parse(value)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    value: str = click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)
    return value


@click.group("users")
def users() -> None:
    """Accounts of the editing service: editor < reviewer < admin (each can do what the ones before it can)."""


@users.command("add")
@click.argument("name")
@click.option(
    "--role",
    required=True,
    callback=_role,
    metavar="editor|reviewer|admin",
    help="editor proposes and changes mappings; reviewer also endorses or rejects them; admin also manages users.",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin (else: prompt).")
@click.option(
    "--organisation",
    "--organization",
    "organization",
    default=None,
    metavar="CODE",
    help="The code of the statistical organisation the user acts for: the tasks it submits are attributed to it.",
)
@store_option
def add_user(name: str, role: Role, password_stdin: bool, organization: str | None, store: str) -> None:
    """Add the user NAME with a role and a password (kept only as an argon2 hash)."""
    accounts = _accounts(store)
    try:
        accounts.add_user(name, role, _read_password(password_stdin), organization)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        accounts.close()
    click.echo(f"Added {name} ({role.value}) to {accounts.path}", err=True)


@users.command("list")
@store_option
def list_users(store: str) -> None:
    """List the users: name, role, API tokens, when added."""
    accounts = _accounts(store)
    try:
        everyone = accounts.users()
    finally:
        accounts.close()
    if not everyone:
        click.echo("no users yet: add one with `mskg users add NAME --role admin`", err=True)
        return
    width = max(4, *(len(u.name) for u in everyone))
    click.echo(f"{'name'.ljust(width)}  {'role'.ljust(8)}  tokens  added (UTC)        organisation")
    for user in everyone:
        added = time.strftime("%Y-%m-%d %H:%M", time.gmtime(user.created_at))
        org = user.organization or "-"
        click.echo(f"{user.name.ljust(width)}  {user.role.value.ljust(8)}  {user.tokens:>6}  {added}  {org}")


@users.command("organisation")
@click.argument("name")
@click.argument("code", required=False)
@store_option
def set_organization(name: str, code: str | None, store: str) -> None:
    """Make NAME act for the statistical organisation CODE (without CODE: for none)."""
    accounts = _accounts(store)
    try:
        accounts.set_organization(name, code)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        accounts.close()
    click.echo(f"{name} acts for {code}" if code else f"{name} acts for no organisation", err=True)


@users.command("remove")
@click.argument("name")
@store_option
def remove_user(name: str, store: str) -> None:
    """Remove the user NAME, with its API tokens and browser sessions."""
    accounts = _accounts(store)
    try:
        accounts.remove_user(name)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        accounts.close()
    click.echo(f"Removed {name}", err=True)


@click.group("tokens")
def tokens() -> None:
    """API tokens for scripts: `Authorization: Bearer TOKEN`."""


@tokens.command("create")
@click.argument("name")
@store_option
def create_token(name: str, store: str) -> None:
    """Create an API token for NAME and print it, this once (only its hash is kept)."""
    accounts = _accounts(store)
    try:
        token = accounts.create_token(name)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        accounts.close()
    click.echo(token)
    click.echo(f"API token for {name}: shown once, store it now (revoke with `mskg tokens revoke {name}`)", err=True)


@tokens.command("revoke")
@click.argument("name")
@store_option
def revoke_tokens(name: str, store: str) -> None:
    """Revoke every API token of NAME (at once, in every server process)."""
    accounts = _accounts(store)
    try:
        count = accounts.revoke_tokens(name)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        accounts.close()
    click.echo(f"Revoked {count} token{'s' if count != 1 else ''} of {name}", err=True)
