"""GSBPM 5.2 as the current version in ontology/gsbpm.ttl: exact names read from the official 5.2 text, 5.1 names
kept in change records, the project's own French and Spanish translations of renamed items marked as such."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

from conftest import ONTOLOGY_DIR, integer, language_of
from gsbpm52_text import Gsbpm52, read_gsbpm52

A = "http://id.unece.org/activities/"
GSBPMX = Namespace("http://id.unece.org/def/gsbpmx#")
GSBPM = URIRef(A + "gsbpm")
LANGS = ("en", "fr", "es")


@pytest.fixture(scope="module")
def gsbpm() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "gsbpm.ttl", format="turtle")


@pytest.fixture(scope="module")
def text(reference_dir: Path) -> Gsbpm52:
    return read_gsbpm52(reference_dir / "gsbpm-5.2" / "gsbpm-5.2.txt")


@pytest.fixture(scope="module")
def coos(reference_dir: Path) -> Graph:
    return Graph().parse(reference_dir / "coos" / "coos.ttl", format="turtle")


def name(g: Graph, iri: URIRef, lang: str = "en") -> str:
    values = [str(o) for o in g.objects(iri, SKOS.prefLabel) if isinstance(o, Literal) and o.language == lang]
    assert len(values) == 1, (iri, lang, values)
    return values[0]


def renames(g: Graph) -> dict[URIRef, URIRef]:
    """item -> its rename record from 5.1 to 5.2."""
    out = {}
    for change in g.subjects(GSBPMX.changeKind, GSBPMX.renamed):
        assert str(g.value(change, GSBPMX.fromVersion)) == "5.1" and str(g.value(change, GSBPMX.toVersion)) == "5.2"
        item = g.value(change, GSBPMX.changedItem)
        assert isinstance(item, URIRef) and isinstance(change, URIRef)
        out[item] = change
    return out


def test_the_official_text_has_the_whole_structure(text: Gsbpm52) -> None:
    assert len(text.phases) == 8 and len(text.subprocesses) == 44 and len(text.overarching) == 6


def test_every_phase_has_its_exact_52_name(gsbpm: Graph, text: Gsbpm52) -> None:
    for number, official in enumerate(text.phases, start=1):
        assert name(gsbpm, URIRef(f"{A}phase/{number}")) == official


def test_every_subprocess_has_its_exact_52_name(gsbpm: Graph, text: Gsbpm52) -> None:
    problems = [
        f"{code}: {name(gsbpm, URIRef(A + 'subProcess/' + code))!r} != {official!r}"
        for code, official in text.subprocesses.items()
        if name(gsbpm, URIRef(A + "subProcess/" + code)) != official
    ]
    assert not problems, "\n".join(problems)


def test_every_overarching_activity_has_its_exact_52_name_in_the_52_order(gsbpm: Graph, text: Gsbpm52) -> None:
    for number, official in enumerate(text.overarching, start=1):
        assert name(gsbpm, URIRef(f"{A}overarchingActivity/0.{number}")) == official


def test_the_renamed_items_are_those_whose_52_name_differs_from_coos_51(
    gsbpm: Graph, text: Gsbpm52, coos: Graph
) -> None:
    """Derived, not listed: an item is renamed exactly when its 5.1 name (COOS, or ours for 0.4-0.6) differs."""
    differing = set()
    for code, official in text.subprocesses.items():
        iri = URIRef(A + "subProcess/" + code)
        old = name(coos, iri)
        if old.lower() != official.lower() and code != "3.2":  # 3.2: COOS shortens the official 5.1 name
            differing.add(iri)
    recorded = renames(gsbpm)
    items = {i for i in recorded if "/subProcess/" in str(i)}
    assert items == differing
    assert {str(i)[len(A) :] for i in recorded} == {
        "subProcess/1.5",
        "subProcess/2.1",
        "subProcess/2.2",
        "subProcess/2.6",
        "subProcess/7.3",
        "subProcess/7.5",
        "overarchingActivity/0.6",
        "gsbpm",
    }


def test_5_1_names_are_kept_in_three_languages_and_match_coos_where_coos_has_them(gsbpm: Graph, coos: Graph) -> None:
    for item, change in renames(gsbpm).items():
        old = {language_of(o): str(o) for o in gsbpm.objects(change, GSBPMX.previousName)}
        if item == GSBPM:
            assert old == {"en": "Overarching processes"}
            continue
        assert set(old) == set(LANGS), item
        assert old["en"] != name(gsbpm, item), "a rename must change the English name"
        if any(coos.objects(item, SKOS.prefLabel)):
            assert old["en"] == name(coos, item)
            assert old["es"] == name(coos, item, "es")


def test_renamed_items_mark_their_french_and_spanish_names_as_the_projects_translation(gsbpm: Graph) -> None:
    for item in renames(gsbpm):
        if item == GSBPM:
            continue
        marked = set(gsbpm.objects(item, GSBPMX.projectTranslation))
        assert marked == {Literal(name(gsbpm, item, lang), lang=lang) for lang in ("fr", "es")}, item
    marked_items = set(gsbpm.subjects(GSBPMX.projectTranslation, None))
    assert marked_items == set(renames(gsbpm)) - {GSBPM}, "only renamed items carry the project's own translations"


def test_every_change_record_cites_a_52_paragraph_and_explains_in_a_sentence(gsbpm: Graph, text: Gsbpm52) -> None:
    changes = set(gsbpm.subjects(RDF.type, GSBPMX.VersionChange))
    assert len(changes) >= 8
    for change in changes:
        paragraph = integer(gsbpm.value(change, GSBPMX.paragraph))
        assert paragraph in text.paragraphs
        assert (
            str(gsbpm.value(change, URIRef("http://purl.org/dc/terms/source"))) == "https://unece.github.io/GSBPM-5.2/"
        )
        note = gsbpm.value(change, SKOS.changeNote)
        assert note is not None and len(str(note).split()) >= 6


def test_spanish_overarching_names_follow_one_style(gsbpm: Graph) -> None:
    for number in range(1, 7):
        spanish = name(gsbpm, URIRef(f"{A}overarchingActivity/0.{number}"), "es")
        assert spanish.startswith("Administración de"), spanish
        nouns = [w for w in spanish.split()[2:] if w not in {"la", "del", "de", "los", "las"}]
        assert all(w[0].isupper() for w in nouns), spanish


def test_subprocess_1_4_no_longer_claims_the_variables(gsbpm: Graph) -> None:
    definition = str(gsbpm.value(URIRef(A + "subProcess/1.4"), SKOS.definition))
    assert "Design" in definition and "variables" in definition
    assert "which variables will express" not in definition
