"""Pydantic models of the contributed-task and organisation API (`api/tasks.py`): what a script sends and gets back."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..editing.organizations import Organization
from ..editing.tasks import ContributedTask, TaskDraft
from .editing_models import Comment

TASK_ID_EXAMPLE = "nso/5.3.2"
Language = Literal["en", "fr", "es"]


class TaskCreate(BaseModel):
    """A new task of an organisation, by codes and names (never IRIs): it starts as `proposed`, by the caller."""

    model_config = ConfigDict(extra="forbid")

    organization: str = Field(description="The organisation's code (the caller's own; admins: any).", examples=["nso"])
    subprocess: str = Field(description="GSBPM sub-process code.", examples=["5.3"])
    code: str = Field(description="The task's code under its sub-process.", examples=["5.3.2"])
    name: str = Field(min_length=1, max_length=200, examples=["Detect duplicate records"])
    description: str = Field(min_length=1, max_length=2000, examples=["Find records that describe one unit twice."])
    language: Language = Field(
        default="en",
        description="The language of name and description (a task needs an "
        "English name: add French or Spanish with PATCH).",
    )
    inputs: list[str] = Field(default_factory=list, max_length=50, description="GSIM classes it takes in.")
    outputs: list[str] = Field(default_factory=list, max_length=50, description="GSIM classes it puts out.")
    comment: str = Comment

    def draft(self) -> TaskDraft:
        return TaskDraft(
            organization=self.organization,
            subprocess=self.subprocess,
            code=self.code,
            name=self.name,
            description=self.description,
            language=self.language,
            inputs=tuple(self.inputs),
            outputs=tuple(self.outputs),
        )


class TaskPatch(BaseModel):
    """The fields to change; `name` and `description` are those of `language` (added when it has none yet)."""

    model_config = ConfigDict(extra="forbid")

    language: Language = "en"
    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, min_length=1, max_length=2000)
    inputs: list[str] | None = Field(default=None, max_length=50)
    outputs: list[str] | None = Field(default=None, max_length=50)
    comment: str = Comment

    def fields(self) -> dict[str, Any]:
        given = self.model_dump(exclude_unset=True, exclude={"comment"})
        out: dict[str, Any] = {k: v for k, v in given.items() if k in ("name", "description")}
        for key in ("inputs", "outputs"):
            if key in given:
                out[key] = tuple(given[key] or ())
        if out:
            out["language"] = self.language
        return out


class TaskOut(BaseModel):
    """A contributed task as the store holds it now."""

    id: str = Field(examples=[TASK_ID_EXAMPLE])
    iri: str
    href: str = Field(examples=["/api/v1/tasks/nso/5.3.2"])
    page: str = Field(description="Its page on this site.")
    organization: str
    organization_iri: str | None
    subprocess: str | None = Field(examples=["5.3"])
    code: str | None = Field(examples=["5.3.2"])
    name: dict[str, str] = Field(description="By language.")
    description: dict[str, str] = Field(description="By language.")
    inputs: list[str]
    outputs: list[str]
    status: str | None = Field(examples=["proposed"])
    authors: list[str] = Field(description="The accounts that wrote it.")
    created: str | None
    modified: str | None
    change_note: str | None
    etag: str = Field(description="Send it back in If-Match to change the task.")

    @classmethod
    def of(cls, task: ContributedTask) -> TaskOut:
        return cls(
            href=f"/api/v1/tasks/{task.id}",
            page=task.iri.removeprefix("http://id.unece.org"),
            **task.to_json(),
        )


class TaskWriteOut(BaseModel):
    change: str = Field(description="IRI of the history record.")
    revision: str
    tasks: list[TaskOut]


class OrganizationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(description="Short code used in IRIs.", examples=["nso"])
    kind: Literal["nsi", "agency"] = Field(description="National statistical institute or international agency.")
    name: str = Field(min_length=1, max_length=300, description="Its name in English.")
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2, where it has one.", examples=["CA"])
    comment: str = Comment


class OrganizationOut(BaseModel):
    code: str
    iri: str
    kind: str
    name: str
    country: str | None

    @classmethod
    def of(cls, organization: Organization) -> OrganizationOut:
        return cls(**organization.to_json())
