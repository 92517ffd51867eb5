"""What every `mskg` command shares: exit codes, the unreadable-input error, the `--store` and `--content` options."""

from __future__ import annotations

from pathlib import Path

import click

from .settings import MEMORY

EXIT_USER_ERROR = 1  # also: violations found by `mskg validate`
EXIT_UNREADABLE = 2


class UnreadableInput(click.ClickException):
    """A file (content, query, extra Turtle) cannot be read or parsed: one line, exit code 2."""

    exit_code = EXIT_UNREADABLE


store_option = click.option(
    "--store",
    envvar="MSKG_STORE",
    default=MEMORY,
    show_default=True,
    help="'memory', a directory for an on-disk store that survives restarts, or the http(s) URL of a SPARQL 1.1 "
    "query endpoint (env MSKG_STORE).",
)
content_option = click.option(
    "--content",
    "content_dir",
    envvar="MSKG_CONTENT_DIR",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder holding ontology/, mappings/ and shapes/ (default: the content shipped with the package).",
)
