"""The JSON API under `/api/v1/`: one router per kind of resource, documented in the OpenAPI schema (`/docs`)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from . import accounts, cspa, gsbpm_tasks, gsbpm_versions, gsim, search, subprocesses, vocab
from .deps import conditional
from .models import API_PREFIX, ERROR_RESPONSES

__all__ = ["accounts_router", "router"]

accounts_router = accounts.router

router = APIRouter(prefix=API_PREFIX, dependencies=[Depends(conditional)], responses=ERROR_RESPONSES)
for module in (subprocesses, gsbpm_versions, gsbpm_tasks, gsim, cspa, search, vocab):
    router.include_router(module.router)
