"""Pydantic models of the editing API (`api/mappings.py`, `api/changes.py`): what a script sends and gets back."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..editing.history import ChangeRecord
from ..editing.mapping_changes import Draft
from ..editing.mappings import DEFAULT_SOURCES, Mapping
from .models import ErrorBody

MAPPING_ID_EXAMPLE = "5.3-coreInput-instanceVariable"


class Role(StrEnum):
    CoreInput = "CoreInput"
    ParameterInput = "ParameterInput"
    ProcessSupportInput = "ProcessSupportInput"
    CoreOutput = "CoreOutput"
    ProcessMetric = "ProcessMetric"
    ProcessExecutionLog = "ProcessExecutionLog"


class Status(StrEnum):
    proposed = "proposed"
    endorsed = "endorsed"
    rejected = "rejected"
    deprecated = "deprecated"


class FlowBoundary(StrEnum):
    fromOutside = "fromOutside"
    fromEarlierCycle = "fromEarlierCycle"
    toOutside = "toOutside"


Comment = Field(
    min_length=1, max_length=5000, description="Why: recorded in the history.", examples=["why this change"]
)


class MappingDraft(BaseModel):
    """A new mapping, by names (never IRIs): it starts as `proposed`, attributed to the caller."""

    model_config = ConfigDict(extra="forbid")

    activity: str = Field(description="GSBPM sub-process or overarching process code.", examples=["5.3"])
    information_class: str = Field(description="GSIM 2.0 class local name.", examples=["InstanceVariable"])
    role: Role = Field(description="GSIM 2.0 process role.", examples=["CoreInput"])
    justification: str = Field(min_length=1, max_length=2000, description="Why the mapping holds, in English.")
    qualifier: str | None = Field(default=None, description="Which object of the class is meant.", examples=["sample"])
    flow_boundary: FlowBoundary | None = Field(default=None, description="Input from outside, or output leaving.")
    sources: list[str] = Field(default_factory=lambda: list(DEFAULT_SOURCES), description="Publications (IRIs).")

    def draft(self) -> Draft:
        return Draft(
            activity=self.activity,
            information_class=self.information_class,
            role=self.role.value,
            justification=self.justification,
            qualifier=self.qualifier,
            flow_boundary=self.flow_boundary.value if self.flow_boundary else None,
            sources=tuple(self.sources),
        )


class MappingCreate(MappingDraft):
    comment: str = Comment


class MappingPatch(BaseModel):
    """The fields to change (activity, class and role name the mapping: propose a new one to change those).
    `null` for `qualifier` or `flow_boundary` removes it."""

    model_config = ConfigDict(extra="forbid")

    justification: str | None = Field(default=None, min_length=1, max_length=2000)
    qualifier: str | None = Field(default=None, examples=["sample"])
    flow_boundary: FlowBoundary | None = None
    sources: list[str] | None = None
    comment: str = Comment

    def fields(self) -> dict[str, Any]:
        given = self.model_fields_set
        out: dict[str, Any] = {}
        if "justification" in given and self.justification is not None:
            out["justification"] = self.justification
        if "qualifier" in given:
            out["qualifier" if self.qualifier else "remove_qualifier"] = self.qualifier or True
        if "flow_boundary" in given:
            if self.flow_boundary:
                out["flow_boundary"] = self.flow_boundary.value
            else:
                out["remove_flow_boundary"] = True
        if "sources" in given and self.sources is not None:
            out["sources"] = tuple(self.sources)
        return out


class Review(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["endorse", "reject"] = Field(examples=["endorse"])
    comment: str = Comment


class CommentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comment: str = Comment


class BatchOperation(BaseModel):
    """`create` with the mapping's fields; `update` with `id`, `if_match` and the fields to change; `deprecate` with
    `id` and `if_match` (and `replaced_by`)."""

    model_config = ConfigDict(extra="forbid")

    op: Literal["create", "update", "deprecate"]
    id: str | None = Field(default=None, examples=[MAPPING_ID_EXAMPLE])
    if_match: str | None = Field(default=None, description="The ETag of the mapping as read (update, deprecate).")
    mapping: MappingDraft | None = Field(default=None, description="The new mapping (create).")
    changes: MappingPatch | None = Field(default=None, description="The fields to change (update; its comment unused).")
    replaced_by: str | None = None


class Batch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comment: str = Comment
    operations: list[BatchOperation] = Field(min_length=1, max_length=1000)


class MappingOut(BaseModel):
    """A mapping as the store holds it now."""

    id: str = Field(examples=[MAPPING_ID_EXAMPLE])
    iri: str
    href: str = Field(examples=["/api/v1/mappings/5.3-coreInput-instanceVariable"])
    label: str | None
    activity: str | None = Field(examples=["5.3"])
    information_class: str | None = Field(examples=["InstanceVariable"])
    role: str | None = Field(examples=["CoreInput"])
    direction: str | None = Field(examples=["input"])
    qualifier: str | None
    flow_boundary: str | None
    justification: str | None
    status: str | None = Field(examples=["proposed"])
    attributed_to: list[str]
    authors: list[str] = Field(description="The accounts among those it is attributed to.")
    created: str | None
    modified: str | None
    sources: list[str]
    change_note: str | None
    replaced_by: str | None
    etag: str = Field(description="Send it back in If-Match to change the mapping.")

    @classmethod
    def of(cls, mapping: Mapping) -> MappingOut:
        return cls(href=f"/api/v1/mappings/{mapping.id}", **mapping.to_json())


class ChangeOut(BaseModel):
    """One recorded change (a prov:Activity of the history graph)."""

    id: str
    iri: str
    author: str = Field(examples=["alice"])
    at: datetime
    action: str = Field(examples=["update"])
    comment: str
    targets: list[str]
    removed: str = Field(description="The quads removed, as N-Quads.")
    added: str = Field(description="The quads added, as N-Quads.")

    @classmethod
    def of(cls, record: ChangeRecord) -> ChangeOut:
        return cls(
            id=record.id,
            iri=record.iri,
            author=record.author,
            at=record.at,
            action=record.action,
            comment=record.comment,
            targets=list(record.targets),
            removed=record.removed,
            added=record.added,
        )


class WriteOut(BaseModel):
    """What a write did: the history record, the store revision, and the mappings as they are now."""

    change: str = Field(description="IRI of the history record.")
    revision: str
    mappings: list[MappingOut]


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The documented error answers of an editing operation."""
    texts = {
        401: "No valid credentials.",
        403: "The caller's role is too low (or, for a review, the caller made the last change: four eyes).",
        404: "No mapping has this id.",
        409: "A mapping exists already at the IRI the new one would get.",
        412: "If-Match names an older state: the body's `current` holds the mapping as it is now.",
        422: "A malformed value, or a change the mapping rules (SHACL shapes) refuse: `report` lists each failure.",
        428: "If-Match is missing: send the ETag of the mapping as you read it.",
        503: "The service keeps its graph in memory: editing needs `mskg serve --store DIR`.",
    }
    return {status: {"model": ErrorBody, "description": texts[status]} for status in statuses}
