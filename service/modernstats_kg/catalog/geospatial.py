"""The geospatial view of GSBPM: notes per activity, the GSGF principles they serve, GSIM classes carrying location."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from .core import Catalog, Ref, Text, per_version
from .vocab import code_key

GSBPMX = "http://id.unece.org/def/gsbpmx#"
GSGF_SCHEME = "http://id.unece.org/gsgf/principles"
GSGF_PRINCIPLE = "http://id.unece.org/gsgf/principle/"


@dataclass(frozen=True)
class GeospatialNote:
    ref: Ref
    about: Ref
    text: Text
    principles: list[Ref]
    sources: list[str]
    paragraphs: list[int]


@dataclass(frozen=True)
class LocationClass:
    cls: Ref
    note: Text


@dataclass
class _Draft:
    about: str
    texts: dict[str, str] = field(default_factory=dict)
    principles: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    paragraphs: set[int] = field(default_factory=set)


@per_version
def geospatial_notes(cat: Catalog) -> list[GeospatialNote]:
    """Every note, in the order of the activities' codes."""
    drafts: dict[str, _Draft] = {}
    for row in cat.select("geospatial_notes"):
        draft = drafts.setdefault(row["note"].value, _Draft(row["about"].value))
        value, predicate = row.get("o"), row["p"].value
        if isinstance(value, ox.Literal) and predicate.endswith("#definition"):
            draft.texts.setdefault(value.language or "", value.value)
        elif isinstance(value, ox.NamedNode) and predicate == GSBPMX + "serves":
            draft.principles.add(value.value)
        elif isinstance(value, ox.NamedNode) and predicate.endswith("/source"):
            draft.sources.add(value.value)
        elif isinstance(value, ox.Literal) and predicate == GSBPMX + "paragraph":
            draft.paragraphs.add(int(value.value))
    notes = [
        GeospatialNote(
            ref=cat.ref(iri),
            about=cat.ref(d.about),
            text=Text(d.texts),
            principles=sorted(cat.refs(d.principles), key=lambda r: code_key(r.code)),
            sources=sorted(d.sources),
            paragraphs=sorted(d.paragraphs),
        )
        for iri, d in drafts.items()
    ]
    return sorted(notes, key=lambda n: (code_key(n.about.code), n.ref.iri))


def notes_about(cat: Catalog, activity: str) -> list[GeospatialNote]:
    return [n for n in geospatial_notes(cat) if n.about.iri == activity]


def notes_serving(cat: Catalog, principle: str) -> list[GeospatialNote]:
    return [n for n in geospatial_notes(cat) if any(p.iri == principle for p in n.principles)]


@per_version
def principles(cat: Catalog) -> list[Ref]:
    """The GSGF principles, by number."""
    found = {row["item"].value for row in cat.select("scheme_items", scheme=GSGF_SCHEME)}
    return sorted(cat.refs(found), key=lambda r: code_key(r.code))


@per_version
def location_classes(cat: Catalog) -> list[LocationClass]:
    notes: dict[str, dict[str, str]] = {}
    for row in cat.select("location_classes"):
        entry = notes.setdefault(row["class"].value, {})
        note = row.get("note")
        if isinstance(note, ox.Literal):
            entry.setdefault(note.language or "", note.value)
    return sorted(
        (LocationClass(cat.ref(iri), Text(texts)) for iri, texts in notes.items()), key=lambda c: c.cls.name()
    )
