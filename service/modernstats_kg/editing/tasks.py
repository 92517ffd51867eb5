"""Level-3 tasks contributed by statistical organisations, as editable resources: read one from the store, build the
change of each operation (create, update, deprecate, review). They never write: the caller sends the change through
the gate (`editing.gate.submit`), which validates it with the task shapes and records it.

A contributed task lives at `http://id.unece.org/activities/task/{organisation code}/{task code}` (the shipped
tasks of GSBPM 5.2 are at `.../task/{code}`), in the named graph `TASK_GRAPH`:

    <.../task/nso/5.3.2> a coos:Task ; skos:notation "5.3.2" ; dcterms:isPartOf <.../subProcess/5.3> ;
        prov:wasAttributedTo <http://id.unece.org/organizations/nso> ;     # the organisation (its one origin)
        skos:prefLabel "..."@en ; skos:definition "..."@en ;               # en, fr, es (English name required)
        gsbpmx:input gsim:InstanceVariable ; gsbpmx:output gsim:UnitDataSet ;
        map:status map:proposed ; dcterms:contributor <http://id.unece.org/users/{name}> ;   # every author
        dcterms:created "2026-..."^^xsd:date ; dcterms:modified "..."^^xsd:dateTime .

Status moves as for mappings (`editing.editable`): new -> proposed; review -> endorsed | rejected (four eyes); a
change -> proposed again; delete -> deprecated, with a change note (it stays resolvable, with its history).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import pyoxigraph as ox

from ..errors import NotFound, Unprocessable
from ..namespaces import COOS, DCTERMS, GSBPMX, GSIM, MAP, OWL, PROV, RDF, SKOS, XSD
from ..store import ChangeSet, Store
from .accounts import ORGANIZATION_CODE
from .editable import P_STATUS, Editable, changeset, local_name, read_quads, replace, review_change
from .history import USER_BASE, user_iri
from .mappings import AlreadyExists
from .organizations import organization_iri, read_organization

__all__ = [
    "LANGUAGES",
    "TASK_BASE",
    "TASK_GRAPH",
    "ContributedTask",
    "TaskDraft",
    "build_task_create",
    "build_task_deprecate",
    "build_task_review",
    "build_task_update",
    "list_tasks",
    "read_task",
    "task_id",
]

TASK_BASE = "http://id.unece.org/activities/task/"
TASK_GRAPH = "http://id.unece.org/activities/gsbpm/contributedTasks"
SUBPROCESS_BASE = "http://id.unece.org/activities/subProcess/"
LANGUAGES = ("en", "fr", "es")
SUBPROCESS_CODE = re.compile(r"[1-8]\.[1-9][0-9]?")
TASK_CODE = re.compile(r"[1-8]\.[1-9][0-9]?\.[1-9][0-9]{0,2}")
TASK_ID = re.compile(r"[a-z][a-z0-9-]{1,31}/[1-8]\.[1-9][0-9]?\.[1-9][0-9]{0,2}")
CLASS_NAME = re.compile(r"[A-Z][A-Za-z0-9]{0,79}")
MAX_NAME, MAX_DESCRIPTION = 200, 2000

_GRAPH = ox.NamedNode(TASK_GRAPH)


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


P_TYPE, P_CODE, P_PART = _n(RDF + "type"), _n(SKOS + "notation"), _n(DCTERMS + "isPartOf")
P_ORG, P_NAME, P_DESCRIPTION = _n(PROV + "wasAttributedTo"), _n(SKOS + "prefLabel"), _n(SKOS + "definition")
P_INPUT, P_OUTPUT, P_CONTRIBUTOR = _n(GSBPMX + "input"), _n(GSBPMX + "output"), _n(DCTERMS + "contributor")
P_CREATED, P_MODIFIED, P_CHANGE_NOTE = _n(DCTERMS + "created"), _n(DCTERMS + "modified"), _n(SKOS + "changeNote")


def task_id(organization: str, code: str) -> str:
    return f"{organization}/{code}"


def task_iri(id_: str) -> str:
    if not TASK_ID.fullmatch(id_):
        raise NotFound(f"no contributed task has the id {id_!r} (ids read like nso/5.3.2: organisation/code)")
    return TASK_BASE + id_


@dataclass(frozen=True)
class ContributedTask(Editable):
    """A contributed task as the store holds it now (its ETag and status: `Editable`)."""

    def texts(self, predicate: ox.NamedNode) -> dict[str, str]:
        return {v.language or "": v.value for v in self.values(predicate) if isinstance(v, ox.Literal)}

    @property
    def organization(self) -> str:
        return self.id.split("/")[0]

    @property
    def authors(self) -> list[str]:
        return sorted(v.value.removeprefix(USER_BASE) for v in self.values(P_CONTRIBUTOR))

    def to_json(self) -> dict[str, object]:
        part = self.value(P_PART)
        return {
            "id": self.id,
            "iri": self.iri,
            "organization": self.organization,
            "organization_iri": self.value(P_ORG),
            "subprocess": local_name(part) if part else None,
            "code": self.value(P_CODE),
            "name": self.texts(P_NAME),
            "description": self.texts(P_DESCRIPTION),
            "inputs": [local_name(v.value) for v in self.values(P_INPUT)],
            "outputs": [local_name(v.value) for v in self.values(P_OUTPUT)],
            "status": self.status,
            "authors": self.authors,
            "created": self.value(P_CREATED),
            "modified": self.value(P_MODIFIED),
            "change_note": self.value(P_CHANGE_NOTE),
            "etag": self.etag,
        }


def read_task(store: Store, id_: str) -> ContributedTask:
    """The contributed task with this id as the store holds it now (404 when there is none)."""
    iri = task_iri(id_)
    quads = read_quads(store, iri)
    if not any(q.predicate == P_TYPE for q in quads):
        raise NotFound(f"no contributed task has the id {id_!r}")
    return ContributedTask(id_, iri, quads)


_LIST = f"""
SELECT DISTINCT ?t WHERE {{
  ?t a <{COOS}Task> ; <{PROV}wasAttributedTo> ?org ; <{DCTERMS}isPartOf> ?sp .
  OPTIONAL {{ ?t <{MAP}status> ?status }}
  %(filters)s
  FILTER(STRSTARTS(STR(?t), "{TASK_BASE}"))
}} ORDER BY ?t
"""


def list_tasks(
    store: Store, *, subprocess: str | None = None, organization: str | None = None, status: str | None = None
) -> list[str]:
    """The ids of the contributed tasks that pass every filter given, in id order."""
    filters = []
    if subprocess is not None:
        filters.append(f"FILTER(?sp = <{SUBPROCESS_BASE}{subprocess}>)")
    if organization is not None:
        filters.append(f"FILTER(?org = <{organization_iri(organization)}>)")
    if status is not None:
        filters.append(f"FILTER(?status = <{MAP}{status}>)")
    rows = store.select(_LIST % {"filters": "\n".join(filters)})
    return [
        row["t"].value.removeprefix(TASK_BASE) for row in rows if TASK_ID.fullmatch(row["t"].value[len(TASK_BASE) :])
    ]


def _today(at: datetime) -> ox.Literal:
    return ox.Literal(at.date().isoformat(), datatype=_n(XSD + "date"))


def _stamp(at: datetime) -> ox.Literal:
    return ox.Literal(at.isoformat().replace("+00:00", "Z"), datatype=_n(XSD + "dateTime"))


def check_text(field: str, value: str | None, limit: int) -> None:
    if value is not None and (not value.strip() or len(value) > limit):
        raise Unprocessable(f"{field}: 1 to {limit} characters")


def check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise Unprocessable(f"language: one of {', '.join(LANGUAGES)}, not {language!r}")


def check_classes(store: Store, field: str, names: tuple[str, ...]) -> None:
    """422 unless every name is a GSIM class of the graph (a pick list's value, or a spreadsheet's cell)."""
    for name in names:
        if not CLASS_NAME.fullmatch(name):
            raise Unprocessable(f"{field}: a GSIM class name like InstanceVariable, not {name!r}")
    if names:
        known = {
            row["c"].value
            for row in store.select(f'SELECT ?c WHERE {{ ?c a <{OWL}Class> FILTER(STRSTARTS(STR(?c), "{GSIM}")) }}')
        }
        unknown = [n for n in names if GSIM + n not in known]
        if unknown:
            raise Unprocessable(f"{field}: not GSIM classes: {', '.join(unknown)}")


@dataclass(frozen=True)
class TaskDraft:
    """What an organisation says about a new task (codes and names, not IRIs)."""

    organization: str  # the organisation's code
    subprocess: str  # 5.3
    code: str  # 5.3.2
    name: str
    description: str
    language: str = "en"
    inputs: tuple[str, ...] = ()  # GSIM class names
    outputs: tuple[str, ...] = ()

    def check(self, store: Store) -> None:
        """422 for what cannot even be named or does not exist (the shapes judge the rest)."""
        if not ORGANIZATION_CODE.fullmatch(self.organization):
            raise Unprocessable(f"organization: an organisation code like nso, not {self.organization!r}")
        if not SUBPROCESS_CODE.fullmatch(self.subprocess):
            raise Unprocessable(f"subprocess: a GSBPM sub-process code like 5.3, not {self.subprocess!r}")
        if not TASK_CODE.fullmatch(self.code):
            raise Unprocessable(f"code: a task code like 5.3.2, not {self.code!r}")
        check_text("name", self.name, MAX_NAME)
        check_text("description", self.description, MAX_DESCRIPTION)
        check_language(self.language)
        exists = f"SELECT ?code WHERE {{ <{SUBPROCESS_BASE}{self.subprocess}> <{SKOS}notation> ?code }} LIMIT 1"
        if next(iter(store.select(exists)), None) is None:
            raise Unprocessable(f"subprocess: GSBPM has no sub-process {self.subprocess}")
        check_classes(store, "inputs", self.inputs)
        check_classes(store, "outputs", self.outputs)
        read_organization(store, self.organization)


def _quad(subject: ox.NamedNode, predicate: ox.NamedNode, value: ox.NamedNode | ox.Literal) -> ox.Quad:
    return ox.Quad(subject, predicate, value, _GRAPH)


def build_task_create(store: Store, draft: TaskDraft, author: str, at: datetime) -> tuple[str, ChangeSet]:
    """The id of the new task and the change that adds it (409 when one exists at that IRI)."""
    draft.check(store)
    new_id = task_id(draft.organization, draft.code)
    try:
        existing = read_task(store, new_id)
    except NotFound:
        existing = None
    if existing is not None:
        raise AlreadyExists(
            f"the task {new_id} exists already (status {existing.status}): change it with PATCH "
            f"/api/v1/tasks/{new_id}, or give the new one another code"
        )
    t = _n(TASK_BASE + new_id)
    quads = [
        _quad(t, P_TYPE, _n(COOS + "Task")),
        _quad(t, P_CODE, ox.Literal(draft.code)),
        _quad(t, P_PART, _n(SUBPROCESS_BASE + draft.subprocess)),
        _quad(t, P_ORG, _n(organization_iri(draft.organization))),
        _quad(t, P_NAME, ox.Literal(draft.name.strip(), language=draft.language)),
        _quad(t, P_DESCRIPTION, ox.Literal(draft.description.strip(), language=draft.language)),
        _quad(t, P_STATUS, _n(MAP + "proposed")),
        _quad(t, P_CONTRIBUTOR, _n(user_iri(author))),
        _quad(t, P_CREATED, _today(at)),
        *(_quad(t, P_INPUT, _n(GSIM + c)) for c in draft.inputs),
        *(_quad(t, P_OUTPUT, _n(GSIM + c)) for c in draft.outputs),
    ]
    return new_id, ChangeSet.of(add=quads)


def _touch(task: ContributedTask, author: str, at: datetime, status: str) -> tuple[set[ox.Quad], set[ox.Quad]]:
    """Provenance of a change: the author among the contributors, the time modified, and the status."""
    remove, add = replace(task, P_MODIFIED, [_stamp(at)], _GRAPH)
    add.add(_quad(_n(task.iri), P_CONTRIBUTOR, _n(user_iri(author))))
    if status != task.status:
        r, a = replace(task, P_STATUS, [_n(MAP + status)], _GRAPH)
        remove, add = remove | r, add | a
    return remove, add


def _replace_text(
    task: ContributedTask, predicate: ox.NamedNode, language: str, text: str
) -> tuple[set[ox.Quad], set[ox.Quad]]:
    """Replace the literal of one language, keeping the others."""
    removed = {q for q in task.quads if q.predicate == predicate and getattr(q.object, "language", None) == language}
    return removed, {_quad(_n(task.iri), predicate, ox.Literal(text.strip(), language=language))}


def build_task_update(
    store: Store,
    task: ContributedTask,
    author: str,
    at: datetime,
    *,
    language: str = "en",
    name: str | None = None,
    description: str | None = None,
    inputs: tuple[str, ...] | None = None,
    outputs: tuple[str, ...] | None = None,
) -> ChangeSet:
    """The change of a PATCH: the name or description in `language` (added or replaced), the GSIM classes; an
    endorsed or rejected task goes back to `proposed`."""
    if task.status == "deprecated":
        raise Unprocessable(f"the task {task.id} is deprecated: propose a new task instead of changing it")
    check_language(language)
    check_text("name", name, MAX_NAME)
    check_text("description", description, MAX_DESCRIPTION)
    remove, add = _touch(task, author, at, "proposed")
    if name is not None:
        r, a = _replace_text(task, P_NAME, language, name)
        remove, add = remove | r, add | a
    if description is not None:
        r, a = _replace_text(task, P_DESCRIPTION, language, description)
        remove, add = remove | r, add | a
    for field, predicate, names in (("inputs", P_INPUT, inputs), ("outputs", P_OUTPUT, outputs)):
        if names is not None:
            check_classes(store, field, names)
            r, a = replace(task, predicate, [_n(GSIM + c) for c in names], _GRAPH)
            remove, add = remove | r, add | a
    return changeset(task, remove, add)


def build_task_deprecate(task: ContributedTask, author: str, at: datetime, *, reason: str) -> ChangeSet:
    """The change of a DELETE: status `deprecated` and a change note saying why."""
    if task.status == "deprecated":
        raise Unprocessable(f"the task {task.id} is deprecated already")
    remove, add = _touch(task, author, at, "deprecated")
    r, a = replace(task, P_CHANGE_NOTE, [ox.Literal(f"Withdrawn: {reason.strip()}", language="en")], _GRAPH)
    return changeset(task, remove | r, add | a)


def build_task_review(store: Store, task: ContributedTask, reviewer: str, decision: str) -> ChangeSet:
    return review_change(store, task, reviewer, decision, _GRAPH, kind="task")
