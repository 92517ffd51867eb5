"""Bring a store in line with the content: parse everything first, then replace the graphs in one step.

Content upgrades never discard edits. An on-disk store keeps, beside its data, the content it was loaded from
(`mskg-content-base.nq`, the base) and, in its history graph, every change made through the service since (each
record carries its removed and added quads as N-Quads). When the content version changes, the new content is loaded
and those changes are replayed over it, in the order they were made. A change conflicts when it touched a mapping,
or any other triple, that the new content also changed, and the new content does not already say what the change
said: then the store is left as it was and `ContentConflict` lists each conflict and the `mskg rebase` commands that
resolve it (`--drop CHANGE`, `--accept-content`, `--accept-edits`). Changes dropped that way stay in the history but
are never replayed again (`mskg-dropped-changes`).

A remote store does the same: it keeps its base and its list of dropped changes on its server, beside its system
graph (`RemoteKeeper`: compressed N-Quads in a graph of their own that no query's dataset includes), so every
replica of the service that starts on new content replays the same changes or refuses with the same conflicts.

The new state (new content, changes replayed, history kept) is written in one transaction, then the base, then the
content version: a crash in between leaves the old version recorded, and the next start computes the same state again
from the new content and the history, so an upgrade can be repeated safely.
"""

from __future__ import annotations

import base64
import os
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .content import ContentError, check_file, content_files, default_content_root, fingerprint
from .namespaces import MSKG, PROV, RDFS
from .store import ChangeSet, EmbeddedStore, RemoteStore, Store

Progress = Callable[[Path, int], None]  # called after each file is parsed: (path, bytes read)

# The history graph and record format of the write gate (editing.history, a package this layer does not import):
# a test checks the two agree.
HISTORY_GRAPH = "http://id.unece.org/history"
BASE_FILE = "mskg-content-base.nq"
DROPPED_FILE = "mskg-dropped-changes"
_MAPPINGS = "http://id.unece.org/mappings/"  # a change to any triple of a mapping is a change to that mapping
_RECORD_FIELDS = {
    f"{MSKG}removed": "removed",
    f"{MSKG}added": "added",
    f"{PROV}endedAtTime": "at",
    f"{PROV}wasAssociatedWith": "who",
    f"{RDFS}comment": "comment",
}
# Every statement of the history graph, assembled here: a query joining them with OPTIONALs makes Virtuoso's
# planner refuse it (an estimated time of years), and this one plans the same on every backend.
_HISTORY = "SELECT ?c ?p ?o WHERE { ?c ?p ?o }"


@dataclass(frozen=True)
class LoadOutcome:
    version: str
    loaded: bool  # False when the store already held this content version
    graphs: int
    triples: int
    replayed: int = 0  # changes made through the service, replayed over new content


@dataclass(frozen=True)
class RecordedChange:
    """One change of the history, as the replay needs it."""

    iri: str
    changes: ChangeSet
    summary: str  # who, when, why: for the conflict message


@dataclass(frozen=True)
class Conflict:
    change: RecordedChange
    about: str  # the mapping IRI, or the triple, that both the change and the new content changed


class ContentConflict(ContentError):
    """The new content and changes made through the service disagree: the store was left as it was."""

    def __init__(self, store_dir: Path | str, old: str | None, new: str, conflicts: Sequence[Conflict]):
        self.conflicts = list(conflicts)
        lines = [
            f"the content changed (version {old or 'unknown'} -> {new}) and {len(conflicts)} change(s) made through "
            f"the service conflict with it; the store at {store_dir} was left as it was:"
        ]
        for conflict in conflicts:
            lines.append(f"  - change <{conflict.change.iri}> ({conflict.change.summary}) changed {conflict.about}")
        lines += [
            "resolve with one of these commands, then start the service again:",
            *(
                f"  mskg rebase --store {store_dir} --drop {iri}"
                for iri in dict.fromkeys(c.change.iri for c in conflicts)
            ),
            f"  mskg rebase --store {store_dir} --accept-content   (drop every conflicting change: the content wins)",
            f"  mskg rebase --store {store_dir} --accept-edits     (replay them anyway: the changes win)",
        ]
        super().__init__("\n".join(lines))


def load_content(
    store: Store,
    *,
    root: Path | None = None,
    extra_files: Sequence[Path] = (),
    force: bool = False,
    progress: Progress | None = None,
    drop: Iterable[str] = (),
    accept: str | None = None,  # "content" or "edits": how to settle every conflict
) -> LoadOutcome:
    """Load the content (and any extra Turtle files) into `store`, unless it already holds this version; replay the
    changes recorded in an on-disk store's history over new content.

    Raises `ContentError` on the first unreadable file, before the store is touched, and `ContentConflict` when a
    recorded change conflicts with the new content (nothing is written then).
    """
    base = root or default_content_root()
    paths = [*content_files(base), *extra_files]
    version = fingerprint(paths, base)
    old = store.version()
    if not force and old == version and not drop and accept is None:
        return LoadOutcome(version, loaded=False, graphs=len(store.graphs()), triples=store.size())
    files: dict[str, Path] = {}  # graph IRI -> file; every file is checked before the store is touched
    for path in paths:
        iri = check_file(path)
        if iri in files:
            raise ContentError(f"graph <{iri}> is also declared by {files[iri]}", path=path)
        files[iri] = path
        if progress is not None:
            progress(path, path.stat().st_size)
    keeper = _keeper(store)
    recorded = _recorded_changes(store) if keeper is not None else []
    if keeper is None or (not recorded and not keeper.dropped() and accept is None and not drop):
        store.load_files(files, drop_others=True)
        if keeper is not None:
            keeper.write_base(_content_quads(files))
        store.set_version(version)
        return LoadOutcome(version, loaded=True, graphs=len(files), triples=store.size())
    return _upgrade(store, keeper, files, version, old, recorded, set(drop), accept)


def _upgrade(
    store: Store,
    keeper: FolderKeeper | RemoteKeeper,
    files: dict[str, Path],
    version: str,
    old: str | None,
    recorded: list[RecordedChange],
    drop: set[str],
    accept: str | None,
) -> LoadOutcome:
    known = {change.iri for change in recorded}
    unknown = sorted(drop - known)
    if unknown:
        raise ContentError(f"no recorded change <{unknown[0]}> in the history of the store at {keeper.where}")
    dropped = keeper.dropped() | drop
    new = _content_quads(files)
    base = keeper.read_base()
    replay = [change for change in recorded if change.iri not in dropped]
    conflicts = _conflicts(base, new, replay)
    if conflicts and accept == "edits":
        winners = {c.change.iri for c in conflicts}
        replay = [_winning(change, base, new) if change.iri in winners else change for change in replay]
    elif conflicts and accept == "content":
        dropped |= {c.change.iri for c in conflicts}
        replay = [change for change in replay if change.iri not in dropped]
    elif conflicts:
        raise ContentConflict(keeper.where, old, version, conflicts)
    scratch = EmbeddedStore()
    scratch.load_files(files)
    for change in replay:
        scratch.apply(change.changes)
    graphs: dict[str, list[ox.Triple]] = {}
    for quad in scratch.quads():
        graphs.setdefault(quad.graph_name.value, []).append(_triple(quad))  # type: ignore[union-attr]
    graphs[HISTORY_GRAPH] = [_triple(q) for q in store.quads() if q.graph_name == ox.NamedNode(HISTORY_GRAPH)]
    store.replace_graphs(graphs, drop_others=True)  # one transaction: new content, changes replayed, history kept
    keeper.write_dropped(sorted(dropped))
    keeper.write_base(new)
    store.set_version(version)
    return LoadOutcome(version, loaded=True, graphs=len(graphs), triples=store.size(), replayed=len(replay))


# --- conflicts --------------------------------------------------------------------------------------------------


def _key(quad: ox.Quad) -> str:
    """What a change to `quad` is a change of: its mapping (all triples of a mapping are one unit), else itself."""
    subject = quad.subject
    if isinstance(subject, ox.NamedNode) and subject.value.startswith(_MAPPINGS):
        return f"the mapping <{subject.value}>"
    return f"the triple {quad}"


def _conflicts(base: set[ox.Quad], new: set[ox.Quad], replay: Sequence[RecordedChange]) -> list[Conflict]:
    """The changes that touch a mapping or triple the new content changed, where the new content does not already
    hold what the change made of it. Quads with blank nodes take no part: a change cannot remove one, and the ones it
    adds are new nodes."""
    content_changed = {_key(q) for q in base ^ new if not _blank(q)}
    conflicts: list[Conflict] = []
    for change in replay:
        touched = {_key(q) for q in (*change.changes.add, *change.changes.remove) if not _blank(q)}
        for about in sorted(touched & content_changed):
            already = all(q in new for q in change.changes.add if not _blank(q) and _key(q) == about) and not any(
                q in new for q in change.changes.remove if _key(q) == about
            )
            if not already:
                conflicts.append(Conflict(change, about))
    return conflicts


def _triple(quad: ox.Quad) -> ox.Triple:
    return ox.Triple(quad.subject, quad.predicate, quad.object)


def _winning(change: RecordedChange, base: set[ox.Quad], new: set[ox.Quad]) -> RecordedChange:
    """The change made to win over the new content: on each property it replaced (subject, predicate, graph of a
    removed quad), the values the new content brought are removed too."""
    replaced = {(q.subject, q.predicate, q.graph_name) for q in change.changes.remove}
    brought = {q for q in new - base if (q.subject, q.predicate, q.graph_name) in replaced}
    changes = ChangeSet(add=change.changes.add, remove=change.changes.remove | (brought - change.changes.add))
    return RecordedChange(change.iri, changes, change.summary)


def _blank(quad: ox.Quad) -> bool:
    return isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode)


# --- the history, the base, the dropped changes -------------------------------------------------------------------


def _recorded_changes(store: Store) -> list[RecordedChange]:
    rows = store.query(_HISTORY, default_graph_uris=[HISTORY_GRAPH])
    assert isinstance(rows, ox.QuerySolutions)
    records: dict[str, dict[str, str]] = {}
    for row in rows:
        name = _RECORD_FIELDS.get(row["p"].value)
        if name is not None:
            records.setdefault(row["c"].value, {}).setdefault(name, row["o"].value)
    changes = []
    for iri, fields in sorted(records.items(), key=lambda item: (item[1].get("at", ""), item[0])):
        if "removed" not in fields or "added" not in fields:
            continue  # not a record of a change
        changes.append(
            RecordedChange(
                iri=iri,
                changes=ChangeSet.of(remove=_nquads(fields["removed"]), add=_nquads(fields["added"])),
                summary=", ".join(
                    repr(fields[name]) if name == "comment" else fields[name]
                    for name in ("who", "at", "comment")
                    if name in fields
                ),
            )
        )
    return changes


def _nquads(text: str) -> list[ox.Quad]:
    return list(ox.parse(text.encode(), format=ox.RdfFormat.N_QUADS)) if text.strip() else []


def _content_quads(files: dict[str, Path]) -> set[ox.Quad]:
    scratch = EmbeddedStore()
    scratch.load_files(files)
    return set(scratch.quads())


def _keeper(store: Store) -> FolderKeeper | RemoteKeeper | None:
    """Where `store` keeps its base and dropped changes; None for the in-memory store (nothing to keep)."""
    if isinstance(store, EmbeddedStore):
        return FolderKeeper(store.path) if store.path is not None else None
    return RemoteKeeper(store) if isinstance(store, RemoteStore) else None


class FolderKeeper:
    """The base and the dropped changes of an on-disk store: files beside its data."""

    def __init__(self, folder: Path):
        self.where: Path | str = folder
        self.folder = folder

    def read_base(self) -> set[ox.Quad]:
        """The content the store was loaded from; empty for a store made before bases were kept (every change to a
        mapping then counts as touching content that changed only where the new content differs from it)."""
        path = self.folder / BASE_FILE
        if not path.is_file():
            return set()
        return set(ox.parse(path=path, format=ox.RdfFormat.N_QUADS))

    def write_base(self, quads: set[ox.Quad]) -> None:
        _write_atomically(self.folder / BASE_FILE, ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"")

    def dropped(self) -> set[str]:
        path = self.folder / DROPPED_FILE
        return {line.strip() for line in path.read_text().splitlines() if line.strip()} if path.is_file() else set()

    def write_dropped(self, iris: Sequence[str]) -> None:
        _write_atomically(self.folder / DROPPED_FILE, "".join(f"{iri}\n" for iri in iris).encode())


_NOTE_PART = ox.NamedNode("urn:x-mskg:notePart")
_PART_CHARS = 60_000  # base64 characters per literal: long literals are fine, one huge one strains the server


class RemoteKeeper:
    """The base and the dropped changes of a remote store, on its server: each a note (zlib, base64, in numbered
    parts) in the graph `<system graph>:notes`, which is not a content graph, so no query's dataset includes it.
    A note is replaced in one SPARQL Update request (one transaction on the server)."""

    def __init__(self, store: RemoteStore):
        self.store = store
        self.where: Path | str = store.config.query_url
        self.graph = ox.NamedNode(f"{store.config.system_graph}:notes")

    def _read(self, name: str) -> bytes | None:
        rows = self.store.query(
            "SELECT ?part WHERE { ?note ?p ?part }",
            substitutions={"note": ox.NamedNode(f"urn:x-mskg:note:{name}"), "p": _NOTE_PART},
            default_graph_uris=[self.graph.value],
        )
        assert isinstance(rows, ox.QuerySolutions)
        parts = sorted(row["part"].value for row in rows)  # "000012:..." sorts by number
        if not parts:
            return None
        return zlib.decompress(base64.b64decode("".join(part.split(":", 1)[1] for part in parts)))

    def _write(self, name: str, data: bytes) -> None:
        note = ox.NamedNode(f"urn:x-mskg:note:{name}")
        text = base64.b64encode(zlib.compress(data, 6)).decode("ascii")
        parts = [text[i : i + _PART_CHARS] for i in range(0, len(text), _PART_CHARS)] or [""]
        triples = " ".join(f"{note} {_NOTE_PART} {ox.Literal(f'{n:06d}:{part}')} ." for n, part in enumerate(parts))
        self.store.update(
            f"DELETE WHERE {{ GRAPH {self.graph} {{ {note} {_NOTE_PART} ?part }} }} ;\n"
            f"INSERT DATA {{ GRAPH {self.graph} {{ {triples} }} }}"
        )

    def read_base(self) -> set[ox.Quad]:
        data = self._read("content-base")
        return set(ox.parse(data, format=ox.RdfFormat.N_QUADS)) if data else set()

    def write_base(self, quads: set[ox.Quad]) -> None:
        self._write("content-base", ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"")

    def dropped(self) -> set[str]:
        data = self._read("dropped-changes")
        return set(data.decode().split()) if data else set()

    def write_dropped(self, iris: Sequence[str]) -> None:
        self._write("dropped-changes", "\n".join(iris).encode())


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)
