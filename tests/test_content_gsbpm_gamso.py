"""Content checks for ontology/gsbpm.ttl (GSBPM 5.2, with 5.1 kept) and ontology/gamso.ttl (GAMSO 1.2).

Intrinsic rules (codes, hierarchy, names, definitions) and conformance to the COOS reference file read in place:
same IRIs, codes, hierarchy and names as COOS (which encodes GSBPM 5.1) except the corrections and additions listed
below and the GSBPM 5.2 renames, whose 5.1 names must be COOS's. The 5.2 names are read from the official 5.2 text.
Links to the unofficial GSBPM 5.0 IRIs are checked against the Model Explorer data.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import RDF, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDFS, SKOS
from rdflib.paths import MulPath

from conftest import ONTOLOGY_DIR, as_iri, hermit_consistent, language_of
from gsbpm52_text import Gsbpm52, read_gsbpm52

GSBPM_FILE = ONTOLOGY_DIR / "gsbpm.ttl"
GAMSO_FILE = ONTOLOGY_DIR / "gamso.ttl"
COOS_FILE = ONTOLOGY_DIR / "coos.ttl"

A = "http://id.unece.org/activities/"
COOS = Namespace("http://id.unece.org/def/coos#")
VANN = Namespace("http://purl.org/vocab/vann/")
GSBPM = URIRef(A + "gsbpm")
GAMSO = URIRef(A + "gamso")
SPP = URIRef(A + "statisticalProductionProcess")
OFFICIAL_STATISTICS = URIRef(A + "officialStatistics")
GSBPM50 = "http://id.unece.org/models/gsbpm/"
GSBPM50_GRAPH = URIRef("http://stamina-project.org/graphs/gsbpm")
GSBPMX = Namespace("http://id.unece.org/def/gsbpmx#")
LANGS = ("en", "fr", "es")

# Names we deliberately differ on from COOS 0.10: (item, language) -> (COOS name or None, our name).
KNOWN_CORRECTIONS: dict[tuple[str, str], tuple[str | None, str]] = {
    # GSBPM 5.1's official name of 3.2; COOS shortens it in all three languages.
    ("subProcess/3.2", "en"): (
        "Reuse or build analysis components",
        "Reuse or build processing and analysis components",
    ),
    ("subProcess/3.2", "fr"): (
        "Réutiliser ou construire les composants d'analyse",
        "Réutiliser ou construire les composants de traitement et d'analyse",
    ),
    ("subProcess/3.2", "es"): (
        "Reutilizar o construir componentes de análisis",
        "Reutilizar o construir componentes de procesamiento y análisis",
    ),
    # Misspellings.
    ("subProcess/1.3", "fr"): (
        "Etablir les objectifs en matières de produits",
        "Etablir les objectifs en matière de produits",
    ),
    ("subProcess/1.5", "fr"): ("Vérifier la disponiblité des données", "Vérifier la disponibilité des données"),
    ("subProcess/2.4", "fr"): (
        "Concevoir la base de sondage et l'échantillonage",
        "Concevoir la base de sondage et l'échantillonnage",
    ),
    ("subProcess/5.7", "fr"): ("Calculer les aggrégats", "Calculer les agrégats"),
    ("subProcess/6.1", "fr"): (
        "Préparer la version préliminaires des résultats",
        "Préparer la version préliminaire des résultats",
    ),
    ("subProcess/6.3", "fr"): ("Interprêter et expliquer les résultats", "Interpréter et expliquer les résultats"),
    ("phase/6", "es"): ("Analísis", "Análisis"),
    ("activity/3.5", "es"): ("Adminitrar los Consumidores", "Administrar los Consumidores"),
    # A name COOS lacks.
    ("activityArea/3", "fr"): (None, "Soutien institutionnel"),
}

# GSBPM has six overarching activities; COOS encodes 0.1 to 0.3. The others are added the same way, their Spanish
# names in the style of COOS's three ("Administración de ...").
ADDED_OVERARCHING: dict[str, dict[str, str]] = {
    "overarchingActivity/0.4": {
        "en": "Process Data Management",
        "fr": "Gestion des données de processus",
        "es": "Administración de Datos de Proceso",
    },
    "overarchingActivity/0.5": {
        "en": "Knowledge Management",
        "fr": "Gestion des connaissances",
        "es": "Administración del Conocimiento",
    },
    "overarchingActivity/0.6": {
        "en": "Data Supplier Management",
        "fr": "Gestion des fournisseurs de données",
        "es": "Administración de Proveedores de Datos",
    },
}

NOTATION_RULES = {
    "phase": r"[1-8]",
    "subProcess": r"[1-8]\.[1-9]",
    "overarchingActivity": r"0\.[1-9]",
    "activityArea": r"[1-4]",
    "activity": r"[1-4]\.(?:[1-9]|1[0-9])",
}
SHARED_WORDS = 6  # a run of this many words shared with an official or COOS text counts as copying


# ---------------------------------------------------------------------------------------------------------------
# reading the files and the reference


@pytest.fixture(scope="module")
def gsbpm() -> Graph:
    assert GSBPM_FILE.is_file(), f"{GSBPM_FILE.name} is missing"
    return Graph().parse(GSBPM_FILE, format="turtle")


@pytest.fixture(scope="module")
def gamso() -> Graph:
    assert GAMSO_FILE.is_file(), f"{GAMSO_FILE.name} is missing"
    return Graph().parse(GAMSO_FILE, format="turtle")


@pytest.fixture(scope="module")
def schemes(gsbpm: Graph, gamso: Graph) -> dict[URIRef, Graph]:
    return {GSBPM: gsbpm, GAMSO: gamso}


@pytest.fixture(scope="module")
def reference(reference_dir: Path) -> Graph:
    return Graph().parse(reference_dir / "coos" / "coos.ttl", format="turtle")


@pytest.fixture(scope="module")
def gsbpm52(reference_dir: Path) -> Gsbpm52:
    """The official GSBPM 5.2 text: names, paragraphs, listed steps."""
    return read_gsbpm52(reference_dir / "gsbpm-5.2" / "gsbpm-5.2.txt")


def renamed_in_52(g: Graph) -> dict[URIRef, dict[str, str]]:
    """Items renamed in GSBPM 5.2 -> their GSBPM 5.1 names by language, from the change records."""
    out: dict[URIRef, dict[str, str]] = {}
    for change in g.subjects(GSBPMX.changeKind, GSBPMX.renamed):
        item = g.value(change, GSBPMX.changedItem)
        assert isinstance(item, URIRef)
        out[item] = {language_of(o): str(o) for o in g.objects(change, GSBPMX.previousName)}
    return out


@pytest.fixture(scope="module")
def gsbpm50(reference_dir: Path) -> Graph:
    """The GSBPM 5.0 graph of the UNECE Model Explorer (official 5.0 names and texts, unofficial IRIs)."""
    ds = Dataset()
    ds.parse(data=(reference_dir / "stamina" / "models.trig").read_text(encoding="utf-8"), format="trig")
    return ds.graph(GSBPM50_GRAPH)


def concepts(g: Graph, scheme: URIRef) -> set[URIRef]:
    return {s for s in g.subjects(SKOS.inScheme, scheme) if isinstance(s, URIRef)}


def kind(iri: URIRef) -> str:
    """The type segment of an item IRI: phase, subProcess, overarchingActivity, activityArea, activity."""
    return str(iri)[len(A) :].split("/")[0]


def of_kind(g: Graph, scheme: URIRef, name: str) -> set[URIRef]:
    return {c for c in concepts(g, scheme) if kind(c) == name and "/" in str(c)[len(A) :]}


def key(iri: URIRef) -> str:
    return str(iri)[len(A) :]


def pref(g: Graph, iri: URIRef) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for o in g.objects(iri, SKOS.prefLabel):
        out.setdefault(language_of(o), []).append(str(o))
    return out


def notation(g: Graph, iri: URIRef) -> str:
    values = [str(o) for o in g.objects(iri, SKOS.notation)]
    assert len(values) == 1, f"{key(iri)} has notations {values}"
    return values[0]


def normal(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def word_runs(text: str, n: int = SHARED_WORDS) -> set[tuple[str, ...]]:
    words = normal(text).split()
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def copied(ours: str, texts: list[str]) -> list[str]:
    """The texts that `ours` repeats, contains, or shares a run of SHARED_WORDS words with."""
    mine = normal(ours)
    return [
        t for t in texts if normal(t) and (normal(t) in mine or mine in normal(t) or word_runs(ours) & word_runs(t))
    ]


# ---------------------------------------------------------------------------------------------------------------
# headers


@pytest.mark.parametrize(
    ("scheme", "version", "source_part"),
    [(GSBPM, "5.2", "gsbpm"), (GAMSO, "1.2", "gamso")],
    ids=["gsbpm", "gamso"],
)
def test_scheme_header_has_version_licence_rights_source_and_namespace(
    schemes: dict[URIRef, Graph], scheme: URIRef, version: str, source_part: str
) -> None:
    g = schemes[scheme]
    assert {(scheme, RDF.type, SKOS.ConceptScheme), (scheme, RDF.type, OWL.Ontology)} <= set(g)
    assert str(g.value(scheme, OWL.versionInfo)) == version
    assert g.value(scheme, OWL.versionIRI) == URIRef(f"{scheme}/{version}")
    assert g.value(scheme, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert "UNECE" in str(g.value(scheme, DCTERMS.rights))
    sources = [str(s) for s in g.objects(scheme, DCTERMS.source)]
    assert sources and all(s.startswith("https://") and source_part in s.lower() for s in sources), sources
    assert str(g.value(scheme, VANN.preferredNamespacePrefix)) == source_part
    assert str(g.value(scheme, VANN.preferredNamespaceUri)) == A
    assert g.value(scheme, DCTERMS.creator) is not None
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(g.value(scheme, DCTERMS.modified)))
    assert set(pref(g, scheme)) >= set(LANGS)


# ---------------------------------------------------------------------------------------------------------------
# intrinsic rules


def test_gsbpm_has_8_phases_44_subprocesses_and_6_overarching_activities(gsbpm: Graph) -> None:
    assert len(of_kind(gsbpm, GSBPM, "phase")) == 8
    assert len(of_kind(gsbpm, GSBPM, "subProcess")) == 44
    assert len(of_kind(gsbpm, GSBPM, "overarchingActivity")) == 6
    assert concepts(gsbpm, GSBPM) == {SPP} | {
        c for k in ("phase", "subProcess", "overarchingActivity") for c in of_kind(gsbpm, GSBPM, k)
    }


def test_gamso_has_4_areas_and_17_activities(gamso: Graph) -> None:
    assert len(of_kind(gamso, GAMSO, "activityArea")) == 4
    assert len(of_kind(gamso, GAMSO, "activity")) == 17
    assert concepts(gamso, GAMSO) == {OFFICIAL_STATISTICS} | of_kind(gamso, GAMSO, "activityArea") | of_kind(
        gamso, GAMSO, "activity"
    )


@pytest.mark.parametrize("scheme", [GSBPM, GAMSO], ids=["gsbpm", "gamso"])
def test_every_concept_has_one_name_per_language_and_an_english_definition(
    schemes: dict[URIRef, Graph], scheme: URIRef
) -> None:
    g = schemes[scheme]
    for c in sorted(concepts(g, scheme)):
        names = pref(g, c)
        for lang in LANGS:
            assert len(names.get(lang, [])) == 1, f"{key(c)} needs one skos:prefLabel@{lang}, has {names.get(lang)}"
        definitions = [str(o) for o in g.objects(c, SKOS.definition) if isinstance(o, Literal) and o.language == "en"]
        assert len(definitions) == 1, f"{key(c)} needs one English definition"
        assert len(definitions[0].split()) >= 6, f"{key(c)}: definition too short"
        assert normal(definitions[0]) != normal(names["en"][0])


@pytest.mark.parametrize("scheme", [GSBPM, GAMSO], ids=["gsbpm", "gamso"])
def test_notations_are_unique_well_formed_and_match_the_iri(schemes: dict[URIRef, Graph], scheme: URIRef) -> None:
    g = schemes[scheme]
    items = concepts(g, scheme) - {SPP, OFFICIAL_STATISTICS}
    codes = [notation(g, c) for c in items]
    assert len(codes) == len(set(codes))
    for c in sorted(items):
        code = notation(g, c)
        assert re.fullmatch(NOTATION_RULES[kind(c)], code), f"{key(c)}: bad code {code!r}"
        assert str(c) == f"{A}{kind(c)}/{code}"
    pairs = [(kind(c), notation(g, c)) for c in items]
    assert len(pairs) == len(set(pairs))


@pytest.mark.parametrize(
    ("scheme", "child", "parent"),
    [(GSBPM, "subProcess", "phase"), (GAMSO, "activity", "activityArea")],
    ids=["gsbpm", "gamso"],
)
def test_every_item_has_one_broader_parent_whose_code_is_its_prefix(
    schemes: dict[URIRef, Graph], scheme: URIRef, child: str, parent: str
) -> None:
    g = schemes[scheme]
    for c in sorted(of_kind(g, scheme, child)):
        broader = [as_iri(o) for o in g.objects(c, SKOS.broader)]
        assert len(broader) == 1, f"{key(c)} has broader {broader}"
        assert kind(broader[0]) == parent
        assert notation(g, c).split(".")[0] == notation(g, broader[0])


@pytest.mark.parametrize(
    ("scheme", "top", "kinds"),
    [(GSBPM, SPP, ("phase", "overarchingActivity")), (GAMSO, OFFICIAL_STATISTICS, ("activityArea",))],
    ids=["gsbpm", "gamso"],
)
def test_top_concept_heads_the_hierarchy(
    schemes: dict[URIRef, Graph], scheme: URIRef, top: URIRef, kinds: tuple[str, ...]
) -> None:
    g = schemes[scheme]
    assert set(g.objects(scheme, SKOS.hasTopConcept)) == {top}
    assert set(g.subjects(SKOS.topConceptOf, scheme)) == {top}
    assert (top, SKOS.inScheme, scheme) in g
    assert not list(g.objects(top, SKOS.broader))
    for k in kinds:
        for c in of_kind(g, scheme, k):
            assert list(g.objects(c, SKOS.broader)) == [top], key(c)


@pytest.mark.parametrize("scheme", [GSBPM, GAMSO], ids=["gsbpm", "gamso"])
def test_narrower_is_the_inverse_of_broader_within_the_scheme(schemes: dict[URIRef, Graph], scheme: URIRef) -> None:
    g = schemes[scheme]
    down = set(g.subject_objects(SKOS.narrower))
    up = {(parent, child) for child, parent in g.subject_objects(SKOS.broader)}
    assert down == up
    members = concepts(g, scheme)
    assert {x for pair in down for x in pair} <= members


@pytest.mark.parametrize("scheme", [GSBPM, GAMSO], ids=["gsbpm", "gamso"])
def test_items_are_categories_not_activities(schemes: dict[URIRef, Graph], scheme: URIRef) -> None:
    """Typed with COOS category classes; never with a class under coos:Activity (those are activities that happen)."""
    g = schemes[scheme]
    coos = Graph().parse(COOS_FILE, format="turtle")
    activity_classes = {c for c in coos.subjects(MulPath(RDFS.subClassOf, "+"), COOS.Activity)} | {COOS.Activity}
    category_classes = {COOS.ActivityCategory, COOS.ActivityArea}
    for c in concepts(g, scheme):
        types = set(g.objects(c, RDF.type))
        assert SKOS.Concept in types and OWL.NamedIndividual in types, key(c)
        assert types & category_classes, key(c)
        assert not types & activity_classes, f"{key(c)} is typed as an activity"


# ---------------------------------------------------------------------------------------------------------------
# conformance to COOS


def reference_concepts(reference: Graph, scheme: URIRef) -> set[URIRef]:
    return concepts(reference, scheme)


@pytest.mark.parametrize("scheme", [GSBPM, GAMSO], ids=["gsbpm", "gamso"])
def test_iris_equal_coos_apart_from_the_added_overarching_processes(
    schemes: dict[URIRef, Graph], reference: Graph, scheme: URIRef
) -> None:
    ours = concepts(schemes[scheme], scheme)
    theirs = reference_concepts(reference, scheme)
    assert len(theirs) == (1 + 8 + 44 + 3 if scheme == GSBPM else 1 + 4 + 17)
    added = {URIRef(A + k) for k in ADDED_OVERARCHING} if scheme == GSBPM else set()
    assert ours == theirs | added
    assert not theirs & added


@pytest.mark.parametrize("scheme", [GSBPM, GAMSO], ids=["gsbpm", "gamso"])
def test_notations_equal_coos(schemes: dict[URIRef, Graph], reference: Graph, scheme: URIRef) -> None:
    g = schemes[scheme]
    for c in sorted(reference_concepts(reference, scheme)):
        assert notation(g, c) == notation(reference, c), key(c)


@pytest.mark.parametrize("scheme", [GSBPM, GAMSO], ids=["gsbpm", "gamso"])
def test_names_equal_coos_in_each_language_except_known_corrections(
    schemes: dict[URIRef, Graph], reference: Graph, scheme: URIRef
) -> None:
    """For an item GSBPM 5.2 renamed, COOS's (5.1) name must be the recorded 5.1 name instead."""
    g = schemes[scheme]
    renamed = renamed_in_52(g)
    problems = []
    for c in sorted(reference_concepts(reference, scheme)):
        ours, theirs = pref(g, c), pref(reference, c)
        if c in renamed:
            ours = {lang: [name] for lang, name in renamed[c].items()}
        for lang in LANGS:
            want = theirs.get(lang, [None])[0]
            correction = KNOWN_CORRECTIONS.get((key(c), lang))
            if correction is not None:
                assert want == correction[0], f"{key(c)}@{lang}: COOS now says {want!r}; update KNOWN_CORRECTIONS"
                want = correction[1]
            if ours.get(lang) != [want]:
                problems.append(f"{key(c)}@{lang}: {ours.get(lang)} != {want!r}")
    assert not problems, "\n".join(problems)


def test_every_known_correction_names_an_existing_item(gsbpm: Graph, gamso: Graph) -> None:
    both = gsbpm + gamso
    for item, lang in KNOWN_CORRECTIONS:
        assert (URIRef(A + item), RDF.type, SKOS.Concept) in both, item
        assert lang in LANGS


def test_corrected_coos_names_stay_as_alternative_or_hidden_labels(gsbpm: Graph, gamso: Graph) -> None:
    both = gsbpm + gamso
    for (item, lang), (theirs, _) in KNOWN_CORRECTIONS.items():
        if theirs is None:
            continue
        kept = {
            str(o)
            for p in (SKOS.altLabel, SKOS.hiddenLabel)
            for o in both.objects(URIRef(A + item), p)
            if isinstance(o, Literal) and o.language == lang
        }
        assert theirs in kept, f"{item}@{lang}: COOS name {theirs!r} is lost"


def test_subprocess_3_2_has_its_official_name_and_the_coos_short_name_as_alternative(gsbpm: Graph) -> None:
    sp = URIRef(A + "subProcess/3.2")
    assert pref(gsbpm, sp)["en"] == ["Reuse or build processing and analysis components"]
    assert Literal("Reuse or build analysis components", lang="en") in set(gsbpm.objects(sp, SKOS.altLabel))


def test_the_three_coos_overarching_processes_are_present_with_equal_names(gsbpm: Graph, reference: Graph) -> None:
    theirs = {c for c in reference_concepts(reference, GSBPM) if kind(c) == "overarchingActivity"}
    assert {key(c) for c in theirs} == {"overarchingActivity/0.1", "overarchingActivity/0.2", "overarchingActivity/0.3"}
    for c in theirs:
        assert pref(gsbpm, c) == pref(reference, c), key(c)
        assert notation(gsbpm, c) == notation(reference, c)


def test_the_added_overarching_processes_have_their_gsbpm_names(gsbpm: Graph) -> None:
    for item, names in ADDED_OVERARCHING.items():
        c = URIRef(A + item)
        assert {lang: v[0] for lang, v in pref(gsbpm, c).items()} == names
        assert notation(gsbpm, c) == item.rsplit("/", 1)[1]
        assert set(gsbpm.objects(c, RDF.type)) == set(gsbpm.objects(URIRef(A + "overarchingActivity/0.2"), RDF.type))


@pytest.mark.parametrize("scheme", [GSBPM, GAMSO], ids=["gsbpm", "gamso"])
def test_broader_links_and_types_equal_coos(schemes: dict[URIRef, Graph], reference: Graph, scheme: URIRef) -> None:
    g = schemes[scheme]
    for c in sorted(reference_concepts(reference, scheme)):
        assert set(g.objects(c, SKOS.broader)) == set(reference.objects(c, SKOS.broader)), key(c)
        assert set(g.objects(c, RDF.type)) - {OWL.NamedIndividual} == set(reference.objects(c, RDF.type)), key(c)


def test_coos_links_between_gsbpm_and_gamso_are_kept(gsbpm: Graph, gamso: Graph, reference: Graph) -> None:
    both = gsbpm + gamso
    items = reference_concepts(reference, GSBPM) | reference_concepts(reference, GAMSO)
    links = [
        (s, p, o)
        for p in (COOS.uses, COOS.supports, SKOS.exactMatch, SKOS.related)
        for s, o in reference.subject_objects(p)
        if s in items
    ]
    assert len(links) >= 4
    for triple in links:
        assert triple in both, triple
    assert (GSBPM, DCTERMS.isPartOf, GAMSO) in gsbpm
    assert (GAMSO, DCTERMS.hasPart, GSBPM) in gamso


# ---------------------------------------------------------------------------------------------------------------
# links to GSBPM 5.0


def test_phases_and_subprocesses_link_to_gsbpm_50_exactly_when_the_name_is_unchanged(
    gsbpm: Graph, gsbpm50: Graph
) -> None:
    old_names = {
        str(gsbpm50.value(s, SKOS.notation)): str(gsbpm50.value(s, SKOS.prefLabel))
        for s in gsbpm50.subjects(SKOS.notation, None)
    }
    assert len(old_names) == 52
    for c in sorted(of_kind(gsbpm, GSBPM, "phase") | of_kind(gsbpm, GSBPM, "subProcess")):
        code = notation(gsbpm, c)
        old = URIRef(GSBPM50 + code)
        assert (old, SKOS.notation, Literal(code)) in gsbpm50, f"no 5.0 item {code}"
        links = [
            (p, o)
            for p in (SKOS.exactMatch, SKOS.closeMatch)
            for o in gsbpm.objects(c, p)
            if str(o).startswith(GSBPM50)
        ]
        name_51 = renamed_in_52(gsbpm).get(c, {}).get("en") or pref(gsbpm, c)["en"][0]
        same = old_names[code].lower() == name_51.lower()
        assert links == [(SKOS.exactMatch if same else SKOS.closeMatch, old)], f"{code}: {links}"


def test_top_concept_links_to_gsbpm_50_top(gsbpm: Graph, gsbpm50: Graph) -> None:
    old = URIRef(GSBPM50 + "StatisticalProductionProcess")
    assert any(gsbpm50.triples((old, None, None)))
    assert (SPP, SKOS.exactMatch, old) in gsbpm


# ---------------------------------------------------------------------------------------------------------------
# our own words


def descriptions(g: Graph, item: URIRef) -> list[str]:
    """Descriptive texts (not names) of an item."""
    return [str(o) for p in (SKOS.definition, RDFS.comment, SKOS.scopeNote, SKOS.note) for o in g.objects(item, p)]


def test_gsbpm_definitions_are_not_copies_of_official_or_coos_text(
    gsbpm: Graph, gsbpm50: Graph, gsbpm52: Gsbpm52, reference: Graph
) -> None:
    official = [str(o) for o in gsbpm50.objects(None, SKOS.definition)] + list(gsbpm52.paragraphs.values())
    assert len(official) >= 50 + 140
    problems = []
    for c in sorted(concepts(gsbpm, GSBPM)):
        coos_texts = descriptions(reference, c)
        for d in gsbpm.objects(c, SKOS.definition):
            for text in copied(str(d), official + coos_texts):
                problems.append(f"{key(c)}: {str(d)!r} repeats {text[:80]!r}")
    assert not problems, "\n".join(problems)


def test_gamso_definitions_are_not_copies_of_coos_text(gamso: Graph, reference: Graph) -> None:
    problems = []
    for c in sorted(concepts(gamso, GAMSO)):
        coos_texts = descriptions(reference, c)
        for d in gamso.objects(c, SKOS.definition):
            problems += [f"{key(c)} repeats {t!r}" for t in copied(str(d), coos_texts)]
    assert not problems, "\n".join(problems)


def test_definitions_differ_from_each_other(gsbpm: Graph, gamso: Graph) -> None:
    texts = [normal(str(o)) for g in (gsbpm, gamso) for o in g.objects(None, SKOS.definition)]
    assert len(texts) == len(set(texts))


def test_copy_detector_catches_pasted_and_lightly_edited_text(gsbpm50: Graph) -> None:
    text = str(gsbpm50.value(URIRef(GSBPM50 + "5.3"), SKOS.definition))
    assert copied("In short: " + text, [text])
    words = text.split()
    words[3] = "EDITED"
    assert copied(" ".join(words[:20]), [text])
    assert not copied("Check the data for likely errors and flag what needs attention.", [text])


# ---------------------------------------------------------------------------------------------------------------
# OWL 2 DL


def test_coos_gsbpm_and_gamso_together_are_consistent_under_hermit(gsbpm: Graph, gamso: Graph, tmp_path: Path) -> None:
    assert hermit_consistent(Graph().parse(COOS_FILE, format="turtle") + gsbpm + gamso, tmp_path)


def test_hermit_sees_the_concepts_as_individuals(gsbpm: Graph, tmp_path: Path) -> None:
    """A clash on a GSBPM concept must be found, so the reasoner really checks the concepts."""
    broken = Graph().parse(COOS_FILE, format="turtle") + gsbpm
    sp = URIRef(A + "subProcess/5.3")
    broken.add((sp, RDF.type, COOS.NationalStatisticalInstitute))
    broken.add((sp, RDF.type, COOS.InternationalAgency))
    assert not hermit_consistent(broken, tmp_path)
