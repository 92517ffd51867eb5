"""GSBPM 5.2 in JSON: the sub-processes (with their phase), the overarching processes, the phases, and one activity
with the GSIM information it takes in and puts out, grouped by role."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from ..catalog import Catalog, Ref
from ..catalog import gsbpm as model
from ..catalog.vocab import OVERARCHING, PHASE, SUBPROCESS
from .deps import CatalogDep, not_found
from .models import (
    ActivityDetail,
    ExternalMatch,
    GamsoContext,
    Lang,
    LangString,
    Link,
    PhaseSummary,
    RoleMappings,
    SubProcessSummary,
    link,
    links,
    multilingual,
)
from .pagination import Page, PageDep, paginate

router = APIRouter(tags=["GSBPM"])

ACTIVITY_CODE = r"^[0-9]{1,2}\.[0-9]{1,2}$"
PHASE_CODE = r"^[0-9]{1,2}$"

SubProcessCode = Annotated[
    str,
    Path(
        pattern=ACTIVITY_CODE,
        description="GSBPM code of a sub-process (`5.3`) or an overarching process (`0.2`).",
        examples=["5.3"],
    ),
]
PhaseCode = Annotated[str, Path(pattern=PHASE_CODE, description="GSBPM code of a phase.", examples=["5"])]


def summary(cat: Catalog, ref: Ref, phase: Ref | None, lang: str) -> SubProcessSummary:
    kind = model.activity_kind(ref.iri) or ""
    return SubProcessSummary(
        **Link.of(ref, lang).model_dump(), kind=kind, labels=multilingual(cat.text(ref.iri)), phase=link(phase, lang)
    )


def activity_detail(cat: Catalog, code: str, prefixes: tuple[str, ...]) -> model.ActivityDetail | None:
    """The activity with this code under the first of `prefixes` that the graph holds."""
    for prefix in prefixes:
        detail = model.activity_detail(cat, prefix + code)
        if detail is not None:
            return detail
    return None


def find_activity(cat: Catalog, code: str) -> Ref | None:
    """The sub-process or overarching process with this code."""
    gsbpm = model.gsbpm_model(cat)
    return next((ref for ref in [*gsbpm.sequence(), *gsbpm.overarching] if ref.code == code), None)


def detail_out(cat: Catalog, detail: model.ActivityDetail, lang: str) -> ActivityDetail:
    base = summary(cat, detail.activity, detail.phase, lang)
    return ActivityDetail(
        **base.model_dump(exclude={"kind"}),
        kind=detail.kind,
        definition=multilingual(detail.definition),
        scope_note=multilingual(detail.scope_note),
        alt_labels=[LangString.of(lit) for lit in detail.alt_labels],
        previous=link(detail.previous, lang),
        next=link(detail.next, lang),
        children=links(detail.children, lang),
        inputs=[RoleMappings.of(g, lang) for g in detail.inputs],
        outputs=[RoleMappings.of(g, lang) for g in detail.outputs],
        services=links(detail.services, lang),
        gamso=[
            GamsoContext(activity=Link.of(g.item, lang), path=links(g.path, lang), via=Link.of(g.via, lang))
            for g in detail.gamso
        ],
        matches=[ExternalMatch(property=p, iri=iri) for p, iri in detail.matches],
    )


@router.get(
    "/subprocesses",
    summary="List the GSBPM sub-processes",
    description="The 44 sub-processes of GSBPM 5.2 in process order (1.1 to 8.3), each with its phase; "
    "`include_overarching=true` appends the overarching processes (0.1, 0.2, ...). Filter by phase with `phase=5`.",
    response_model=Page[SubProcessSummary],
)
def list_subprocesses(
    cat: CatalogDep,
    request: Request,
    response: Response,
    page: PageDep,
    lang: Lang = "en",
    phase: Annotated[
        str | None, Query(pattern=PHASE_CODE, description="Only the sub-processes of this phase.", examples=["5"])
    ] = None,
    include_overarching: Annotated[bool, Query(description="Append the overarching processes.")] = False,
) -> Page[SubProcessSummary]:
    gsbpm = model.gsbpm_model(cat)
    columns = gsbpm.phases
    if phase is not None:
        columns = [c for c in columns if c.phase.code == phase]
        if not columns:
            not_found(f"unknown GSBPM phase {phase!r}")
    items = [summary(cat, sp, column.phase, lang) for column in columns for sp in column.subprocesses]
    if include_overarching:
        items += [summary(cat, oa, None, lang) for oa in gsbpm.overarching]
    return paginate(items, page, request, response)


@router.get(
    "/subprocesses/{code}",
    summary="One GSBPM sub-process with its GSIM inputs and outputs",
    description="The sub-process (or overarching process) with this code: names in every language, definition, "
    "phase, neighbours, and the GSIM information it takes in (`inputs`) and puts out (`outputs`), grouped by GSIM "
    "role (Core Input, Parameter Input, ...) with each mapping's justification and status; the CSPA services that "
    "support it and its GAMSO context. 404 when no activity has this code.",
    response_model=ActivityDetail,
)
def get_subprocess(cat: CatalogDep, code: SubProcessCode, lang: Lang = "en") -> ActivityDetail:
    detail = activity_detail(cat, code, (SUBPROCESS, OVERARCHING))
    if detail is None:
        not_found(f"unknown GSBPM sub-process {code!r}")
    return detail_out(cat, detail, lang)


@router.get(
    "/phases",
    summary="List the GSBPM phases",
    description="The phases of GSBPM 5.2 in order, each with its sub-processes.",
    response_model=list[PhaseSummary],
)
def list_phases(cat: CatalogDep, lang: Lang = "en") -> list[PhaseSummary]:
    return [
        PhaseSummary(
            **Link.of(column.phase, lang).model_dump(),
            labels=multilingual(cat.text(column.phase.iri)),
            subprocesses=links(column.subprocesses, lang),
        )
        for column in model.gsbpm_model(cat).phases
    ]


@router.get(
    "/phases/{code}",
    summary="One GSBPM phase",
    description="The phase with this code, its sub-processes (`children`) and the GSIM information mapped to the "
    "phase itself. 404 when no phase has this code.",
    response_model=ActivityDetail,
)
def get_phase(cat: CatalogDep, code: PhaseCode, lang: Lang = "en") -> ActivityDetail:
    detail = activity_detail(cat, code, (PHASE,))
    if detail is None:
        not_found(f"unknown GSBPM phase {code!r}")
    return detail_out(cat, detail, lang)
