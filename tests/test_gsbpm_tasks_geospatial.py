"""Level-3 tasks and the geospatial view over the real content: every sub-process whose GSBPM 5.2 text lists steps
has one task per step (read from the official text), descriptions and notes are the project's own words, and the
pages and API show them."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from conftest import ONTOLOGY_DIR, integer
from gsbpm52_text import Gsbpm52, read_gsbpm52
from test_content_gsbpm_gamso import copied

COOS = Namespace("http://id.unece.org/def/coos#")
GSBPMX = Namespace("http://id.unece.org/def/gsbpmx#")
SP = "http://id.unece.org/activities/subProcess/"


@pytest.fixture(scope="module")
def text(reference_dir: Path) -> Gsbpm52:
    return read_gsbpm52(reference_dir / "gsbpm-5.2" / "gsbpm-5.2.txt")


@pytest.fixture(scope="module")
def tasks() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "gsbpm-tasks.ttl", format="turtle")


@pytest.fixture(scope="module")
def geo() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "gsbpm-geospatial.ttl", format="turtle")


def test_every_subprocess_listing_steps_has_one_task_per_step(tasks: Graph, text: Gsbpm52) -> None:
    assert len(text.steps) >= 10
    per_subprocess: dict[str, list[URIRef]] = {}
    for task in tasks.subjects(RDF.type, COOS.Task):
        part = str(tasks.value(task, DCTERMS.isPartOf))
        per_subprocess.setdefault(part.removeprefix(SP), []).append(task)  # type: ignore[arg-type]
    assert set(per_subprocess) == set(text.steps)
    for code, steps in text.steps.items():
        assert len(per_subprocess[code]) == len(steps), code
        codes = sorted(str(tasks.value(t, SKOS.notation)) for t in per_subprocess[code])
        assert codes == sorted(f"{code}.{n}" for n in range(1, len(steps) + 1))
        for task in per_subprocess[code]:
            paragraph = integer(tasks.value(task, GSBPMX.paragraph))
            assert paragraph in {p for p, _ in steps}, (task, paragraph)
            assert str(tasks.value(task, DCTERMS.source)) == "https://unece.github.io/GSBPM-5.2/"


def test_task_and_note_texts_are_not_copied_from_the_52_text(tasks: Graph, geo: Graph, text: Gsbpm52) -> None:
    official = list(text.paragraphs.values()) + [step for steps in text.steps.values() for _, step in steps]
    problems = []
    for g in (tasks, geo):
        for subject, value in g.subject_objects(SKOS.definition):
            for hit in copied(str(value), official):
                problems.append(f"{subject}: {value!r} repeats {hit[:80]!r}")
    assert not problems, "\n".join(problems)


def test_geospatial_notes_cite_paragraphs_that_speak_of_geography(geo: Graph, text: Gsbpm52) -> None:
    notes = list(geo.subjects(RDF.type, GSBPMX.GeospatialNote))
    assert len(notes) >= 15
    geographic = re.compile(r"geo|location|map|spatial", re.IGNORECASE)
    for note in notes:
        for paragraph in geo.objects(note, GSBPMX.paragraph):
            assert geographic.search(text.paragraphs[integer(paragraph)]), (note, paragraph)


def test_gsgf_has_five_principles_each_served_by_a_note(geo: Graph) -> None:
    scheme = URIRef("http://id.unece.org/gsgf/principles")
    principles = set(geo.subjects(SKOS.inScheme, scheme))
    assert len(principles) == 5
    assert {p for p in geo.objects(None, GSBPMX.serves)} == principles


def test_subprocess_page_shows_its_tasks_and_geospatial_notes(real_page_client: Any) -> None:
    body = html.unescape(real_page_client.get("/activities/subProcess/5.1").text)
    assert "Tasks (level 3)" in body and "Link records" in body and 'id="task-5.1.4"' in body
    assert "Geospatial considerations" in body and "/gsgf/principle/1" in body
    plain = html.unescape(real_page_client.get("/activities/subProcess/5.3").text)
    assert "Tasks (level 3)" not in plain and "Geospatial considerations" not in plain


def test_api_gives_the_tasks_of_a_subprocess_in_code_order(real_page_client: Any, text: Gsbpm52) -> None:
    answer = real_page_client.get("/api/v1/subprocesses/5.4/tasks")
    assert answer.status_code == 200
    body = answer.json()
    assert [t["task"]["code"] for t in body] == [f"5.4.{n}" for n in range(1, len(text.steps["5.4"]) + 1)]
    assert all(t["contributed_by"] is None and t["paragraphs"] == [112] for t in body)
    assert real_page_client.get("/api/v1/subprocesses/9.9/tasks").status_code == 404


def test_geospatial_view_highlights_the_activities_with_notes(real_page_client: Any, geo: Graph) -> None:
    body = real_page_client.get("/gsbpm/geospatial").text
    abouts = {str(o) for o in geo.objects(None, GSBPMX.about)}
    highlighted = re.findall(r'<li class="geo-has-notes" data-notes="(\d+)"><a href="([^"]+)"', body)
    assert {"http://id.unece.org" + href for _, href in highlighted} == abouts
    assert sum(int(n) for n, _ in highlighted) == len(list(geo.subjects(RDF.type, GSBPMX.GeospatialNote)))


def test_principle_page_lists_its_notes(real_page_client: Any, geo: Graph) -> None:
    principle = URIRef("http://id.unece.org/gsgf/principle/3")
    served = {str(geo.value(n, GSBPMX.about)) for n in geo.subjects(GSBPMX.serves, principle)}
    body = real_page_client.get("/gsgf/principle/3").text
    assert served and all(f'href="{a.removeprefix("http://id.unece.org")}"' in body for a in served)
    assert real_page_client.get("/gsgf/principle/9").status_code == 404


def test_api_lists_principles_notes_and_location_classes(real_page_client: Any) -> None:
    principles = real_page_client.get("/api/v1/geospatial/principles").json()
    assert len(principles) == 5 and all(p["notes"] for p in principles)
    notes = real_page_client.get("/api/v1/subprocesses/4.3/geospatial").json()
    assert notes and notes[0]["about"]["code"] == "4.3" and 99 in notes[0]["paragraphs"]
    classes = {
        c["information_class"]["label"] for c in real_page_client.get("/api/v1/geospatial/location-classes").json()
    }
    assert {"Unit", "Population", "Data Point", "Presentation"} <= classes


def test_geospatial_notes_are_queryable_over_sparql(real_page_client: Any) -> None:
    query = """PREFIX gsbpmx: <http://id.unece.org/def/gsbpmx#>
    SELECT ?note WHERE { ?note gsbpmx:about <http://id.unece.org/activities/subProcess/6.4> }"""
    answer = real_page_client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert len(answer.json()["results"]["bindings"]) == 1
