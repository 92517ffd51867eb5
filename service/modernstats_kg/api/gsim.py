"""GSIM 2.0 in JSON: the groups, the classes (filtered by group, paginated), one class with its structure and its
usage by GSBPM activities, and the reverse look-up (which activities take a class in or put it out).

A class is named by the local name of its IRI (`InstanceVariable`); its label (`Instance Variable`) and any letter
case are accepted too. GSIM 1.2 names that GSIM 2.0 dropped answer with `deprecated: true` and their successor.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request, Response

from ..catalog import Catalog
from ..catalog import gsim as model
from ..catalog.mapping import mappings
from ..catalog.vocab import GSIM, local_name
from .deps import CatalogDep, not_found
from .models import (
    API_PREFIX,
    Association,
    Attribute,
    ClassUsage,
    GsimClassDetail,
    GsimClassSummary,
    GsimGroup,
    Lang,
    LangString,
    Link,
    Mapping,
    link,
    links,
    multilingual,
)
from .pagination import Page, PageDep, paginate

router = APIRouter(prefix="/gsim", tags=["GSIM"])

NAME_PATTERN = r"^[A-Za-z][A-Za-z0-9 _.-]{0,99}$"

ClassName = Annotated[
    str,
    Path(
        pattern=NAME_PATTERN,
        description="Local name of the GSIM class (`InstanceVariable`); the label (`Instance Variable`) and any "
        "letter case are accepted, and GSIM 1.2 names answer with their GSIM 2.0 successor noted.",
        examples=["InstanceVariable"],
    ),
]


class Direction(StrEnum):
    input = "input"
    output = "output"


def _squash(text: str) -> str:
    return "".join(text.split()).casefold()


def resolve_class(cat: Catalog, name: str) -> str | None:
    """The IRI of the GSIM class (current or deprecated) that `name` stands for."""
    groups, deprecated = model.gsim_classes(cat)
    known = set(groups) | set(deprecated)
    if GSIM + name in known:
        return GSIM + name
    wanted = _squash(name)
    for iri in sorted(known):
        if _squash(local_name(iri)) == wanted or any(_squash(t) == wanted for _, t in cat.text(iri).items()):
            return iri
    return None


def resolve_group(cat: Catalog, name: str) -> str | None:
    groups, _ = model.gsim_classes(cat)
    wanted = _squash(name)
    for iri in sorted(set(groups.values())):
        if _squash(local_name(iri)) == wanted or any(_squash(t) == wanted for _, t in cat.text(iri).items()):
            return iri
    return None


def group_link(cat: Catalog, iri: str, lang: str) -> Link:
    """A link to a GSIM group: its `href` lists the group's classes."""
    return Link.of(cat.ref(iri), lang, href=f"{API_PREFIX}/gsim/classes?group={quote(local_name(iri))}")


def class_summary(cat: Catalog, iri: str, lang: str) -> GsimClassSummary:
    groups, deprecated = model.gsim_classes(cat)
    group = groups.get(iri)
    successor = deprecated.get(iri)
    return GsimClassSummary(
        **Link.of(cat.ref(iri), lang).model_dump(),
        name=local_name(iri),
        group=group_link(cat, group, lang) if group else None,
        deprecated=iri in deprecated,
        successors=[Link.of(cat.ref(successor), lang)] if successor else [],
    )


def _attribute(a: model.Attribute, lang: str) -> Attribute:
    return Attribute(
        property=Link.of(a.prop, lang), multiplicity=a.multiplicity, value_type=a.value_type, range=link(a.range, lang)
    )


def _association(a: model.Association, lang: str) -> Association:
    return Association(
        property=Link.of(a.prop, lang),
        domain=Link.of(a.domain, lang),
        range=Link.of(a.range, lang),
        kind=a.kind,
        source_multiplicity=a.source_multiplicity,
        target_multiplicity=a.target_multiplicity,
    )


def _note(detail: model.GsimClassDetail, lang: str) -> str | None:
    if not detail.deprecated:
        return None
    name = detail.cls.name(lang)
    if detail.successors:
        successors = ", ".join(s.name(lang) for s in detail.successors)
        return f"{name} is a GSIM 1.2 class; GSIM 2.0 replaces it with {successors}."
    return f"{name} is a GSIM 1.2 class that GSIM 2.0 no longer has."


@router.get(
    "/groups",
    summary="List the GSIM groups",
    description="The five groups of GSIM 2.0 (Base, Business, Exchange, Concepts, Structures) with their class counts.",
    response_model=list[GsimGroup],
)
def list_groups(cat: CatalogDep, lang: Lang = "en") -> list[GsimGroup]:
    return [
        GsimGroup(
            **group_link(cat, g.group.iri, lang).model_dump(),
            name=local_name(g.group.iri),
            definition=multilingual(g.definition),
            classes=len(g.classes),
        )
        for g in model.gsim_model(cat).groups
    ]


@router.get(
    "/classes",
    summary="List the GSIM classes",
    description="The GSIM 2.0 classes by name, optionally of one group (`group=BusinessGroup` or `Business Group`); "
    "`include_deprecated=true` adds the GSIM 1.2 classes that GSIM 2.0 renamed or removed. Paginated.",
    response_model=Page[GsimClassSummary],
)
def list_classes(
    cat: CatalogDep,
    request: Request,
    response: Response,
    page: PageDep,
    lang: Lang = "en",
    group: Annotated[
        str | None,
        Query(pattern=NAME_PATTERN, description="Only the classes of this group.", examples=["BusinessGroup"]),
    ] = None,
    include_deprecated: Annotated[bool, Query(description="Add the deprecated GSIM 1.2 classes.")] = False,
) -> Page[GsimClassSummary]:
    groups, deprecated = model.gsim_classes(cat)
    iris = list(groups)
    if group is not None:
        wanted = resolve_group(cat, group)
        if wanted is None:
            not_found(f"unknown GSIM group {group!r}")
        iris = [iri for iri in iris if groups[iri] == wanted]
    elif include_deprecated:
        iris += [iri for iri in deprecated if iri not in groups]
    items = sorted((class_summary(cat, iri, lang) for iri in iris), key=lambda c: (c.label.casefold(), c.iri))
    return paginate(items, page, request, response)


@router.get(
    "/classes/{name}",
    summary="One GSIM class with its usage",
    description="The class's names, definition, group, generalisations, attributes and associations, and its usage: "
    "the GSBPM activities that take it in (`taken_in_by`) or put it out (`put_out_by`), with role, justification "
    "and status; the CSPA services that use it. A GSIM 1.2 name answers with `deprecated: true`, its `successors` "
    "and a `note`. 404 when no class has this name.",
    response_model=GsimClassDetail,
)
def get_class(cat: CatalogDep, name: ClassName, lang: Lang = "en") -> GsimClassDetail:
    iri = resolve_class(cat, name)
    detail = model.gsim_class_detail(cat, iri) if iri else None
    if detail is None:
        not_found(f"unknown GSIM class {name!r}")
    summary = class_summary(cat, detail.cls.iri, lang)
    return GsimClassDetail(
        **summary.model_dump(exclude={"deprecated", "successors"}),
        deprecated=detail.deprecated,
        successors=links(detail.successors, lang) or summary.successors,
        labels=multilingual(detail.cls.label),
        definition=multilingual(detail.definition),
        comment=multilingual(detail.comment),
        synonyms=[LangString.of(lit) for lit in detail.synonyms],
        note=_note(detail, lang),
        predecessors=links(detail.predecessors, lang),
        supers=links(detail.supers, lang),
        subclasses=links(detail.subclasses, lang),
        attributes=[_attribute(a, lang) for a in detail.attributes],
        associations_out=[_association(a, lang) for a in detail.associations_out],
        associations_in=[_association(a, lang) for a in detail.associations_in],
        taken_in_by=[Mapping.of(e, lang) for e in detail.taken_in_by],
        put_out_by=[Mapping.of(e, lang) for e in detail.put_out_by],
        services=links(detail.services, lang),
    )


@router.get(
    "/classes/{name}/subprocesses",
    summary="Which GSBPM activities take a GSIM class in or put it out",
    description="The reverse look-up of the GSIM-GSBPM mapping: every GSBPM sub-process or overarching process with "
    "a mapping to this class, in GSBPM order, with the direction and role. Filter with `direction=input|output`. "
    "Paginated; 404 when no class has this name.",
    response_model=Page[ClassUsage],
)
def class_usage(
    cat: CatalogDep,
    name: ClassName,
    request: Request,
    response: Response,
    page: PageDep,
    lang: Lang = "en",
    direction: Annotated[Direction | None, Query(description="Only inputs or only outputs.")] = None,
) -> Page[ClassUsage]:
    iri = resolve_class(cat, name)
    if iri is None:
        not_found(f"unknown GSIM class {name!r}")
    entries = [e for e in mappings(cat, cls=iri) if direction is None or e.direction == direction.value]
    items = [
        ClassUsage(
            activity=Link.of(e.activity, lang),
            direction=e.direction,
            role=link(e.role, lang),
            mapping=e.mapping.iri,
            status=link(e.status, lang),
        )
        for e in entries
    ]
    return paginate(items, page, request, response)
