"""Scoped validation of contributed tasks and organisations (`validation.scoped`) gives the verdict of whole-graph
validation (`validate_change`), with the same violations, on the real content with registered organisations and a
contributed task: valid changes, and one change breaking each task and organisation rule."""

from __future__ import annotations

from datetime import UTC, datetime

import pyoxigraph as ox
import pytest

from modernstats_kg.editing.organizations import build_registration
from modernstats_kg.editing.tasks import (
    TASK_BASE,
    TASK_GRAPH,
    TaskDraft,
    build_task_create,
    build_task_deprecate,
    build_task_update,
    read_task,
)
from modernstats_kg.loader import load_content
from modernstats_kg.namespaces import COOS, DCTERMS, GSBPMX, MAP, PROV, RDF, RDFS, SKOS, XSD
from modernstats_kg.store import ChangeSet, EmbeddedStore, Store
from modernstats_kg.validation import validate_change
from modernstats_kg.validation.scoped import affected_focus, shapes_of_store, validate_change_scoped

ORG = "http://id.unece.org/organizations/"
TASK = ox.NamedNode(TASK_BASE + "xa-stat/5.3.1")
GRAPH = ox.NamedNode(TASK_GRAPH)
ORG_GRAPH = ox.NamedNode("http://id.unece.org/organizations")
AT = datetime(2027, 1, 2, tzinfo=UTC)


def n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


@pytest.fixture(scope="module")
def store() -> Store:
    """The real content, three registered organisations (one institute without a country, so far without tasks)
    and one contributed task; written directly, as the gate would have."""
    store = EmbeddedStore()
    load_content(store)
    for code, kind, name, country in (
        ("xa-stat", "nsi", "Example Statistics A", "XA"),
        ("xb-agency", "agency", "Example Agency B", None),
        ("xc-stat", "nsi", "Example Statistics C", None),
    ):
        store.apply(build_registration(code, kind, name, country))
    draft = TaskDraft("xa-stat", "5.3", "5.3.1", "Check value ranges", "Flag values outside their valid range.")
    store.apply(build_task_create(store, draft, "alice", AT)[1])
    return store


def statement(store: Store, subject: ox.NamedNode, predicate: str) -> ox.Quad:
    query = f"SELECT ?g ?o WHERE {{ GRAPH ?g {{ <{subject.value}> <{predicate}> ?o }} }}"
    rows = store.select(query)
    (row,) = list(rows)
    return ox.Quad(subject, n(predicate), row["o"], row["g"])


def replaced(quad: ox.Quad, *values: ox.NamedNode | ox.Literal) -> ChangeSet:
    return ChangeSet.of(remove=[quad], add=[ox.Quad(quad.subject, quad.predicate, v, quad.graph_name) for v in values])


def added(subject: ox.NamedNode, predicate: str, value: ox.NamedNode | ox.Literal, graph: ox.NamedNode) -> ChangeSet:
    return ChangeSet.of(add=[ox.Quad(subject, n(predicate), value, graph)])


def both(one: ChangeSet, other: ChangeSet) -> ChangeSet:
    return ChangeSet(add=one.add | other.add, remove=one.remove | other.remove)


def new_task(store: Store, code: str, organization: str = "xa-stat") -> ChangeSet:
    draft = TaskDraft(organization, code.rsplit(".", 1)[0], code, "Another task", "Another task's description.")
    return build_task_create(store, draft, "alice", AT)[1]


def changes(store: Store) -> dict[str, ChangeSet]:
    task = read_task(store, "xa-stat/5.3.1")
    xa, xb, xc = n(ORG + "xa-stat"), n(ORG + "xb-agency"), n(ORG + "xc-stat")
    status = statement(store, TASK, MAP + "status")
    created = statement(store, TASK, DCTERMS + "created")
    attribution = statement(store, TASK, PROV + "wasAttributedTo")
    code = statement(store, TASK, SKOS + "notation")
    part = statement(store, TASK, DCTERMS + "isPartOf")
    name = statement(store, TASK, SKOS + "prefLabel")
    description = statement(store, TASK, SKOS + "definition")
    date = n(XSD + "date")
    return {
        # valid
        "new task": new_task(store, "5.3.2"),
        "new task of an agency without a country": new_task(store, "5.4.1", "xb-agency"),
        "reworded": build_task_update(store, task, "bob", AT, description="Flag each value outside its range."),
        "named in French": build_task_update(store, task, "bob", AT, language="fr", name="Contrôler les plages"),
        "with GSIM classes": build_task_update(store, task, "bob", AT, inputs=("DataSet",)),
        "deprecated": build_task_deprecate(task, "bob", AT, reason="merged into another task"),
        "endorsed": replaced(status, n(MAP + "endorsed")),
        "new organisation": build_registration("xd-stat", "nsi", "Example Statistics D", "XD"),
        "organisation renamed": replaced(statement(store, xa, RDFS + "label"), ox.Literal("Renamed", language="en")),
        # a contributed task's status and provenance
        "no status": ChangeSet.of(remove=[status]),
        "two statuses": added(TASK, MAP + "status", n(MAP + "endorsed"), GRAPH),
        "unknown status": replaced(status, n(MAP + "accepted")),
        "no creation date": ChangeSet.of(remove=[created]),
        "creation date as text": replaced(created, ox.Literal("2 January 2027")),
        "two creation dates": added(TASK, DCTERMS + "created", ox.Literal("2027-01-03", datatype=date), GRAPH),
        "two organisations": added(TASK, PROV + "wasAttributedTo", xb, GRAPH),
        "no organisation": ChangeSet.of(remove=[attribution]),
        "attributed to an unregistered agent": replaced(attribution, n(ORG + "nobody")),
        "attributed to an institute without a country": replaced(attribution, xc),
        "new task of an institute without a country": new_task(store, "5.4.2", "xc-stat"),
        "also sourced to GSBPM 5.2": both(
            added(TASK, DCTERMS + "source", n("https://unece.github.io/GSBPM-5.2/"), GRAPH),
            added(TASK, GSBPMX + "paragraph", ox.Literal("111", datatype=n(XSD + "integer")), GRAPH),
        ),
        # a task's code, names and sub-process
        "code in another form": replaced(code, ox.Literal("5.3.a")),
        "code under another sub-process": replaced(part, n("http://id.unece.org/activities/subProcess/5.4")),
        "two sub-processes": added(
            TASK, DCTERMS + "isPartOf", n("http://id.unece.org/activities/subProcess/5.4"), GRAPH
        ),
        "no English name": replaced(name, ox.Literal("Contrôler", language="fr")),
        "no description": ChangeSet.of(remove=[description]),
        # organisations
        "organisation without a code": ChangeSet.of(remove=[statement(store, xb, SKOS + "notation")]),
        "organisation code in capitals": replaced(statement(store, xb, SKOS + "notation"), ox.Literal("XB")),
        "organisation named in French only": replaced(
            statement(store, xb, RDFS + "label"), ox.Literal("Agence B", language="fr")
        ),
        "country in lower case": replaced(statement(store, xa, GSBPMX + "countryCode"), ox.Literal("xa")),
        "two countries": added(xa, GSBPMX + "countryCode", ox.Literal("XB"), ORG_GRAPH),
        "institute of a task loses its country": ChangeSet.of(remove=[statement(store, xa, GSBPMX + "countryCode")]),
        "organisation of a task loses its kind": ChangeSet.of(
            remove=[ox.Quad(xa, n(RDF + "type"), n(COOS + "NationalStatisticalInstitute"), ORG_GRAPH)]
        ),
    }


@pytest.mark.slow
def test_scoped_validation_of_task_changes_gives_the_verdict_of_whole_graph_validation(store: Store) -> None:
    shapes, shape_graphs = shapes_of_store(store)
    verdicts: dict[str, bool] = {}
    rules: set[str] = set()
    for name, change in changes(store).items():
        focus = affected_focus(store, change)
        assert focus is not None, name
        whole = validate_change(store, change, shapes=shapes)
        scoped = validate_change_scoped(store, change, focus, shapes, excluded=shape_graphs)
        whole_violations = {(r.shape, r.focus_node) for r in whole.violations}
        scoped_violations = {(r.shape, r.focus_node) for r in scoped.violations}
        assert (scoped.conforms, scoped_violations) == (whole.conforms, whole_violations), name
        verdicts[name] = whole.conforms
        rules |= {shape for shape, _ in whole_violations}
    valid = {name for name, conforms in verdicts.items() if conforms}
    assert valid == {
        "new task",
        "new task of an agency without a country",
        "reworded",
        "named in French",
        "with GSIM classes",
        "deprecated",
        "endorsed",
        "new organisation",
        "organisation renamed",
    }
    task_rules = {r.removeprefix("http://id.unece.org/shapes/task#") for r in rules}
    # every rule of contributed tasks and organisations was broken by some change, and caught alike both ways
    assert {
        "contributedStatusCount",
        "contributedStatusAllowed",
        "contributedCreated",
        "contributedOrganization",
        "contributorKind",
        "countryCode",
        "oneOrigin",
        "taskCode",
        "codeUnderSubProcess",
        "taskSubProcess",
        "taskEnglishName",
        "taskDescription",
        "organizationCode",
        "organizationEnglishName",
        "organizationCountry",
    } <= task_rules


def test_the_scope_of_a_task_change_takes_in_its_organisations_before_and_after(store: Store) -> None:
    attribution = statement(store, TASK, PROV + "wasAttributedTo")
    focus = affected_focus(store, replaced(attribution, n(ORG + "xc-stat")))
    assert focus is not None
    assert {TASK, n(ORG + "xa-stat"), n(ORG + "xc-stat")} <= focus
    # an organisation's scope takes in the tasks attributed to it
    label = statement(store, n(ORG + "xa-stat"), RDFS + "label")
    focus = affected_focus(store, replaced(label, ox.Literal("Renamed", language="en")))
    assert focus is not None and TASK in focus


def test_a_task_change_beyond_what_task_operations_write_is_validated_on_the_whole_graph(store: Store) -> None:
    in_scheme = added(TASK, SKOS + "inScheme", n("http://id.unece.org/activities/gsbpm"), GRAPH)
    assert affected_focus(store, in_scheme) is None
    concept = added(TASK, RDF + "type", n(SKOS + "Concept"), GRAPH)
    assert affected_focus(store, concept) is None
    sub_process = added(n("http://id.unece.org/activities/subProcess/5.3"), SKOS + "note", ox.Literal("x"), GRAPH)
    assert affected_focus(store, sub_process) is None
    assert affected_focus(store, added(TASK, SKOS + "changeNote", ox.Literal("x", language="en"), GRAPH)) is not None
