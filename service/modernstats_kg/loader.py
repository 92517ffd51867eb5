"""Bring a store in line with the content: parse everything first, then replace the graphs in one step."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .content import ContentError, ContentGraph, content_files, default_content_root, fingerprint, parse_file
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
    graphs: list[ContentGraph] = []
    for path in paths:
        graphs.append(parse_file(path))
        if progress is not None:
            progress(path, path.stat().st_size)
    _check_unique(graphs)
    store.replace_graphs({g.iri: g.triples for g in graphs}, drop_others=True)
    store.set_version(version)
    return LoadOutcome(version, loaded=True, graphs=len(graphs), triples=store.size())


def _check_unique(graphs: Sequence[ContentGraph]) -> None:
    seen: dict[str, Path] = {}
    for graph in graphs:
        if graph.iri in seen:
            raise ContentError(f"graph <{graph.iri}> is also declared by {seen[graph.iri]}", path=graph.path)
        seen[graph.iri] = graph.path
