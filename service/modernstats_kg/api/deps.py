"""What every JSON router depends on: the read model of the running service, the one way to say 404 (the service's
`errors.NotFound`, rendered in the one error shape), and conditional requests (ETag from the content version)."""

from __future__ import annotations

from typing import Annotated, Any, NoReturn

from fastapi import Depends, Request, Response
from starlette.exceptions import HTTPException

from ..catalog import Catalog
from ..conneg import VARY, Validators
from ..errors import NotFound
from ..state import ServiceState, get_catalog, service_state

__all__ = ["CatalogDep", "conditional", "get_catalog", "not_found"]


CatalogDep = Annotated[Catalog, Depends(get_catalog)]


def not_found(message: str, **details: Any) -> NoReturn:
    """Answer 404 with `message` (which names the value that was not found)."""
    raise NotFound(message, **details)


def conditional(request: Request, response: Response, state: Annotated[ServiceState, Depends(service_state)]) -> None:
    """Router dependency: every answer carries an ETag and Last-Modified derived from the content version (and the
    request's path and query); a revalidation of the current content answers 304 before any work is done."""
    validators = Validators.for_content(state.data_version, state.modified_at, request.url.path, request.url.query)
    if validators.not_modified(request) is not None:
        raise HTTPException(status_code=304, headers={**validators.headers(), "Vary": VARY})
    validators.apply(response)
