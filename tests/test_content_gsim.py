"""Content checks for ontology/gsim.ttl: GSIM 2.0 classes, attributes, generalisations and associations.

Expected facts come from the official GSIM 2.0 reference files read in place (class list, UML diagrams, change log)
and from the GSIM 1.1 OWL file, parsed here independently of the generator; nothing is copied from the file under
test. The only hand-written facts are the diagram spellings that differ from the class list.
"""

from __future__ import annotations

import base64
import html
import re
import shutil
import urllib.parse
import xml.etree.ElementTree as ET
import zlib
from collections import defaultdict
from pathlib import Path
from typing import Any

import openpyxl
import owlready2
import pytest
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, SKOS
from rdflib.query import ResultRow
from rdflib.term import Node

from conftest import MAPPINGS_DIR, ONTOLOGY_DIR, integer, require

GSIM_FILE = ONTOLOGY_DIR / "gsim.ttl"
GSIM_ONTOLOGY = URIRef("http://id.unece.org/def/gsim")
GSIM = Namespace("http://id.unece.org/def/gsim#")
GSIM11 = "http://rdf.unece.org/models/gsim#"
VANN = Namespace("http://purl.org/vocab/vann/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
GROUPS = ("Base", "Business", "Concepts", "Exchange", "Structures")
ASSOCIATION_KINDS = {"association", "aggregation", "composition"}
# Spellings in the diagrams that differ from the official class list (besides letter case).
DIAGRAM_SPELLINGS = {
    "organisation": "Organization",
    "statistical program": "Statistical Programme",
    "ouput specification": "Output Specification",
}
MULTIPLICITY = re.compile(r"^\s*(\d+|\*)\s*(?:(?:\.\.|…|,)\s*(\d+|\*))?\s*$")


# ---------------------------------------------------------------------------------------------------------------
# the reference, parsed here


def local(name: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in re.findall(r"[A-Za-z0-9]+", name))


def plain(text: str) -> str:
    return " ".join(re.sub(r"[_*\\]", "", text).replace("\xa0", " ").split())


def uml_multiplicity(text: str) -> str | None:
    m = MULTIPLICITY.match(text.replace("\\*", "*"))
    if not m:
        return None
    low, high = m.group(1), m.group(2)
    if high is None:
        low, high = ("0", "*") if low == "*" else (low, low)
    return f"{low}..{high}"


def cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


# class name -> its facts from the official tables (group, definition, synonyms, attributes)
OfficialClasses = dict[str, dict[str, Any]]


def official_classes(reference_dir: Path) -> OfficialClasses:
    """Class name -> {group, definition, synonyms, attributes {(name, multiplicity, type)}}, from the md."""
    text = (reference_dir / "gsim-2.0" / "gsim-2.0-classes.md").read_text(encoding="utf-8")
    classes: OfficialClasses = {}
    group = current = section = None
    for line in text.splitlines():
        if m := re.match(r"^# \d+\. (\w+) Group", line):
            group, current = m.group(1), None
        elif m := re.match(r"^### (.+)$", line):
            current = plain(m.group(1))
            classes[current] = {"group": group, "definition": "", "synonyms": "", "attributes": set()}
            section = None
        elif current and "***Definition***" in line:
            section = "definition"
        elif current and "***Attributes***" in line:
            section = "attributes"
        elif current and line.startswith("|"):
            row = cells(line)
            if row[0].startswith("**") or set(row[0]) <= set("-: "):
                continue
            if section == "definition" and not classes[current]["definition"]:
                classes[current]["definition"] = plain(row[2])
                classes[current]["synonyms"] = plain(row[4]) if len(row) > 4 else ""
            elif section == "attributes":
                classes[current]["attributes"].add((plain(row[0]), uml_multiplicity(row[2]), plain(row[3])))
    return classes


def diagram_cells(path: Path) -> list[ET.Element]:
    root = ET.parse(path).getroot()
    found: list[ET.Element] = []
    for diagram in root.iter("diagram"):
        model = diagram.find("mxGraphModel")
        if model is None and diagram.text and diagram.text.strip():
            raw = zlib.decompress(base64.b64decode(diagram.text.strip()), -15).decode("utf-8")
            model = ET.fromstring(urllib.parse.unquote(raw))
        found.extend(model.iter("mxCell") if model is not None else [])
    return found


def text_of(cell: ET.Element) -> str:
    value = re.sub(r"<br\s*/?>", " ", cell.get("value") or "")
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", value)).replace("\xa0", " ").split())


Link = tuple[frozenset[str], frozenset[str], tuple[str, ...]]  # the two classes, names, multiplicities


def drawn(reference_dir: Path, names: set[str]) -> tuple[set[tuple[str, str]], set[str], list[Link]]:
    """Generalisations as (sub, super) names, association names, and the association lines of the five group
    diagrams; two lines meeting at a free point are one line."""
    by_lower = {n.lower(): n for n in names} | DIAGRAM_SPELLINGS
    generalisations: set[tuple[str, str]] = set()
    association_names: set[str] = set()
    links: list[Link] = []
    for group in GROUPS:
        all_cells = diagram_cells(reference_dir / "gsim-2.0" / f"GSIM_2_0_{group}_Group.drawio")
        boxes = {
            c.get("id"): by_lower[text_of(c).lower()]
            for c in all_cells
            if c.get("vertex") == "1" and text_of(c).lower() in by_lower
        }
        labels: defaultdict[str | None, list[str]] = defaultdict(list)
        for c in all_cells:
            if c.get("vertex") == "1" and text_of(c):
                labels[c.get("parent")].append(text_of(c))
        pieces: defaultdict[tuple[str | None, str | None], list[tuple[str, set[str], tuple[str, ...]]]]
        pieces = defaultdict(list)
        for edge in (c for c in all_cells if c.get("edge") == "1"):
            style = edge.get("style") or ""
            source, target = boxes.get(edge.get("source")), boxes.get(edge.get("target"))
            if "endArrow=block" in style and source and target:
                generalisations.add((source, target))
                continue
            if "startArrow=block" in style and source and target:
                generalisations.add((target, source))
                continue
            edge_names = {n.strip() for label in labels[edge.get("id")] for n in label.split(" / ")}
            edge_names = {n for n in edge_names if uml_multiplicity(n) is None}
            mults = tuple(m for m in map(uml_multiplicity, labels[edge.get("id")]) if m)
            association_names.update(edge_names)
            if source and target:
                links.append((frozenset({source, target}), frozenset(edge_names), mults))
            elif (source or target) and not (edge.get("source") and edge.get("target")):
                free = [p for p in edge.iter("mxPoint") if p.get("as") in {"sourcePoint", "targetPoint"}]
                end = source or target
                if free and end:
                    pieces[(free[0].get("x"), free[0].get("y"))].append((end, edge_names, mults))
        for joined in pieces.values():
            if len(joined) == 2:
                (a, names_a, mults_a), (b, names_b, mults_b) = joined
                links.append((frozenset({a, b}), frozenset(names_a | names_b), mults_a + mults_b))
    return generalisations, association_names, links


def identifiable_exceptions(reference_dir: Path, names: set[str]) -> set[str]:
    text = (reference_dir / "gsim-2.0" / "gsim-2.0-classes.md").read_text(encoding="utf-8")
    found = re.search(r"All GSIM classes except (.+?) are a sub-type of _?Identifiable Artefact", text)
    assert found is not None, "the class list no longer names the exceptions to Identifiable Artefact"
    listed = found.group(1)
    by_lower = {n.lower(): n for n in names}
    listed = plain(listed.replace("(and its sub-types)", ""))
    return {by_lower[n.strip().lower()] for n in re.split(r",|\band\b", listed) if n.strip()}


def change_log(reference_dir: Path) -> list[tuple[str, str, str]]:
    """(class name, change type, change text) rows of the GSIM 1.2 -> 2.0 change log sheet."""
    book = openpyxl.load_workbook(reference_dir / "gsim-2.0" / "gsim-change-log-1.2-to-2.0.xlsx", read_only=True)
    sheet = book.worksheets[0]
    rows, current = [], None
    for row in sheet.iter_rows(min_row=3, values_only=True):
        name, kind, change = (str(v).strip() if v is not None else "" for v in row[1:4])
        current = name or current
        if current and kind:
            rows.append((current, kind, change))
    return rows


# ---------------------------------------------------------------------------------------------------------------
# fixtures


@pytest.fixture(scope="module")
def gsim() -> Graph:
    assert GSIM_FILE.is_file(), f"{GSIM_FILE.name} is missing"
    graph = Graph()
    graph.parse(GSIM_FILE, format="turtle")
    return graph


@pytest.fixture(scope="module")
def official(reference_dir: Path) -> OfficialClasses:
    return official_classes(reference_dir)


@pytest.fixture(scope="module")
def current_classes(gsim: Graph) -> dict[URIRef, str]:
    """Classes that carry a gsim:group (the GSIM 2.0 classes), with their English label."""
    return {c: str(gsim.value(c, RDFS.label)) for c in set(gsim.subjects(GSIM.group, None)) if isinstance(c, URIRef)}


def english(graph: Graph, subject: Node | None, prop: URIRef) -> list[str]:
    return [str(o) for o in graph.objects(subject, prop) if isinstance(o, Literal) and o.language == "en"]


def documented_queries() -> dict[str, str]:
    """The SPARQL query patterns written in the header comment of gsim.ttl, by their heading."""
    queries: dict[str, str] = {}
    heading: str | None = None
    lines: list[str] = []
    for line in GSIM_FILE.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        body = line[1:]
        if body.startswith("   ") and not body.startswith("     ") and body.strip().endswith(":"):
            heading, lines = body.strip().rstrip(":"), []
        elif heading and body.startswith("     "):
            lines.append(body.strip())
            query = " ".join(lines)
            if query.count("{") and query.count("{") == query.count("}"):
                queries[heading] = query
                heading = None
    return queries


PREFIXES = {"gsim": GSIM, "owl": OWL, "rdfs": RDFS, "rdf": RDF, "skos": SKOS}


# ---------------------------------------------------------------------------------------------------------------
# the class list


def test_official_class_list_equals_the_classes_carrying_a_group(
    official: OfficialClasses, current_classes: dict[URIRef, str]
) -> None:
    assert len(official) == 127, "the reference class list is expected to hold the 127 GSIM 2.0 classes"
    assert sorted(current_classes.values()) == sorted(official)


def test_every_class_has_its_official_iri_and_group(gsim: Graph, official: OfficialClasses) -> None:
    for name, facts in official.items():
        cls = GSIM[local(name)]
        assert (cls, RDF.type, OWL.Class) in gsim, name
        assert list(gsim.objects(cls, GSIM.group)) == [GSIM[f"{facts['group']}Group"]], name


def test_every_class_has_english_label_pref_label_definition_and_is_defined_by(
    gsim: Graph, current_classes: dict[URIRef, str]
) -> None:
    for cls, name in current_classes.items():
        assert english(gsim, cls, RDFS.label) == [name]
        assert english(gsim, cls, SKOS.prefLabel) == [name]
        definitions = english(gsim, cls, SKOS.definition)
        assert len(definitions) == 1 and len(definitions[0]) > 20, f"{name}: one English definition"
        assert (cls, RDFS.isDefinedBy, GSIM_ONTOLOGY) in gsim


def test_groups_are_five_individuals_with_label_and_definition(gsim: Graph) -> None:
    groups = set(gsim.subjects(RDF.type, GSIM.Group))
    assert groups == {GSIM[f"{g}Group"] for g in GROUPS}
    assert (GSIM.Group, RDF.type, OWL.Class) in gsim
    assert (GSIM.group, RDF.type, OWL.AnnotationProperty) in gsim
    for group in groups:
        assert english(gsim, group, RDFS.label) and english(gsim, group, SKOS.definition)


def test_definitions_are_not_copies_of_the_official_ones(gsim: Graph, official: OfficialClasses) -> None:
    for name, facts in official.items():
        ours = plain(english(gsim, GSIM[local(name)], SKOS.definition)[0]).lower()
        theirs = facts["definition"].lower()
        assert ours != theirs, name
        assert theirs[:40] not in ours, f"{name}: definition repeats the official wording"


def test_synonyms_become_alt_labels(gsim: Graph, official: OfficialClasses) -> None:
    for name, facts in official.items():
        alt = english(gsim, GSIM[local(name)], SKOS.altLabel)
        for label in alt:
            assert label.lower() in facts["synonyms"].lower(), f"{name}: {label!r} is not an official synonym"
        if re.search(r"[A-Za-z]", facts["synonyms"]) and facts["synonyms"].lower() != name.lower():
            assert alt, f"{name}: official synonyms {facts['synonyms']!r} are missing"


# ---------------------------------------------------------------------------------------------------------------
# generalisations


def test_generalisations_match_the_diagrams(gsim: Graph, official: OfficialClasses, reference_dir: Path) -> None:
    drawn_generalisations, _, _ = drawn(reference_dir, set(official))
    assert len(drawn_generalisations) > 40
    ours = {
        (str(gsim.value(s, RDFS.label)), str(gsim.value(o, RDFS.label)))
        for s, o in gsim.subject_objects(RDFS.subClassOf)
        if isinstance(o, URIRef) and (s, GSIM.group, None) in gsim and (o, GSIM.group, None) in gsim
    }
    assert drawn_generalisations <= ours, f"missing: {sorted(drawn_generalisations - ours)}"
    extra = ours - drawn_generalisations
    assert {sup for _, sup in extra} <= {"Identifiable Artefact"}, f"not in the diagrams: {sorted(extra)}"


def test_identifiable_artefact_note_is_applied(gsim: Graph, official: OfficialClasses, reference_dir: Path) -> None:
    drawn_generalisations, _, _ = drawn(reference_dir, set(official))
    supers = defaultdict(set)
    for sub, sup in drawn_generalisations:
        supers[sub].add(sup)
    excluded = identifiable_exceptions(reference_dir, set(official))
    assert "Datum" in excluded and "Change Event" in excluded

    def below_excluded(name: str) -> bool:
        return name in excluded or any(below_excluded(s) for s in supers[name])

    ia = GSIM.IdentifiableArtefact
    for name in official:
        cls = GSIM[local(name)]
        ancestors = set(gsim.transitive_objects(cls, RDFS.subClassOf)) - {cls}
        if name == "Identifiable Artefact" or below_excluded(name):
            assert ia not in ancestors, f"{name} is not identifiable"
        else:
            assert ia in ancestors, f"{name} should be identifiable"


# ---------------------------------------------------------------------------------------------------------------
# attributes


def attributes_by_query(gsim: Graph, cls: URIRef) -> set[tuple[str, str, str]]:
    query = documented_queries()["Attributes of a class, with multiplicity and value type"]
    query = query.replace("gsim:ProcessStep", f"<{cls}>")
    rows = [row for row in gsim.query(query, initNs=PREFIXES) if isinstance(row, ResultRow)]
    return {(str(r.name), str(r.multiplicity), str(r.valueType)) for r in rows}


def test_header_documents_the_two_query_patterns() -> None:
    queries = documented_queries()
    assert set(queries) == {
        "Attributes of a class, with multiplicity and value type",
        "Associations out of and into a class, with multiplicities",
    }


def test_attributes_per_class_equal_the_official_tables(gsim: Graph, official: OfficialClasses) -> None:
    assert sum(len(f["attributes"]) for f in official.values()) > 100
    for name, facts in official.items():
        assert attributes_by_query(gsim, GSIM[local(name)]) == facts["attributes"], name


def test_attribute_restrictions_agree_with_their_multiplicity(gsim: Graph) -> None:
    cardinality = {
        OWL.qualifiedCardinality: "exact",
        OWL.minQualifiedCardinality: "min",
        OWL.maxQualifiedCardinality: "max",
    }
    axioms = list(gsim.subjects(RDF.type, OWL.Axiom))
    assert len(axioms) > 100
    for axiom in axioms:
        source, target = gsim.value(axiom, OWL.annotatedSource), gsim.value(axiom, OWL.annotatedTarget)
        assert (source, RDFS.subClassOf, target) in gsim, "the annotated axiom must be stated"
        low, high = str(gsim.value(axiom, GSIM.multiplicity)).split("..")
        found = {
            cardinality[p]: integer(o)
            for p, o in gsim.predicate_objects(target)
            if isinstance(p, URIRef) and p in cardinality
        }
        if low == high:
            assert found == {"exact": int(low)}
        elif high == "*":
            assert found == {"min": int(low)}
        else:
            assert found.get("max") == int(high) and found.get("min", 0) == int(low)


def test_attribute_properties_are_typed_by_their_value_type(gsim: Graph) -> None:
    properties = {p for p in gsim.subjects(GSIM.umlKind, Literal("attribute"))}
    assert len(properties) > 100
    for prop in properties:
        assert english(gsim, prop, RDFS.label), prop
        assert gsim.value(prop, RDFS.domain) is None, f"{prop}: attributes are shared, no rdfs:domain"
        types = {str(t) for t in gsim.objects(prop, GSIM.valueType)}
        if types == {"ControlledVocabulary"}:
            assert (prop, RDF.type, OWL.ObjectProperty) in gsim
            assert gsim.value(prop, RDFS.range) == SKOS.Concept
        elif types:
            assert (prop, RDF.type, OWL.DatatypeProperty) in gsim
        if types == {"String"}:
            assert gsim.value(prop, RDFS.range) == XSD.string
        if types == {"Boolean"}:
            assert gsim.value(prop, RDFS.range) == XSD.boolean


# ---------------------------------------------------------------------------------------------------------------
# associations


def association_properties(gsim: Graph) -> list[URIRef]:
    return [
        p for p, kind in gsim.subject_objects(GSIM.umlKind) if isinstance(p, URIRef) and str(kind) in ASSOCIATION_KINDS
    ]


def test_associations_link_gsim_classes(gsim: Graph, current_classes: dict[URIRef, str]) -> None:
    associations = association_properties(gsim)
    assert len(associations) > 150
    for prop in associations:
        assert (prop, RDF.type, OWL.ObjectProperty) in gsim
        assert gsim.value(prop, RDFS.domain) in current_classes, prop
        assert gsim.value(prop, RDFS.range) in current_classes, prop
    for restriction in gsim.subjects(RDF.type, OWL.Restriction):
        filler = gsim.value(restriction, OWL.onClass)
        if filler is not None and str(filler).startswith(str(GSIM)):
            assert filler in current_classes, filler


def test_association_names_are_those_of_the_diagrams(
    gsim: Graph, official: OfficialClasses, reference_dir: Path
) -> None:
    _, names, _ = drawn(reference_dir, set(official))
    ours = set()
    for prop in association_properties(gsim):
        if (prop, SKOS.editorialNote, None) in gsim and any(
            "unnamed" in str(n) for n in gsim.objects(prop, SKOS.editorialNote)
        ):
            continue
        ours.update(english(gsim, prop, RDFS.label) + english(gsim, prop, SKOS.altLabel))
    assert ours == names


def cardinalities(gsim: Graph, cls: Node | None, prop: URIRef, filler: Node | None, inverse: bool) -> dict[str, int]:
    """Qualified cardinalities stated on cls for prop (or its inverse) towards filler."""
    keys = {OWL.qualifiedCardinality: "exact", OWL.minQualifiedCardinality: "min", OWL.maxQualifiedCardinality: "max"}
    found: dict[str, int] = {}
    for restriction in gsim.objects(cls, RDFS.subClassOf):
        if not isinstance(restriction, BNode) or gsim.value(restriction, OWL.onClass) != filler:
            continue
        on = gsim.value(restriction, OWL.onProperty)
        if (gsim.value(on, OWL.inverseOf) if inverse else on) != prop:
            continue
        found.update(
            {keys[p]: integer(o) for p, o in gsim.predicate_objects(restriction) if isinstance(p, URIRef) and p in keys}
        )
    return found


def expected_cardinalities(multiplicity: str) -> dict[str, int]:
    low, high = multiplicity.split("..")
    if low == high:
        return {"exact": int(low)}
    result = {"min": int(low)} if low != "0" else {}
    if high != "*":
        result["max"] = int(high)
    return result


def test_association_multiplicities_are_restrictions(gsim: Graph) -> None:
    checked = 0
    for prop in association_properties(gsim):
        domain, range_ = gsim.value(prop, RDFS.domain), gsim.value(prop, RDFS.range)
        for annotation, cls, filler, inverse in (
            (GSIM.targetMultiplicity, domain, range_, False),
            (GSIM.sourceMultiplicity, range_, domain, True),
        ):
            multiplicity = gsim.value(prop, annotation)
            if multiplicity is not None:
                assert uml_multiplicity(str(multiplicity)) == str(multiplicity), prop
                assert cardinalities(gsim, cls, prop, filler, inverse) == expected_cardinalities(str(multiplicity))
                checked += 1
    assert checked > 250


def test_association_multiplicities_are_drawn_on_a_line_between_the_two_classes(
    gsim: Graph, official: OfficialClasses, reference_dir: Path
) -> None:
    _, _, links = drawn(reference_dir, set(official))
    for prop in association_properties(gsim):
        ends = frozenset(str(gsim.value(gsim.value(prop, p), RDFS.label)) for p in (RDFS.domain, RDFS.range))
        names = set(english(gsim, prop, RDFS.label) + english(gsim, prop, SKOS.altLabel))
        ours = sorted(str(gsim.value(prop, p)) for p in (GSIM.sourceMultiplicity, GSIM.targetMultiplicity))
        ours = [m for m in ours if m != "None"]
        candidates = [
            mults for pair, line_names, mults in links if pair == ends and (line_names & names or not line_names)
        ]
        assert candidates, f"{prop}: no line between {sorted(ends)}"
        assert any(all(ours.count(m) <= list(mults).count(m) for m in ours) for mults in candidates), prop


def test_association_query_pattern_lists_links_in_and_out(gsim: Graph, current_classes: dict[URIRef, str]) -> None:
    query = documented_queries()["Associations out of and into a class, with multiplicities"]
    seen = set()
    for cls in current_classes:
        for row in gsim.query(query.replace("gsim:ProcessStep", f"<{cls}>"), initNs=PREFIXES):
            assert isinstance(row, ResultRow)
            seen.add((row.association, str(row.direction), cls))
    for prop in association_properties(gsim):
        assert (prop, "out", gsim.value(prop, RDFS.domain)) in seen, prop
        assert (prop, "in", gsim.value(prop, RDFS.range)) in seen, prop


def test_shared_association_names_have_a_parent_property(gsim: Graph) -> None:
    by_label = defaultdict(set)
    for prop in association_properties(gsim):
        by_label[str(gsim.value(prop, RDFS.label))].add(prop)
    shared = {label: props for label, props in by_label.items() if len(props) > 1}
    assert "has" in shared and "uses" in shared
    for label, props in shared.items():
        parents = {gsim.value(p, RDFS.subPropertyOf) for p in props}
        assert len(parents) == 1 and None not in parents, label
        assert english(gsim, parents.pop(), RDFS.label) == [label]


# ---------------------------------------------------------------------------------------------------------------
# GSIM 1.2 names and GSIM 1.1 links


def test_renamed_and_removed_classes_of_the_change_log_resolve(gsim: Graph, reference_dir: Path) -> None:
    rows = [(name, kind, change) for name, kind, change in change_log(reference_dir) if kind in {"Rename", "Removal"}]
    assert len(rows) >= 15
    for name, kind, change in rows:
        old = GSIM[local(name)]
        assert (old, OWL.deprecated, Literal(True)) in gsim, name
        successor = gsim.value(old, DCTERMS.isReplacedBy)
        assert successor is not None, name
        if kind == "Rename":
            renamed = re.search(r"(?:[Rr]ename to|name to)\s+\"?([^\"]+?)\"?\s*$", change)
            assert renamed is not None, f"{name}: the change log names no new name in {change!r}"
            new_name = renamed.group(1)
            assert successor == GSIM[local(new_name)], name
        if "Register" in change:
            assert successor == GSIM.Register


def test_every_deprecated_term_has_a_current_successor(gsim: Graph, current_classes: dict[URIRef, str]) -> None:
    deprecated = set(gsim.subjects(OWL.deprecated, Literal(True)))
    assert len(deprecated) >= 15
    for term in deprecated:
        assert (term, RDF.type, OWL.Class) in gsim
        assert (term, GSIM.group, None) not in gsim, f"{term} is not a GSIM 2.0 class"
        assert english(gsim, term, RDFS.label) and english(gsim, term, SKOS.historyNote), term
        successors = list(gsim.objects(term, DCTERMS.isReplacedBy))
        assert len(successors) == 1 and successors[0] in current_classes, term
        assert (successors[0], OWL.deprecated, Literal(True)) not in gsim


def test_exact_matches_point_at_gsim_1_1_classes(gsim: Graph, official: OfficialClasses, reference_dir: Path) -> None:
    older = Graph()
    older.parse(reference_dir / "stamina" / "gsim-1.1-ontology.rdf", format="xml")
    classes_11 = {str(c) for c in older.subjects(RDF.type, OWL.Class) if str(c).startswith(GSIM11)}
    targets = {str(o) for o in gsim.objects(None, SKOS.exactMatch)}
    assert targets and targets <= classes_11
    for name in official:
        if GSIM11 + local(name) in classes_11:
            assert (GSIM[local(name)], SKOS.exactMatch, URIRef(GSIM11 + local(name))) in gsim, name
    assert (GSIM.Organization, SKOS.exactMatch, URIRef(GSIM11 + "Organisation")) in gsim
    assert (GSIM.ConceptualVariable, SKOS.exactMatch, URIRef(GSIM11 + "Variable")) in gsim


# ---------------------------------------------------------------------------------------------------------------
# definitions of properties and of the deprecated GSIM 1.2 classes

COPIED_WORDS = 6  # this many consecutive words shared with an official text count as copying


def official_texts(reference_dir: Path) -> list[str]:
    """Every official attribute description, class definition and explanatory text of the class list."""
    text = (reference_dir / "gsim-2.0" / "gsim-2.0-classes.md").read_text(encoding="utf-8")
    found: list[str] = []
    section = None
    for line in text.splitlines():
        if line.startswith("#"):
            section = None
        if "***Definition***" in line:
            section = "definition"
        elif "***Attributes***" in line:
            section = "attributes"
        elif section and line.startswith("|"):
            row = cells(line)
            if row[0].startswith("**") or set(row[0]) <= set("-: "):
                continue
            found.extend(plain(c) for c in (row[1:2] if section == "attributes" else row[2:4]) if c)
    return found


def word_runs(text: str, size: int = COPIED_WORDS) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def gsim_properties(gsim: Graph) -> set[URIRef]:
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return {
        p for kind in kinds for p in gsim.subjects(RDF.type, kind) if isinstance(p, URIRef) and p.startswith(str(GSIM))
    }


def word_stems(label: str) -> list[str]:
    """Lower-case words of a class name, each cut short enough to match its plural (Entry, Entries)."""
    return [w[:-1] if len(w) > 3 else w for w in re.findall(r"[a-z]+", label.lower())]


def names_class(text: str, label: str) -> bool:
    words, stems = re.findall(r"[a-z]+", text.lower()), word_stems(label)
    return any(
        all(w.startswith(s) for w, s in zip(words[i : i + len(stems)], stems, strict=True))
        for i in range(len(words) - len(stems) + 1)
    )


def test_every_property_has_one_english_label_and_one_english_definition(gsim: Graph) -> None:
    properties = gsim_properties(gsim)
    attributes = set(gsim.subjects(GSIM.umlKind, Literal("attribute")))
    associations = set(association_properties(gsim))
    assert len(attributes) > 100 and len(associations) > 150
    assert attributes | associations <= properties
    assert GSIM.has in properties and GSIM.multiplicity in properties
    for prop in properties:
        assert english(gsim, prop, RDFS.label), f"{prop}: no English label"
        definitions = english(gsim, prop, SKOS.definition)
        assert len(definitions) == 1, f"{prop}: {len(definitions)} English definitions"
        assert len(definitions[0].split()) >= 4 and definitions[0].endswith("."), f"{prop}: {definitions[0]!r}"


def test_definitions_copy_no_run_of_six_words_from_the_official_texts(gsim: Graph, reference_dir: Path) -> None:
    texts = official_texts(reference_dir)
    assert len(texts) > 300, "the class list should give descriptions of the attributes and classes"
    official_runs = set().union(*(word_runs(t) for t in texts))
    terms = gsim_properties(gsim) | set(gsim.subjects(OWL.deprecated, Literal(True)))
    for term in terms:
        for definition in english(gsim, term, SKOS.definition):
            copied = word_runs(plain(definition)) & official_runs
            assert not copied, f"{term}: repeats the official wording {' '.join(sorted(copied)[0])!r}"


def test_attribute_definitions_differ_from_one_another(gsim: Graph) -> None:
    seen: dict[str, Node] = {}
    for prop in gsim.subjects(GSIM.umlKind, Literal("attribute")):
        definition = english(gsim, prop, SKOS.definition)[0]
        assert definition not in seen, f"{prop} and {seen.get(definition)} share a definition"
        seen[definition] = prop


def test_association_definitions_name_the_domain_then_the_range(gsim: Graph) -> None:
    for prop in association_properties(gsim):
        definition = english(gsim, prop, SKOS.definition)[0]
        domain = str(gsim.value(gsim.value(prop, RDFS.domain), RDFS.label))
        range_ = str(gsim.value(gsim.value(prop, RDFS.range), RDFS.label))
        match = re.match(rf"Links an? {re.escape(domain)} to (.+)$", definition)
        assert match, f"{prop}: should start 'Links a {domain} to', not {definition!r}"
        assert names_class(match.group(1), range_), f"{prop}: {definition!r} does not name the range {range_}"


def test_association_definitions_agree_with_the_multiplicity_at_the_range(gsim: Graph) -> None:
    for prop in association_properties(gsim):
        definition = english(gsim, prop, SKOS.definition)[0]
        multiplicity = str(gsim.value(prop, GSIM.targetMultiplicity))
        if " the one " in definition:
            assert multiplicity == "1..1", f"{prop}: 'the one' but {multiplicity}"
        if ", if any," in definition:
            assert multiplicity == "0..1", f"{prop}: 'if any' but {multiplicity}"


def test_every_deprecated_class_has_a_definition_naming_its_successor(gsim: Graph) -> None:
    deprecated = set(gsim.subjects(OWL.deprecated, Literal(True)))
    assert len(deprecated) >= 15
    for term in deprecated:
        definitions = english(gsim, term, SKOS.definition)
        assert len(definitions) == 1, f"{term}: one English definition"
        successor = str(gsim.value(gsim.value(term, DCTERMS.isReplacedBy), RDFS.label))
        assert successor in definitions[0], f"{term}: the definition should name {successor}"
        assert "GSIM 1.2" in definitions[0], term


# ---------------------------------------------------------------------------------------------------------------
# the file as a whole


def test_ontology_header(gsim: Graph) -> None:
    o = GSIM_ONTOLOGY
    assert (o, RDF.type, OWL.Ontology) in gsim
    assert (o, OWL.versionInfo, Literal("2.0")) in gsim
    assert (o, OWL.versionIRI, URIRef("http://id.unece.org/def/gsim/2.0")) in gsim
    assert (o, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")) in gsim
    assert (o, DCTERMS.source, URIRef("https://github.com/UNECE/GSIM-2.0")) in gsim
    assert "UNECE" in str(gsim.value(o, DCTERMS.rights))
    assert (o, VANN.preferredNamespacePrefix, Literal("gsim")) in gsim
    assert (o, VANN.preferredNamespaceUri, Literal(str(GSIM))) in gsim
    for prop in (DCTERMS.title, DCTERMS.creator, DCTERMS.modified):
        assert gsim.value(o, prop) is not None, prop


def test_no_dangling_gsim_iris(gsim: Graph) -> None:
    declared = {s for s in gsim.subjects(RDF.type, None) if isinstance(s, URIRef)}
    files = sorted(ONTOLOGY_DIR.glob("*.ttl")) + sorted(MAPPINGS_DIR.glob("*.ttl"))
    for path in files:
        graph = gsim if path == GSIM_FILE else Graph().parse(path, format="turtle")
        used = {t for triple in graph for t in triple if isinstance(t, URIRef) and str(t).startswith(str(GSIM))}
        assert used <= declared, f"{path.name}: undeclared {sorted(used - declared)[:10]}"


def test_every_gsim_term_is_defined_by_the_ontology(gsim: Graph) -> None:
    for term in {s for s in gsim.subjects(RDF.type, None) if str(s).startswith(str(GSIM))}:
        assert (term, RDFS.isDefinedBy, GSIM_ONTOLOGY) in gsim, term


def test_restrictions_are_well_formed(gsim: Graph) -> None:
    for restriction in gsim.subjects(RDF.type, OWL.Restriction):
        assert isinstance(restriction, BNode)
        assert gsim.value(restriction, OWL.onProperty) is not None
        assert (restriction, OWL.onClass, None) in gsim or (restriction, OWL.onDataRange, None) in gsim


def test_ontology_is_consistent_under_hermit(gsim: Graph, tmp_path: Path) -> None:
    require(shutil.which("java") is not None, "java not found (install default-jre-headless)")
    path = tmp_path / "gsim.nt"
    gsim.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    onto = world.get_ontology(path.as_uri()).load()
    with onto:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    assert list(world.inconsistent_classes()) == []
