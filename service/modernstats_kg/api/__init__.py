"""The JSON API under `/api/v1/`: one router per kind of resource, documented in the OpenAPI schema (`/docs`)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from . import (
    accounts,
    browse,
    changes,
    cspa,
    gsbpm_tasks,
    gsbpm_versions,
    gsim,
    mappings,
    search,
    subprocesses,
    tasks,
    vocab,
)
from .deps import conditional
from .models import API_PREFIX, ERROR_RESPONSES

__all__ = ["accounts_router", "editing_router", "router"]

accounts_router = accounts.router

# the editable mapping and the changes: outside `router`, whose ETags name the content version (these answers change
# with every edit and carry their own)
editing_router = APIRouter()
editing_router.include_router(mappings.router)
editing_router.include_router(changes.router)
editing_router.include_router(tasks.router)

router = APIRouter(prefix=API_PREFIX, dependencies=[Depends(conditional)], responses=ERROR_RESPONSES)
for module in (subprocesses, gsbpm_versions, gsbpm_tasks, gsim, cspa, search, vocab, browse):
    router.include_router(module.router)
