"""The changes of the mapping operations: create, update, deprecate, review. They build a `ChangeSet` and never
write: the caller sends it through the gate (`editing.gate.submit`), which validates it and records it.

Status moves: a new mapping is `proposed`; a review makes a proposed one `endorsed` or `rejected`; any change to an
endorsed or rejected one sends it back to `proposed`; a delete makes it `deprecated` (it stays resolvable, with its
history). Provenance: every author is among those the mapping is `prov:wasAttributedTo`; `dcterms:created` is the
day it was proposed, `dcterms:modified` the time of its last change (the history has every change).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import pyoxigraph as ox

from ..errors import NotFound, Unprocessable
from ..namespaces import GSIM, MAP, SKOS, XSD
from ..store import ChangeSet, Store
from .editable import changeset, last_author, replace, review_change
from .history import user_iri
from .mappings import (
    CLASS_NAME,
    CODE,
    DEFAULT_SOURCES,
    FLOW_BOUNDARIES,
    INPUT_ROLES,
    MAPPING_BASE,
    MAPPING_GRAPH,
    P_ACTIVITY,
    P_ATTRIBUTED,
    P_BOUNDARY,
    P_CHANGE_NOTE,
    P_CLASS,
    P_CREATED,
    P_DIRECTION,
    P_JUSTIFICATION,
    P_LABEL,
    P_MODIFIED,
    P_QUALIFIER,
    P_REPLACED_BY,
    P_ROLE,
    P_SOURCE,
    P_STATUS,
    P_TYPE,
    QUALIFIER_BASE,
    QUALIFIER_NAME,
    ROLES,
    AlreadyExists,
    Mapping,
    activity_iri,
    mapping_id,
    mapping_iri,
    read_mapping,
    words,
)

__all__ = ["Draft", "build_create", "build_deprecate", "build_review", "build_update", "last_author"]

_GRAPH = ox.NamedNode(MAPPING_GRAPH)


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


@dataclass(frozen=True)
class Draft:
    """What a person says about a new mapping (names, not IRIs)."""

    activity: str  # GSBPM code: 5.3, 0.4
    information_class: str  # GSIM class local name: InstanceVariable
    role: str  # CoreInput ... ProcessExecutionLog
    justification: str
    qualifier: str | None = None
    flow_boundary: str | None = None
    sources: tuple[str, ...] = DEFAULT_SOURCES

    def check(self) -> None:
        """422 for what cannot even be named (the shapes judge the rest)."""
        if not CODE.fullmatch(self.activity):
            raise Unprocessable(
                f"activity: a GSBPM sub-process or overarching process code like 5.3, not {self.activity!r}"
            )
        if not CLASS_NAME.fullmatch(self.information_class):
            raise Unprocessable(
                f"information_class: a GSIM class name like InstanceVariable, not {self.information_class!r}"
            )
        if self.role not in ROLES:
            raise Unprocessable(f"role: one of {', '.join(ROLES)}, not {self.role!r}")
        if self.qualifier is not None and not QUALIFIER_NAME.fullmatch(self.qualifier):
            raise Unprocessable(f"qualifier: a qualifier name like sample, not {self.qualifier!r}")
        _check_editable_fields(self.justification, self.flow_boundary, self.sources)


def _check_editable_fields(justification: str | None, boundary: str | None, sources: tuple[str, ...] | None) -> None:
    if justification is not None and not justification.strip():
        raise Unprocessable("justification: say in one sentence why the mapping holds")
    if boundary is not None and boundary not in FLOW_BOUNDARIES:
        raise Unprocessable(f"flow_boundary: one of {', '.join(FLOW_BOUNDARIES)}, not {boundary!r}")
    for source in sources or ():
        if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", source):
            raise Unprocessable(f"sources: each source is an http(s) IRI, not {source!r}")


def _english_label(store: Store, iri: str, fallback: str) -> str:
    query = f'SELECT ?x ?l WHERE {{ ?x <{SKOS}prefLabel> ?l FILTER(LANGMATCHES(LANG(?l), "en")) }} ORDER BY ?l LIMIT 1'
    row = next(iter(store.select(query, substitutions={"x": _n(iri)})), None)
    return row["l"].value if row is not None else fallback


def _quad(subject: ox.NamedNode, predicate: ox.NamedNode, value: ox.NamedNode | ox.Literal) -> ox.Quad:
    return ox.Quad(subject, predicate, value, _GRAPH)


def _today(at: datetime) -> ox.Literal:
    return ox.Literal(at.date().isoformat(), datatype=_n(XSD + "date"))


def _stamp(at: datetime) -> ox.Literal:
    return ox.Literal(at.isoformat().replace("+00:00", "Z"), datatype=_n(XSD + "dateTime"))


def build_create(store: Store, draft: Draft, author: str, at: datetime) -> tuple[str, ChangeSet]:
    """The id of the new mapping and the change that adds it (409 when one exists at that IRI)."""
    draft.check()
    new_id = mapping_id(draft.activity, draft.role, draft.information_class, draft.qualifier)
    try:
        existing = read_mapping(store, new_id)
    except NotFound:
        existing = None
    if existing is not None:
        raise AlreadyExists(
            f"the mapping {new_id} exists already (status {existing.status}): change it with PATCH "
            f"/api/v1/mappings/{new_id}, or give the new one a qualifier saying which object it means"
        )
    m = _n(MAPPING_BASE + new_id)
    activity = activity_iri(draft.activity)
    class_label = _english_label(store, GSIM + draft.information_class, words(draft.information_class))
    label = f"{draft.activity} {_english_label(store, activity, draft.activity)}: {class_label} as {words(draft.role)}"
    if draft.qualifier:
        label += f" ({_english_label(store, QUALIFIER_BASE + draft.qualifier, draft.qualifier)})"
    direction = "input" if draft.role in INPUT_ROLES else "output"
    quads = [
        _quad(m, P_TYPE, _n(MAP + "InformationMapping")),
        _quad(m, P_LABEL, ox.Literal(label, language="en")),
        _quad(m, P_ACTIVITY, _n(activity)),
        _quad(m, P_CLASS, _n(GSIM + draft.information_class)),
        _quad(m, P_ROLE, _n(GSIM + draft.role)),
        _quad(m, P_DIRECTION, _n(MAP + direction)),
        _quad(m, P_JUSTIFICATION, ox.Literal(draft.justification.strip(), language="en")),
        _quad(m, P_STATUS, _n(MAP + "proposed")),
        _quad(m, P_ATTRIBUTED, _n(user_iri(author))),
        _quad(m, P_CREATED, _today(at)),
        *(_quad(m, P_SOURCE, _n(source)) for source in draft.sources),
    ]
    if draft.qualifier:
        quads.append(_quad(m, P_QUALIFIER, _n(QUALIFIER_BASE + draft.qualifier)))
    if draft.flow_boundary:
        quads.append(_quad(m, P_BOUNDARY, _n(MAP + draft.flow_boundary)))
    return new_id, ChangeSet.of(add=quads)


def _replace(
    mapping: Mapping, predicate: ox.NamedNode, values: list[ox.NamedNode | ox.Literal]
) -> tuple[set[ox.Quad], set[ox.Quad]]:
    """Remove every statement of `predicate`, add `values` (in the mapping graph)."""
    return replace(mapping, predicate, values, _GRAPH)


def _touch(mapping: Mapping, author: str, at: datetime, *, status: str | None) -> tuple[set[ox.Quad], set[ox.Quad]]:
    """Provenance of a change: the author among those it is attributed to, the time modified, and the status."""
    remove, add = _replace(mapping, P_MODIFIED, [_stamp(at)])
    add.add(_quad(_n(mapping.iri), P_ATTRIBUTED, _n(user_iri(author))))
    if status is not None and status != mapping.status:
        r, a = _replace(mapping, P_STATUS, [_n(MAP + status)])
        remove |= r
        add |= a
    return remove, add


def build_update(
    mapping: Mapping,
    author: str,
    at: datetime,
    *,
    justification: str | None = None,
    qualifier: str | None = None,
    remove_qualifier: bool = False,
    flow_boundary: str | None = None,
    remove_flow_boundary: bool = False,
    sources: tuple[str, ...] | None = None,
) -> ChangeSet:
    """The change of a PATCH: the fields given; an endorsed or rejected mapping goes back to `proposed`."""
    if mapping.status == "deprecated":
        raise Unprocessable(f"the mapping {mapping.id} is deprecated: propose a new mapping instead of changing it")
    if qualifier is not None and not QUALIFIER_NAME.fullmatch(qualifier):
        raise Unprocessable(f"qualifier: a qualifier name like sample, not {qualifier!r}")
    _check_editable_fields(justification, flow_boundary, sources)
    remove, add = _touch(mapping, author, at, status="proposed")
    if justification is not None:
        r, a = _replace(mapping, P_JUSTIFICATION, [ox.Literal(justification.strip(), language="en")])
        remove, add = remove | r, add | a
    if qualifier is not None or remove_qualifier:
        r, a = _replace(mapping, P_QUALIFIER, [_n(QUALIFIER_BASE + qualifier)] if qualifier else [])
        remove, add = remove | r, add | a
    if flow_boundary is not None or remove_flow_boundary:
        r, a = _replace(mapping, P_BOUNDARY, [_n(MAP + flow_boundary)] if flow_boundary else [])
        remove, add = remove | r, add | a
    if sources is not None:
        r, a = _replace(mapping, P_SOURCE, [_n(s) for s in sources])
        remove, add = remove | r, add | a
    return changeset(mapping, remove, add)


def build_deprecate(
    mapping: Mapping, author: str, at: datetime, *, reason: str, replaced_by: str | None = None
) -> ChangeSet:
    """The change of a DELETE: status `deprecated`, a change note saying why, and the successor if there is one."""
    if mapping.status == "deprecated":
        raise Unprocessable(f"the mapping {mapping.id} is deprecated already")
    remove, add = _touch(mapping, author, at, status="deprecated")
    r, a = _replace(mapping, P_CHANGE_NOTE, [ox.Literal(f"Withdrawn: {reason.strip()}", language="en")])
    remove, add = remove | r, add | a
    if replaced_by is not None:
        r, a = _replace(mapping, P_REPLACED_BY, [_n(mapping_iri(replaced_by))])
        remove, add = remove | r, add | a
    return changeset(mapping, remove, add)


def build_review(store: Store, mapping: Mapping, reviewer: str, decision: str) -> ChangeSet:
    """The change of a review: `proposed` -> `endorsed` or `rejected`, by someone who is not the last author."""
    return review_change(store, mapping, reviewer, decision, _GRAPH, kind="mapping")
