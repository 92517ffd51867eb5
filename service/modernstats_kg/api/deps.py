"""What every JSON router depends on: the read model of the running service, and the one way to say 404."""

from __future__ import annotations

from typing import Annotated, NoReturn

from fastapi import Depends, HTTPException, Request

from ..catalog import Catalog
from ..web.deps import catalog_for

__all__ = ["CatalogDep", "get_catalog", "not_found"]


def get_catalog(request: Request) -> Catalog:
    """FastAPI dependency: the catalog shared with the pages, for the content version the app serves."""
    return catalog_for(request.app.state.service, request.app.state)


CatalogDep = Annotated[Catalog, Depends(get_catalog)]


def not_found(message: str) -> NoReturn:
    """Answer 404 with `message` (which names the value that was not found)."""
    raise HTTPException(status_code=404, detail=message)
