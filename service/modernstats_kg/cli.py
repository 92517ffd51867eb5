"""The `mskg` command: serve, load, query, stats, validate, coverage.

Exit codes: 0 ok, 1 user error (one clear line, no traceback), 2 unreadable input (content or query file).
Commands are thin: they call the same loader, store and query code as the HTTP service.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, NoReturn

import click
import httpx
import pyoxigraph as ox

from . import __version__
from .app import create_app
from .cli_common import EXIT_UNREADABLE, EXIT_USER_ERROR, UnreadableInput, content_option, store_option
from .content import ContentError, content_files, default_content_root
from .editing.cli import tokens, users
from .editing.task_cli import organisations, tasks
from .errors import QueryRejected
from .loader import ContentConflict, load_content
from .roundtrip.cli import export, release
from .roundtrip.commands import diff
from .roundtrip.fmt import fmt
from .roundtrip.sheet_cli import import_command
from .server import uvicorn_options
from .settings import MEMORY, Settings
from .sparql.screening import screen
from .stats import content_stats
from .store import QuerySyntaxError, Store, StoreError, open_store
from .store.sparql_text import QueryTooDeep, check_syntax
from .store_options import remote_options
from .table import render_table
from .validation.cli import coverage, validate
from .validation.reading import read_regular_file

MAX_QUERY_FILE_BYTES = 1_000_000  # the endpoint's default request cap (MSKG_MAX_REQUEST_BYTES)


def _fail(message: str) -> NoReturn:
    raise click.ClickException(message)


def _read_capped(stream: IO[bytes], max_bytes: int) -> bytes:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UnreadableInput(f"cannot read the query: stdin holds more than {max_bytes:,} bytes")
    return data


def _open_loaded_store(location: str, content_dir: Path | None) -> Store:
    """Open the store; load the content into it when it is in memory or does not hold the current version."""
    try:
        store = open_store(location, remote_options(Settings.from_env()))
        load_content(store, root=content_dir)
    except ContentConflict as exc:
        _fail(str(exc))
    except ContentError as exc:
        raise UnreadableInput(str(exc)) from exc
    except StoreError as exc:
        _fail(str(exc))
    return store


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mskg")
def main() -> None:
    """ModernStats KG: the knowledge graph of the UNECE ModernStats models (GSBPM, GSIM, CSPA, GAMSO, COOS)."""


main.add_command(validate)
main.add_command(coverage)
main.add_command(users)
main.add_command(tokens)
main.add_command(tasks)
main.add_command(organisations)
main.add_command(fmt)
main.add_command(export)
main.add_command(import_command)
main.add_command(diff)
main.add_command(release)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="TCP port.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Worker processes.")
@click.option(
    "--get",
    "get_path",
    metavar="PATH",
    help="Answer one request for PATH in process (no server), print the body, exit 1 unless it is a 2xx.",
)
@click.option("--accept", default=None, metavar="TYPE", help="With --get: the Accept header to send.")
@store_option
@content_option
def serve(
    host: str,
    port: int,
    workers: int,
    get_path: str | None,
    accept: str | None,
    store: str,
    content_dir: Path | None,
) -> None:
    """Serve the SPARQL endpoint, pages and API over HTTP (uvicorn)."""
    settings = Settings.from_env(store=store, content_dir=content_dir)
    if get_path is not None:
        sys.exit(_get_once(settings, get_path, accept))
    elif accept is not None:
        raise click.UsageError("--accept can only be used with --get")
    import uvicorn  # only this command needs the server: other commands start faster without it

    if store != MEMORY:
        # Load once here, so that worker processes find the on-disk or remote store current and do not race to load
        # it. A store that already holds this content version is not written to (stateless replicas).
        _open_loaded_store(store, content_dir).close()
    os.environ.update(settings.to_env())
    click.echo(f"ModernStats KG serving on http://{host}:{port}/ (store: {store})", err=True)
    uvicorn.run(
        "modernstats_kg.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        **uvicorn_options(settings),  # header size and time, keep-alive, connection cap
    )


def _get_once(settings: Settings, path: str, accept: str | None) -> int:
    """One in-process request to the app (datasette's `serve --get`): the body on stdout; 0 for a 2xx, else 1."""
    if not path.startswith("/"):
        raise click.UsageError(f"--get needs a path that starts with '/', got {path!r}")
    try:
        app = create_app(settings)
    except ContentConflict as exc:
        _fail(str(exc))
    except ContentError as exc:
        raise UnreadableInput(str(exc)) from exc
    except StoreError as exc:
        _fail(str(exc))
    headers = {"accept": accept} if accept else {}

    async def fetch() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
            return await client.get(path, headers=headers)

    try:
        response = asyncio.run(fetch())
    finally:
        app.state.query_runner.close()
    sys.stdout.buffer.write(response.content)
    sys.stdout.flush()
    if not response.is_success:
        click.echo(f"GET {path}: {response.status_code} {response.reason_phrase}", err=True)
        return 1
    return 0


@contextmanager
def _loading_errors() -> Iterator[None]:
    """Loading's failures as the CLI reports them: a conflict or a store problem in one line, bad content as
    unreadable input."""
    try:
        yield
    except (ContentConflict, StoreError) as exc:
        _fail(str(exc))
    except ContentError as exc:
        raise UnreadableInput(str(exc)) from exc


@main.command()
@store_option
@content_option
@click.option("--force", is_flag=True, help="Reload even when the store already holds this content version.")
@click.argument("extra", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
def load(store: str, content_dir: Path | None, force: bool, extra: tuple[Path, ...]) -> None:
    """Load the content (and any EXTRA Turtle files) into an on-disk or remote store, one named graph per file."""
    if store == MEMORY:
        _fail("load needs --store DIR|URL (or MSKG_STORE): an in-memory store would be gone when the command ends")
    try:
        target = open_store(store, remote_options(Settings.from_env()))
    except StoreError as exc:
        _fail(str(exc))
    root = content_dir or default_content_root()
    try:
        total = sum(p.stat().st_size for p in [*content_files(root), *extra])
    except (ContentError, OSError) as exc:
        raise UnreadableInput(str(exc)) from exc
    with click.progressbar(length=total, label="Parsing", file=sys.stderr, show_percent=True) as bar:

        def progress(path: Path, size: int) -> None:
            bar.label = f"Parsed {path.name}"
            bar.update(size)

        with _loading_errors():
            outcome = load_content(target, root=root, extra_files=extra, force=force, progress=progress)
    target.close()
    verb = "Loaded" if outcome.loaded else "Already current:"
    click.echo(f"{verb} {outcome.triples} triples in {outcome.graphs} graphs (content version {outcome.version})")


@main.command()
@store_option
@content_option
@click.option("--drop", multiple=True, metavar="CHANGE", help="A recorded change (its IRI) not to replay. Repeatable.")
@click.option("--accept-content", is_flag=True, help="Drop every change that conflicts with the new content.")
@click.option("--accept-edits", is_flag=True, help="Replay the conflicting changes anyway: the changes win.")
def rebase(
    store: str, content_dir: Path | None, drop: tuple[str, ...], accept_content: bool, accept_edits: bool
) -> None:
    """Bring a durable store (a folder or a remote SPARQL server) to new content, replaying the changes made through
    the service, settling conflicts."""
    if store == MEMORY:
        _fail("rebase needs --store DIR or URL (or MSKG_STORE): an on-disk or remote store")
    if accept_content and accept_edits:
        _fail("give --accept-content or --accept-edits, not both")
    accept = "content" if accept_content else "edits" if accept_edits else None
    with _loading_errors():
        target = open_store(store, remote_options(Settings.from_env()))
        outcome = load_content(target, root=content_dir, drop=drop, accept=accept)
    target.close()
    click.echo(
        f"Content version {outcome.version}: {outcome.replayed} recorded change(s) replayed, "
        f"{outcome.triples} triples in {outcome.graphs} graphs"
    )


FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}


@main.command()
@click.argument("sparql", required=False)
@click.option(
    "-f", "--file", "query_file", type=click.Path(path_type=Path), help="Read the query from a file ('-' for stdin)."
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "csv", "tsv", "xml"]),
    default="table",
    show_default=True,
    help="Output of SELECT and ASK; CONSTRUCT and DESCRIBE print Turtle.",
)
@store_option
@content_option
def query(
    sparql: str | None,
    query_file: Path | None,
    output_format: str,
    store: str,
    content_dir: Path | None,
) -> None:
    """Run a SPARQL query given as an argument, with --file, or on stdin."""
    if sparql is not None and query_file is not None:
        _fail("give the query either as an argument or with --file, not both")
    try:
        if query_file is not None and str(query_file) != "-":
            text = read_regular_file(query_file, max_bytes=MAX_QUERY_FILE_BYTES).decode("utf-8")
        elif sparql is not None:
            text = sparql
        elif query_file is not None or not sys.stdin.isatty():
            text = _read_capped(sys.stdin.buffer, MAX_QUERY_FILE_BYTES).decode("utf-8")
        else:
            _fail("no query: pass it as an argument, with --file FILE, or on stdin")
    except ContentError as exc:
        raise UnreadableInput(f"cannot read the query: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableInput(f"cannot read the query: {exc}") from exc
    if not text.strip():
        _fail("the query is empty")
    _screen(text, Settings.from_env().service_allow_list)
    target = _open_loaded_store(store, content_dir)
    try:
        result = target.query(text)
    except QuerySyntaxError as exc:
        _fail(f"SPARQL syntax error: {exc}")
    if isinstance(result, ox.QueryTriples):
        sys.stdout.buffer.write(ox.serialize(result, format=ox.RdfFormat.TURTLE) or b"")
    elif output_format == "table":
        click.echo(render_table(result))
    else:
        sys.stdout.buffer.write(result.serialize(format=FORMATS[output_format]) or b"")
        if output_format == "json":
            sys.stdout.buffer.write(b"\n")


def _screen(text: str, allow_list: tuple[str, ...]) -> None:
    """The endpoint's screening before anything parses or runs the query: nesting, SERVICE (allow-listed endpoints
    only), and the parse check of the neutralised copy (a SERVICE hidden from the tokenizer fails it)."""
    try:
        screened = screen(text, allow_list)
    except QueryRejected as exc:
        _fail(f"query refused: {exc.message}")
    except QueryTooDeep as exc:
        _fail(f"query refused: {exc}")
    if screened.check is None:
        return
    try:
        check_syntax(screened.check)
    except QuerySyntaxError:
        try:
            check_syntax(text)
        except QuerySyntaxError as exc:
            _fail(f"SPARQL syntax error: {exc}")
        _fail("query refused: it spells SERVICE in a way that cannot be checked; SERVICE calls are not allowed")


@main.command()
@store_option
@content_option
def stats(store: str, content_dir: Path | None) -> None:
    """Triples per graph, and counts per model (phases, sub-processes, GSIM classes, services, mappings)."""
    summary = content_stats(_open_loaded_store(store, content_dir))
    width = max([len(g.iri) for g in summary.graphs] + [len(k) for k in summary.counts])
    click.echo(f"{'graph'.ljust(width)}  triples")
    for info in summary.graphs:
        click.echo(f"{info.iri.ljust(width)}  {info.triples:>7}")
    click.echo(f"{'total'.ljust(width)}  {summary.total_triples:>7}")
    click.echo("")
    for label, count in summary.counts.items():
        click.echo(f"{label.ljust(width)}  {count:>7}")
    click.echo(f"\ncontent version: {summary.version}")


def run() -> None:
    """Console entry point: user errors exit 1 with one line; click's own usage errors too."""
    try:
        code = main.main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code if isinstance(exc, UnreadableInput) else EXIT_USER_ERROR)
    except click.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(EXIT_USER_ERROR)
    except MemoryError:
        # One line, then out at once: an orderly exit frees and allocates more, and can fail again mid-way.
        sys.stderr.write(
            "Error: out of memory: the input is too large for this process (split it, or lower its size)\n"
        )
        sys.stderr.flush()
        os._exit(EXIT_UNREADABLE)
    sys.exit(code if isinstance(code, int) else 0)
