"""The SHACL shapes: every rule catches what it is written for, alone; the real content passes them all.

Each fixture in tests/fixtures/shapes/ breaks one rule on top of a valid context (`_context.ttl`) and names, on its
first line, the rule and the SHACL constraint component it expects: `# Violates: mapsh:activityCount
sh:MinCountConstraintComponent`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS
from rdflib.term import Node

from conftest import PROJECT_ROOT, SHAPES_DIR, as_iri
from modernstats_kg.validation import validate
from modernstats_kg.validation.loading import load_files, shape_files
from modernstats_kg.validation.report import PREFIXES
from modernstats_kg.validation.shacl import focus_nodes, load_shapes, validate_shacl

SH = Namespace("http://www.w3.org/ns/shacl#")
MAPSH = Namespace("http://id.unece.org/shapes/mapping#")
MODSH = Namespace("http://id.unece.org/shapes/model#")
GSIM = Namespace("http://id.unece.org/def/gsim#")
FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
CONTEXT = FIXTURES / "_context.ttl"
VIOLATING = sorted(p for p in FIXTURES.glob("*.ttl") if not p.name.startswith("_"))

# Parameters of a shape and the constraint component each one makes a result carry.
PARAMETER_COMPONENTS = {
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.languageIn: SH.LanguageInConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH["class"]: SH.ClassConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.qualifiedMinCount: SH.QualifiedMinCountConstraintComponent,
    SH.qualifiedMaxCount: SH.QualifiedMaxCountConstraintComponent,
}
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


def expand(curie: str) -> URIRef:
    prefix, _, local = curie.partition(":")
    return URIRef(PREFIXES[prefix] + local)


def declared_violation(path: Path) -> tuple[URIRef, URIRef]:
    match = re.match(r"# Violates: (\S+) (\S+)", path.read_text(encoding="utf-8").splitlines()[0])
    assert match, f"{path.name}: first line must be '# Violates: <rule> <component>'"
    return expand(match.group(1)), expand(match.group(2))


def reported(report: Graph) -> set[tuple[Node | None, Node | None]]:
    """(rule, component) of every result: the SPARQL constraint for SHACL-SPARQL results, else the source shape."""
    found: set[tuple[Node | None, Node | None]] = set()
    for result in report.objects(None, SH.result):
        component = report.value(result, SH.sourceConstraintComponent)
        rule = (
            report.value(result, SH.sourceConstraint)
            if component == SH.SPARQLConstraintComponent
            else report.value(result, SH.sourceShape)
        )
        found.add((rule, component))
    return found


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(shape_files(PROJECT_ROOT))


def enforced_constraints(shapes: Graph) -> set[tuple[Node, Node]]:
    """Every (rule, component) a report can name: constraints of targeted node shapes and of their property shapes
    (shapes nested under sh:node or sh:qualifiedValueShape report through their parent)."""
    pairs: set[tuple[Node, Node]] = set()
    targeted = {s for p in TARGETS for s in shapes.subjects(p, None)}
    for node_shape in targeted:
        for shape in [node_shape, *shapes.objects(node_shape, SH.property)]:
            for parameter, component in PARAMETER_COMPONENTS.items():
                if (shape, parameter, None) in shapes:
                    pairs.add((shape, component))
            for constraint in shapes.objects(shape, SH.sparql):
                pairs.add((constraint, SH.SPARQLConstraintComponent))
    return pairs


def test_shapes_files_exist_and_parse() -> None:
    names = {p.name for p in SHAPES_DIR.glob("*.ttl")}
    assert {"mapping-shapes.ttl", "model-shapes.ttl"} <= names


def test_context_fixture_conforms_to_every_shape(shapes: Graph) -> None:
    outcome = validate_shacl(load_files([CONTEXT]), shapes)
    assert outcome.conforms, sorted(reported(outcome.report))


@pytest.mark.parametrize("fixture", VIOLATING, ids=lambda p: p.stem)
def test_fixture_violates_exactly_its_rule(fixture: Path, shapes: Graph) -> None:
    outcome = validate_shacl(load_files([CONTEXT, fixture]), shapes)
    assert not outcome.conforms
    assert reported(outcome.report) == {declared_violation(fixture)}


@pytest.mark.slow
@pytest.mark.parametrize("fixture", VIOLATING, ids=lambda p: p.stem)
def test_pyshacl_alone_reports_what_the_fast_sparql_path_reports(fixture: Path, shapes: Graph) -> None:
    loaded = load_files([CONTEXT, fixture])
    fast = validate_shacl(loaded, shapes)
    pure = validate_shacl(loaded, shapes, pure_pyshacl=True)
    assert pure.conforms == fast.conforms

    def results(report: Graph) -> set[tuple[object, ...]]:
        return {
            (
                report.value(r, SH.focusNode),
                report.value(r, SH.sourceShape),
                report.value(r, SH.sourceConstraintComponent),
                report.value(r, SH.sourceConstraint),
            )
            for r in report.objects(None, SH.result)
        }

    assert results(fast.report) == results(pure.report)


def test_every_constraint_has_a_violating_fixture(shapes: Graph) -> None:
    covered = {declared_violation(p) for p in VIOLATING}
    enforced = enforced_constraints(shapes)
    assert len(enforced) > 40
    assert enforced - covered == set(), "constraints without a fixture"
    assert covered - enforced == set(), "fixtures naming a constraint that does not exist"


def test_every_shape_and_constraint_has_a_name_a_comment_and_a_message(shapes: Graph) -> None:
    kinds = (SH.NodeShape, SH.PropertyShape, SH.SPARQLConstraint)
    named = {s for kind in kinds for s in shapes.subjects(RDF.type, kind) if isinstance(s, URIRef)}
    assert len(named) > 50
    for shape in named:
        for prop in (SH.name, RDFS.comment, SH.message):
            value = shapes.value(shape, prop)
            assert isinstance(value, Literal) and str(value).strip(), f"{shape} has no {prop}"


def test_every_referenced_shape_is_declared_with_a_type(shapes: Graph) -> None:
    for prop in (SH.property, SH.node, SH.sparql):
        for referenced in shapes.objects(None, prop):
            if isinstance(referenced, URIRef):
                assert (referenced, RDF.type, None) in shapes, f"{referenced} is used but not declared"


def test_real_content_conforms() -> None:
    report = validate(root=PROJECT_ROOT, owl=False)
    assert report.conforms, report.to_text()


def test_shapes_reach_the_real_content(shapes: Graph, reference_dir: Path) -> None:
    """The targets are not empty: every GSBPM sub-process of the reference and every mapping is checked."""
    loaded = load_files(
        [*PROJECT_ROOT.joinpath("ontology").glob("*.ttl"), *PROJECT_ROOT.joinpath("mappings").glob("*.ttl")]
    )
    coos = Graph().parse(reference_dir / "coos" / "coos.ttl")
    reference_sub_processes = {
        str(s) for s in coos.subjects() if str(s).startswith("http://id.unece.org/activities/subProcess/")
    }
    checked = {t.value for t in focus_nodes(loaded.store, shapes, MODSH.SubProcess)}
    assert checked == reference_sub_processes
    mappings = {
        str(s) for s in loaded.graph.subjects(RDF.type, URIRef("http://id.unece.org/def/mapping#InformationMapping"))
    }
    assert mappings, "no information mappings in the content"
    assert {t.value for t in focus_nodes(loaded.store, shapes, MAPSH.InformationMapping)} == mappings


def test_mapping_to_a_deprecated_gsim_class_of_the_real_content_is_refused(tmp_path: Path) -> None:
    gsim = Graph().parse(PROJECT_ROOT / "ontology" / "gsim.ttl")
    deprecated = sorted(
        as_iri(s) for s in gsim.subjects(URIRef("http://www.w3.org/2002/07/owl#deprecated"), Literal(True))
    )
    assert deprecated, "gsim.ttl keeps the GSIM 1.2 names as deprecated classes"
    old = deprecated[0]
    local = old.removeprefix(str(GSIM))
    iri = f"http://id.unece.org/mappings/informationMapping/5.3-coreInput-{local[0].lower()}{local[1:]}"
    extra = tmp_path / "old-class.ttl"
    extra.write_text(
        f"""@prefix map: <http://id.unece.org/def/mapping#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
<http://example.org/old-class> a owl:Ontology ; owl:versionInfo "1" ;
    dcterms:license <https://creativecommons.org/licenses/by/4.0/> ;
    dcterms:source <https://github.com/UNECE/GSIM-2.0> .
<{iri}> a map:InformationMapping ;
    map:activity <http://id.unece.org/activities/subProcess/5.3> ;
    map:informationClass <{old}> ; map:role <{GSIM}CoreInput> ; map:direction map:input ;
    map:justification "Uses a GSIM 1.2 name."@en ; map:status map:proposed ;
    prov:wasAttributedTo <http://id.unece.org/organizations/modernStatsKG> ;
    dcterms:created "2026-11-24"^^xsd:date ; dcterms:source <https://github.com/UNECE/GSIM-2.0> .
""",
        encoding="utf-8",
    )
    report = validate(root=PROJECT_ROOT, extra=[extra], owl=False)
    assert not report.conforms
    assert {(r.focus_node, r.shape) for r in report.violations} == {(iri, str(MAPSH.classCurrent))}


def business_group_roles(md: str) -> tuple[set[str], set[str]]:
    """Classes the GSIM 2.0 class list describes as Process Input or Process Output sub-types (Business group)."""
    inputs: set[str] = set()
    outputs: set[str] = set()
    for row in re.findall(r"^\| ([A-Z][A-Za-z ]+) \| Business \| (.*)$", md, flags=re.MULTILINE):
        name, rest = row
        kind = re.search(r"sub-type of _Process (Input|Output)_|^_Process (Input|Output)_ ", rest)
        if kind:
            local = name.title().replace(" ", "")
            (inputs if "Input" in (kind.group(1) or kind.group(2)) else outputs).add(str(GSIM) + local)
    return inputs, outputs


def test_allowed_roles_are_the_process_input_and_output_subtypes_of_gsim_2(shapes: Graph, reference_dir: Path) -> None:
    md = (reference_dir / "gsim-2.0" / "gsim-2.0-classes.md").read_text(encoding="utf-8")
    inputs, outputs = business_group_roles(md)
    assert str(GSIM.CoreInput) in inputs and str(GSIM.CoreOutput) in outputs
    head = shapes.value(MAPSH.roleAllowed, SH["in"])
    allowed = {str(v) for v in shapes.collection(head)} if head is not None else set()
    assert allowed == inputs | outputs
    query = str(shapes.value(MAPSH.roleFitsDirection, SH.select))
    output_roles_in_query = set(re.findall(r"gsim:(\w+)", query.split("map:output")[0].split("map:input")[-1]))
    assert {str(GSIM) + r for r in output_roles_in_query} == outputs


# --- the cross-model mapping files ------------------------------------------------------------------------------

COOS_NS = "http://id.unece.org/def/coos#"
MAP_NS = "http://id.unece.org/def/mapping#"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
MAPPING_FILES = ("gsim-gsbpm.ttl", "cspa-gsbpm.ttl", "gamso-gsbpm.ttl", "coos-alignment.ttl")


def content_graph(*relative: str) -> Graph:
    graph = Graph()
    for name in relative:
        graph.parse(PROJECT_ROOT / name)
    return graph


@pytest.mark.parametrize("name", MAPPING_FILES)
def test_mapping_file_header_says_it_is_the_projects_own_proposal(name: str) -> None:
    path = PROJECT_ROOT / "mappings" / name
    assert path.is_file(), f"{name} is missing"
    graph = Graph().parse(path)
    (ontology,) = graph.subjects(RDF.type, URIRef("http://www.w3.org/2002/07/owl#Ontology"))
    assert str(ontology).startswith("http://id.unece.org/mappings/")
    description = str(graph.value(ontology, URIRef("http://purl.org/dc/terms/description")))
    assert "own proposal" in description and "official" in description
    assert graph.value(ontology, URIRef("http://purl.org/dc/terms/license")) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    for prop in ("http://www.w3.org/2002/07/owl#versionIRI", "http://purl.org/vocab/vann/preferredNamespacePrefix"):
        assert graph.value(ontology, URIRef(prop)) is not None, prop


def test_cspa_service_support_mirrors_the_catalogue() -> None:
    graph = content_graph("ontology/cspa.ttl", "mappings/cspa-gsbpm.ttl")
    services = set(graph.subjects(RDF.type, URIRef("http://id.unece.org/def/cspa#StatisticalService")))
    catalogue = {
        (s, o)
        for s, o in graph.subject_objects(URIRef("http://id.unece.org/def/cspa#supportsSubProcess"))
        if s in services
    }
    explorer = URIRef("https://github.com/UNECE/Model-Explorer")
    mapped = {
        (graph.value(m, URIRef(MAP_NS + "service")), graph.value(m, URIRef(MAP_NS + "activity")))
        for m in graph.subjects(RDF.type, URIRef(MAP_NS + "ServiceSupport"))
        if (m, DCTERMS.source, explorer) in graph
    }
    assert len(catalogue) == 10
    assert mapped == catalogue


def test_gamso_gsbpm_links_gamso_activities_to_gsbpm_items_both_ways() -> None:
    graph = content_graph("ontology/gamso.ttl", "ontology/gsbpm.ttl", "mappings/gamso-gsbpm.ttl")
    in_scheme = URIRef(SKOS_NS + "inScheme")
    gamso, gsbpm = URIRef("http://id.unece.org/activities/gamso"), URIRef("http://id.unece.org/activities/gsbpm")
    gsbpmx = "http://id.unece.org/def/gsbpmx#"
    supports = set(graph.subject_objects(URIRef(gsbpmx + "supportsCategory")))
    uses = {(o, s) for s, o in graph.subject_objects(URIRef(gsbpmx + "usesCategory"))}
    assert len(supports) >= 5
    assert supports == uses
    for gamso_item, gsbpm_item in supports:
        assert (gamso_item, in_scheme, gamso) in graph, gamso_item
        assert (gsbpm_item, in_scheme, gsbpm) in graph, gsbpm_item
    phases = {s for s in graph.subjects(in_scheme, gsbpm) if "/phase/" in str(s)}
    area4 = URIRef("http://id.unece.org/activities/activityArea/4")
    assert {s for s in phases if (s, URIRef(SKOS_NS + "broadMatch"), area4) in graph} == phases


def test_alignment_links_only_existing_classes() -> None:
    models = content_graph("ontology/coos.ttl", "ontology/gsim.ttl")
    alignment = Graph().parse(PROJECT_ROOT / "mappings" / "coos-alignment.ttl")
    relations = {SKOS_NS + r for r in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")}
    links = [(s, p, o) for s, p, o in alignment if str(p) in relations]
    assert len(links) > 20
    owl_class = URIRef("http://www.w3.org/2002/07/owl#Class")
    deprecated = URIRef("http://www.w3.org/2002/07/owl#deprecated")
    for s, _, o in links:
        for term in (s, o):
            if str(term).startswith((COOS_NS, str(GSIM))):
                assert (term, RDF.type, owl_class) in models, f"{term} is not a class of the models"
                assert (term, deprecated, Literal(True)) not in models, f"{term} is deprecated"
