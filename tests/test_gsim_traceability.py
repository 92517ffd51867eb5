"""GSIM traceability: the 1.2 -> 2.0 change log as data (generated from the official spreadsheet, shown on the class
page, queryable), GSIM 1.1 names that lead to their successor or say there is none, the exact source version, and the
small wording fixes."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from conftest import PROJECT_ROOT, integer

GSIM = Namespace("http://id.unece.org/def/gsim#")
GSIMX = Namespace("http://id.unece.org/def/gsimx#")
GSIM11 = "http://rdf.unece.org/models/gsim#"
GSBPMX = Namespace("http://id.unece.org/def/gsbpmx#")
CHANGES = PROJECT_ROOT / "ontology" / "gsim-changes.ttl"
COPIED_WORDS = 6


def word_runs(text: str, size: int = COPIED_WORDS) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


@pytest.fixture(scope="module")
def log_rows(reference_dir: Path) -> dict[int, tuple[str, str]]:
    """Row number -> (change type, change text) of every row of the official log that records a change."""
    book = openpyxl.load_workbook(reference_dir / "gsim-2.0" / "gsim-change-log-1.2-to-2.0.xlsx", read_only=True)
    rows = {}
    for number, values in enumerate(book["GSIM v2.0 Change Log (2023)"].iter_rows(values_only=True), start=1):
        if number >= 3 and values[2]:
            rows[number] = (str(values[2]).strip(), str(values[3] or ""))
    book.close()
    return rows


@pytest.fixture(scope="module")
def changes() -> Graph:
    return Graph().parse(CHANGES)


@pytest.fixture(scope="module")
def gsim() -> Graph:
    return Graph().parse(PROJECT_ROOT / "ontology" / "gsim.ttl")


def test_every_row_of_the_change_log_is_one_change(changes: Graph, log_rows: dict[int, tuple[str, str]]) -> None:
    recorded = {integer(r) for r in changes.objects(None, GSIMX.logRow)}
    assert recorded == set(log_rows)
    detail = {"Attribute", "Relation", "Definition", "Explanatory text", "Definition/explanatory text"}
    assert sum(1 for kind, _ in log_rows.values() if kind in detail) >= 150


def test_each_change_names_a_gsim_term_and_its_kind(changes: Graph, gsim: Graph) -> None:
    for change in changes.subjects(RDF.type, GSIMX.ModelChange):
        term = changes.value(change, GSIMX.changedTerm)
        assert term == URIRef("http://id.unece.org/def/gsim") or (term, RDF.type, OWL.Class) in gsim, change
        assert (changes.value(change, GSIMX.changeKind), RDF.type, GSIMX.ChangeKind) in changes, change
        for other in changes.objects(change, GSIMX.involves):
            assert (other, RDF.type, OWL.Class) in gsim, (change, other)
    process_step = set(changes.subjects(GSIMX.changedTerm, GSIM.ProcessStep))
    assert any(changes.value(c, GSIMX.multiplicityAfter) == Literal("1..*") for c in process_step)


def test_summaries_are_composed_not_copied(changes: Graph, log_rows: dict[int, tuple[str, str]]) -> None:
    for change in changes.subjects(RDF.type, GSIMX.ModelChange):
        row = integer(changes.value(change, GSIMX.logRow))
        # names (classes, attributes, associations) are facts and may repeat; the wording around them may not
        summary = re.sub(r"\([^)]*\)|involves [^;.]*", " ", str(changes.value(change, RDFS.comment)))
        text = re.sub(r"[\"“”][^\"“”]*[\"“”]", " ", log_rows[row][1])
        assert not word_runs(summary) & word_runs(text), (row, summary)


@pytest.mark.slow
def test_the_script_regenerates_the_file(tmp_path: Path, reference_dir: Path) -> None:
    out = tmp_path / "changes.ttl"
    script = PROJECT_ROOT / "scripts" / "gsim_change_log.py"
    done = subprocess.run(
        [sys.executable, str(script), "--reference", str(reference_dir), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8") == CHANGES.read_text(encoding="utf-8")


def test_the_class_page_shows_its_changes(real_page_client: Any) -> None:
    page = real_page_client.get("/def/gsim/ProcessStep")
    assert page.status_code == 200
    assert "Changes from GSIM 1.2" in page.text
    assert "multiplicity 0..* -&gt; 1..*" in page.text


def test_every_gsim_1_1_name_leads_to_a_successor_or_says_it_has_none(reference_dir: Path, gsim: Graph) -> None:
    old = Graph().parse(reference_dir / "stamina" / "gsim-1.1-ontology.rdf")
    names = {c for c in old.subjects(RDF.type, OWL.Class) if str(c).startswith(GSIM11)}
    assert len(names) == 120
    matched = set(gsim.objects(None, SKOS.exactMatch))
    notes = Graph().parse(PROJECT_ROOT / "ontology" / "gsim-1.1-names.ttl")
    everything = gsim + notes
    for name in names - matched:
        successor = notes.value(name, DCTERMS.isReplacedBy)
        if successor is not None:
            assert (successor, None, None) in everything, (name, successor)
        else:
            assert "no successor" in str(notes.value(name, SKOS.historyNote)).lower(), name
    assert notes.value(URIRef(GSIM11 + "AgentRole"), DCTERMS.isReplacedBy) == GSIM.AgentInRole


def test_the_exact_gsim_source_version_is_recorded(gsim: Graph, reference_dir: Path) -> None:
    commit = re.search(r"UNECE/GSIM-2\.0 @ (\w+)", (reference_dir / "SOURCES.md").read_text(encoding="utf-8"))
    assert commit
    ontology = URIRef("http://id.unece.org/def/gsim")
    assert URIRef(f"https://github.com/UNECE/GSIM-2.0/tree/{commit.group(1)}") in set(
        gsim.objects(ontology, DCTERMS.source)
    )
    assert "2023-12-22" in str(gsim.value(ontology, SKOS.editorialNote))


def test_described_conceptual_domain_does_not_reuse_the_official_example(gsim: Graph, reference_dir: Path) -> None:
    official = (reference_dir / "gsim-2.0" / "gsim-2.0-classes.md").read_text(encoding="utf-8")
    row = next(line for line in official.splitlines() if line.startswith("| Described Conceptual Domain |"))
    definition = str(gsim.value(GSIM.DescribedConceptualDomain, SKOS.definition))
    assert not word_runs(definition, 4) & word_runs(row, 4), definition


def test_gamso_area_3_french_name_is_marked_as_the_projects_own() -> None:
    gamso = Graph().parse(PROJECT_ROOT / "ontology" / "gamso.ttl")
    area3 = URIRef("http://id.unece.org/activities/activityArea/3")
    french = [n for n in gamso.objects(area3, SKOS.prefLabel) if isinstance(n, Literal) and n.language == "fr"]
    assert french and set(gamso.objects(area3, GSBPMX.projectTranslation)) == set(french)


def test_spanish_names_of_the_overarching_activities_share_one_style() -> None:
    gsbpm = Graph().parse(PROJECT_ROOT / "ontology" / "gsbpm.ttl")
    names = [
        str(n)
        for s, n in gsbpm.subject_objects(SKOS.prefLabel)
        if "/overarchingActivity/" in str(s) and isinstance(n, Literal) and n.language == "es"
    ]
    assert len(names) == 6
    assert all(n.startswith("Administración d") for n in names), names
