"""The browsing pages' data as JSON: every vocabulary (the OWL models and the SKOS concept schemes), the A-Z index
of one in a language, and its hierarchy trees; the same builders as `/browse/{vocid}/a-z` and `/tree`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from ..catalog.browse import az_index, trees, vocabularies, vocabulary
from ..catalog.coos import TreeNode
from ..catalog.core import Ref
from .deps import CatalogDep, not_found
from .models import API_PREFIX, Lang

router = APIRouter(prefix="/browse", tags=["Vocabularies: A-Z index and hierarchies"])

VocId = Annotated[
    str,
    Path(max_length=100, description="Vocabulary id, as `GET /browse` lists them.", examples=["gsim", "gsbpm"]),
]


class VocabularyLinks(BaseModel):
    az: str = Field(description="Its A-Z index (JSON).")
    tree: str = Field(description="Its hierarchies (JSON).")
    az_page: str = Field(description="Its A-Z index page (HTML).")
    tree_page: str = Field(description="Its hierarchy page (HTML).")


class VocabularyItem(BaseModel):
    id: str = Field(examples=["gsim"])
    uri: str = Field(description="The ontology or concept scheme.")
    title: str
    kind: str = Field(description="`ontology` (its classes) or `scheme` (SKOS concepts).", examples=["ontology"])
    links: VocabularyLinks


class VocabularyList(BaseModel):
    vocabularies: list[VocabularyItem]


class Term(BaseModel):
    uri: str
    label: str
    label_lang: str = Field(description="The language of `label`; differs from the one asked for when it fell back.")
    notation: str | None = None


class IndexEntry(Term):
    deprecated: bool = False
    replaced_by: str | None = Field(default=None, description="The successor of a deprecated term, if named.")


class IndexLetter(BaseModel):
    letter: str = Field(description="An upper-case letter without accent, or `#`.", examples=["A"])
    entries: list[IndexEntry]


class AzIndex(BaseModel):
    vocabulary: str
    lang: str
    letters: list[IndexLetter]


class Node(Term):
    children: list[Node] = Field(default_factory=list)


class TreeView(BaseModel):
    key: str = Field(description="`hierarchy`, or for GSIM `by_group` and `by_generalisation`.")
    roots: list[Node]


class Trees(BaseModel):
    vocabulary: str
    lang: str
    trees: list[TreeView]


def _node(node: TreeNode, lang: str) -> Node:
    ref = node.ref
    return Node(
        uri=ref.iri,
        label=ref.name(lang),
        label_lang=ref.label.lang_of(lang),
        notation=ref.code,
        children=[_node(child, lang) for child in node.children],
    )


def _entry(ref: Ref, lang: str, deprecated: bool, successor: Ref | None) -> IndexEntry:
    return IndexEntry(
        uri=ref.iri,
        label=ref.name(lang),
        label_lang=ref.label.lang_of(lang),
        notation=ref.code,
        deprecated=deprecated,
        replaced_by=successor.iri if successor else None,
    )


@router.get(
    "",
    summary="List the vocabularies",
    description="Every vocabulary the browser offers an A-Z index and hierarchies for: the OWL models (GSIM, CSPA, "
    "COOS) and every SKOS concept scheme of the graph (GSBPM, GAMSO and the smaller ones).",
    response_model=VocabularyList,
)
def list_vocabularies(cat: CatalogDep, lang: Lang = "en") -> VocabularyList:
    items = [
        VocabularyItem(
            id=v.id,
            uri=v.ref.iri,
            title=v.ref.name(lang),
            kind=v.kind,
            links=VocabularyLinks(
                az=f"{API_PREFIX}/browse/{v.id}/a-z",
                tree=f"{API_PREFIX}/browse/{v.id}/tree",
                az_page=f"/browse/{v.id}/a-z",
                tree_page=f"/browse/{v.id}/tree",
            ),
        )
        for v in vocabularies(cat)
    ]
    return VocabularyList(vocabularies=items)


@router.get(
    "/{vocid}/a-z",
    summary="A-Z index of a vocabulary",
    description="Every class or concept of the vocabulary once, grouped by the initial of its name in `lang` (with "
    "the usual fallback, whose language `label_lang` gives), in alphabetical order; deprecated terms flagged with "
    "their successor.",
    response_model=AzIndex,
)
def a_z(cat: CatalogDep, vocid: VocId, lang: Lang = "en") -> AzIndex:
    if vocabulary(cat, vocid) is None:
        not_found(f"unknown vocabulary {vocid!r}")
    letters = [
        IndexLetter(
            letter=letter,
            entries=[_entry(e.ref, lang, e.deprecated, e.successor) for e in entries],
        )
        for letter, entries in az_index(cat, vocid, lang)
    ]
    return AzIndex(vocabulary=vocid, lang=lang, letters=letters)


@router.get(
    "/{vocid}/tree",
    summary="Hierarchies of a vocabulary",
    description="The vocabulary's trees: a concept scheme by `skos:broader` (top concepts first, in code order), an "
    "OWL model by `rdfs:subClassOf` (deprecated classes left out); GSIM also by group.",
    response_model=Trees,
)
def tree(cat: CatalogDep, vocid: VocId, lang: Lang = "en") -> Trees:
    if vocabulary(cat, vocid) is None:
        not_found(f"unknown vocabulary {vocid!r}")
    views = [TreeView(key=t.key, roots=[_node(n, lang) for n in t.roots]) for t in trees(cat, vocid)]
    return Trees(vocabulary=vocid, lang=lang, trees=views)
