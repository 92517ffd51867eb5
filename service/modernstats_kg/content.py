"""The Turtle content: find the files, parse each into one named graph, fingerprint the whole.

Every Turtle file under the content folders becomes one named graph whose IRI is the `owl:Ontology` (or, failing
that, the `skos:ConceptScheme`) the file declares. Parsing happens entirely before anything touches a store, so a
broken file stops the load with its name, line and column and leaves the store as it was.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .store import EmbeddedStore

CONTENT_FOLDERS = ("ontology", "mappings", "shapes")

_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_OWL_ONTOLOGY = ox.NamedNode("http://www.w3.org/2002/07/owl#Ontology")
_SKOS_SCHEME = ox.NamedNode("http://www.w3.org/2004/02/skos/core#ConceptScheme")
_SCRATCH_GRAPH = "urn:x-mskg:checked-file"
_DECLARED_GRAPHS = (
    f"SELECT DISTINCT ?x ?kind WHERE {{ ?x a ?kind . FILTER(isIRI(?x) && ?kind IN ({_OWL_ONTOLOGY}, {_SKOS_SCHEME})) }}"
)


class ContentError(Exception):
    """The content cannot be read or used; the message names the file (and line and column when known)."""

    def __init__(self, message: str, *, path: Path | None = None, line: int | None = None, column: int | None = None):
        self.path, self.line, self.column = path, line, column
        where = ""
        if path is not None:
            where = str(path)
            if line is not None:
                where += f":{line}" + (f":{column}" if column is not None else "")
            where += ": "
        super().__init__(f"{where}{message}")


@dataclass(frozen=True)
class ContentGraph:
    """One parsed file: its named graph IRI, its source path and its triples."""

    iri: str
    path: Path
    triples: tuple[ox.Triple, ...]

    def quads(self) -> Iterable[ox.Quad]:
        graph = ox.NamedNode(self.iri)
        return (ox.Quad(t.subject, t.predicate, t.object, graph) for t in self.triples)


def default_content_root() -> Path:
    """The content of this installation: the live checkout when installed editable, else the files in the wheel."""
    package_dir = Path(__file__).resolve().parent
    checkout = package_dir.parent.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "ontology").is_dir():
        return checkout
    return package_dir / "_content"


def content_files(root: Path | None = None) -> list[Path]:
    """All Turtle files of the content folders under `root`, in a stable order."""
    base = root or default_content_root()
    if not base.is_dir():
        raise ContentError("content folder not found", path=base)
    files: list[Path] = []
    for folder in CONTENT_FOLDERS:
        files.extend(sorted((base / folder).glob("*.ttl")))
    return files


def fingerprint(paths: Sequence[Path], root: Path | None = None) -> str:
    """A short, stable hash of the files' names and bytes: the content version (used for ETags and releases)."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        name = path.relative_to(root).as_posix() if root and path.is_relative_to(root) else path.name
        digest.update(name.encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def check_file(path: Path) -> str:
    """Parse `path` without keeping its triples and return the graph IRI it declares (the loader's check).

    The file is read by pyoxigraph into a scratch store, so no Python object is made per triple.
    """
    scratch = EmbeddedStore()
    try:
        scratch.load_files({_SCRATCH_GRAPH: path})
    except SyntaxError as exc:
        raise _syntax_error(path, exc) from exc
    except OSError as exc:
        raise ContentError(f"cannot read file ({exc.strerror or exc})", path=path) from exc
    declared = scratch.select(_DECLARED_GRAPHS)
    return _choose_graph_iri(path, [(row["x"].value, row["kind"].value) for row in declared])


def parse_file(path: Path, *, data: bytes | None = None) -> ContentGraph:
    """Parse one Turtle file into its triples and find the graph IRI it declares (for validation, which needs them).

    `data`, when given, is the file's bytes already read (validation reads them itself, with a size cap)."""
    try:
        data = path.read_bytes() if data is None else data
    except OSError as exc:
        raise ContentError(f"cannot read file ({exc.strerror})", path=path) from exc
    try:
        triples = tuple(
            ox.Triple(q.subject, q.predicate, q.object)
            for q in ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
        )
    except SyntaxError as exc:
        raise _syntax_error(path, exc) from exc
    declared = [
        (t.subject.value, t.object.value)
        for t in triples
        if t.predicate == _RDF_TYPE
        and isinstance(t.subject, ox.NamedNode)
        and isinstance(t.object, ox.NamedNode)
        and t.object in (_OWL_ONTOLOGY, _SKOS_SCHEME)
    ]
    return ContentGraph(iri=_choose_graph_iri(path, declared), path=path, triples=triples)


def _syntax_error(path: Path, exc: SyntaxError) -> ContentError:
    message = str(exc.msg) if exc.msg else str(exc)
    return ContentError(f"Turtle syntax error: {message}", path=path, line=exc.lineno, column=exc.offset)


def _choose_graph_iri(path: Path, declared: Sequence[tuple[str, str]]) -> str:
    """The `owl:Ontology` the file declares, else its `skos:ConceptScheme`; exactly one of the kind that wins."""
    for kind in (_OWL_ONTOLOGY, _SKOS_SCHEME):
        iris = sorted({iri for iri, k in declared if k == kind.value})
        if len(iris) == 1:
            return iris[0]
        if len(iris) > 1:
            raise ContentError(f"declares several {kind.value} resources: {', '.join(iris)}", path=path)
    raise ContentError("declares no owl:Ontology or skos:ConceptScheme to name its graph", path=path)
