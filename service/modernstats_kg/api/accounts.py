"""`GET /api/v1/me`: who the credentials of the request belong to, and their role (for scripts checking a token)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from ..conneg import set_vary
from ..editing.accounts import Role
from ..editing.auth import IdentityDep
from .models import API_PREFIX, ErrorBody

# outside the content-versioned `api.router`: an answer about the caller is never cached or revalidated by ETag
router = APIRouter(prefix=API_PREFIX, tags=["accounts"])


class Me(BaseModel):
    name: str = Field(examples=["alice"])
    role: Role = Field(description="editor < reviewer < admin: each role can do what the ones before it can.")
    roles: list[Role] = Field(description="Every role this user acts in (its own and the ones below it).")
    authenticated_by: Literal["token", "session"] = Field(description="A Bearer token or a browser session cookie.")


@router.get(
    "/me",
    response_model=Me,
    summary="The user of the request's credentials",
    responses={
        401: {"model": ErrorBody, "description": "No valid credentials."},
        503: {"model": ErrorBody, "description": "The service runs without a data folder, so without accounts."},
    },
)
async def me(identity: IdentityDep, response: Response) -> Me:
    """Send `Authorization: Bearer TOKEN` (or a browser's session cookie)."""
    response.headers["Cache-Control"] = "no-store"
    set_vary(response, "Authorization, Cookie")
    user = identity.user
    return Me(
        name=user.name,
        role=user.role,
        roles=[role for role in Role if user.can(role)],
        authenticated_by="session" if identity.session else "token",
    )
