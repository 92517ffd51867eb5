"""Read the Turtle files to validate: one parse each (pyoxigraph), then the views validation needs.

Every file is parsed before anything is checked, so a syntax error stops validation with the file name, line and
column. The parsed triples are kept three ways: per file (to say which file defines a focus node), as one
store of ours (fast SPARQL: SHACL-SPARQL constraints, coverage) and as one rdflib graph (pyshacl).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..content import CONTENT_FOLDERS, ContentError, content_files, default_content_root, parse_file
from ..store import EmbeddedStore, Store
from .limits import MAX_FILE_BYTES
from .reading import read_regular_file

DATA_FOLDERS = ("ontology", "mappings")
SHAPES_FOLDER = "shapes"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

__all__ = [
    "CONTENT_FOLDERS",
    "MAX_FILE_BYTES",
    "ContentError",
    "LoadedFiles",
    "data_files",
    "load_files",
    "shape_files",
]


def data_files(root: Path | None = None) -> list[Path]:
    """The content files validated as data: the ontologies and the mappings."""
    base = root or default_content_root()
    return [p for p in content_files(base) if p.parent.name in DATA_FOLDERS]


def shape_files(root: Path | None = None) -> list[Path]:
    """The SHACL shapes files of the content."""
    base = root or default_content_root()
    return [p for p in content_files(base) if p.parent.name == SHAPES_FOLDER]


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    """One pyoxigraph term as the equal rdflib term (plain strings stay without datatype, as rdflib parses them)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported term {term!r}")


@dataclass
class LoadedFiles:
    """The parsed files: triples per file, and the union as a pyoxigraph store and as an rdflib graph."""

    paths: list[Path]
    triples: dict[Path, tuple[ox.Triple, ...]]
    store: Store
    graph: Graph
    _defined_in: dict[str, Path] = field(default_factory=dict)

    def file_of(self, node: str) -> Path | None:
        """The file that defines `node` (types it, else first states something about it); None when none does."""
        return self._defined_in.get(node)


def _index_definitions(triples: dict[Path, tuple[ox.Triple, ...]]) -> dict[str, Path]:
    typed: dict[str, Path] = {}
    mentioned: dict[str, Path] = {}
    for path, file_triples in triples.items():
        for t in file_triples:
            # The triples come from the Turtle parser, which reifies a `<< ... >>` subject with a blank node
            # (RDF 1.2): a subject is always an IRI or a blank node, never a triple term.
            key = cast(ox.NamedNode | ox.BlankNode, t.subject).value
            if t.predicate == _RDF_TYPE:
                typed.setdefault(key, path)
            mentioned.setdefault(key, path)
    return {**mentioned, **typed}


def parse_all(paths: Iterable[Path], *, max_file_bytes: int = MAX_FILE_BYTES) -> dict[Path, tuple[ox.Triple, ...]]:
    """Parse every file (raises ContentError with file, line and column on the first unreadable one).

    Only regular files of at most `max_file_bytes` are read (see `reading.py`)."""
    return {path: parse_file(path, data=read_regular_file(path, max_bytes=max_file_bytes)).triples for path in paths}


def load_files(paths: Sequence[Path], *, max_file_bytes: int = MAX_FILE_BYTES) -> LoadedFiles:
    """Parse `paths` and build the union views. Raises `ContentError` when a file cannot be read or parsed."""
    triples = parse_all(paths, max_file_bytes=max_file_bytes)
    store = EmbeddedStore()  # one graph per file (named by its path: extra files may redeclare a content graph)
    store.replace_graphs({path.resolve().as_uri(): ts for path, ts in triples.items()})
    graph = Graph()
    cache: dict[object, Node] = {}

    def conv(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
        found = cache.get(term)
        if found is None:
            found = cache[term] = to_rdflib(term)
        return found

    add = graph.add
    for ts in triples.values():
        for t in ts:
            add((conv(t.subject), conv(t.predicate), conv(t.object)))  # type: ignore[arg-type]
    return LoadedFiles(list(paths), triples, store, graph, _index_definitions(triples))
