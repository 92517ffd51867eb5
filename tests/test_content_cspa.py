"""Content checks for ontology/cspa.ttl: the CSPA 2.0 service model and its service catalogue.

Expected facts come from the reference data read in place (the Model Explorer `cspa-services` graph, the COOS GSBPM
sub-processes, the official GSIM 2.0 class list and change log), never from the file under test.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import openpyxl
import pytest
from rdflib import RDF, RDFS, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, SKOS
from rdflib.term import Node

from conftest import ONTOLOGY_DIR, as_iri, hermit_consistent

CSPA_FILE = ONTOLOGY_DIR / "cspa.ttl"
CSPA = Namespace("http://id.unece.org/def/cspa#")
CSPA_ONTOLOGY = URIRef("http://id.unece.org/def/cspa")
GSIM_NS = "http://id.unece.org/def/gsim#"
SUBPROCESS_IRI = re.compile(r"^http://id\.unece\.org/activities/subProcess/[1-8]\.[1-9]$")
SERVICE_IRI = re.compile(r"^http://id\.unece\.org/services/statisticalService/[a-z][A-Za-z0-9]*$")

OLD_CSPA = Namespace("http://rdf.unece.org/models/cspa#")
OLD_GSIM_NS = "http://rdf.unece.org/models/gsim#"
SERVICES_GRAPH = URIRef("http://stamina-project.org/graphs/cspa-services")

DECLARATION_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.Ontology}


# ---------------------------------------------------------------------------------------------------------------
# reading the file and the reference data


@pytest.fixture(scope="module")
def cspa() -> Graph:
    assert CSPA_FILE.is_file(), f"{CSPA_FILE.name} is missing"
    return Graph().parse(CSPA_FILE, format="turtle")


def upper_camel(name: str) -> str:
    """UpperCamelCase of an official name, non-alphanumerics dropped ("Data Set" -> "DataSet")."""
    words = re.split(r"[^A-Za-z0-9]+", name)
    return "".join(w[:1].upper() + w[1:] for w in words if w)


def lower_camel(name: str) -> str:
    camel = upper_camel(name)
    return camel[:1].lower() + camel[1:]


@cache
def gsim2_names(reference_dir: Path) -> dict[str, str]:
    """Local name -> official name of every GSIM 2.0 class (the `### ` headings of the official list)."""
    text = (reference_dir / "gsim-2.0" / "gsim-2.0-classes.md").read_text(encoding="utf-8")
    names = [m.group(1).strip().strip("*").strip() for m in re.finditer(r"^### (.+)$", text, re.MULTILINE)]
    return {upper_camel(n): n for n in names}


@cache
def gsim_successors(reference_dir: Path) -> dict[str, str]:
    """Older GSIM class name (UpperCamel) -> its GSIM 2.0 successor, read from the official change log.

    Renames ("Rename to X", 'Change name to "X"') and removed sub-classes ("Remove sub-classes (A, B)" on class X:
    A and B fold into X) both count.
    """
    book = openpyxl.load_workbook(reference_dir / "gsim-2.0" / "gsim-change-log-1.2-to-2.0.xlsx", read_only=True)
    successors: dict[str, str] = {}
    current: str | None = None
    for row in book.worksheets[0].iter_rows(values_only=True):
        obj, change_type, change = (*row, None, None, None)[1:4]
        if obj:
            current = str(obj).strip()
        if not current or not change_type:
            continue
        change = str(change or "")
        if str(change_type).strip() == "Rename":
            match = re.search(r"(?:Rename to|Change name to)\s+\"?([^\"]+?)\"?\s*$", change)
            if match:
                successors[upper_camel(current)] = upper_camel(match.group(1))
        match = re.search(r"Remove sub-classes \(([^)]*)\)", change)
        if match:
            for sub in match.group(1).split(","):
                successors[upper_camel(sub.strip())] = upper_camel(current)
    return successors


def to_gsim2(old_local: str, reference_dir: Path) -> str:
    """The GSIM 2.0 local name for a class of an older GSIM version."""
    current = gsim2_names(reference_dir)
    name = old_local
    for _ in range(5):
        if name in current:
            return name
        name = gsim_successors(reference_dir).get(name, name)
    raise AssertionError(f"no GSIM 2.0 successor found for the older class {old_local}")


@cache
def reference_services(reference_dir: Path) -> dict[str, dict[str, set[str]]]:
    """Label -> {"subprocesses": codes, "inputs": old GSIM names, "outputs": ...} from the Model Explorer graph."""
    ds = Dataset()
    ds.parse(data=(reference_dir / "stamina" / "models.trig").read_text(encoding="utf-8"), format="trig")
    g = ds.graph(SERVICES_GRAPH)
    services: dict[str, dict[str, set[str]]] = {}
    for service, label in g.subject_objects(OLD_CSPA.label):
        facts: dict[str, set[str]] = {"subprocesses": set(), "inputs": set(), "outputs": set(), "iri": {str(service)}}
        for definition in g.objects(service, OLD_CSPA.hasPackageDefinition):
            for function in g.objects(definition, OLD_CSPA.aimsAt):
                for sp in g.objects(function, OLD_CSPA.gsbpmSubProcess):
                    facts["subprocesses"].add(str(sp).rsplit("/", 1)[-1])
            for node in g.objects(definition, OLD_CSPA.definitionHasInput):
                facts["inputs"].update(str(c).removeprefix(OLD_GSIM_NS) for c in g.objects(node, OLD_CSPA.gsimInput))
            for node in g.objects(definition, OLD_CSPA.definitionHasOutput):
                facts["outputs"].update(str(c).removeprefix(OLD_GSIM_NS) for c in g.objects(node, OLD_CSPA.gsimOutput))
        services[str(label).strip()] = facts
    return services


@cache
def coos_subprocess_codes(reference_dir: Path) -> set[str]:
    coos = Graph().parse(reference_dir / "coos" / "coos.ttl", format="turtle")
    return {
        str(code)
        for sp, code in coos.subject_objects(SKOS.notation)
        if str(sp).startswith("http://id.unece.org/activities/subProcess/")
    }


def services(g: Graph) -> list[URIRef]:
    return sorted(s for s in g.subjects(RDF.type, CSPA.StatisticalService) if isinstance(s, URIRef))


def english(g: Graph, s: Node, *props: URIRef) -> list[str]:
    return [str(o) for p in props for o in g.objects(s, p) if isinstance(o, Literal) and o.language == "en" and str(o)]


def service_by_label(g: Graph) -> dict[str, URIRef]:
    return {str(label): s for s in services(g) for label in g.objects(s, RDFS.label)}


def service_named(g: Graph, label: str) -> URIRef:
    found = service_by_label(g).get(label)
    assert found is not None, f"no service labelled {label!r}"
    return found


# ---------------------------------------------------------------------------------------------------------------
# the ontology header


def test_header_declares_version_licence_source_and_namespace(cspa: Graph) -> None:
    o = CSPA_ONTOLOGY
    assert (o, RDF.type, OWL.Ontology) in cspa
    assert str(cspa.value(o, OWL.versionInfo)) == "2.0"
    assert cspa.value(o, OWL.versionIRI) == URIRef("http://id.unece.org/def/cspa/2.0")
    assert cspa.value(o, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert "UNECE" in str(cspa.value(o, DCTERMS.rights))
    assert english(cspa, o, DCTERMS.title)
    sources = {str(s) for s in cspa.objects(o, DCTERMS.source)}
    assert any(s.startswith("https://statswiki.unece.org/") and "CSPA" in s for s in sources)
    vann = Namespace("http://purl.org/vocab/vann/")
    assert str(cspa.value(o, vann.preferredNamespacePrefix)) == "cspa"
    assert str(cspa.value(o, vann.preferredNamespaceUri)) == str(CSPA)
    assert cspa.value(o, DCTERMS.creator) is not None
    assert cspa.value(o, DCTERMS.modified) is not None


# ---------------------------------------------------------------------------------------------------------------
# the model


def test_model_has_the_core_classes_and_properties(cspa: Graph) -> None:
    for cls in (
        "StatisticalService",
        "ServiceDefinition",
        "ServiceSpecification",
        "ServiceImplementationDescription",
        "Role",
    ):
        assert (CSPA[cls], RDF.type, OWL.Class) in cspa, cls
    for prop in ("supportsSubProcess", "hasInput", "hasOutput", "implementedBy", "specifiedBy", "hasDefinition"):
        assert (CSPA[prop], RDF.type, OWL.ObjectProperty) in cspa, prop


def test_description_levels_are_disjoint_and_chained(cspa: Graph) -> None:
    union = cspa.value(CSPA.ServiceDescription, OWL.disjointUnionOf)
    assert union is not None, "cspa:ServiceDescription is no disjoint union"
    members = set(cspa.items(union))
    assert members == {CSPA.ServiceDefinition, CSPA.ServiceSpecification, CSPA.ServiceImplementationDescription}
    assert cspa.value(CSPA.specifiedBy, RDFS.domain) == CSPA.ServiceDefinition
    assert cspa.value(CSPA.specifiedBy, RDFS.range) == CSPA.ServiceSpecification
    assert cspa.value(CSPA.implementedBy, RDFS.domain) == CSPA.ServiceSpecification
    assert cspa.value(CSPA.implementedBy, RDFS.range) == CSPA.ServiceImplementationDescription


def test_every_class_and_property_has_an_english_label_and_definition(cspa: Graph) -> None:
    terms = {s for t in DECLARATION_TYPES - {OWL.Ontology} for s in cspa.subjects(RDF.type, t)}
    own = sorted(t for t in terms if isinstance(t, URIRef) and t.startswith(str(CSPA)))
    assert own, "no cspa: terms declared"
    missing = [str(t) for t in own if not english(cspa, t, RDFS.label) or not english(cspa, t, SKOS.definition)]
    assert not missing, f"terms without @en label or skos:definition: {missing}"


def test_every_role_and_level_individual_has_an_english_label_and_definition(cspa: Graph) -> None:
    individuals = [*cspa.subjects(RDF.type, CSPA.Role), *cspa.subjects(RDF.type, CSPA.DescriptionLevel)]
    assert len(set(cspa.subjects(RDF.type, CSPA.Role))) >= 5
    assert set(cspa.subjects(RDF.type, CSPA.DescriptionLevel)) == {
        CSPA.definitionLevel,
        CSPA.specificationLevel,
        CSPA.implementationLevel,
    }
    missing = [str(i) for i in individuals if not english(cspa, i, RDFS.label) or not english(cspa, i, SKOS.definition)]
    assert not missing, f"without @en label or definition: {missing}"


def test_no_cspa_iri_is_used_without_being_declared(cspa: Graph) -> None:
    declared_classes = {c for c in cspa.subjects(RDF.type, OWL.Class)}
    declared = {s for t in DECLARATION_TYPES for s in cspa.subjects(RDF.type, t)}
    declared |= {s for c in declared_classes for s in cspa.subjects(RDF.type, c)}
    used = {term for triple in cspa for term in triple if isinstance(term, URIRef) and str(term).startswith(str(CSPA))}
    undeclared = sorted(str(t) for t in used - declared)
    assert not undeclared, f"cspa: IRIs used but not declared: {undeclared}"


def test_model_and_catalogue_are_consistent_under_hermit(cspa: Graph, tmp_path: Path) -> None:
    assert hermit_consistent(cspa, tmp_path)


def test_hermit_catches_a_description_on_two_levels(cspa: Graph, tmp_path: Path) -> None:
    broken = Graph()
    for triple in cspa:
        broken.add(triple)
    description = next(iter(cspa.subjects(RDF.type, CSPA.ServiceDefinition)))
    broken.add((description, RDF.type, CSPA.ServiceSpecification))
    assert not hermit_consistent(broken, tmp_path), "the three description levels must be disjoint"


def test_alignment_links_to_the_draft_ontology_point_at_real_terms(cspa: Graph, reference_dir: Path) -> None:
    draft = Graph().parse(reference_dir / "stamina" / "cspa-ontology.ttl", format="turtle")
    draft_terms = {s for s in draft.subjects(RDF.type, None) if str(s).startswith(str(OLD_CSPA))}
    links = [
        (s, o)
        for p in (SKOS.exactMatch, SKOS.closeMatch)
        for s, o in cspa.subject_objects(p)
        if str(o).startswith(str(OLD_CSPA))
    ]
    assert links, "no alignment to the draft CSPA ontology"
    fake = [f"{s} -> {o}" for s, o in links if o not in draft_terms]
    assert not fake, f"links to terms the draft does not declare: {fake}"


# ---------------------------------------------------------------------------------------------------------------
# the catalogue


def test_every_service_has_a_policy_iri_an_english_label_and_a_description(cspa: Graph) -> None:
    found = services(cspa)
    assert found, "no statistical services"
    for s in found:
        assert SERVICE_IRI.match(str(s)), f"{s} does not follow the URI policy"
        labels = english(cspa, s, RDFS.label)
        assert len(labels) == 1, f"{s}: expected one @en label, got {labels}"
        assert str(s).rsplit("/", 1)[-1] == lower_camel(labels[0]), f"{s}: identifier is not lowerCamel of its name"
        assert english(cspa, s, DCTERMS.description, SKOS.definition), f"{s} has no @en description"


def test_every_service_supports_an_existing_gsbpm_subprocess(cspa: Graph, reference_dir: Path) -> None:
    codes = coos_subprocess_codes(reference_dir)
    assert len(codes) == 44
    for s in services(cspa):
        subprocesses = [str(sp) for sp in cspa.objects(s, CSPA.supportsSubProcess)]
        assert subprocesses, f"{s} supports no sub-process"
        for sp in subprocesses:
            assert SUBPROCESS_IRI.match(sp), f"{s}: {sp} is not a GSBPM sub-process IRI"
            assert sp.rsplit("/", 1)[-1] in codes, f"{s}: {sp} is not a GSBPM 5.1 sub-process in COOS"


def test_every_gsim_iri_used_is_an_official_gsim_2_0_class(cspa: Graph, reference_dir: Path) -> None:
    official = gsim2_names(reference_dir)
    assert len(official) > 100
    used = {str(t) for triple in cspa for t in triple if isinstance(t, URIRef) and str(t).startswith(GSIM_NS)}
    assert used, "no GSIM class used"
    unknown = sorted(u for u in used if u.removeprefix(GSIM_NS) not in official)
    assert not unknown, f"not GSIM 2.0 class names: {unknown}"


def test_every_service_has_gsim_outputs_and_inputs_are_gsim(cspa: Graph) -> None:
    for s in services(cspa):
        outputs = list(cspa.objects(s, CSPA.hasOutput))
        assert outputs, f"{s} has no output"
        for value in [*outputs, *cspa.objects(s, CSPA.hasInput)]:
            assert str(value).startswith(GSIM_NS), f"{s}: {value} is not a GSIM class"


def test_every_reference_service_is_in_the_catalogue(cspa: Graph, reference_dir: Path) -> None:
    expected = reference_services(reference_dir)
    assert len(expected) >= 10
    ours = service_by_label(cspa)
    missing = sorted(set(expected) - set(ours))
    assert not missing, f"services of the reference catalogue missing: {missing}"


def test_reference_services_keep_their_subprocesses(cspa: Graph, reference_dir: Path) -> None:
    for label, facts in reference_services(reference_dir).items():
        codes = {str(sp).rsplit("/", 1)[-1] for sp in cspa.objects(service_named(cspa, label), CSPA.supportsSubProcess)}
        assert facts["subprocesses"] <= codes, f"{label}: expected sub-processes {facts['subprocesses']}, got {codes}"


@pytest.mark.parametrize("direction", ["inputs", "outputs"])
def test_reference_services_keep_their_gsim_objects_under_gsim_2_0_names(
    cspa: Graph, reference_dir: Path, direction: str
) -> None:
    prop = CSPA.hasInput if direction == "inputs" else CSPA.hasOutput
    for label, facts in reference_services(reference_dir).items():
        expected = {to_gsim2(old, reference_dir) for old in facts[direction]}
        found = {str(c).removeprefix(GSIM_NS) for c in cspa.objects(service_named(cspa, label), prop)}
        assert expected <= found, f"{label}: {direction} {sorted(expected - found)} missing"


def test_reference_service_iris_are_linked_to_ours(cspa: Graph, reference_dir: Path) -> None:
    for label, facts in reference_services(reference_dir).items():
        links = {str(o) for o in cspa.objects(service_named(cspa, label), SKOS.exactMatch)}
        assert facts["iri"] <= links, f"{label}: no skos:exactMatch to {facts['iri']}"


def test_every_service_records_its_catalogue_level_and_has_matching_descriptions(cspa: Graph) -> None:
    level_of = {
        CSPA.definitionLevel: CSPA.hasDefinition,
        CSPA.specificationLevel: CSPA.hasSpecification,
        CSPA.implementationLevel: CSPA.hasImplementationDescription,
    }
    for s in services(cspa):
        levels = list(cspa.objects(s, CSPA.catalogueLevel))
        assert len(levels) == 1, f"{s}: expected one catalogue level, got {levels}"
        prop = level_of[as_iri(levels[0])]
        descriptions = list(cspa.objects(s, prop))
        assert descriptions, f"{s}: catalogue level {levels[0]} but no {prop}"
        for d in descriptions:
            assert english(cspa, d, RDFS.label), f"{d} has no @en label"


def test_implementation_descriptions_name_a_labelled_builder(cspa: Graph) -> None:
    impls = set(cspa.subjects(RDF.type, CSPA.ServiceImplementationDescription))
    assert impls
    for d in impls:
        builders = list(cspa.objects(d, CSPA.builtBy))
        assert builders, f"{d} has no builder"
        for b in builders:
            assert english(cspa, b, RDFS.label), f"builder {b} has no @en label"


def test_descriptions_are_not_copied_from_the_reference(cspa: Graph, reference_dir: Path) -> None:
    ds = Dataset()
    ds.parse(data=(reference_dir / "stamina" / "models.trig").read_text(encoding="utf-8"), format="trig")
    reference_text = {
        " ".join(str(o).lower().split())
        for p in (OLD_CSPA.description, OLD_CSPA.outcomes, OLD_CSPA.restrictions)
        for o in ds.graph(SERVICES_GRAPH).objects(None, p)
    }
    for s in services(cspa):
        for text in english(cspa, s, DCTERMS.description):
            normalised = " ".join(text.lower().split())
            assert normalised not in reference_text, f"{s}: description copied from the reference"
            for ref in reference_text:
                assert not (len(ref) > 40 and ref in normalised), f"{s}: description contains reference text"
