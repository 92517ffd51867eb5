"""Dereferenceable IRIs: the path of every `http://id.unece.org/...` IRI is its page, and every such path (and
`/resource?iri=`) negotiates between the HTML page and the RDF description of the resource.

One dispatcher decides which kind of page an IRI gets; the page modules render them. A path that names nothing in
the graph answers 404 with suggestions from the label search.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, TypedDict

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from ..catalog import Catalog
from ..catalog.coos import ontology_model
from ..catalog.cspa import is_service
from ..catalog.downloads import graph_triples
from ..catalog.gsbpm import activity_kind
from ..catalog.gsim import gsim_classes
from ..catalog.resource import description_triples, mention_triples
from ..catalog.vocab import (
    COOS,
    COOS_ONTOLOGY,
    CSPA,
    CSPA_ONTOLOGY,
    GAMSO_SCHEME,
    GSBPM_SCHEME,
    GSIM,
    GSIM_ONTOLOGY,
    OWL,
    RDFS,
    model_of,
)
from ..state import get_catalog
from . import coos_class, cspa_service, gamso, gsim_class, gsim_group, resource, subprocess
from .home import home_page
from .i18n import requested_lang
from .not_found import not_found
from .paths import ID_BASE, candidate_iris, resource_url, split_suffix
from .rdf import RDF_FORMATS, rdf_response, serialize, wanted
from .templating import PAGE_VARY, Alternate, cached, validators_for

router = APIRouter()


def alternates_for(iri: str, page_path: str | None) -> list[Alternate]:
    """Links to the RDF descriptions of a resource: `path.ttl`... for IRI paths, `&format=` for `/resource`."""
    result = []
    for suffix, fmt in RDF_FORMATS.items():
        href = f"{page_path}.{suffix}" if page_path else f"{resource_url(iri)}&format={suffix}"
        result.append(Alternate(href, fmt.media_type, fmt.name))
    return result


def resolve(cat: Catalog, path: str) -> str | None:
    """The IRI a page path stands for, when the graph holds it."""
    for iri in candidate_iris(path):
        try:
            ox.NamedNode(iri)
        except ValueError:
            continue
        if cat.exists(iri) or iri in _graph_iris(cat):
            return iri
    return None


def _graph_iris(cat: Catalog) -> set[str]:
    return cat.memo("graph_iris", lambda: {g.iri for g in cat.store.graphs()})


@router.get("/resource", include_in_schema=False)
def resource_by_iri(
    request: Request,
    cat: Annotated[Catalog, Depends(get_catalog)],
    iri: Annotated[str, Query(description="the IRI of any resource of the graph", max_length=2000)],
) -> Response:
    return serve_iri(request, cat, iri, page_path=None)


@router.get("/{path:path}", include_in_schema=False)
def dereference(path: str, request: Request, cat: Annotated[Catalog, Depends(get_catalog)]) -> Response:
    full = "/" + path
    iri = resolve(cat, full)
    suffix = None
    if iri is None:
        base, suffix = split_suffix(full)
        if suffix is not None:
            iri = resolve(cat, base)
            full = base
    if iri is None:
        return not_found(request, cat, full)
    return serve_iri(request, cat, iri, page_path=full, suffix=suffix)


def serve_iri(
    request: Request, cat: Catalog, iri: str, *, page_path: str | None, suffix: str | None = None
) -> Response:
    """Answer for one IRI: its RDF description in the negotiated format, or its HTML page."""
    try:
        ox.NamedNode(iri)
    except ValueError:
        return not_found(request, cat, iri)
    if page_path is None and iri.startswith(ID_BASE) and not cat.exists(iri) and iri not in _graph_iris(cat):
        return not_found(request, cat, iri)
    alternates = alternates_for(iri, page_path)
    chosen = wanted(request, suffix)
    lang = requested_lang(request)
    fmt = chosen.format if isinstance(chosen.format, ox.RdfFormat) else None
    validators = validators_for(request, chosen.key, lang if fmt is None else "")
    if validators is not None and (unchanged := validators.not_modified(request, vary=PAGE_VARY)) is not None:
        return unchanged

    def build() -> Response:
        if fmt is not None:
            triples = rdf_description(cat, iri)
            if not triples:
                return not_found(request, cat, iri)
            response = rdf_response(triples, fmt, alternates)
            if validators is not None:
                validators.apply(response, vary=PAGE_VARY)
            return response
        page = html_page(request, cat, iri, lang=lang, alternates=sized(cat, iri, alternates))
        return page if page is not None else not_found(request, cat, iri)

    return cached(request, cat, build, chosen.key, lang if fmt is None else "")


def rdf_description(cat: Catalog, iri: str) -> list[ox.Triple]:
    """What the RDF formats of a page hold: an ontology or scheme IRI names its whole file, so its description is
    the file's graph; any other resource, the statements about it (or, with none, those mentioning it)."""
    whole = iri in _graph_iris(cat)
    triples = graph_triples(cat, iri) if whole else description_triples(cat, iri)
    if not triples and not whole:
        triples = mention_triples(cat, iri)
    return triples


def sized(cat: Catalog, iri: str, alternates: list[Alternate]) -> list[Alternate]:
    """The page's format links with the size in bytes of each (kept per content version, like the pages)."""

    def sizes() -> dict[str, int]:
        triples = rdf_description(cat, iri)
        return {fmt.media_type: len(serialize(triples, fmt)) for fmt in RDF_FORMATS.values()} if triples else {}

    known = cat.remembered(("rdf_sizes", iri), sizes)
    return [replace(a, size=known.get(a.media_type)) for a in alternates]


class _PageOptions(TypedDict):
    """The keyword arguments every page function takes."""

    lang: str
    alternates: list[Alternate]


def html_page(request: Request, cat: Catalog, iri: str, *, lang: str, alternates: list[Alternate]) -> Response | None:
    """Pick the page that fits the resource; the generic resource page when nothing more specific does."""
    kw: _PageOptions = {"lang": lang, "alternates": alternates}
    response: Response | None = None
    if iri == GSBPM_SCHEME:
        return home_page(request, cat)
    if activity_kind(iri):
        response = subprocess.page(request, cat, iri, **kw)
    elif iri == GSIM_ONTOLOGY:
        response = gsim_group.ontology_page(request, cat, **kw)
    elif iri.startswith(GSIM):
        groups, deprecated = gsim_classes(cat)
        if iri in groups or iri in deprecated:
            response = gsim_class.page(request, cat, iri, **kw)
        elif iri in set(groups.values()):
            response = gsim_group.group_page(request, cat, iri, **kw)
    elif iri == GAMSO_SCHEME:
        response = gamso.tree_page(request, cat, **kw)
    elif model_of(iri) == "GAMSO":
        response = gamso.item_page(request, cat, iri, **kw)
    elif iri == CSPA_ONTOLOGY:
        response = cspa_service.index_page(request, cat, **kw)
    elif is_service(cat, iri):
        response = cspa_service.page(request, cat, iri, **kw)
    elif iri == COOS_ONTOLOGY:
        response = coos_class.index_page(request, cat, COOS_ONTOLOGY, COOS, **kw)
    elif iri.startswith((COOS, CSPA, ID_BASE + "def/")) and "#" in iri and _is_class(cat, iri):
        response = coos_class.page(request, cat, iri, iri.rsplit("#", 1)[0] + "#", **kw)
    elif iri.startswith(ID_BASE + "def/") and "#" not in iri and _has_terms(cat, iri + "#"):
        response = coos_class.index_page(request, cat, iri, iri + "#", **kw)
    return response or resource.page(request, cat, iri, **kw)


def _is_class(cat: Catalog, iri: str) -> bool:
    return bool(cat.types(iri) & {OWL + "Class", RDFS + "Class"})


def _has_terms(cat: Catalog, namespace: str) -> bool:
    model = ontology_model(cat, namespace.rstrip("#"), namespace)
    return bool(model.tree or model.properties)
