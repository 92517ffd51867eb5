"""SKOS concept schemes as vocabularies (GSBPM, GAMSO): members, top concepts, the broader/narrower hierarchy and
label look-up, the way a thesaurus service (Skosmos) offers them.

One `SchemeIndex` per scheme and content version is built from three named queries with the scheme IRI bound, then
every look-up is a dictionary access: request values never reach a query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from .core import Catalog
from .vocab import GAMSO_SCHEME, GSBPM_SCHEME, SKOS, code_key

# Vocabulary id -> concept scheme IRI.
VOCABULARIES: dict[str, str] = {"gamso": GAMSO_SCHEME, "gsbpm": GSBPM_SCHEME}

LABEL_PROPERTIES = ("prefLabel", "altLabel", "hiddenLabel")


@dataclass(frozen=True)
class LabelEntry:
    concept: str
    property: str  # "prefLabel", "altLabel" or "hiddenLabel"
    value: str
    lang: str


@dataclass
class SchemeIndex:
    """Everything a vocabulary look-up needs about one concept scheme."""

    scheme: str
    concepts: set[str] = field(default_factory=set)
    tops: set[str] = field(default_factory=set)
    broader: dict[str, set[str]] = field(default_factory=dict)
    narrower: dict[str, set[str]] = field(default_factory=dict)
    labels: list[LabelEntry] = field(default_factory=list)
    notations: dict[str, str] = field(default_factory=dict)

    def __contains__(self, iri: object) -> bool:
        return iri in self.concepts

    def ancestors(self, iri: str) -> list[str]:
        """Every broader concept reachable from `iri` (breadth first, each once)."""
        seen: list[str] = []
        frontier = sorted(self.broader.get(iri, ()))
        while frontier:
            nxt: list[str] = []
            for item in frontier:
                if item not in seen and item != iri:
                    seen.append(item)
                    nxt.extend(sorted(self.broader.get(item, ())))
            frontier = nxt
        return seen

    def labels_of(self, iri: str, prop: str) -> list[LabelEntry]:
        return [entry for entry in self.labels if entry.concept == iri and entry.property == prop]


def scheme_index(cat: Catalog, scheme: str) -> SchemeIndex:
    """The index of one concept scheme (cached for the content version)."""

    def compute() -> SchemeIndex:
        index = SchemeIndex(scheme)
        for row in cat.select("api_scheme_members", scheme=scheme):
            concept = row["concept"].value
            index.concepts.add(concept)
            if "top" in row:
                index.tops.add(concept)
        for row in cat.select("api_scheme_edges", scheme=scheme):
            lower, upper = row["narrower"].value, row["broader"].value
            index.broader.setdefault(lower, set()).add(upper)
            index.narrower.setdefault(upper, set()).add(lower)
        for row in cat.select("api_scheme_labels", scheme=scheme):
            label = row["label"]
            if isinstance(label, ox.Literal):
                prop = row["property"].value[len(SKOS) :]
                index.labels.append(LabelEntry(row["concept"].value, prop, label.value, label.language or ""))
        index.notations = {c: code for c in index.concepts if (code := cat.code(c)) is not None}
        index.labels.sort(key=lambda e: (e.concept, LABEL_PROPERTIES.index(e.property), e.lang, e.value))
        return index

    return cat.memo(f"scheme_index:{scheme}", compute)


def in_code_order(cat: Catalog, iris: Iterable[str]) -> list[str]:
    """IRIs ordered by their notation (5.9 before 5.10), then by IRI."""
    return sorted(iris, key=lambda iri: (code_key(cat.code(iri)), iri))


def lookup(index: SchemeIndex, label: str, lang: str | None) -> list[LabelEntry]:
    """Concepts whose label is `label`, as Skosmos' lookup finds them: the first non-empty of
    (1) exact preferred label in `lang`, (2) same ignoring case, (3)-(4) the same in any language when no `lang`
    is given, (5) exact alternative label, (6) same ignoring case; then (7) a notation equal to `label`."""
    wanted = label.casefold()

    def matching(prop: str, exact: bool, in_lang: bool) -> list[LabelEntry]:
        found = []
        for entry in index.labels:
            if entry.property != prop or (in_lang and lang is not None and entry.lang != lang):
                continue
            if (entry.value == label) if exact else (entry.value.casefold() == wanted):
                found.append(entry)
        return found

    steps = [("prefLabel", True, True), ("prefLabel", False, True)]
    if lang is None:
        steps += [("prefLabel", True, False), ("prefLabel", False, False)]
    steps += [("altLabel", True, True), ("altLabel", False, True)]
    for prop, exact, in_lang in steps:
        hits = matching(prop, exact, in_lang)
        if hits:
            return _one_per_concept(hits)
    return [
        LabelEntry(concept, "notation", code, "")
        for concept, code in sorted(index.notations.items())
        if code.casefold() == wanted
    ]


def _one_per_concept(hits: list[LabelEntry]) -> list[LabelEntry]:
    seen: dict[str, LabelEntry] = {}
    for hit in hits:
        seen.setdefault(hit.concept, hit)
    return list(seen.values())
