"""Search in JSON: ranked full text over names, codes, definitions, justifications and notes, grouped by model.

The hits are ordered by model (GSBPM, GSIM, GAMSO, CSPA, COOS, Mapping, Other) and best first within a model; a page
is a window on that order, regrouped by model, with the per-model counts of the whole result.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from ..catalog import search as model
from ..catalog.gsim import gsim_classes
from ..catalog.vocab import GSIM, MODELS
from .deps import CatalogDep
from .models import Lang, Link, api_href
from .pagination import PageDep, window

router = APIRouter(tags=["Search"])

MAX_HITS = 10_000


class SearchHit(Link):
    model: str = Field(description="The model the resource belongs to.", examples=["GSBPM"])
    matched: str = Field(description="The text that matched.", examples=["Review and validate"])
    matched_lang: str = Field(description='Its language (`""` for codes and untagged text).', examples=["en"])
    kind: str = Field(
        description="What matched: `label`, `synonym`, `code`, `old name`, `definition`, `justification` or `note`."
    )
    score: int = Field(
        description="Relevance (BM25 over names and prose, an exact name or code first): higher is better."
    )
    deprecated: bool = Field(False, description="True for a deprecated term (such as a GSIM 1.2 class).")
    type: str | None = Field(None, description="The resource's main type (an IRI).", examples=[None])


class SearchGroup(BaseModel):
    model: str = Field(examples=["GSBPM"])
    items: list[SearchHit]


class SearchPage(BaseModel):
    query: str
    lang: str
    total: int = Field(description="How many resources match in all.")
    limit: int
    offset: int
    next: str | None
    previous: str | None
    counts: dict[str, int] = Field(description="How many resources match, per model.", examples=[{"GSBPM": 1}])
    groups: list[SearchGroup] = Field(description="The hits of this page, grouped by model.")


@router.get(
    "/search",
    summary="Ranked full-text search over names, codes, definitions, justifications and notes",
    description="Resources whose names (in any language), synonyms, codes, former names, definitions, mapping "
    "justifications or notes match `q`, ranked (BM25), with stemming in English, French and Spanish, CamelCase "
    "split and typos forgiven: `q=5.3` finds the sub-process, `q=imputation` Edit and impute, `q=valider` Validate "
    "outputs, `q=InstanceVariable` the GSIM class. Results are grouped by model; `model=GSIM` keeps one model. "
    "Paginated.",
    response_model=SearchPage,
)
def search(
    cat: CatalogDep,
    request: Request,
    response: Response,
    page: PageDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=model.MAX_QUERY,
            description="The text to look for.",
            examples=["review and validate"],
        ),
    ],
    lang: Lang = "en",
    model_filter: Annotated[
        str | None, Query(alias="model", pattern="^(" + "|".join(MODELS) + ")$", description="Only this model.")
    ] = None,
) -> SearchPage:
    results = model.search(cat, q, lang, limit=MAX_HITS)
    classes, deprecated = gsim_classes(cat)

    def href(iri: str) -> str | None:
        # GSIM groups and properties also live in the GSIM namespace; only classes have a class route
        if iri.startswith(GSIM) and iri not in classes and iri not in deprecated:
            return None
        return api_href(iri)

    hits = [
        SearchHit(
            **Link.of(h.ref, lang).model_dump(exclude={"href"}),
            href=href(h.ref.iri),
            model=h.model,
            matched=h.matched,
            matched_lang=h.matched_lang,
            kind=h.kind,
            score=h.score,
            deprecated=h.deprecated,
            type=h.type,
        )
        for name, group in results.groups
        if model_filter is None or name == model_filter
        for h in group
    ]
    counts: dict[str, int] = {}
    for hit in hits:
        counts[hit.model] = counts.get(hit.model, 0) + 1
    cut = window(len(hits), page, request, response)
    groups: list[SearchGroup] = []
    for hit in hits[cut.start : cut.stop]:
        if not groups or groups[-1].model != hit.model:
            groups.append(SearchGroup(model=hit.model, items=[]))
        groups[-1].items.append(hit)
    return SearchPage(
        query=q,
        lang=lang,
        total=len(hits),
        limit=page.limit,
        offset=page.offset,
        next=cut.next,
        previous=cut.previous,
        counts=counts,
        groups=groups,
    )
