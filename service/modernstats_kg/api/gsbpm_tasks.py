"""Level-3 tasks and the geospatial view of GSBPM in JSON: the tasks of a sub-process, its geospatial notes, every
geospatial note, and the GSGF principles with the notes that serve them."""

from __future__ import annotations

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from ..catalog.geospatial import GeospatialNote, geospatial_notes, location_classes, notes_about, notes_serving
from ..catalog.geospatial import principles as gsgf_principles
from ..catalog.gsbpm_tasks import Task, tasks_of
from .deps import CatalogDep, not_found
from .models import Lang, Link, MultilingualText, links, multilingual
from .subprocesses import SubProcessCode, find_activity

router = APIRouter(tags=["GSBPM tasks and geospatial view"])


class OrganizationOut(BaseModel):
    organization: Link
    kind: str = Field(description="`NationalStatisticalInstitute` or `InternationalAgency`.")
    country: str | None = Field(description="ISO 3166-1 alpha-2 code, for a national institute.")


class TaskOut(BaseModel):
    """A Level-3 task under its sub-process."""

    task: Link
    subprocess: Link
    description: MultilingualText
    inputs: list[Link] = Field(description="GSIM classes the task takes in.")
    outputs: list[Link] = Field(description="GSIM classes the task puts out.")
    sources: list[str]
    paragraphs: list[int] = Field(description="Paragraphs of GSBPM 5.2 the task is drawn from.")
    contributed_by: OrganizationOut | None = Field(description="Null for a task of GSBPM 5.2 itself.")

    @classmethod
    def of(cls, task: Task, lang: str) -> TaskOut:
        org = task.organization
        return cls(
            task=Link.of(task.ref, lang),
            subprocess=Link.of(task.subprocess, lang),
            description=multilingual(task.description),
            inputs=links(task.inputs, lang),
            outputs=links(task.outputs, lang),
            sources=task.sources,
            paragraphs=task.paragraphs,
            contributed_by=OrganizationOut(organization=Link.of(org.ref, lang), kind=org.kind, country=org.country)
            if org
            else None,
        )


class GeospatialNoteOut(BaseModel):
    note: Link
    about: Link
    text: MultilingualText
    principles: list[Link]
    sources: list[str]
    paragraphs: list[int]

    @classmethod
    def of(cls, note: GeospatialNote, lang: str) -> GeospatialNoteOut:
        return cls(
            note=Link.of(note.ref, lang),
            about=Link.of(note.about, lang),
            text=multilingual(note.text),
            principles=links(note.principles, lang),
            sources=note.sources,
            paragraphs=note.paragraphs,
        )


class PrincipleOut(BaseModel):
    principle: Link
    notes: list[GeospatialNoteOut]


class LocationClassOut(BaseModel):
    information_class: Link
    note: MultilingualText


@router.get(
    "/subprocesses/{code}/tasks",
    summary="The Level-3 tasks of a sub-process",
    description="The tasks under one sub-process, in code order: those GSBPM 5.2 lists and, with "
    "`contributed=true`, those statistical organizations contributed.",
    response_model=list[TaskOut],
)
def subprocess_tasks(
    cat: CatalogDep,
    code: SubProcessCode,
    lang: Lang = "en",
    contributed: bool | None = Query(default=None, description="Only contributed (true) or only GSBPM's (false)."),
) -> list[TaskOut]:
    activity = find_activity(cat, code)
    if activity is None:
        not_found(f"unknown GSBPM sub-process {code!r}")
    return [TaskOut.of(t, lang) for t in tasks_of(cat, activity.iri, contributed=contributed)]


@router.get(
    "/subprocesses/{code}/geospatial",
    summary="The geospatial notes of a sub-process or overarching activity",
    description="What changes in this activity when the data are geospatial, with the GSGF principles each note "
    "serves and the GSBPM 5.2 paragraphs it draws on.",
    response_model=list[GeospatialNoteOut],
)
def subprocess_geospatial(cat: CatalogDep, code: SubProcessCode, lang: Lang = "en") -> list[GeospatialNoteOut]:
    activity = find_activity(cat, code)
    if activity is None:
        not_found(f"unknown GSBPM sub-process {code!r}")
    return [GeospatialNoteOut.of(n, lang) for n in notes_about(cat, activity.iri)]


@router.get(
    "/geospatial/notes",
    summary="Every geospatial note",
    description="What changes in each GSBPM activity when the data are geospatial, in GSBPM order.",
    response_model=list[GeospatialNoteOut],
)
def all_notes(cat: CatalogDep, lang: Lang = "en") -> list[GeospatialNoteOut]:
    return [GeospatialNoteOut.of(n, lang) for n in geospatial_notes(cat)]


@router.get(
    "/geospatial/principles",
    summary="The GSGF principles with the notes serving each",
    description="The five principles of the Global Statistical Geospatial Framework, in order, each with the "
    "geospatial notes that serve it.",
    response_model=list[PrincipleOut],
)
def principles(cat: CatalogDep, lang: Lang = "en") -> list[PrincipleOut]:
    return [
        PrincipleOut(
            principle=Link.of(p, lang), notes=[GeospatialNoteOut.of(n, lang) for n in notes_serving(cat, p.iri)]
        )
        for p in gsgf_principles(cat)
    ]


@router.get(
    "/geospatial/location-classes",
    summary="GSIM classes that carry location",
    description="The GSIM classes flagged as carrying location, each with a note on how geography enters its objects.",
    response_model=list[LocationClassOut],
)
def location(cat: CatalogDep, lang: Lang = "en") -> list[LocationClassOut]:
    return [
        LocationClassOut(information_class=Link.of(c.cls, lang), note=multilingual(c.note))
        for c in location_classes(cat)
    ]
