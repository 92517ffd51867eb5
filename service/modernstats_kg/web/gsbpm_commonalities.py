"""The commonalities of contributed tasks over all sub-processes: a page (`/gsbpm/commonalities`) and the same
summary as CSV (`/gsbpm/commonalities.csv`), the supplementary GSBPM document of tasks."""

from __future__ import annotations

import csv
import io
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ..catalog import Catalog
from ..catalog.commonalities import THRESHOLD, commonalities
from ..state import get_catalog
from .gsbpm_strings import gsbpm_strings
from .i18n import requested_lang
from .templating import cached, render

router = APIRouter()

CSV_COLUMNS = (
    "subprocess",
    "group",
    "organizations",
    "of_organizations",
    "representative_code",
    "representative_name",
    "task_iri",
    "task_name",
    "organization",
    "country",
    "role",
)


@router.get("/gsbpm/commonalities", response_class=HTMLResponse, include_in_schema=False)
def commonalities_page(request: Request, cat: Annotated[Catalog, Depends(get_catalog)]) -> Response:
    lang = requested_lang(request)

    def build() -> Response:
        context = {"c": commonalities(cat), "threshold": THRESHOLD, "s": gsbpm_strings(lang), "ref": cat.ref}
        return render(request, "gsbpm_commonalities.html", context, lang=lang)

    return cached(request, cat, build, lang)


@router.get("/gsbpm/commonalities.csv", include_in_schema=False)
def commonalities_csv(cat: Annotated[Catalog, Depends(get_catalog)]) -> Response:
    summary = commonalities(cat)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    total = len(summary.organizations)
    for entry in summary.per_subprocess:
        code = cat.code(entry.subprocess_iri) or entry.subprocess_iri
        for number, group in enumerate(entry.shared, start=1):
            rep = group.representative
            for task in group.tasks:
                org = task.organization
                writer.writerow(
                    [code, number, len(group.organizations), total, rep.ref.code, rep.ref.name(),
                     task.ref.iri, task.ref.name(), org.ref.name() if org else "", org.country if org else "",
                     "representative" if task is rep else "variant"]
                )  # fmt: skip
        for task in entry.unique:
            org = task.organization
            writer.writerow(
                [code, "", 1, total, task.ref.code, task.ref.name(), task.ref.iri, task.ref.name(),
                 org.ref.name() if org else "", org.country if org else "", "unique"]
            )  # fmt: skip
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="gsbpm-task-commonalities.csv"'},
    )
