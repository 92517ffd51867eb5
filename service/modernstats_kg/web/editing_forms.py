"""What the editing pages share: the pick lists (GSBPM activities, GSIM classes by group, roles) and the server-side
check that a posted choice is one of them, reading a posted form, the login redirect of an anonymous visitor, and
the headers of a per-user page (never cached, never revalidated)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from ..catalog import Catalog
from ..catalog.gsbpm import gsbpm_model
from ..catalog.gsim import gsim_classes
from ..catalog.vocab import GSIM, local_name
from ..conneg import set_vary
from ..editing.auth import browser_session
from ..editing.gate import EditingUnavailable, durable
from ..editing.mappings import FLOW_BOUNDARIES, ROLES, words
from ..editing.sessions import Session
from ..state import ServiceState, service_state
from ..store import Store

SessionDep = Annotated[Session | None, Depends(browser_session)]
MAX_FIELD = 5000


@dataclass(frozen=True)
class Choice:
    value: str  # what the form posts: a code or a local name, never an IRI
    label: str


@dataclass(frozen=True)
class ChoiceGroup:
    label: str
    choices: list[Choice]


@dataclass(frozen=True)
class PickLists:
    activities: list[ChoiceGroup]  # sub-processes by phase, then the overarching processes
    classes: list[ChoiceGroup]  # GSIM classes by group
    roles: list[Choice]
    boundaries: list[Choice]

    def has(self, kind: str, value: str) -> bool:
        groups = {"activity": self.activities, "class": self.classes}.get(kind)
        if groups is None:
            flat = self.roles if kind == "role" else self.boundaries
            return any(c.value == value for c in flat)
        return any(c.value == value for g in groups for c in g.choices)


def pick_lists(cat: Catalog, lang: str, overarching_label: str) -> PickLists:
    model = gsbpm_model(cat)
    activities = [
        ChoiceGroup(column.phase.title(lang), [Choice(sp.code or "", sp.title(lang)) for sp in column.subprocesses])
        for column in model.phases
    ]
    activities.append(
        ChoiceGroup(overarching_label, [Choice(oa.code or "", oa.title(lang)) for oa in model.overarching])
    )
    by_group: dict[str, list[Choice]] = {}
    for cls, group in gsim_classes(cat)[0].items():
        by_group.setdefault(group, []).append(Choice(local_name(cls), cat.ref(cls).name(lang)))
    classes = [
        ChoiceGroup(cat.ref(group).name(lang), sorted(choices, key=lambda c: c.label.casefold()))
        for group, choices in sorted(by_group.items(), key=lambda item: cat.ref(item[0]).name(lang).casefold())
    ]
    roles = [
        Choice(role, cat.ref(GSIM + role).name(lang) if cat.exists(GSIM + role) else words(role)) for role in ROLES
    ]
    boundaries = [Choice(b, words(b).lower()) for b in FLOW_BOUNDARIES]
    return PickLists([g for g in activities if g.choices], classes, roles, boundaries)


def field(form: FormData, name: str) -> str:
    """A text field of a posted form, stripped and cut to a sane length ('' when absent or a file)."""
    value = form.get(name)
    return value.strip()[:MAX_FIELD] if isinstance(value, str) else ""


def login_redirect(request: Request) -> RedirectResponse:
    """303 to the login page, coming back here after it."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(
        "/login?next=" + quote(here, safe="/"), status_code=303, headers={"Cache-Control": "no-store"}
    )


def personal(response: Response) -> Response:
    """A per-user page: no validators, never stored by any cache, varies by the session cookie."""
    for validator in ("etag", "last-modified"):
        if validator in response.headers:
            del response.headers[validator]
    response.headers["Cache-Control"] = "no-store"
    set_vary(response, "Cookie")
    return response


async def writable_store(state: Annotated[ServiceState, Depends(service_state)]) -> Store:
    """The store, when it keeps edits (503 on the in-memory store, before any credentials are looked at)."""
    if not durable(state.store):
        raise EditingUnavailable()
    return state.store


WritableStore = Annotated[Store, Depends(writable_store)]
