"""The JSON shapes of the API (pydantic models, documented in the OpenAPI schema) and their builders from the read
model's dataclasses (`catalog.Ref`, `catalog.Text`, mapping entries).

Every reference to another resource is a `Link`: its IRI, code, label in the requested language and, when this API
serves it, `href` (the API path that describes it), so clients can follow the graph without building URLs.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Query
from pydantic import BaseModel, Field

from ..catalog import Lit, Ref, Text
from ..catalog.mapping import MappingEntry, RoleGroup
from ..catalog.vocab import GSIM, OVERARCHING, PHASE, SERVICES, SUBPROCESS

API_PREFIX = "/api/v1"
LANG_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"

Lang = Annotated[
    str,
    Query(
        pattern=LANG_PATTERN,
        description="Language of the labels (BCP 47 tag such as `en`, `fr`, `es`); falls back to English.",
        examples=["en"],
    ),
]

MultilingualText = Annotated[
    dict[str, str],
    Field(description='The text in every language it has, keyed by language tag (`""` for untagged text).'),
]


def api_href(iri: str) -> str | None:
    """The API path describing `iri`, when the API serves that kind of resource.

    >>> api_href("http://id.unece.org/activities/subProcess/5.3"), api_href("http://id.unece.org/def/gsim#Rule")
    ('/api/v1/subprocesses/5.3', '/api/v1/gsim/classes/Rule')
    """
    for prefix, path in ((SUBPROCESS, "subprocesses"), (OVERARCHING, "subprocesses"), (PHASE, "phases")):
        if iri.startswith(prefix) and len(iri) > len(prefix):
            return f"{API_PREFIX}/{path}/{quote(iri[len(prefix) :], safe='.')}"
    name = iri[len(GSIM) :]
    if iri.startswith(GSIM) and name[:1].isupper():  # GSIM names classes UpperCamel, properties lowerCamel
        return f"{API_PREFIX}/gsim/classes/{quote(name, safe='')}"
    service = SERVICES + "statisticalService/"
    if iri.startswith(service) and len(iri) > len(service):
        return f"{API_PREFIX}/cspa/services/{quote(iri[len(service) :], safe='')}"
    return None


class ErrorBody(BaseModel):
    """The service's one error shape (`errors.error_body`)."""

    ok: bool = Field(examples=[False])
    status: int = Field(examples=[404])
    error: str = Field(
        description="What went wrong, naming the offending value.", examples=["unknown GSBPM sub-process '9.9'"]
    )


ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    404: {"model": ErrorBody, "description": "No resource has this code, name or IRI."},
    422: {"model": ErrorBody, "description": "A parameter is missing or malformed."},
}


class Link(BaseModel):
    """A reference to a resource of the graph."""

    iri: str = Field(examples=["http://id.unece.org/activities/subProcess/5.3"])
    code: str | None = Field(default=None, description="The notation (GSBPM/GAMSO code), if any.", examples=["5.3"])
    label: str = Field(
        description="The label in the requested language (or a fallback).", examples=["Review and validate"]
    )
    href: str | None = Field(
        default=None, description="API path of this resource.", examples=["/api/v1/subprocesses/5.3"]
    )

    @classmethod
    def of(cls, ref: Ref, lang: str, *, href: str | None = None) -> Link:
        """The link to `ref`, labelled in `lang`; `href` overrides the API path guessed from the IRI."""
        return cls(iri=ref.iri, code=ref.code, label=ref.name(lang), href=href or api_href(ref.iri))


def link(ref: Ref | None, lang: str) -> Link | None:
    return Link.of(ref, lang) if ref is not None else None


def links(refs: list[Ref], lang: str) -> list[Link]:
    return [Link.of(ref, lang) for ref in refs]


def multilingual(text: Text) -> dict[str, str]:
    return dict(text.items())


class LangString(BaseModel):
    value: str
    lang: str = Field(description='Language tag (`""` when untagged).')

    @classmethod
    def of(cls, lit: Lit) -> LangString:
        return cls(value=lit.value, lang=lit.lang)


# --- GSBPM -----------------------------------------------------------------------------------------------------------


class Qualifier(BaseModel):
    """Which object of a GSIM class a mapping means (e.g. the sample, a Data Set)."""

    iri: str = Field(examples=["http://id.unece.org/mappings/qualifier/sample"])
    label: str = Field(examples=["sample"])
    definition: str

    @classmethod
    def of(cls, entry: MappingEntry) -> Qualifier:
        assert entry.qualifier is not None
        return cls(iri=entry.qualifier.iri, label=entry.qualifier.name("en"), definition=entry.qualifier_definition)


class Mapping(BaseModel):
    """One GSIM-GSBPM information mapping: a GSBPM activity takes a GSIM class in, or puts it out, in a GSIM role."""

    iri: str = Field(examples=["http://id.unece.org/mappings/informationMapping/5.3-coreInput-instanceVariable"])
    activity: Link
    information_class: Link
    role: Link | None = Field(description="The GSIM 2.0 Business-group role, e.g. Core Input.")
    direction: str = Field(description="`input` or `output` (empty when the mapping does not say).", examples=["input"])
    justification: MultilingualText
    status: Link | None = Field(description="proposed, endorsed or deprecated.")
    qualifier: Qualifier | None = Field(
        default=None, description="Which object of the class is meant, where one class plays several parts."
    )

    @classmethod
    def of(cls, entry: MappingEntry, lang: str) -> Mapping:
        return cls(
            iri=entry.mapping.iri,
            activity=Link.of(entry.activity, lang),
            information_class=Link.of(entry.cls, lang),
            role=link(entry.role, lang),
            direction=entry.direction,
            justification=multilingual(entry.justification),
            status=link(entry.status, lang),
            qualifier=Qualifier.of(entry) if entry.qualifier else None,
        )


class RoleMappings(BaseModel):
    """The mappings of one role, in class-name order."""

    role: Link | None
    mappings: list[Mapping]

    @classmethod
    def of(cls, group: RoleGroup, lang: str) -> RoleMappings:
        return cls(role=link(group.role, lang), mappings=[Mapping.of(e, lang) for e in group.entries])


class SubProcessSummary(Link):
    """A GSBPM sub-process (or overarching process) with its phase."""

    kind: str = Field(description="`subProcess` or `overarching`.", examples=["subProcess"])
    labels: MultilingualText
    phase: Link | None = Field(description="The phase it belongs to (null for overarching processes).")


class PhaseSummary(Link):
    labels: MultilingualText
    subprocesses: list[Link]


class GamsoContext(BaseModel):
    """A GAMSO activity related to the GSBPM activity (directly or through a broader concept)."""

    activity: Link
    path: list[Link] = Field(description="Its broader GAMSO concepts, from the top down.")
    via: Link = Field(description="The GSBPM concept the relation is stated on.")


class ExternalMatch(BaseModel):
    property: str = Field(examples=["exactMatch"])
    iri: str


class ActivityDetail(SubProcessSummary):
    """A GSBPM sub-process, overarching process or phase with its GSIM inputs and outputs grouped by role."""

    definition: MultilingualText
    scope_note: MultilingualText
    alt_labels: list[LangString]
    previous: Link | None
    next: Link | None
    children: list[Link] = Field(description="The sub-processes of a phase (empty otherwise).")
    inputs: list[RoleMappings]
    outputs: list[RoleMappings]
    services: list[Link] = Field(description="CSPA services that support this activity.")
    gamso: list[GamsoContext]
    matches: list[ExternalMatch]


# --- GSIM ------------------------------------------------------------------------------------------------------------


class GsimClassSummary(Link):
    name: str = Field(description="The local name of the class IRI.", examples=["InstanceVariable"])
    group: Link | None
    deprecated: bool = Field(description="True for GSIM 1.2 classes renamed or removed in GSIM 2.0.")
    successors: list[Link] = Field(description="The GSIM 2.0 classes that replace a deprecated class.")


class GsimGroup(Link):
    name: str = Field(examples=["BusinessGroup"])
    definition: MultilingualText
    classes: int = Field(description="How many GSIM 2.0 classes the group has.")


class Attribute(BaseModel):
    property: Link
    multiplicity: str = Field(examples=["0..1"])
    value_type: str = Field(examples=["String"])
    range: Link | None


class Association(BaseModel):
    property: Link
    domain: Link
    range: Link
    kind: str = Field(examples=["association"])
    source_multiplicity: str
    target_multiplicity: str


class GsimClassDetail(GsimClassSummary):
    """A GSIM class with its definition, structure and its usage by GSBPM activities."""

    labels: MultilingualText
    definition: MultilingualText
    comment: MultilingualText
    synonyms: list[LangString]
    note: str | None = Field(description="For a deprecated GSIM 1.2 name: which GSIM 2.0 class replaces it.")
    predecessors: list[Link] = Field(description="GSIM 1.2 classes this class replaces.")
    supers: list[Link]
    subclasses: list[Link]
    attributes: list[Attribute]
    associations_out: list[Association]
    associations_in: list[Association]
    taken_in_by: list[Mapping] = Field(description="The mappings of GSBPM activities that take this class in.")
    put_out_by: list[Mapping] = Field(description="The mappings of GSBPM activities that put this class out.")
    services: list[Link] = Field(description="CSPA services that take this class in or put it out.")


class ClassUsage(BaseModel):
    """One GSBPM activity that takes a GSIM class in or puts it out (reverse look-up)."""

    activity: Link
    direction: str = Field(examples=["input"])
    role: Link | None
    mapping: str = Field(description="IRI of the mapping that states it.")
    status: Link | None


# --- CSPA ------------------------------------------------------------------------------------------------------------


class ServiceSummary(Link):
    name: str = Field(description="The local name of the service IRI.", examples=["linearRuleChecking"])
    supports: list[Link] = Field(description="GSBPM sub-processes the service supports.")


class ServiceDetail(ServiceSummary):
    labels: MultilingualText
    description: MultilingualText
    inputs: list[Link] = Field(description="GSIM classes the service takes in.")
    outputs: list[Link] = Field(description="GSIM classes the service puts out.")
    level: Link | None = Field(description="The CSPA level the catalogue describes it at.")
    matches: list[str]
