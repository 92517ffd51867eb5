"""`mskg export` (the store's graphs back to Turtle files) and `mskg diff A B` (two contents compared).

A and B of `diff` are each a content folder (with ontology/, mappings/, shapes/), an on-disk store's folder, or the
name of a release in the data folder (`--store DIR`). Exit codes like `diff`: 0 equal, 1 different, 2 unreadable.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..cli_common import UnreadableInput, content_option
from ..content import CONTENT_FOLDERS, ContentError, default_content_root
from ..store import EmbeddedStore, Store, StoreError
from . import releases
from .diff import compare
from .snapshot import OTHER_FOLDER, Snapshot, from_folder, from_store, write_snapshot


def open_snapshot(spec: str, data_dir: Path | None, content_root: Path | None) -> Snapshot:
    """The content named by `spec`: a content folder, a store's folder, or a release of `data_dir`."""
    path = Path(spec)
    try:
        if path.is_dir() and any((path / f).is_dir() for f in (*CONTENT_FOLDERS, OTHER_FOLDER)):
            return from_folder(path)
        if path.is_dir():
            store = EmbeddedStore.read_only(path)
            try:
                return from_store(store, content_root or default_content_root())
            finally:
                store.close()
        if data_dir is not None and releases.exists(data_dir, spec):
            return from_folder(releases.content_dir(data_dir, spec))
    except ContentError as exc:
        raise UnreadableInput(str(exc)) from exc
    except StoreError as exc:
        raise UnreadableInput(f"{spec}: cannot open the store ({exc})") from exc
    where = f" or a release in {data_dir}" if data_dir is not None else " (give --store DIR to name a release)"
    raise UnreadableInput(f"{spec}: not a content folder, a store's folder{where}")


def data_folder(store: str | None) -> Path | None:
    return Path(store) if store and store != "memory" and not store.startswith(("http://", "https://")) else None


def export_turtle(store_dir: Path, folder: Path, content_root: Path | None) -> list[Path]:
    """Write the store's content graphs under `folder` as canonical Turtle, one file per graph, named as the
    content files (comments and layout taken from them)."""
    root = content_root or default_content_root()
    snapshot = open_snapshot(str(store_dir), None, root)
    return write_snapshot(snapshot, folder, comments_from=root)


def export_store(store: Store, folder: Path, content_root: Path | None) -> list[Path]:
    """`export_turtle` for a store already open."""
    root = content_root or default_content_root()
    return write_snapshot(from_store(store, root), folder, comments_from=root)


@click.command()
@click.argument("a")
@click.argument("b")
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json", "patch"]),
    default="text",
    show_default=True,
    help="Readable text, JSON, or an RDF Patch.",
)
@click.option("--store", envvar="MSKG_STORE", default=None, help="The data folder whose releases A and B may name.")
@content_option
def diff(a: str, b: str, output: str, store: str | None, content_dir: Path | None) -> None:
    """Compare A and B (content folders, stores or release names): exit 0 equal, 1 different."""
    data_dir = data_folder(store)
    result = compare(open_snapshot(a, data_dir, content_dir), open_snapshot(b, data_dir, content_dir))
    if output == "json":
        click.echo(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
    elif output == "patch":
        click.echo(result.as_patch(), nl=False)
    else:
        click.echo(result.as_text(), nl=False)
    raise SystemExit(0 if result.equal else 1)
