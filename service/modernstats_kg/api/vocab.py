"""SKOS vocabulary look-ups for the GSBPM and GAMSO schemes, named and shaped like Skosmos' REST API
(`/rest/v1/...` there, `/api/v1/vocab/...` here), so thesaurus clients written for Skosmos work unchanged:
`vocabularies`, `{vocid}/topConcepts`, `broader`, `narrower`, `hierarchy`, `label`, `lookup` and `data`.

Bodies are JSON-LD compatible like Skosmos' (`@context`, `uri`, `prefLabel`, `notation`...). A concept outside the
scheme, or an unknown vocabulary, is a 404 naming it.
"""

from __future__ import annotations

from typing import Annotated, Any

import pyoxigraph as ox
from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from ..catalog import Catalog
from ..catalog.vocab import DCTERMS, OWL, RDF, RDFS, SKOS, local_name
from ..catalog.vocabulary import VOCABULARIES, SchemeIndex, in_code_order, lookup, scheme_index
from .deps import CatalogDep, not_found
from .models import ERROR_RESPONSES, LANG_PATTERN, Lang

router = APIRouter(prefix="/vocab", tags=["SKOS vocabularies (Skosmos-style)"])

ONKI = "http://schema.onki.fi/onki#"
BASE_CONTEXT: dict[str, Any] = {"skos": SKOS, "uri": "@id", "type": "@type"}

VocId = Annotated[str, Path(description="Vocabulary id: `gsbpm` or `gamso`.", examples=["gsbpm"])]
ConceptUri = Annotated[
    str,
    Query(
        description="IRI of a concept of the vocabulary.", examples=["http://id.unece.org/activities/subProcess/5.3"]
    ),
]


class Skosmos(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    context: dict[str, Any] = Field(alias="@context", description="JSON-LD context, as Skosmos sends it.")


class Vocabulary(BaseModel):
    uri: str = Field(examples=["gsbpm"])
    id: str = Field(examples=["gsbpm"])
    title: str = Field(examples=["Generic Statistical Business Process Model"])


class Vocabularies(Skosmos):
    uri: str = ""
    vocabularies: list[Vocabulary]


class TopConcept(BaseModel):
    uri: str
    label: str
    topConceptOf: str
    hasChildren: bool
    notation: str | None = None


class TopConcepts(Skosmos):
    uri: str = Field(description="The concept scheme.")
    topconcepts: list[TopConcept]


class ConceptRef(BaseModel):
    uri: str
    prefLabel: str
    notation: str | None = None


class Broader(Skosmos):
    uri: str
    broader: list[ConceptRef]


class Narrower(Skosmos):
    uri: str
    narrower: list[ConceptRef]


class HierarchyChild(BaseModel):
    uri: str
    label: str
    hasChildren: bool
    notation: str | None = None


class HierarchyEntry(BaseModel):
    uri: str
    prefLabel: str
    notation: str | None = None
    broader: list[str] | None = None
    narrower: list[HierarchyChild] | None = None
    hasChildren: bool | None = None
    top: str | None = None
    tops: list[str] | None = None


class Hierarchy(Skosmos):
    uri: str
    broaderTransitive: dict[str, HierarchyEntry]


class Labels(Skosmos):
    uri: str
    prefLabel: str | None = None
    altLabel: list[str] | None = None
    hiddenLabel: list[str] | None = None


class LookupHit(BaseModel):
    uri: str
    type: list[str]
    localname: str
    prefLabel: str | None = None
    altLabel: str | None = None
    notation: str | None = None
    lang: str
    vocab: str


class Lookup(Skosmos):
    result: list[LookupHit]


def _context(**terms: Any) -> dict[str, Any]:
    return {**BASE_CONTEXT, **{k: v for k, v in terms.items() if v is not None}}


def _index(cat: Catalog, vocid: str) -> SchemeIndex:
    scheme = VOCABULARIES.get(vocid)
    if scheme is None:
        not_found(f"unknown vocabulary {vocid!r} (known: {', '.join(sorted(VOCABULARIES))})")
    return scheme_index(cat, scheme)


def _concept(cat: Catalog, vocid: str, uri: str) -> SchemeIndex:
    index = _index(cat, vocid)
    if uri not in index:
        not_found(f"Could not find concept <{uri}> in vocabulary {vocid!r}")
    return index


def _ref(cat: Catalog, iri: str, lang: str) -> ConceptRef:
    return ConceptRef(uri=iri, prefLabel=cat.ref(iri).name(lang), notation=cat.code(iri))


@router.get(
    "/vocabularies",
    summary="List the vocabularies",
    description="The SKOS concept schemes served as vocabularies (Skosmos `vocabularies`).",
    response_model=Vocabularies,
    response_model_exclude_none=True,
)
def vocabularies(cat: CatalogDep, lang: Lang = "en") -> Vocabularies:
    items = [
        Vocabulary(uri=vocid, id=vocid, title=cat.ref(scheme).name(lang))
        for vocid, scheme in sorted(VOCABULARIES.items())
    ]
    context = {
        "rdfs": RDFS,
        "onki": ONKI,
        "title": {"@id": "rdfs:label", "@language": lang},
        "vocabularies": "onki:hasVocabulary",
        "id": "onki:vocabularyIdentifier",
        "uri": "@id",
    }
    return Vocabularies(context=context, vocabularies=items)


@router.get(
    "/{vocid}/topConcepts",
    summary="Top concepts of a vocabulary",
    description="The top concepts of the scheme (Skosmos `topConcepts`), with notation and whether they have narrower "
    "concepts.",
    response_model=TopConcepts,
    response_model_exclude_none=True,
)
def top_concepts(cat: CatalogDep, vocid: VocId, lang: Lang = "en") -> TopConcepts:
    index = _index(cat, vocid)
    tops = [
        TopConcept(
            uri=iri,
            label=cat.ref(iri).name(lang),
            topConceptOf=index.scheme,
            hasChildren=bool(index.narrower.get(iri)),
            notation=cat.code(iri),
        )
        for iri in in_code_order(cat, index.tops)
    ]
    context = _context(
        onki=ONKI,
        topconcepts="skos:hasTopConcept",
        notation="skos:notation",
        label="skos:prefLabel",
        **{"@language": lang},
    )
    return TopConcepts(context=context, uri=index.scheme, topconcepts=tops)


@router.get(
    "/{vocid}/broader",
    summary="Broader concepts",
    description="The direct broader concepts of a concept (Skosmos `broader`).",
    response_model=Broader,
    response_model_exclude_none=True,
)
def broader(cat: CatalogDep, vocid: VocId, uri: ConceptUri, lang: Lang = "en") -> Broader:
    index = _concept(cat, vocid, uri)
    items = [_ref(cat, iri, lang) for iri in in_code_order(cat, index.broader.get(uri, ()))]
    context = _context(prefLabel="skos:prefLabel", broader="skos:broader", **{"@language": lang})
    return Broader(context=context, uri=uri, broader=items)


@router.get(
    "/{vocid}/narrower",
    summary="Narrower concepts",
    description="The direct narrower concepts of a concept, in code order (Skosmos `narrower`).",
    response_model=Narrower,
    response_model_exclude_none=True,
)
def narrower(cat: CatalogDep, vocid: VocId, uri: ConceptUri, lang: Lang = "en") -> Narrower:
    index = _concept(cat, vocid, uri)
    items = [_ref(cat, iri, lang) for iri in in_code_order(cat, index.narrower.get(uri, ()))]
    context = _context(prefLabel="skos:prefLabel", narrower="skos:narrower", **{"@language": lang})
    return Narrower(context=context, uri=uri, narrower=items)


@router.get(
    "/{vocid}/hierarchy",
    summary="Hierarchy context of a concept",
    description="The concept and all its broader concepts up to the top, each with its narrower concepts, keyed by "
    "IRI (Skosmos `hierarchy`): enough to draw the tree opened at the concept.",
    response_model=Hierarchy,
    response_model_exclude_none=True,
)
def hierarchy(cat: CatalogDep, vocid: VocId, uri: ConceptUri, lang: Lang = "en") -> Hierarchy:
    index = _concept(cat, vocid, uri)
    entries: dict[str, HierarchyEntry] = {}
    for iri in [uri, *index.ancestors(uri)]:
        children = [
            HierarchyChild(
                uri=c, label=cat.ref(c).name(lang), hasChildren=bool(index.narrower.get(c)), notation=cat.code(c)
            )
            for c in in_code_order(cat, index.narrower.get(iri, ()))
        ]
        is_top = iri in index.tops
        entries[iri] = HierarchyEntry(
            uri=iri,
            prefLabel=cat.ref(iri).name(lang),
            notation=cat.code(iri),
            broader=in_code_order(cat, index.broader.get(iri, ())) or None,
            narrower=children or None,
            hasChildren=bool(children),
            top=index.scheme if is_top else None,
            tops=[index.scheme] if is_top else None,
        )
    context = _context(
        onki=ONKI,
        prefLabel="skos:prefLabel",
        notation="skos:notation",
        narrower={"@id": "skos:narrower", "@type": "@id"},
        broader={"@id": "skos:broader", "@type": "@id"},
        broaderTransitive={"@id": "skos:broaderTransitive", "@container": "@index"},
        top={"@id": "skos:topConceptOf", "@type": "@id"},
        tops={"@id": "skos:topConceptOf", "@type": "@id"},
        hasChildren="onki:hasChildren",
        **{"@language": lang},
    )
    return Hierarchy(context=context, uri=uri, broaderTransitive=entries)


@router.get(
    "/{vocid}/label",
    summary="Labels of a concept",
    description="The preferred label of a concept in `lang` (falling back to English), and its alternative and "
    "hidden labels in that language (Skosmos `label`).",
    response_model=Labels,
    response_model_exclude_none=True,
)
def label(cat: CatalogDep, vocid: VocId, uri: ConceptUri, lang: Lang = "en") -> Labels:
    index = _concept(cat, vocid, uri)
    alt = [e.value for e in index.labels_of(uri, "altLabel") if e.lang == lang]
    hidden = [e.value for e in index.labels_of(uri, "hiddenLabel") if e.lang == lang]
    context = _context(
        prefLabel="skos:prefLabel", altLabel="skos:altLabel", hiddenLabel="skos:hiddenLabel", **{"@language": lang}
    )
    return Labels(
        context=context, uri=uri, prefLabel=cat.ref(uri).name(lang), altLabel=alt or None, hiddenLabel=hidden or None
    )


@router.get(
    "/{vocid}/lookup",
    summary="Find concepts by label",
    description="Concepts whose preferred label (then alternative label) is `label`, exactly or ignoring case, in "
    "`lang` or, without `lang`, in any language (Skosmos `lookup`); a code such as `5.3` finds the concept with that "
    "notation. 404 when nothing matches.",
    response_model=Lookup,
    response_model_exclude_none=True,
)
def lookup_label(
    cat: CatalogDep,
    vocid: VocId,
    label: Annotated[
        str, Query(min_length=1, max_length=500, description="The label.", examples=["Review and validate"])
    ],
    lang: Annotated[str | None, Query(pattern=LANG_PATTERN, description="Language of the label.")] = None,
) -> Lookup:
    index = _index(cat, vocid)
    hits = lookup(index, label, lang)
    if not hits:
        not_found(f"Could not find label {label!r} in vocabulary {vocid!r}")
    result = [
        LookupHit(
            uri=hit.concept,
            type=["skos:Concept"],
            localname=local_name(hit.concept),
            prefLabel=hit.value if hit.property == "prefLabel" else cat.ref(hit.concept).name(lang or "en"),
            altLabel=hit.value if hit.property == "altLabel" else None,
            notation=cat.code(hit.concept),
            lang=hit.lang or (lang or ""),
            vocab=vocid,
        )
        for hit in hits
    ]
    language = {"@language": lang} if lang else {}
    context = _context(
        onki=ONKI,
        results={"@id": "onki:results"},
        prefLabel="skos:prefLabel",
        altLabel="skos:altLabel",
        hiddenLabel="skos:hiddenLabel",
        **language,
    )
    return Lookup(context=context, result=result)


# --- data: the concept as compact JSON-LD ----------------------------------------------------------------------------

DATA_CONTEXT: dict[str, Any] = {
    "skos": SKOS,
    "rdfs": RDFS,
    "owl": OWL,
    "dct": DCTERMS,
    "uri": "@id",
    "type": "@type",
    "lang": "@language",
    "value": "@value",
    "graph": "@graph",
    "label": "rdfs:label",
    "prefLabel": "skos:prefLabel",
    "altLabel": "skos:altLabel",
    "hiddenLabel": "skos:hiddenLabel",
    "broader": "skos:broader",
    "narrower": "skos:narrower",
    "related": "skos:related",
    "inScheme": "skos:inScheme",
    "exactMatch": "skos:exactMatch",
    "closeMatch": "skos:closeMatch",
    "broadMatch": "skos:broadMatch",
    "narrowMatch": "skos:narrowMatch",
    "relatedMatch": "skos:relatedMatch",
}
_TERMS = {v: k for k, v in DATA_CONTEXT.items() if isinstance(v, str) and ":" in v and not v.startswith("http")}
_PREFIXES = {v: k for k, v in DATA_CONTEXT.items() if isinstance(v, str) and v.startswith("http")}


class JSONLDResponse(JSONResponse):
    media_type = "application/ld+json"


def _compact(iri: str) -> str:
    for namespace, prefix in _PREFIXES.items():
        if iri.startswith(namespace):
            curie = f"{prefix}:{iri[len(namespace) :]}"
            return _TERMS.get(curie, curie)
    return iri


def _value(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Any:
    if isinstance(term, ox.Literal):
        if term.language:
            return {"lang": term.language, "value": term.value}
        if term.datatype and term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            return {"type": _compact(term.datatype.value), "value": term.value}
        return term.value
    if isinstance(term, ox.BlankNode):
        return {"uri": "_:" + term.value}
    return {"uri": term.value}


def _node(cat: Catalog, iri: str) -> dict[str, Any]:
    node: dict[str, Any] = {"uri": iri}
    values: dict[str, list[Any]] = {}
    for predicate, obj in cat.outgoing(iri):
        if predicate == RDF + "type" and isinstance(obj, ox.NamedNode):
            values.setdefault("type", []).append(_compact(obj.value))
        else:
            values.setdefault(_compact(predicate), []).append(_value(obj))
    for key, found in values.items():
        node[key] = found[0] if len(found) == 1 else found
    return node


@router.get(
    "/{vocid}/data",
    summary="RDF description of a concept (JSON-LD)",
    description="Every statement about the concept, with the labels of the concepts it points to in the scheme, as "
    "compact JSON-LD with Skosmos' context (Skosmos `data`).",
    response_class=JSONLDResponse,
    responses={
        200: {"content": {"application/ld+json": {}}, "description": "The concept as JSON-LD."},
        **{
            status: {
                "description": ERROR_RESPONSES[status]["description"],
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}},
            }
            for status in (404, 422)
        },
    },
)
def data(cat: CatalogDep, vocid: VocId, uri: ConceptUri) -> dict[str, Any]:
    index = _concept(cat, vocid, uri)
    related = [*index.broader.get(uri, ()), *index.narrower.get(uri, ())]
    graph = [_node(cat, uri)]
    for iri in in_code_order(cat, related):
        text = cat.text(iri)
        neighbour: dict[str, Any] = {"uri": iri, "type": "skos:Concept"}
        if text:
            neighbour["prefLabel"] = [{"lang": lang, "value": value} if lang else value for lang, value in text.items()]
        graph.append(neighbour)
    return {"@context": DATA_CONTEXT, "graph": graph}
