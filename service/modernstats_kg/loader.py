"""Bring a store in line with the content: parse everything first, then replace the graphs in one step."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .content import ContentError, check_file, content_files, default_content_root, fingerprint
from .store import Store

Progress = Callable[[Path, int], None]  # called after each file is parsed: (path, bytes read)


@dataclass(frozen=True)
class LoadOutcome:
    version: str
    loaded: bool  # False when the store already held this content version
    graphs: int
    triples: int


def load_content(
    store: Store,
    *,
    root: Path | None = None,
    extra_files: Sequence[Path] = (),
    force: bool = False,
    progress: Progress | None = None,
) -> LoadOutcome:
    """Load the content (and any extra Turtle files) into `store`, unless it already holds this version.

    Raises `ContentError` on the first unreadable file, before the store is touched.
    """
    base = root or default_content_root()
    paths = [*content_files(base), *extra_files]
    version = fingerprint(paths, base)
    if not force and store.version() == version:
        return LoadOutcome(version, loaded=False, graphs=len(store.graphs()), triples=store.size())
    files: dict[str, Path] = {}  # graph IRI -> file; every file is checked before the store is touched
    for path in paths:
        iri = check_file(path)
        if iri in files:
            raise ContentError(f"graph <{iri}> is also declared by {files[iri]}", path=path)
        files[iri] = path
        if progress is not None:
            progress(path, path.stat().st_size)
    store.load_files(files, drop_others=True)
    store.set_version(version)
    return LoadOutcome(version, loaded=True, graphs=len(files), triples=store.size())
