"""Dated releases: the content as it was at a named moment, kept in the data folder and never rewritten.

A release NAME lives in `DATA/releases/NAME/` (DATA is the on-disk store's folder, `--store DIR`, beside the accounts):

- `content/`: every content graph as canonical Turtle, under the names of the content files; each graph's declaring
  resource carries `owl:versionIRI <{graph IRI}/release/{NAME}>` (replacing the working version IRI) and
  `dcterms:issued` (the date);
- `dataset.nq`: the whole release as N-Quads;
- `release.json`: name, date, note, content version, the graphs with their version IRIs and files, the previous
  release and the changes since it (the JSON of `mskg diff`).

The folder is built beside the others and renamed into place in one step, its files made read-only; a name that
exists is refused, so a release, once made, never changes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..canonical import render_graph
from ..namespaces import DCTERMS, OWL, XSD
from .diff import compare
from .snapshot import Snapshot, file_name_for, folder_version, from_folder

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
RELEASES = "releases"
_VERSION_IRI = ox.NamedNode(OWL + "versionIRI")
_ISSUED = ox.NamedNode(DCTERMS + "issued")


class ReleaseError(Exception):
    """A release cannot be made or found; the message says why in one line."""


@dataclass(frozen=True)
class Release:
    name: str
    date: str
    note: str
    version: str
    previous: str | None
    graphs: list[dict[str, str]]
    changes: dict[str, Any]
    created: str

    @classmethod
    def read(cls, folder: Path) -> Release:
        data = json.loads((folder / "release.json").read_text(encoding="utf-8"))
        return cls(**data)


def release_dir(data_dir: Path, name: str) -> Path:
    if not NAME.match(name):
        raise ReleaseError(f"release name {name!r}: use letters, digits, '.', '_' or '-' (at most 64, no leading dot)")
    return data_dir / RELEASES / name


def exists(data_dir: Path, name: str) -> bool:
    return bool(NAME.match(name)) and (data_dir / RELEASES / name / "release.json").is_file()


def content_dir(data_dir: Path, name: str) -> Path:
    return release_dir(data_dir, name) / "content"


def list_releases(data_dir: Path | None) -> list[Release]:
    """Every release of the data folder, newest first."""
    if data_dir is None or not (data_dir / RELEASES).is_dir():
        return []
    found = [Release.read(p) for p in (data_dir / RELEASES).iterdir() if (p / "release.json").is_file()]
    return sorted(found, key=lambda r: r.created, reverse=True)


def version_iri(graph: str, name: str) -> str:
    return f"{graph.rstrip('/#')}/release/{name}"


def _stamped(iri: str, triples: frozenset[ox.Triple], name: str, date: str) -> list[ox.Triple]:
    head = ox.NamedNode(iri)
    kept = [t for t in triples if not (t.subject == head and t.predicate in (_VERSION_IRI, _ISSUED))]
    return [
        *kept,
        ox.Triple(head, _VERSION_IRI, ox.NamedNode(version_iri(iri, name))),
        ox.Triple(head, _ISSUED, ox.Literal(date, datatype=ox.NamedNode(XSD + "date"))),
    ]


def create_release(
    data_dir: Path,
    name: str,
    note: str,
    snapshot: Snapshot,
    *,
    comments_from: Path | None,
    today: str | None = None,
) -> Release:
    """Record `snapshot` as the release `name` (ReleaseError when the name is taken or not allowed)."""
    target = release_dir(data_dir, name)
    if target.exists():
        raise ReleaseError(f"release {name} exists already: releases are never rewritten, choose another name")
    if not note.strip():
        raise ReleaseError("give the release a note (--note TEXT): what it is and why")
    date = today or datetime.now(UTC).date().isoformat()
    previous = next(iter(list_releases(data_dir)), None)
    building = data_dir / RELEASES / f".{name}.building"
    shutil.rmtree(building, ignore_errors=True)
    graphs: list[dict[str, str]] = []
    quads: list[ox.Quad] = []
    for iri in sorted(snapshot.graphs):
        relative = snapshot.files.get(iri) or file_name_for(iri)
        triples = _stamped(iri, snapshot.graphs[iri], name, date)
        path = building / "content" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        source = comments_from / relative if comments_from is not None else None
        path.write_text(render_graph(triples, source), encoding="utf-8")
        graphs.append({"iri": iri, "versionIRI": version_iri(iri, name), "file": relative.as_posix()})
        quads.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(iri)) for t in triples)
    (building / "dataset.nq").write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"")
    stamped = from_folder(building / "content")
    before = from_folder(content_dir(data_dir, previous.name)) if previous else Snapshot({}, {})
    release = Release(
        name=name,
        date=date,
        note=note.strip(),
        version=folder_version(building / "content"),
        previous=previous.name if previous else None,
        graphs=graphs,
        changes=compare(before, stamped).as_json(),
        created=datetime.now(UTC).isoformat(),
    )
    (building / "release.json").write_text(json.dumps(release.__dict__, indent=2, ensure_ascii=False), "utf-8")
    for path in building.rglob("*"):
        if path.is_file():
            path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    try:
        os.rename(building, target)  # fails when the name was taken meanwhile: nothing is overwritten
    except OSError as exc:
        shutil.rmtree(building, ignore_errors=True)
        raise ReleaseError(f"release {name} exists already: releases are never rewritten") from exc
    return release


def release_file(data_dir: Path, name: str, relative: str) -> Path | None:
    """A file of a release by its path inside the release (None when there is no such file): stable URLs."""
    if not exists(data_dir, name):
        return None
    base = release_dir(data_dir, name).resolve()
    path = (base / relative).resolve()
    if not path.is_relative_to(base) or not path.is_file() or path.name.startswith("."):
        return None
    return path
