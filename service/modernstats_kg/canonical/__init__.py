"""Canonical Turtle for the content files: `format_turtle(text)` gives the same bytes for the same graph and layout.

`layout` reads what a file says besides its triples (comments, subject order); `writer` writes the triples back in
one deterministic form with those comments where they were. `mskg fmt` is the command.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from ..namespaces import REPORT_PREFIXES
from .layout import Layout, read_layout
from .writer import natural_key, write_turtle

__all__ = [
    "Layout",
    "format_turtle",
    "natural_key",
    "parse_turtle",
    "read_layout",
    "render_graph",
    "restore_integer_types",
    "write_turtle",
]


def parse_turtle(text: str, *, base_iri: str | None = None) -> tuple[list[ox.Triple], dict[str, str]]:
    """The triples and the prefixes of a Turtle text (SyntaxError from the parser when it does not parse)."""
    parser = ox.parse(text.encode(), format=ox.RdfFormat.TURTLE, base_iri=base_iri)
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in parser]
    return triples, dict(parser.prefixes)


def format_turtle(text: str, *, base_iri: str | None = None) -> str:
    """`text` in canonical form: same triples, same comments, deterministic order and layout."""
    triples, prefixes = parse_turtle(text, base_iri=base_iri)
    return write_turtle(triples, prefixes, read_layout(text, prefixes), extra_prefixes=REPORT_PREFIXES)


_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER = ox.NamedNode(_XSD + "integer")


def restore_integer_types(triples: Iterable[ox.Triple], source: Iterable[ox.Triple]) -> list[ox.Triple]:
    """Give back the integer datatypes the store dropped: pyoxigraph 0.5 keeps `"1"^^xsd:nonNegativeInteger` as
    `1` (xsd:integer). Where the source file writes a predicate's integers with one derived integer type
    (nonNegativeInteger, positiveInteger, ...), an xsd:integer of that predicate is written with that type again."""
    derived: dict[ox.NamedNode, set[ox.NamedNode]] = {}
    for t in source:
        if (
            isinstance(t.object, ox.Literal)
            and t.object.datatype.value.startswith(_XSD)
            and t.object.datatype.value.endswith("Integer")
        ):
            derived.setdefault(t.predicate, set()).add(t.object.datatype)
    restored = []
    for t in triples:
        kinds = derived.get(t.predicate)
        if kinds and len(kinds) == 1 and isinstance(t.object, ox.Literal) and t.object.datatype == _INTEGER:
            t = ox.Triple(t.subject, t.predicate, ox.Literal(t.object.value, datatype=next(iter(kinds))))
        restored.append(t)
    return restored


def render_graph(triples: Iterable[ox.Triple], source: Path | None = None) -> str:
    """Canonical Turtle of `triples` (say, a graph of the store) with the prefixes and comments of `source`, the file
    the graph came from, when there is one; otherwise with the project's prefixes."""
    if source is not None and source.is_file():
        text = source.read_text(encoding="utf-8")
        source_triples, prefixes = parse_turtle(text, base_iri=source.resolve().as_uri())
        triples = restore_integer_types(triples, source_triples)
        return write_turtle(triples, prefixes, read_layout(text, prefixes), extra_prefixes=REPORT_PREFIXES)
    return write_turtle(triples, {}, None, extra_prefixes=REPORT_PREFIXES)
