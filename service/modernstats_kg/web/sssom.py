"""The cross-model mappings as SSSOM TSV: `/downloads/sssom/{set}.sssom.tsv` (coos-gsim-w3c, cspa-gsbpm,
gamso-gsbpm, gsim-gsbpm), built from the store (see `roundtrip/sssom.py`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from ..errors import NotFound
from ..roundtrip.sssom import SETS, sssom_tsv
from ..state import ServiceState, service_state

router = APIRouter()


@router.get("/downloads/sssom/{name}.sssom.tsv", include_in_schema=False)
def sssom_download(name: str, state: Annotated[ServiceState, Depends(service_state)]) -> Response:
    if name not in SETS:
        raise NotFound(f"no mapping set {name}: one of {', '.join(SETS)}")
    return Response(
        sssom_tsv(state.store, name).encode("utf-8"),
        media_type="text/tab-separated-values; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.sssom.tsv"'},
    )
