"""The GSIM 2.0 - GSBPM 5.1 information mapping (mappings/gsim-gsbpm.ttl) against the official reference data.

GSBPM sub-processes come from the COOS reference, GSIM 2.0 class names from the official class list, and the
allowed roles from the generalisations of Process Input and Process Output in the GSIM 2.0 Business-group diagram.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from html import unescape
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, SKOS

from conftest import MAPPINGS_DIR, as_iri

MAPPING_FILE = MAPPINGS_DIR / "gsim-gsbpm.ttl"
VOCABULARY_FILE = MAPPINGS_DIR / "mapping-vocabulary.ttl"

MAP = Namespace("http://id.unece.org/def/mapping#")
PROV = Namespace("http://www.w3.org/ns/prov#")
VANN = Namespace("http://purl.org/vocab/vann/")
GSIM = "http://id.unece.org/def/gsim#"
ACTIVITIES = "http://id.unece.org/activities/"
SUB_PROCESS = ACTIVITIES + "subProcess/"
OVERARCHING = ACTIVITIES + "overarchingActivity/"
GSBPM_SCHEME = URIRef(ACTIVITIES + "gsbpm")
MAPPING_BASE = "http://id.unece.org/mappings/informationMapping/"
ONTOLOGY_IRI = URIRef("http://id.unece.org/mappings/gsimGsbpm")
AGENT = URIRef("http://id.unece.org/organizations/modernStatsKG")
SOURCES = {
    URIRef("https://github.com/UNECE/GSIM-2.0"),
    URIRef(
        "https://unece.org/statistics/documents/2025/07/standards/generic-statistical-business-process-model-gsbpm-version-52"
    ),
    # the task team's report GSBPM 5.2 cites (paragraph 33, footnote 5): the reference of this mapping
    URIRef("https://statswiki.unece.org/spaces/GSBPM/pages/330370507/Information+flow+within+GSBPM+using+GSIM"),
}
CC_BY_4 = URIRef("https://creativecommons.org/licenses/by/4.0/")
CREATED = Literal("2026-11-24", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))
STATUSES = {MAP.proposed, MAP.endorsed, MAP.deprecated}
OVERARCHING_CODES = [f"0.{k}" for k in range(1, 7)]  # GSBPM 5.1 names six overarching processes

# Every mapping carries exactly one value of each of these.
SINGLE_VALUED = [
    MAP.activity,
    MAP.informationClass,
    MAP.role,
    MAP.direction,
    MAP.justification,
    MAP.status,
    PROV.wasAttributedTo,
    DCTERMS.created,
]


def upper_camel(name: str) -> str:
    return "".join(word[0].upper() + word[1:] for word in name.split())


def lower_camel(name: str) -> str:
    camel = upper_camel(name)
    return camel[0].lower() + camel[1:]


def local_name(iri: URIRef, base: str) -> str:
    assert str(iri).startswith(base), f"{iri} is not under {base}"
    return str(iri)[len(base) :]


# --- reference data ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gsim_class_names(reference_dir: Path) -> set[str]:
    """Official GSIM 2.0 class names: the `### ` headings of the class list."""
    text = (reference_dir / "gsim-2.0" / "gsim-2.0-classes.md").read_text(encoding="utf-8")
    names = {line[4:].replace("*", "").strip() for line in text.splitlines() if line.startswith("### ")}
    assert len(names) > 100, "the GSIM 2.0 class list could not be read"
    return names


@pytest.fixture(scope="module")
def gsim_class_iris(gsim_class_names: set[str]) -> dict[URIRef, str]:
    return {URIRef(GSIM + upper_camel(name)): name for name in gsim_class_names}


@pytest.fixture(scope="module")
def role_directions(reference_dir: Path) -> dict[URIRef, URIRef]:
    """The role classes: direct specialisations of Process Input (map:input) and Process Output (map:output) in the
    Business-group diagram."""
    tree = ET.parse(reference_dir / "gsim-2.0" / "GSIM_2_0_Business_Group.drawio")
    cells = {cell.get("id"): cell for cell in tree.iter("mxCell")}

    def label(cell_id: str | None) -> str:
        cell = cells.get(cell_id)
        value = unescape(cell.get("value") or "") if cell is not None else ""
        return " ".join(re.sub(r"<[^>]+>", " ", value).split())

    directions = {"Process Input": MAP.input, "Process Output": MAP.output}
    roles: dict[URIRef, URIRef] = {}
    for cell in cells.values():
        style = cell.get("style") or ""
        if cell.get("edge") == "1" and "endArrow=block" in style:  # UML generalisation
            parent = label(cell.get("target"))
            if parent in directions:
                roles[URIRef(GSIM + upper_camel(label(cell.get("source"))))] = directions[parent]
    return roles


@pytest.fixture(scope="module")
def coos(reference_dir: Path) -> Graph:
    return Graph().parse(reference_dir / "coos" / "coos.ttl", format="turtle")


@pytest.fixture(scope="module")
def sub_processes(coos: Graph) -> dict[URIRef, str]:
    """GSBPM 5.1 sub-processes in the reference COOS, with their codes."""
    found = {
        s: str(coos.value(s, SKOS.notation))
        for s in coos.subjects(SKOS.inScheme, GSBPM_SCHEME)
        if isinstance(s, URIRef) and str(s).startswith(SUB_PROCESS)
    }
    assert found, "no GSBPM sub-process found in the reference COOS"
    return found


# --- the mapping ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph() -> Graph:
    return Graph().parse(MAPPING_FILE, format="turtle")


@pytest.fixture(scope="module")
def mappings(graph: Graph) -> list[URIRef]:
    found = sorted(m for m in graph.subjects(RDF.type, MAP.InformationMapping) if isinstance(m, URIRef))
    assert found, "no map:InformationMapping in the file"
    return found


def mappings_by_activity(graph: Graph, mappings: list[URIRef]) -> dict[URIRef, list[URIRef]]:
    result: dict[URIRef, list[URIRef]] = {}
    for m in mappings:
        result.setdefault(as_iri(graph.value(m, MAP.activity)), []).append(m)
    return result


# --- tests ---------------------------------------------------------------------------------------------------------


def test_roles_from_the_business_group_include_the_named_gsim_roles(role_directions: dict[URIRef, URIRef]) -> None:
    inputs = {r for r, d in role_directions.items() if d == MAP.input}
    outputs = {r for r, d in role_directions.items() if d == MAP.output}
    assert {URIRef(GSIM + n) for n in ("CoreInput", "ParameterInput", "ProcessSupportInput")} <= inputs
    assert {URIRef(GSIM + n) for n in ("CoreOutput", "ProcessMetric")} <= outputs


def test_every_sub_process_has_inputs_and_outputs(
    graph: Graph, mappings: list[URIRef], sub_processes: dict[URIRef, str]
) -> None:
    by_activity = mappings_by_activity(graph, mappings)
    problems = []
    for sub_process, code in sorted(sub_processes.items(), key=lambda item: item[1]):
        directions = Counter(graph.value(m, MAP.direction) for m in by_activity.get(sub_process, []))
        if directions[MAP.input] < 3 or directions[MAP.output] < 2:
            problems.append(f"{code}: {directions[MAP.input]} inputs, {directions[MAP.output]} outputs")
    assert not problems, "sub-processes needing at least 3 inputs and 2 outputs:\n" + "\n".join(problems)


def test_every_sub_process_has_a_core_input_and_a_core_output(
    graph: Graph, mappings: list[URIRef], sub_processes: dict[URIRef, str]
) -> None:
    by_activity = mappings_by_activity(graph, mappings)
    core = {URIRef(GSIM + "CoreInput"), URIRef(GSIM + "CoreOutput")}
    missing = [
        code
        for sub_process, code in sub_processes.items()
        if not core <= {graph.value(m, MAP.role) for m in by_activity.get(sub_process, [])}
    ]
    assert not missing, f"sub-processes without a core input and a core output: {sorted(missing)}"


def test_every_overarching_process_has_inputs_and_outputs(graph: Graph, mappings: list[URIRef]) -> None:
    by_activity = mappings_by_activity(graph, mappings)
    for code in OVERARCHING_CODES:
        directions = Counter(graph.value(m, MAP.direction) for m in by_activity.get(URIRef(OVERARCHING + code), []))
        assert directions[MAP.input] >= 1 and directions[MAP.output] >= 1, f"overarching process {code}: {directions}"


def test_activities_are_gsbpm_sub_processes_or_overarching_processes(
    graph: Graph, mappings: list[URIRef], sub_processes: dict[URIRef, str], coos: Graph
) -> None:
    overarching = {URIRef(OVERARCHING + code) for code in OVERARCHING_CODES}
    # Those COOS already publishes must be the same IRIs.
    in_coos = {s for s in coos.subjects(SKOS.inScheme, GSBPM_SCHEME) if str(s).startswith(OVERARCHING)}
    assert in_coos and in_coos <= overarching
    unknown = {graph.value(m, MAP.activity) for m in mappings} - set(sub_processes) - overarching
    assert not unknown, f"activities that are not GSBPM 5.1 sub-processes or overarching processes: {unknown}"


def test_information_classes_are_official_gsim_2_classes_and_not_roles(
    graph: Graph, mappings: list[URIRef], gsim_class_iris: dict[URIRef, str], role_directions: dict[URIRef, URIRef]
) -> None:
    # The role convention: Parameter Input, Process Metric and Process Execution Log are information in their own
    # right and name themselves (0.4 records metrics and logs as its Core Input); the other roles never do.
    own_right = {URIRef(GSIM + n) for n in ("ParameterInput", "ProcessMetric", "ProcessExecutionLog")}
    role_like = set(role_directions) | {URIRef(GSIM + "ProcessInput"), URIRef(GSIM + "ProcessOutput")}
    classes = {as_iri(graph.value(m, MAP.informationClass)) for m in mappings}
    assert not classes - set(gsim_class_iris), f"not GSIM 2.0 classes: {sorted(classes - set(gsim_class_iris))}"
    assert not classes & (role_like - own_right), f"roles used as information classes: {sorted(classes & role_like)}"
    for m in mappings:
        cls, role = graph.value(m, MAP.informationClass), graph.value(m, MAP.role)
        if graph.value(m, MAP.status) == MAP.deprecated:
            continue
        if role in own_right:
            assert cls == role, f"{m}: a {role} mapping names the role class itself"
        elif cls in own_right:
            assert str(graph.value(m, MAP.activity)).endswith("/0.4") and role == URIRef(GSIM + "CoreInput"), m


def test_roles_are_allowed_and_fit_the_direction(
    graph: Graph, mappings: list[URIRef], role_directions: dict[URIRef, URIRef]
) -> None:
    for m in mappings:
        role, direction = as_iri(graph.value(m, MAP.role)), graph.value(m, MAP.direction)
        assert role in role_directions, f"{m}: {role} is not a GSIM 2.0 Process Input or Process Output subtype"
        assert direction == role_directions[role], f"{m}: direction {direction} does not fit role {role}"


def test_every_mapping_has_exactly_one_value_of_each_required_property(graph: Graph, mappings: list[URIRef]) -> None:
    problems = [
        f"{m} {p}: {len(values)}"
        for m in mappings
        for p in SINGLE_VALUED
        if len(values := list(graph.objects(m, p))) != 1
    ]
    assert not problems, "\n".join(problems[:20])


def test_every_mapping_has_an_english_one_sentence_justification(graph: Graph, mappings: list[URIRef]) -> None:
    justifications = []
    for m in mappings:
        text = graph.value(m, MAP.justification)
        assert isinstance(text, Literal) and text.language == "en", f"{m}: justification must be an @en literal"
        sentence = str(text).strip()
        assert len(sentence.split()) >= 6 and sentence[0].isupper() and sentence.endswith("."), f"{m}: {sentence!r}"
        assert ". " not in sentence, f"{m}: more than one sentence: {sentence!r}"
        justifications.append(sentence)
    duplicates = [text for text, n in Counter(justifications).items() if n > 1]
    assert len(duplicates) * 10 < len(justifications), f"too many repeated justifications: {duplicates}"


def test_every_mapping_has_status_and_provenance(graph: Graph, mappings: list[URIRef]) -> None:
    for m in mappings:
        assert graph.value(m, MAP.status) in STATUSES, f"{m}: unknown status"
        assert graph.value(m, PROV.wasAttributedTo) == AGENT, f"{m}: not attributed to the project"
        created = graph.value(m, DCTERMS.created)
        assert isinstance(created, Literal) and created.datatype == CREATED.datatype, f"{m}: dcterms:created xsd:date"
        assert str(created) >= str(CREATED), f"{m}: created before the mapping was first published"
        assert set(graph.objects(m, DCTERMS.source)) == SOURCES, f"{m}: sources must be GSIM 2.0 and GSBPM 5.1"
    assert graph.value(AGENT, RDFS.label) is not None, "the agent the mappings are attributed to needs a label"


def test_mapping_iris_follow_the_pattern_and_agree_with_the_properties(
    graph: Graph, mappings: list[URIRef], gsim_class_iris: dict[URIRef, str], role_directions: dict[URIRef, URIRef]
) -> None:
    for m in mappings:
        activity = graph.value(m, MAP.activity)
        code = str(activity).rsplit("/", 1)[-1]
        role = local_name(as_iri(graph.value(m, MAP.role)), GSIM)
        klass = local_name(as_iri(graph.value(m, MAP.informationClass)), GSIM)
        expected = f"{code}-{role[0].lower() + role[1:]}-{klass[0].lower() + klass[1:]}"
        qualifier = graph.value(m, MAP.qualifier)
        allowed = {expected} | ({f"{expected}-{str(qualifier).rsplit('/', 1)[-1]}"} if qualifier else set())
        assert local_name(m, MAPPING_BASE) in allowed, f"{m} should be {MAPPING_BASE}{expected}"
        assert re.fullmatch(r"\d\.\d-[a-z][A-Za-z]*-[a-z][A-Za-z]*", expected), expected


def test_lower_camel_of_the_official_name_gives_the_iri_fragment(gsim_class_iris: dict[URIRef, str]) -> None:
    # Guards the naming rule the IRIs rest on, e.g. "Agent in Role" -> AgentInRole / agentInRole.
    for iri, name in gsim_class_iris.items():
        fragment = local_name(iri, GSIM)
        assert " " not in fragment and fragment[0].isupper()
        assert lower_camel(name) == fragment[0].lower() + fragment[1:]


def triple_of(graph: Graph, m: URIRef) -> tuple[object, object, object]:
    return (graph.value(m, MAP.activity), graph.value(m, MAP.informationClass), graph.value(m, MAP.role))


def test_no_duplicate_activity_class_role(graph: Graph, mappings: list[URIRef]) -> None:
    keys = Counter(
        (graph.value(m, MAP.activity), graph.value(m, MAP.informationClass), graph.value(m, MAP.role)) for m in mappings
    )
    for key, n in keys.items():
        if n > 1:  # one class playing one role twice: each mapping says with its own qualifier which object it means
            same = [m for m in mappings if triple_of(graph, m) == key]
            qualifiers = [graph.value(m, MAP.qualifier) for m in same]
            assert None not in qualifiers and len(set(qualifiers)) == n, f"duplicate (activity, class, role): {key}"


def test_only_mappings_and_the_agent_and_the_ontology_are_described(graph: Graph, mappings: list[URIRef]) -> None:
    subjects = {s for s in graph.subjects() if isinstance(s, URIRef)}
    described = set(graph.subjects(RDF.type, MAP.Qualifier)) | set(graph.subjects(RDF.type, MAP.UnmappedClassNote))
    assert subjects == set(mappings) | described | {ONTOLOGY_IRI, AGENT}, sorted(subjects - set(mappings))


def test_ontology_header_states_licence_sources_version_and_own_proposal(graph: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in graph
    assert graph.value(ONTOLOGY_IRI, DCTERMS.license) == CC_BY_4
    assert set(graph.objects(ONTOLOGY_IRI, DCTERMS.source)) >= SOURCES
    version = graph.value(ONTOLOGY_IRI, OWL.versionInfo)
    assert version is not None
    assert graph.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef(f"{ONTOLOGY_IRI}/{version}")
    assert graph.value(ONTOLOGY_IRI, DCTERMS.creator) is not None
    assert graph.value(ONTOLOGY_IRI, VANN.preferredNamespacePrefix) is not None
    description = str(graph.value(ONTOLOGY_IRI, DCTERMS.description)).lower()
    assert "own proposal" in description and "no official machine-readable" in description


def test_mapping_vocabulary_terms_used_are_declared_in_the_vocabulary(graph: Graph) -> None:
    assert VOCABULARY_FILE.is_file(), f"{VOCABULARY_FILE.name} is missing"
    vocabulary = Graph().parse(VOCABULARY_FILE, format="turtle")
    declared = set(vocabulary.subjects())
    used = {t for triple in graph for t in triple if isinstance(t, URIRef) and str(t).startswith(str(MAP))}
    assert used <= declared, f"terms not declared in the mapping vocabulary: {sorted(used - declared)}"
