"""Content checks for ontology/coos.ttl: the classes and object properties of COOS 0.10.

Expected facts (term IRIs, counts, hierarchy, domains, ranges, names) come from the COOS reference file read in place,
never from the file under test; the only hand-written expectations are the known counts and the name corrections.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, SKOS
from rdflib.term import Node

from conftest import ONTOLOGY_DIR, hermit_consistent, language_of

COOS_FILE = ONTOLOGY_DIR / "coos.ttl"
COOS = Namespace("http://id.unece.org/def/coos#")
COOS_ONTOLOGY = URIRef("http://id.unece.org/def/coos")
VANN = Namespace("http://purl.org/vocab/vann/")
ACTIVITIES_NS = "http://id.unece.org/activities/"

KNOWN_CLASS_COUNT = 30
KNOWN_OBJECT_PROPERTY_COUNT = 7

# Names we deliberately differ on from COOS 0.10: (local name, language) -> (COOS values, our values).
KNOWN_CORRECTIONS: dict[tuple[str, str], tuple[frozenset[str], frozenset[str]]] = {
    ("StatisticalActivity", "es"): (frozenset({"Actividad estadítstica"}), frozenset({"Actividad estadística"})),
    ("StatisticalOrganization", "fr"): (
        frozenset({"Organization statistique"}),
        frozenset({"Organisation statistique"}),
    ),
    ("GraphDataset", "es"): (frozenset({"Conjunto de datos del grapho"}), frozenset({"Conjunto de datos del grafo"})),
    ("RectangularDataset", "es"): (
        frozenset({"Conjunto de datos rectángular"}),
        frozenset({"Conjunto de datos rectangular"}),
    ),
    ("uses", "es"): (frozenset({"usos"}), frozenset({"usa"})),
    ("supports", "es"): (frozenset({"soportes"}), frozenset({"soporta"})),
    ("metadataFor", "es"): (frozenset({"metadatos por"}), frozenset({"metadatos para"})),
    # COOS tags the Spanish name of the scheme @en.
    ("productPresentations", "en"): (
        frozenset({"Product presentations", "Presentaciones de producto"}),
        frozenset({"Product presentations"}),
    ),
    ("productPresentations", "es"): (frozenset(), frozenset({"Presentaciones de producto"})),
}

SHARED_WORDS = 6  # a run of this many words shared with the COOS text of the same term counts as copying


# ---------------------------------------------------------------------------------------------------------------
# reading the file and the reference


@pytest.fixture(scope="module")
def coos() -> Graph:
    assert COOS_FILE.is_file(), f"{COOS_FILE.name} is missing"
    return Graph().parse(COOS_FILE, format="turtle")


@pytest.fixture(scope="module")
def reference(reference_dir: Path) -> Graph:
    return Graph().parse(reference_dir / "coos" / "coos.ttl", format="turtle")


def named(g: Graph, rdf_type: URIRef) -> set[URIRef]:
    """IRIs in the COOS namespace typed `rdf_type`."""
    return {s for s in g.subjects(RDF.type, rdf_type) if isinstance(s, URIRef) and s.startswith(COOS)}


def terms(g: Graph) -> set[URIRef]:
    return named(g, OWL.Class) | named(g, OWL.ObjectProperty)


def local(iri: Node) -> str:
    return str(iri).split("#", 1)[1]


def names(g: Graph, term: Node) -> dict[str, set[str]]:
    """Language -> names of a term, from rdfs:label and skos:prefLabel (COOS uses both)."""
    out: dict[str, set[str]] = {}
    for p in (RDFS.label, SKOS.prefLabel):
        for o in g.objects(term, p):
            if isinstance(o, Literal) and o.language:
                out.setdefault(o.language, set()).add(str(o))
    return out


def named_pairs(g: Graph, p: URIRef) -> set[tuple[URIRef, URIRef]]:
    """(COOS term, named object) pairs of a property."""
    return {
        (s, o) for s, o in g.subject_objects(p) if isinstance(s, URIRef) and s in terms(g) and isinstance(o, URIRef)
    }


def normal(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def word_runs(text: str, n: int) -> set[tuple[str, ...]]:
    words = normal(text).split()
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


# ---------------------------------------------------------------------------------------------------------------
# header


def test_header_has_version_licence_rights_source_and_namespace(coos: Graph) -> None:
    o = COOS_ONTOLOGY
    assert (o, RDF.type, OWL.Ontology) in coos
    assert str(coos.value(o, OWL.versionInfo)) == "0.10"
    assert coos.value(o, OWL.versionIRI) == URIRef("http://id.unece.org/def/coos/0.10")
    assert coos.value(o, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert "UNECE" in str(coos.value(o, DCTERMS.rights))
    assert URIRef("https://github.com/linked-statistics/COOS") in set(coos.objects(o, DCTERMS.source))
    assert str(coos.value(o, VANN.preferredNamespacePrefix)) == "coos"
    assert str(coos.value(o, VANN.preferredNamespaceUri)) == str(COOS)
    assert coos.value(o, DCTERMS.creator) is not None
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(coos.value(o, DCTERMS.modified)))
    assert {language_of(t) for t in coos.objects(o, DCTERMS.title)} >= {"en", "fr", "es"}


# ---------------------------------------------------------------------------------------------------------------
# the same terms, hierarchy, domains and ranges as COOS


def test_class_count_equals_reference_and_known_count(coos: Graph, reference: Graph) -> None:
    assert len(named(reference, OWL.Class)) == KNOWN_CLASS_COUNT
    assert len(named(coos, OWL.Class)) == len(named(reference, OWL.Class)) == KNOWN_CLASS_COUNT


def test_object_property_count_equals_reference_and_known_count(coos: Graph, reference: Graph) -> None:
    assert len(named(reference, OWL.ObjectProperty)) == KNOWN_OBJECT_PROPERTY_COUNT
    assert len(named(coos, OWL.ObjectProperty)) == len(named(reference, OWL.ObjectProperty))


def test_class_and_property_iris_equal_reference(coos: Graph, reference: Graph) -> None:
    assert named(coos, OWL.Class) == named(reference, OWL.Class)
    assert named(coos, OWL.ObjectProperty) == named(reference, OWL.ObjectProperty)


def test_no_other_properties_in_coos_namespace(coos: Graph) -> None:
    for kind in (OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property):
        assert named(coos, kind) == set(), f"unexpected {kind} in the COOS namespace"


@pytest.mark.parametrize(
    "prop", [RDFS.subClassOf, RDFS.domain, RDFS.range, OWL.inverseOf, OWL.disjointWith], ids=lambda p: p.n3()
)
def test_axioms_between_named_terms_equal_reference(coos: Graph, reference: Graph, prop: URIRef) -> None:
    ours, theirs = named_pairs(coos, prop), named_pairs(reference, prop)
    assert ours == theirs, f"missing {sorted(theirs - ours)}; extra {sorted(ours - theirs)}"


def test_hierarchy_reaches_the_expected_roots(coos: Graph) -> None:
    """Spot checks on the closure: activities are PROV activities, categories are SKOS concepts."""
    supers = set(coos.transitive_objects(COOS.SubProcess, RDFS.subClassOf))
    assert {COOS.ProductionActivity, COOS.StatisticalActivity, COOS.Activity} <= supers
    assert URIRef("http://www.w3.org/ns/prov#Activity") in supers
    assert SKOS.Concept in set(coos.transitive_objects(COOS.ActivityCategory, RDFS.subClassOf))
    assert COOS.Dataset in set(coos.transitive_objects(COOS.DimensionalDataset, RDFS.subClassOf))


def test_code_lists_have_the_reference_members(coos: Graph, reference: Graph) -> None:
    for scheme, cls in (
        (COOS.productPresentations, COOS.ProductPresentation),
        (COOS.productContents, COOS.ProductContent),
    ):
        expected = set(reference.subjects(SKOS.inScheme, scheme))
        assert len(expected) >= 4
        assert set(coos.subjects(SKOS.inScheme, scheme)) == expected
        assert set(coos.objects(scheme, SKOS.hasTopConcept)) == expected
        assert {s for s in coos.subjects(RDF.type, cls)} == expected
        one_of = [coos.value(b, OWL.oneOf) for b in coos.objects(cls, OWL.equivalentClass) if isinstance(b, BNode)]
        assert len(one_of) == 1 and one_of[0] is not None
        from rdflib.collection import Collection

        assert set(Collection(coos, one_of[0])) == expected


# ---------------------------------------------------------------------------------------------------------------
# names


def test_names_equal_reference_except_known_corrections(coos: Graph, reference: Graph) -> None:
    subjects = terms(reference) | {
        s for s in reference.subjects(SKOS.inScheme, None) if isinstance(s, URIRef) and s.startswith(COOS)
    }
    subjects |= {
        s for s in reference.subjects(RDF.type, SKOS.ConceptScheme) if isinstance(s, URIRef) and s.startswith(COOS)
    }
    problems = []
    for term in sorted(subjects):
        ours, theirs = names(coos, term), names(reference, term)
        for lang in sorted(set(ours) | set(theirs) | {"en"}):
            got, want = ours.get(lang, set()), theirs.get(lang, set())
            correction = KNOWN_CORRECTIONS.get((local(term), lang))
            if correction is not None:
                assert want == correction[0], f"{local(term)}@{lang}: COOS no longer says {set(correction[0])}"
                want = set(correction[1])
            if got != want:
                problems.append(f"{local(term)}@{lang}: {sorted(got)} != {sorted(want)}")
    assert not problems, "\n".join(problems)


def test_every_correction_is_used(coos: Graph) -> None:
    for (name, lang), (_, ours) in KNOWN_CORRECTIONS.items():
        assert names(coos, COOS[name]).get(lang, set()) == set(ours), f"{name}@{lang}"


def test_corrected_coos_spellings_stay_findable_as_hidden_labels(coos: Graph) -> None:
    for (name, lang), (theirs, _) in KNOWN_CORRECTIONS.items():
        all_names = {n for values in names(coos, COOS[name]).values() for n in values}
        hidden = {
            str(o) for o in coos.objects(COOS[name], SKOS.hiddenLabel) if isinstance(o, Literal) and o.language == lang
        }
        for value in theirs - all_names:
            assert value in hidden, f"{name}: COOS spelling {value!r} should be a skos:hiddenLabel@{lang}"


def test_every_class_and_property_has_english_label_definition_and_comment(coos: Graph) -> None:
    for term in sorted(terms(coos)):
        for p in (RDFS.label, SKOS.definition, RDFS.comment):
            english = [o for o in coos.objects(term, p) if isinstance(o, Literal) and o.language == "en"]
            assert len(english) == 1, f"{local(term)} needs exactly one English {p.n3()}"
            assert len(str(english[0]).split()) >= 3 or p == RDFS.label, f"{local(term)}: {p.n3()} is too short"
        assert (term, RDFS.isDefinedBy, COOS_ONTOLOGY) in coos


def test_code_list_concepts_have_names_in_three_languages_and_a_definition(coos: Graph) -> None:
    for scheme in (COOS.productPresentations, COOS.productContents):
        for concept in set(coos.subjects(SKOS.inScheme, scheme)) | {scheme}:
            assert set(names(coos, concept)) >= {"en", "fr", "es"}, local(concept)
            assert any(isinstance(o, Literal) and o.language == "en" for o in coos.objects(concept, SKOS.definition)), (
                local(concept)
            )


# ---------------------------------------------------------------------------------------------------------------
# our own words


def reference_texts(reference: Graph, term: URIRef) -> list[str]:
    return [
        str(o)
        for p in (SKOS.definition, RDFS.comment, SKOS.scopeNote)
        for o in reference.objects(term, p)
        if isinstance(o, Literal)
    ]


def copies(g: Graph, reference: Graph) -> list[str]:
    """Definitions, comments and notes of COOS terms in `g` that repeat the COOS text of the same term."""
    problems = []
    for term in sorted({s for s in g.subjects() if isinstance(s, URIRef) and s.startswith(COOS)}):
        theirs = reference_texts(reference, term)
        for p in (SKOS.definition, RDFS.comment, SKOS.scopeNote):
            for ours in g.objects(term, p):
                mine = normal(str(ours))
                for text in theirs:
                    other = normal(text)
                    if other and (other in mine or mine in other):
                        problems.append(f"{local(term)} {p.n3()} repeats COOS: {text!r}")
                    elif word_runs(str(ours), SHARED_WORDS) & word_runs(text, SHARED_WORDS):
                        problems.append(f"{local(term)} {p.n3()} shares {SHARED_WORDS} words in a row with {text!r}")
    return problems


def test_definitions_and_comments_are_not_copies_of_coos_text(coos: Graph, reference: Graph) -> None:
    problems = copies(coos, reference)
    assert not problems, "\n".join(problems)


def test_copy_detector_catches_pasted_and_lightly_edited_text(reference: Graph) -> None:
    text = reference_texts(reference, COOS.NationalStatisticalInstitute)[0]
    pasted = Graph()
    pasted.add((COOS.NationalStatisticalInstitute, SKOS.definition, Literal("In short: " + text, lang="en")))
    assert copies(pasted, reference)
    edited = Graph()
    words = text.split()
    words[len(words) // 2] = "EDITED"
    edited.add((COOS.NationalStatisticalInstitute, RDFS.comment, Literal(" ".join(words), lang="en")))
    assert copies(edited, reference)


# ---------------------------------------------------------------------------------------------------------------
# no dangling IRIs, no instances of other schemes, OWL 2 DL


def coos_iris_in(g: Graph) -> set[URIRef]:
    return {
        x for triple in g for x in triple if isinstance(x, URIRef) and x.startswith(COOS) and x != URIRef(str(COOS))
    }


def test_every_coos_iri_used_in_any_ontology_file_is_declared_in_coos_ttl(coos: Graph) -> None:
    declared = {s for s in coos.subjects(RDF.type, None) if isinstance(s, URIRef) and s.startswith(COOS)}
    files = sorted(ONTOLOGY_DIR.glob("*.ttl"))
    assert COOS_FILE in files
    dangling = {
        f"{path.name}: {iri}"
        for path in files
        for iri in coos_iris_in(Graph().parse(path, format="turtle"))
        if iri not in declared
    }
    assert not dangling, "\n".join(sorted(dangling))


def test_coos_ttl_holds_no_gsbpm_or_gamso_concepts(coos: Graph) -> None:
    assert not [s for s in coos.subjects() if isinstance(s, URIRef) and s.startswith(ACTIVITIES_NS)]


def test_only_owl_declarations_and_no_malformed_restrictions(coos: Graph) -> None:
    assert not set(coos.subjects(RDF.type, RDFS.Class))
    assert not set(coos.subjects(RDF.type, RDF.Property))
    for restriction in coos.subjects(RDF.type, OWL.Restriction):
        assert len(set(coos.objects(restriction, OWL.hasValue))) <= 1


def test_every_external_class_and_property_used_is_declared(coos: Graph) -> None:
    """OWL 2 DL needs a declaration for every entity; the file declares the external ones itself."""
    classes = set(coos.subjects(RDF.type, OWL.Class))
    used_classes: set[Node] = {o for o in coos.objects(None, RDFS.subClassOf) if isinstance(o, URIRef)}
    used_classes |= {o for p in (RDFS.domain, RDFS.range) for o in coos.objects(None, p)}
    used_classes |= {o for s, o in coos.subject_objects(RDF.type) if isinstance(o, URIRef) and o.startswith(COOS)}
    assert used_classes <= classes, sorted(map(str, used_classes - classes))
    properties = {s for t in (OWL.ObjectProperty, OWL.AnnotationProperty) for s in coos.subjects(RDF.type, t)}
    builtin = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#", str(OWL))
    used_properties = {p for p in coos.predicates() if not str(p).startswith(builtin)}
    assert used_properties <= properties, sorted(map(str, used_properties - properties))


def test_coos_is_consistent_under_hermit(coos: Graph, tmp_path: Path) -> None:
    assert hermit_consistent(coos, tmp_path)


def test_hermit_catches_an_institute_that_is_also_an_international_agency(coos: Graph, tmp_path: Path) -> None:
    broken = Graph()
    for triple in coos:
        broken.add(triple)
    odd = URIRef("http://id.unece.org/organizations/example")
    broken.add((odd, RDF.type, OWL.NamedIndividual))
    broken.add((odd, RDF.type, COOS.NationalStatisticalInstitute))
    broken.add((odd, RDF.type, COOS.InternationalAgency))
    assert not hermit_consistent(broken, tmp_path)
