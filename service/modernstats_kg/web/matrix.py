"""The mapping matrices and the filtered list of mappings their cells link to: `/matrix` (every GSBPM activity by
every GSIM class, filtered by phase, group, role, status and author, and `/matrix.csv` with the same filters),
`/matrix/groups` (counts per GSIM group) and `/matrix/list?activity=5.3&class=InstanceVariable`."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from ..catalog import Catalog
from ..catalog.gsbpm import gsbpm_model
from ..catalog.gsim import gsim_model
from ..catalog.mapping import filtered, matrix
from ..catalog.mapping_matrix import full_matrix, role_legend
from ..catalog.vocab import GSIM, OVERARCHING, SUBPROCESS, is_code, local_name
from ..state import get_catalog
from .i18n import requested_lang
from .matrix_export import filter_query, grid_csv, list_csv, matrix_filters, role_mark
from .review_strings import review_strings
from .templating import cached, render

router = APIRouter()


def activity_iri(value: str) -> str | None:
    """`5.3` -> the sub-process IRI, `0.2` -> the overarching process IRI; full IRIs pass through."""
    if is_code(value) and "." in value:
        return (OVERARCHING if value.startswith("0.") else SUBPROCESS) + value
    if value.startswith((SUBPROCESS, OVERARCHING)):
        return value
    return None


def group_iri(value: str) -> str | None:
    if value == "-":
        return "-"
    if value.startswith(GSIM):
        return value
    if value and value.isalnum():
        return GSIM + value
    return None


def cell_url(activity_code: str | None, group: str | None, direction: str | None = None) -> str:
    params = [(k, v) for k, v in (("activity", activity_code), ("group", group), ("direction", direction)) if v]
    return "/matrix/list?" + urlencode(params)


@router.get("/matrix", response_class=HTMLResponse, include_in_schema=False)
def full_matrix_page(request: Request, cat: Annotated[Catalog, Depends(get_catalog)]) -> Response:
    filters = matrix_filters(request)
    lang = requested_lang(request)

    def build() -> Response:
        table = full_matrix(cat, filters)
        context = {
            "m": table,
            "f": filters,
            "legend": role_legend(cat),
            "role_mark": role_mark,
            "query": filter_query(filters),
            "rs": review_strings(lang),
        }
        return render(request, "matrix_full.html", context, lang=lang)

    return cached(request, cat, build, lang)


@router.get("/matrix.csv", include_in_schema=False)
def full_matrix_csv(
    request: Request,
    cat: Annotated[Catalog, Depends(get_catalog)],
    shape: Annotated[str, Query(pattern="^(grid|list)$")] = "grid",
) -> Response:
    table = full_matrix(cat, matrix_filters(request))
    body = grid_csv(table) if shape == "grid" else list_csv(table)
    name = "gsim-gsbpm-matrix.csv" if shape == "grid" else "gsim-gsbpm-mappings.csv"
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/matrix/groups", response_class=HTMLResponse, include_in_schema=False)
def matrix_page(request: Request, cat: Annotated[Catalog, Depends(get_catalog)]) -> Response:
    def build() -> Response:
        groups = [g.group for g in gsim_model(cat).groups]
        gsbpm = gsbpm_model(cat)
        activities = [sp for column in gsbpm.phases for sp in column.subprocesses] + list(gsbpm.overarching)
        table = matrix(cat, groups, activities)
        return render(request, "matrix.html", {"m": table, "cell_url": cell_url, "local_name": local_name})

    return cached(request, cat, build, requested_lang(request))


@router.get("/matrix/list", response_class=HTMLResponse, include_in_schema=False)
def mapping_list(
    request: Request,
    cat: Annotated[Catalog, Depends(get_catalog)],
    activity: Annotated[str, Query(max_length=200)] = "",
    group: Annotated[str, Query(max_length=200)] = "",
    cls: Annotated[str, Query(alias="class", max_length=200)] = "",
    direction: Annotated[str, Query(pattern="^(input|output|)$")] = "",
) -> Response:
    lang = requested_lang(request)
    return cached(request, cat, lambda: _mapping_list(request, cat, lang, activity, group, cls, direction), lang)


def _mapping_list(
    request: Request, cat: Catalog, lang: str, activity: str, group: str, cls: str, direction: str
) -> Response:
    activity_filter = activity_iri(activity) if activity else None
    group_filter = group_iri(group) if group else None
    class_filter = (cls if cls.startswith(GSIM) else GSIM + cls) if cls else None
    narrow = matrix_filters(request)
    entries = [
        e
        for e in filtered(
            cat, activity=activity_filter, group=group_filter, cls=class_filter, direction=direction or None
        )
        if narrow.admits(e)
    ]
    filters = {
        "activity": cat.ref(activity_filter) if activity_filter else None,
        "group": cat.ref(group_filter) if group_filter and group_filter != "-" else None,
        "cls": cat.ref(class_filter) if class_filter else None,
        "direction": direction,
    }
    return render(request, "mapping_list.html", {"entries": entries, "f": filters}, lang=lang)
