"""The page of a GSBPM activity: a sub-process (`/activities/subProcess/5.3`), an overarching process or a phase."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import Request
from fastapi.responses import HTMLResponse

from ..catalog import Catalog
from ..catalog.flow import information_flow
from ..catalog.geospatial import notes_about
from ..catalog.gsbpm import activity_detail
from ..catalog.gsbpm_tasks import tasks_of
from ..catalog.gsbpm_versions import changes_of
from .diagrams import activity_flow_svg
from .editing_strings import editing_strings
from .gsbpm_strings import gsbpm_strings
from .i18n import interface_lang
from .review_strings import review_strings
from .task_strings import task_strings
from .templating import Alternate, render


def page(
    request: Request, cat: Catalog, iri: str, *, lang: str, alternates: Sequence[Alternate]
) -> HTMLResponse | None:
    detail = activity_detail(cat, iri)
    if detail is None:
        return None
    flow_svg = flow = None
    if detail.kind != "phase" and (detail.inputs or detail.outputs):
        flow = information_flow(cat, iri)
        flow_svg = activity_flow_svg(flow, lang, review_strings(lang))
    context = {
        "flow": flow,
        "rs": review_strings(lang),
        "es": editing_strings(interface_lang(request)),
        "d": detail,
        "flow_svg": flow_svg,
        "s": gsbpm_strings(lang),
        "renames": [c for c in changes_of(cat, iri) if c.kind == "renamed"],
        "tasks": tasks_of(cat, iri, contributed=False) if detail.kind == "subProcess" else [],
        "geo_notes": notes_about(cat, iri),
        "contributed": tasks_of(cat, iri, contributed=True, withdrawn=False) if detail.kind == "subProcess" else [],
        "ts": task_strings(lang),
    }
    return render(request, "subprocess.html", context, alternates=alternates, lang=lang)
