"""Pagination of JSON lists: `limit` and `offset` in, `total`, `next` and `previous` links out.

Every list that can grow (GSIM classes, search results, services, mappings of a class) goes through `paginate`, so all
lists page the same way and advertise the next page both in the body and in a `Link: <...>; rel="next"` header.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel, Field

from ..conneg import link_header
from ..errors import Unprocessable
from ..state import ServiceState, service_state

__all__ = ["Page", "PageDep", "PageParams", "Window", "page_params", "paginate", "window"]

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list: `items[i]` is element `offset + i` of the whole list of `total` elements."""

    total: int = Field(description="How many elements the whole list has.", examples=[44])
    limit: int = Field(description="The page size asked for.", examples=[50])
    offset: int = Field(description="Index of the first element of this page in the whole list.", examples=[0])
    next: str | None = Field(description="URL of the next page; null on the last page.", examples=[None])
    previous: str | None = Field(description="URL of the previous page; null on the first page.", examples=[None])
    items: list[T]


@dataclass(frozen=True)
class PageParams:
    limit: int
    offset: int


def page_params(
    state: Annotated[ServiceState, Depends(service_state)],
    limit: Annotated[
        int | None,
        Query(
            ge=1,
            description="Page size: 1 to the service's largest (`MSKG_API_MAX_PAGE_SIZE`, 500 unless configured); "
            "default `MSKG_API_PAGE_SIZE` (50).",
            examples=[50],
        ),
    ] = None,
    offset: Annotated[int, Query(ge=0, description="Index of the first element to return.", examples=[0])] = 0,
) -> PageParams:
    """FastAPI dependency: the `limit` and `offset` query parameters (422 when out of range)."""
    settings = state.settings
    if limit is None:
        return PageParams(limit=settings.api_page_size, offset=offset)
    if limit > settings.api_max_page_size:
        raise Unprocessable(f"limit: at most {settings.api_max_page_size} (got {limit})")
    return PageParams(limit=limit, offset=offset)


PageDep = Annotated[PageParams, Depends(page_params)]


@dataclass(frozen=True)
class Window:
    """The slice of a list of `total` elements that one page shows, and the links to its neighbours."""

    start: int
    stop: int
    next: str | None
    previous: str | None


def window(total: int, params: PageParams, request: Request, response: Response | None = None) -> Window:
    """Where the page starts and stops; the links keep every other query parameter of the request, and are also
    sent as a `Link` header when `response` is given."""
    start, stop = params.offset, min(total, params.offset + params.limit)
    following = None
    if params.offset + params.limit < total:
        following = str(request.url.include_query_params(offset=params.offset + params.limit, limit=params.limit))
    preceding = None
    if start > 0:
        preceding = str(request.url.include_query_params(offset=max(0, start - params.limit), limit=params.limit))
    if response is not None:
        links = [(url, rel, None) for url, rel in ((following, "next"), (preceding, "prev")) if url]
        if links:
            response.headers["Link"] = link_header(links)
    return Window(start, max(start, stop), following, preceding)


def paginate(items: Sequence[T], params: PageParams, request: Request, response: Response | None = None) -> Page[T]:
    """Cut one page out of `items`."""
    cut = window(len(items), params, request, response)
    return Page(
        total=len(items),
        limit=params.limit,
        offset=params.offset,
        next=cut.next,
        previous=cut.previous,
        items=list(items[cut.start : cut.stop]),
    )
