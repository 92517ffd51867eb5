"""CSPA 2.0 in JSON: the catalogue of statistical services, one service with the GSBPM sub-processes it supports and
the GSIM information it takes in and puts out, and the services of one sub-process."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from ..catalog import Catalog, Ref
from ..catalog import cspa as model
from ..catalog.gsbpm import services_for
from ..catalog.vocab import CSPA, SERVICES, SKOS, local_name
from .deps import CatalogDep, not_found
from .models import Lang, Link, ServiceDetail, ServiceSummary, link, links, multilingual
from .pagination import Page, PageDep, paginate
from .subprocesses import ACTIVITY_CODE, SubProcessCode, find_activity

router = APIRouter(tags=["CSPA"])

SERVICE = SERVICES + "statisticalService/"

ServiceName = Annotated[
    str,
    Path(
        pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,99}$",
        description="Local name of the service IRI.",
        examples=["linearRuleChecking"],
    ),
]


def _service(cat: Catalog, iri: str) -> model.ServiceDetail | None:
    if not model.is_service(cat, iri):
        return None
    return model.service_detail(cat, iri)


def service_summary(detail: model.ServiceDetail, lang: str) -> ServiceSummary:
    return ServiceSummary(
        **Link.of(detail.service, lang).model_dump(),
        name=local_name(detail.service.iri),
        supports=links(detail.supports, lang),
    )


def _summaries(cat: Catalog, iris: list[str], lang: str) -> list[ServiceSummary]:
    details = [d for d in (_service(cat, iri) for iri in iris) if d is not None]
    return sorted((service_summary(d, lang) for d in details), key=lambda s: (s.label.casefold(), s.iri))


@router.get(
    "/cspa/services",
    summary="List the CSPA services",
    description="The statistical services of the CSPA catalogue by name, each with the GSBPM sub-processes it "
    "supports; `subprocess=5.3` keeps the services supporting that sub-process. Paginated.",
    response_model=Page[ServiceSummary],
)
def list_services(
    cat: CatalogDep,
    request: Request,
    response: Response,
    page: PageDep,
    lang: Lang = "en",
    subprocess: Annotated[
        str | None,
        Query(pattern=ACTIVITY_CODE, description="Only services supporting this sub-process.", examples=["5.3"]),
    ] = None,
) -> Page[ServiceSummary]:
    items = _summaries(cat, [ref.iri for ref in model.cspa_model(cat).services], lang)
    if subprocess is not None:
        items = [s for s in items if any(sp.code == subprocess for sp in s.supports)]
    return paginate(items, page, request, response)


@router.get(
    "/cspa/services/{name}",
    summary="One CSPA service",
    description="The service's names and description, the GSBPM sub-processes it supports, the GSIM classes it takes "
    "in and puts out, its catalogue level and older IRIs. 404 when no service has this name.",
    response_model=ServiceDetail,
)
def get_service(cat: CatalogDep, name: ServiceName, lang: Lang = "en") -> ServiceDetail:
    detail = _service(cat, SERVICE + name)
    if detail is None:
        not_found(f"unknown CSPA service {name!r}")
    refs = [(prop.iri, value) for prop, value in detail.other if isinstance(value, Ref)]
    level = next((value for prop, value in refs if prop == CSPA + "catalogueLevel"), None)
    matches = [value.iri for prop, value in refs if prop == SKOS + "exactMatch"]
    return ServiceDetail(
        **service_summary(detail, lang).model_dump(),
        labels=multilingual(detail.service.label),
        description=multilingual(detail.description),
        inputs=links(detail.inputs, lang),
        outputs=links(detail.outputs, lang),
        level=link(level, lang),
        matches=sorted(matches),
    )


@router.get(
    "/subprocesses/{code}/services",
    summary="CSPA services of one GSBPM sub-process",
    description="The CSPA services that support the sub-process with this code. 404 when no sub-process has it.",
    response_model=Page[ServiceSummary],
    tags=["GSBPM"],
)
def subprocess_services(
    cat: CatalogDep, code: SubProcessCode, request: Request, response: Response, page: PageDep, lang: Lang = "en"
) -> Page[ServiceSummary]:
    activity = find_activity(cat, code)
    if activity is None:
        not_found(f"unknown GSBPM sub-process {code!r}")
    iris = [ref.iri for ref in services_for(cat, activity.iri)]
    items = [s for s in _summaries(cat, iris, lang) if any(sp.iri == activity.iri for sp in s.supports)]
    return paginate(items, page, request, response)
