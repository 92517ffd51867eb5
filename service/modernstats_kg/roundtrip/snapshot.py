"""A snapshot of the content: graph IRI -> triples, read from a content folder, a store, or a release.

Export, diff and releases all compare or write snapshots, so "what the content is" has one meaning whatever holds it.
Only content graphs count: the history graph and any graph whose IRI starts with `urn:x-mskg:` are the service's
own records, not content.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..canonical import render_graph
from ..content import CONTENT_FOLDERS, ContentError, check_file, content_files, fingerprint, parse_file
from ..queries import load_query
from ..store import Store

HISTORY_GRAPH = "http://id.unece.org/history"  # the editing gate's record (editing.history.HISTORY_GRAPH)
OTHER_FOLDER = "other"  # where an export puts a graph that no content file declares


def is_content_graph(iri: str) -> bool:
    return iri != HISTORY_GRAPH and not iri.startswith("urn:x-mskg:")


@dataclass(frozen=True)
class Snapshot:
    """The content graphs (IRI -> triples) and, when read from files, the file of each graph."""

    graphs: dict[str, frozenset[ox.Triple]]
    files: dict[str, Path]  # graph IRI -> file, relative to `root`
    root: Path | None = None

    def triples(self) -> int:
        return sum(len(t) for t in self.graphs.values())


def source_files(root: Path | None) -> dict[str, Path]:
    """Graph IRI -> content file (relative to `root`) for the content folder `root` (none when it has no content)."""
    if root is None or not root.is_dir():
        return {}
    return {check_file(path): path.relative_to(root) for path in content_files(root)}


def from_folder(root: Path) -> Snapshot:
    """The content of a folder holding ontology/, mappings/, shapes/ (and other/, written by an export)."""
    if not any((root / folder).is_dir() for folder in (*CONTENT_FOLDERS, OTHER_FOLDER)):
        raise ContentError("not a content folder (no ontology/, mappings/ or shapes/)", path=root)
    paths = [*content_files(root), *sorted((root / OTHER_FOLDER).glob("*.ttl"))]
    graphs: dict[str, frozenset[ox.Triple]] = {}
    files: dict[str, Path] = {}
    for path in paths:
        parsed = parse_file(path)
        if parsed.iri in graphs:
            raise ContentError(f"graph <{parsed.iri}> is also declared by {files[parsed.iri]}", path=path)
        graphs[parsed.iri] = frozenset(parsed.triples)
        files[parsed.iri] = path.relative_to(root)
    return Snapshot(graphs, files, root)


def folder_version(root: Path) -> str:
    """The content version a store loaded from `root` records (the loader's fingerprint)."""
    return fingerprint(content_files(root), root)


def graph_triples(store: Store, iri: str) -> frozenset[ox.Triple]:
    result = store.query(load_query("graph_triples"), substitutions={"g": ox.NamedNode(iri)})
    return frozenset(result)  # type: ignore[arg-type]


def from_store(store: Store, content_root: Path | None = None) -> Snapshot:
    """The content graphs of a store; their files are those of `content_root` that declare the same graphs."""
    graphs = {info.iri: graph_triples(store, info.iri) for info in store.graphs() if is_content_graph(info.iri)}
    known = source_files(content_root)
    return Snapshot(graphs, {iri: known[iri] for iri in graphs if iri in known}, content_root)


def file_name_for(iri: str) -> Path:
    """The file of a graph that no content file declares: other/{last segment of its IRI}.ttl."""
    stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in iri.rstrip("/#").rsplit("/", 1)[-1]) or "graph"
    return Path(OTHER_FOLDER) / f"{stem}.ttl"


def write_snapshot(snapshot: Snapshot, folder: Path, *, comments_from: Path | None = None) -> list[Path]:
    """Write each graph as canonical Turtle under `folder`, named as its source file (comments, prefixes and order
    taken from the file of the same name under `comments_from`); returns the files written."""
    written = []
    for iri in sorted(snapshot.graphs):
        relative = snapshot.files.get(iri) or file_name_for(iri)
        source = comments_from / relative if comments_from is not None else None
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render_graph(snapshot.graphs[iri], source), encoding="utf-8")
        written.append(target)
    return written
