"""What changed between GSBPM versions (5.1 -> 5.2), read from the change records of `ontology/gsbpm.ttl`: the list
of changes item by item, and the names an item had in an earlier version."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from .core import Catalog, Lit, Ref, Text, per_version
from .vocab import code_key

GSBPMX = "http://id.unece.org/def/gsbpmx#"


@dataclass(frozen=True)
class VersionChange:
    """One change of one item between two versions."""

    iri: str
    item: Ref
    kind: str  # "renamed" or "redescribed"
    from_version: str
    to_version: str
    note: Text
    paragraph: int | None
    source: str | None
    previous_names: list[Lit]  # sorted by language, English first

    def previous_name(self, lang: str) -> str:
        """The earlier name in `lang`, else in English, else ""."""
        by_lang = {lit.lang: lit.value for lit in self.previous_names}
        return by_lang.get(lang) or by_lang.get("en", "")


@dataclass
class _Draft:
    item: str
    kind: str
    from_version: str
    to_version: str
    notes: dict[str, str] = field(default_factory=dict)
    paragraph: int | None = None
    source: str | None = None
    previous: set[Lit] = field(default_factory=set)


@per_version
def version_changes(cat: Catalog) -> list[VersionChange]:
    """Every recorded change, the scheme-level ones first, then by the item's code."""
    drafts: dict[str, _Draft] = {}
    for row in cat.select("gsbpm_changes"):
        iri = row["change"].value
        draft = drafts.setdefault(
            iri,
            _Draft(row["item"].value, row["kind"].value.removeprefix(GSBPMX), row["from"].value, row["to"].value),
        )
        note, previous, source = row.get("note"), row.get("previous"), row.get("source")
        if isinstance(note, ox.Literal):
            draft.notes.setdefault(note.language or "", note.value)
        if isinstance(previous, ox.Literal):
            draft.previous.add(Lit(previous.value, previous.language or ""))
        if isinstance(source, ox.NamedNode):
            draft.source = source.value
        if "paragraph" in row:
            draft.paragraph = int(row["paragraph"].value)
    changes = [
        VersionChange(
            iri=iri,
            item=cat.ref(d.item),
            kind=d.kind,
            from_version=d.from_version,
            to_version=d.to_version,
            note=Text(d.notes),
            paragraph=d.paragraph,
            source=d.source,
            previous_names=sorted(d.previous, key=lambda lit: (lit.lang != "en", lit.lang)),
        )
        for iri, d in drafts.items()
    ]
    return sorted(changes, key=lambda c: (c.item.code is not None, code_key(c.item.code), c.kind, c.iri))


def changes_of(cat: Catalog, iri: str) -> list[VersionChange]:
    """The recorded changes of one item."""
    return [c for c in version_changes(cat) if c.item.iri == iri]
