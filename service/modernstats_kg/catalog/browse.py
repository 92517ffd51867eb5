"""Browsing a vocabulary the way a thesaurus service (Skosmos) offers it: an A-Z index of every concept or class
and its hierarchy trees.

The vocabularies are the OWL models (GSIM, CSPA, COOS: their classes, by `rdfs:subClassOf`; GSIM also by group)
and every SKOS concept scheme of the graph (GSBPM, GAMSO and the smaller ones: by `skos:broader`). Everything is
built once per content version from named queries; request values only pick a vocabulary out of the table.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from .coos import TreeNode, ontology_model
from .core import Catalog, Ref
from .gsim import GroupDiagram, gsim_classes, gsim_model
from .vocab import COOS_ONTOLOGY, CSPA_ONTOLOGY, GAMSO_SCHEME, GSBPM_SCHEME, GSIM, GSIM_ONTOLOGY, code_key, model_of
from .vocabulary import scheme_index

# Short ids of the vocabularies whose IRI is known; a scheme not listed gets an id made from its IRI.
ONTOLOGY_IDS = {"gsim": GSIM_ONTOLOGY, "cspa": CSPA_ONTOLOGY, "coos": COOS_ONTOLOGY}
SCHEME_IDS = {
    GSBPM_SCHEME: "gsbpm",
    GAMSO_SCHEME: "gamso",
    "http://id.unece.org/gsgf/principles": "gsgf-principles",
    "http://id.unece.org/def/coos#productContents": "coos-product-contents",
    "http://id.unece.org/def/coos#productPresentations": "coos-product-presentations",
    "http://id.unece.org/def/mapping#MappingStatus": "mapping-status",
}
_NOT_ID = re.compile(r"[^a-z0-9]+")

TREE_HIERARCHY = "hierarchy"
TREE_BY_GROUP = "by_group"
TREE_BY_GENERALISATION = "by_generalisation"


@dataclass(frozen=True)
class Vocabulary:
    """One browsable vocabulary: `kind` is `ontology` (classes) or `scheme` (SKOS concepts)."""

    id: str
    ref: Ref
    kind: str

    @property
    def model(self) -> str:
        """The model it belongs to (`GSBPM`, `GSIM`, ...), which decides the navigation tab of its pages."""
        return model_of(self.ref.iri)


@dataclass(frozen=True)
class IndexEntry:
    """One line of an A-Z index."""

    ref: Ref
    deprecated: bool = False
    successor: Ref | None = None


@dataclass(frozen=True)
class Tree:
    """One hierarchy of a vocabulary (`key` names how it is built)."""

    key: str
    roots: list[TreeNode]


def browse_id(iri: str) -> str | None:
    """The id of the vocabulary `iri` names, when it is one of the known ones (for links from its page)."""
    known = {iri: vocid for vocid, iri in ONTOLOGY_IDS.items()} | SCHEME_IDS
    return known.get(iri)


def _scheme_id(iri: str) -> str:
    return SCHEME_IDS.get(iri) or _NOT_ID.sub("-", iri.split("://", 1)[-1].lower()).strip("-")


def vocabularies(cat: Catalog) -> list[Vocabulary]:
    """Every browsable vocabulary: the OWL models first, then the concept schemes (GSBPM and GAMSO first)."""

    def compute() -> list[Vocabulary]:
        found = [Vocabulary(vocid, cat.ref(iri), "ontology") for vocid, iri in ONTOLOGY_IDS.items() if cat.exists(iri)]
        schemes = sorted(
            (row["scheme"].value for row in cat.select("concept_schemes")),
            key=lambda iri: (iri not in (GSBPM_SCHEME, GAMSO_SCHEME), iri != GSBPM_SCHEME, _scheme_id(iri)),
        )
        found += [Vocabulary(_scheme_id(iri), cat.ref(iri), "scheme") for iri in schemes]
        return found

    return cat.memo("browse:vocabularies", compute)


def vocabulary(cat: Catalog, vocid: str) -> Vocabulary | None:
    return next((v for v in vocabularies(cat) if v.id == vocid), None)


def vocabulary_of(cat: Catalog, iri: str) -> Vocabulary | None:
    """The vocabulary whose index page is the page of `iri` (a scheme or an ontology), if any."""
    return next((v for v in vocabularies(cat) if v.ref.iri == iri), None)


def _namespace(vocab: Vocabulary) -> str:
    return GSIM if vocab.id == "gsim" else vocab.ref.iri + "#"


def deprecated_terms(cat: Catalog) -> dict[str, str | None]:
    """term -> its successor (or None), for every term marked `owl:deprecated true`."""

    def compute() -> dict[str, str | None]:
        found: dict[str, str | None] = {}
        for row in cat.select("deprecated_terms"):
            successor = row.get("successor")
            if found.get(row["term"].value) is None:
                found[row["term"].value] = successor.value if isinstance(successor, ox.NamedNode) else None
        return found

    return cat.memo("browse:deprecated", compute)


def _members(cat: Catalog, vocab: Vocabulary) -> set[str]:
    if vocab.kind == "scheme":
        return set(scheme_index(cat, vocab.ref.iri).concepts)
    members = set(_walk(ontology_model(cat, vocab.ref.iri, _namespace(vocab)).tree))
    if vocab.id == "gsim":  # the GSIM 1.2 names are classes of the namespace too, listed as deprecated
        groups, deprecated = gsim_classes(cat)
        members |= set(groups) | set(deprecated)
    return members


def _walk(nodes: Iterable[TreeNode]) -> Iterable[str]:
    for node in nodes:
        yield node.ref.iri
        yield from _walk(node.children)


def sort_key(name: str) -> str:
    """Alphabetical order ignoring case and accents (`Élément` files under E)."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()


def initial(name: str) -> str:
    """The letter of the A-Z bar a name files under: its first letter without accent, upper case; `#` for a name
    that starts with anything else (a digit, a sign)."""
    first = sort_key(name.strip())[:1].upper()
    return first if first.isalpha() else "#"


def az_index(cat: Catalog, vocid: str, lang: str) -> list[tuple[str, list[IndexEntry]]]:
    """(letter, entries) in alphabetical order of the names in `lang` (with the usual label fallback): every
    concept or class of the vocabulary once, deprecated ones marked with their successor."""
    vocab = vocabulary(cat, vocid)
    if vocab is None:
        return []

    def compute() -> list[tuple[str, list[IndexEntry]]]:
        deprecated = deprecated_terms(cat)
        entries = []
        for iri in _members(cat, vocab):
            successor = deprecated.get(iri)
            entries.append(IndexEntry(cat.ref(iri), iri in deprecated, cat.ref(successor) if successor else None))
        entries.sort(key=lambda e: (sort_key(e.ref.name(lang)), code_key(e.ref.code), e.ref.iri))
        letters: dict[str, list[IndexEntry]] = {}
        for entry in entries:
            letters.setdefault(initial(entry.ref.name(lang)), []).append(entry)
        return sorted(letters.items(), key=lambda item: (item[0] == "#", item[0]))

    return cat.memo(f"browse:az:{vocid}:{lang}", compute)


def trees(cat: Catalog, vocid: str) -> list[Tree]:
    """The hierarchies of a vocabulary: a SKOS scheme by `skos:broader` (top concepts first, in code order); an
    OWL model by `rdfs:subClassOf` (deprecated classes left out); GSIM also by group."""
    vocab = vocabulary(cat, vocid)
    if vocab is None:
        return []

    def compute() -> list[Tree]:
        if vocab.kind == "scheme":
            return [Tree(TREE_HIERARCHY, _scheme_tree(cat, vocab.ref.iri))]
        deprecated = deprecated_terms(cat)
        by_subclass = _without(ontology_model(cat, vocab.ref.iri, _namespace(vocab)).tree, set(deprecated))
        if vocab.id != "gsim":
            return [Tree(TREE_HIERARCHY, by_subclass)]
        by_group = [TreeNode(g.group, [TreeNode(c, []) for c in g.classes]) for g in gsim_model(cat).groups]
        return [Tree(TREE_BY_GROUP, by_group), Tree(TREE_BY_GENERALISATION, by_subclass)]

    return cat.memo(f"browse:trees:{vocid}", compute)


def _without(nodes: list[TreeNode], dropped: set[str]) -> list[TreeNode]:
    return [TreeNode(n.ref, _without(n.children, dropped)) for n in nodes if n.ref.iri not in dropped]


def _scheme_tree(cat: Catalog, scheme: str) -> list[TreeNode]:
    index = scheme_index(cat, scheme)
    # top concepts as the scheme declares them; a scheme that declares none starts from its concepts without broader
    tops = index.tops or {c for c in index.concepts if not index.broader.get(c)}

    def ordered(iris: Iterable[str]) -> list[Ref]:
        refs = cat.refs(iris)
        return sorted(refs, key=lambda r: (code_key(r.code), sort_key(r.name()), r.iri))

    def node(ref: Ref, seen: frozenset[str]) -> TreeNode:
        below = [c for c in index.narrower.get(ref.iri, ()) if c not in seen]
        return TreeNode(ref, [node(child, seen | {child.iri}) for child in ordered(below)])

    return [node(top, frozenset({top.iri})) for top in ordered(tops)]


@dataclass(frozen=True)
class GroupTree:
    """The classes of one GSIM group as a list a reader can follow: each under the class of the group it
    specialises; a class that specialises only classes of other groups sits at the top with those named."""

    roots: list[TreeNode]
    outside_supers: dict[str, list[Ref]]  # class -> the classes of other groups it specialises


def group_tree(cat: Catalog, diagram: GroupDiagram) -> GroupTree:
    members = {c.iri for c in diagram.classes}
    inside: dict[str, list[str]] = {}
    outside: dict[str, list[Ref]] = {}
    for cls, sup in diagram.generalisations:
        if sup in members:
            inside.setdefault(sup, []).append(cls)
        else:
            outside.setdefault(cls, []).append(cat.ref(sup))
    has_super_inside = {c for children in inside.values() for c in children}
    by_name = {c.iri: c for c in diagram.classes}

    def node(iri: str, seen: frozenset[str]) -> TreeNode:
        kids = sorted((by_name[k] for k in inside.get(iri, []) if k not in seen), key=lambda r: sort_key(r.name()))
        return TreeNode(by_name[iri], [node(k.iri, seen | {k.iri}) for k in kids])

    roots = [node(c.iri, frozenset({c.iri})) for c in diagram.classes if c.iri not in has_super_inside]
    return GroupTree(roots, outside)
