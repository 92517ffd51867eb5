"""Generate ontology/gsim.ttl (GSIM 2.0 in OWL) from the official GSIM 2.0 reference files.

Facts come from the reference folder (read in place, default ../shared/reference beside the checkout):
  gsim-2.0/gsim-2.0-classes.md        classes per group, synonyms, attributes (name, cardinality, value type)
  gsim-2.0/GSIM_2_0_*_Group.drawio    generalisations and associations (names, multiplicities, aggregation kind)
  stamina/gsim-1.1-ontology.rdf       local names of the older GSIM 1.1 OWL terms, for skos:exactMatch links

Prose is never generated from the official texts. The project's own definitions and notes are carried over from
the current ontology/gsim.ttl (skos:definition, skos:historyNote), and can be added or replaced from a TSV file
(`--prose FILE`: one `LocalName<TAB>text` per line; a line `#historyNote LocalName<TAB>text` sets a history note).

Usage:
  python scripts/gsim_draft.py                     # rewrite ontology/gsim.ttl, keeping its prose
  python scripts/gsim_draft.py --report            # also print what the diagrams disagree on
  python scripts/gsim_draft.py --out draft.ttl --prose more-definitions.tsv
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import html
import itertools
import math
import re
import sys
import urllib.parse
import xml.etree.ElementTree as ET
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REFERENCE = PROJECT_ROOT.parent / "shared" / "reference"
DEFAULT_OUT = PROJECT_ROOT / "ontology" / "gsim.ttl"

ONTOLOGY_IRI = "http://id.unece.org/def/gsim"
# The exact GSIM 2.0 source encoded (see ../shared/reference/SOURCES.md)
SOURCE_COMMIT = "0e2452b"
SOURCE_NOTE = (
    "Source version: the UNECE/GSIM-2.0 repository at commit 0e2452b (the class list, the five group diagrams and the "
    "change log); that commit carries the change log as updated on 2023-12-22, after the GSIM 2.0 release, and the "
    "class list and diagrams with the corrections made up to that commit."
)
NS = ONTOLOGY_IRI + "#"
GSIM11_NS = "http://rdf.unece.org/models/gsim#"
GROUPS = ["Base", "Business", "Concepts", "Exchange", "Structures"]

# Spellings in the diagrams that differ from the official class list.
DIAGRAM_NAME_FIXES = {
    "Organisation": "Organization",
    "Statistical Program": "Statistical Programme",
    "Ouput Specification": "Output Specification",
}

# Synonym cells that are not a plain comma-separated list.
SYNONYM_FIXES = {"Interviewer InstructionInstruction": ["Interviewer Instruction", "Instruction"]}

# Official value type -> (property kind, range). MultilingualText is text in one or more languages: a
# language-tagged literal, typed rdf:PlainLiteral (the OWL 2 datatype for such text). ControlledVocabulary
# values are terms of a controlled vocabulary: SKOS concepts. Date values are xsd:date literals, but xsd:date is
# not in the OWL 2 datatype map (OWL 2 DL reasoners reject it), so their axioms use rdfs:Literal.
VALUE_TYPES = {
    "String": ("datatype", "xsd:string"),
    "Date": ("datatype", "rdfs:Literal"),
    "Boolean": ("datatype", "xsd:boolean"),
    "Number": ("datatype", "xsd:decimal"),
    "Integer": ("datatype", "xsd:integer"),
    "MultilingualText": ("datatype", "rdf:PlainLiteral"),
    "ControlledVocabulary": ("object", "skos:Concept"),
}

# Terms of this vocabulary that attribute or association names must not take over.
RESERVED = {
    "group",
    "valueType",
    "multiplicity",
    "sourceMultiplicity",
    "targetMultiplicity",
    "umlKind",
    "deprecatedSince",
    "Group",
}

# GSIM 1.2 classes renamed or removed in 2.0 (change log 1.2 -> 2.0): old name -> (successor, kind, note).
# kind "renamed": same concept under a new name (owl:equivalentClass); "removed-sub": folded into a more
# general 2.0 class (rdfs:subClassOf); "removed": dropped, the successor is the closest 2.0 class.
DEPRECATED: dict[str, tuple[str, str, str]] = {
    "Transformable Input": ("Core Input", "renamed", "GSIM 1.2 name of the class that GSIM 2.0 calls Core Input."),
    "Transformed Output": ("Core Output", "renamed", "GSIM 1.2 name of the class that GSIM 2.0 calls Core Output."),
    "Transformable Output": (
        "Core Output",
        "renamed",
        "Spelling used by the GSIM 2.0 change log for the GSIM 1.2 Transformed Output, now Core Output.",
    ),
    "Exchange Channel": (
        "Exchange Instrument",
        "renamed",
        "GSIM 1.2 name of the class that GSIM 2.0 calls Exchange Instrument; 2.0 also splits "
        "off its design into Exchange Specification.",
    ),
    "Unit Data Record": (
        "Data Record",
        "renamed",
        "GSIM 1.2 name of the class that GSIM 2.0 calls Data Record, no longer limited to unit data.",
    ),
    "Statistical Program": ("Statistical Programme", "renamed", "GSIM 1.2 spelling of Statistical Programme."),
    "Statistical Program Cycle": (
        "Statistical Programme Cycle",
        "renamed",
        "GSIM 1.2 spelling of Statistical Programme Cycle.",
    ),
    "Statistical Program Design": (
        "Statistical Programme Design",
        "renamed",
        "GSIM 1.2 spelling of Statistical Programme Design.",
    ),
    "Statistical Support Program": (
        "Statistical Support Activity",
        "renamed",
        "GSIM 1.2 name of the class that GSIM 2.0 calls Statistical Support Activity.",
    ),
    "Variable": (
        "Conceptual Variable",
        "renamed",
        "GSIM 1.2 name of the class that GSIM 2.0 calls Conceptual Variable.",
    ),
    "Unit Data Set": (
        "Data Set",
        "removed-sub",
        "Dropped in GSIM 2.0: a Data Set now covers unit data, its kind being given by its Type attribute.",
    ),
    "Dimensional Data Set": (
        "Data Set",
        "removed-sub",
        "Dropped in GSIM 2.0: a Data Set now covers dimensional data, its kind being given by its Type attribute.",
    ),
    "Unit Data Point": (
        "Data Point",
        "removed-sub",
        "Dropped in GSIM 2.0: Data Point now carries the link to the Unit it observes.",
    ),
    "Dimensional Data Point": (
        "Data Point",
        "removed-sub",
        "Dropped in GSIM 2.0: Data Point now carries the link to the Population it observes.",
    ),
    "Administrative Register": (
        "Register",
        "removed-sub",
        "Dropped in GSIM 2.0: the single class Register describes registers kept by "
        "administrative data owners as well.",
    ),
    "Statistical Register": (
        "Register",
        "removed-sub",
        "Dropped in GSIM 2.0: the single class Register describes registers kept by statistical organisations as well.",
    ),
    "Protocol": (
        "Exchange Specification",
        "removed",
        "Dropped in GSIM 2.0; how an exchange is to be carried out is now described by an Exchange Specification.",
    ),
    "Change Event Tuple": (
        "Change Event",
        "removed",
        "Dropped in GSIM 2.0: Change Event now links directly to the source and target Identifiable Artefacts.",
    ),
    "Event Change Tuple": (
        "Change Event",
        "removed",
        "Name under which the GSIM 2.0 change summary lists the removed GSIM 1.2 Change "
        "Event Tuple; Change Event now links directly to the source and target Identifiable "
        "Artefacts.",
    ),
}

# Associations drawn in opposite directions by two diagrams: (domain, name, range) as drawn -> reason to turn it.
DIRECTION_FIXES = {
    ("Rule", "uses", "Questionnaire Logic"): (
        "The Business Group diagram puts the aggregation diamond at Rule, the Exchange Group diagram at "
        "Questionnaire Logic; this follows the Exchange Group diagram, as in GSIM 1.x: a Questionnaire Logic "
        "uses Rules."
    ),
}

MULT_RE = re.compile(r"^\s*(\d+|\*|n)\s*(?:(?:\.\.|…|,)\s*(\d+|\*|n))?\s*$")


# ----------------------------------------------------------------------------------------------- naming
def words(name: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9]+", name)


def upper_camel(name: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in words(name))


def lower_camel(name: str) -> str:
    camel = upper_camel(name)
    return camel[:1].lower() + camel[1:]


def norm_space(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def multiplicity(text: str) -> str | None:
    """Canonical 'min..max' form of a UML multiplicity ('1' -> '1..1', '0,1' -> '0..1'), None if not one."""
    m = MULT_RE.match(text.replace("\\*", "*"))
    if not m:
        return None
    low, high = m.group(1), m.group(2)
    if high is None:
        high = low
        if low in {"*", "n"}:
            low = "0"
    low = "0" if low in {"*", "n"} else low
    high = "*" if high == "n" else high
    return f"{low}..{high}"


def bounds(mult: str) -> tuple[int, int | None]:
    low, high = mult.split("..")
    return int(low), None if high == "*" else int(high)


# ----------------------------------------------------------------------------------------- class list
@dataclass
class Attribute:
    name: str
    multiplicity: str
    value_type: str


@dataclass
class GsimClass:
    name: str
    group: str
    definition: str
    synonyms: list[str]
    attributes: list[Attribute] = field(default_factory=list)

    @property
    def local(self) -> str:
        return upper_camel(self.name)


def split_cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|"):
        line = line[:-1]
    return [cell.strip() for cell in line.split("|")]


def parse_synonyms(cell: str, name: str) -> list[str]:
    cell = norm_space(cell)
    if not cell:
        return []
    if cell in SYNONYM_FIXES:
        return SYNONYM_FIXES[cell]
    parts, depth, current = [], 0, ""
    for char in cell:
        depth += char == "("
        depth -= char == ")"
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    result = []
    for part in parts:
        part = re.sub(r"\([^)]*\)", "", part).strip()
        quoted = re.fullmatch(r'\w+\s+"([^"]+)"', part)
        if quoted:
            part = quoted.group(1)
        if part and part.lower() != name.lower() and part not in result:
            result.append(part)
    return result


def parse_class_list(md_path: Path) -> list[GsimClass]:
    """Every `### ` heading under a group's descriptive information is one class."""
    classes: list[GsimClass] = []
    group = None
    current: GsimClass | None = None
    mode = None
    for line in md_path.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^# \d+\. (\w+) Group", line)
        if heading:
            group = heading.group(1)
            current = None
            continue
        heading = re.match(r"^### (.+)$", line)
        if heading:
            if group not in GROUPS:
                raise ValueError(f"class heading outside a group: {line}")
            name = norm_space(heading.group(1).replace("*", ""))
            current = GsimClass(name=name, group=group, definition="", synonyms=[])
            classes.append(current)
            mode = None
            continue
        if current is None:
            continue
        if "***Definition***" in line:
            mode = "definition"
        elif "***Attributes***" in line:
            mode = "attributes"
        elif line.startswith("|"):
            cells = split_cells(line)
            if cells[0].startswith("**") or set(cells[0]) <= set("-: "):
                continue
            if mode == "definition" and not current.definition:
                current.definition = cells[2] if len(cells) > 2 else ""
                current.synonyms = parse_synonyms(cells[4], current.name) if len(cells) > 4 else []
            elif mode == "attributes":
                mult = multiplicity(cells[2])
                if mult is None:
                    raise ValueError(f"{current.name}: unreadable cardinality {cells[2]!r}")
                current.attributes.append(Attribute(norm_space(cells[0]), mult, norm_space(cells[3])))
    return classes


def identifiable_exceptions(md_path: Path) -> list[str]:
    """Class names the official note excludes from being sub-types of Identifiable Artefact."""
    text = md_path.read_text(encoding="utf-8")
    m = re.search(r"All GSIM classes except (.+?) are a sub-type of _?Identifiable Artefact", text)
    if not m:
        raise ValueError("note on Identifiable Artefact sub-types not found")
    listed = re.sub(r"\(and its sub-types\)", "", m.group(1)).replace("_", "")
    return [norm_space(n) for n in re.split(r",|\band\b", listed) if norm_space(n)]


# ------------------------------------------------------------------------------------------- diagrams
@dataclass
class End:
    cls: str
    arrow: str  # none, open, block, diamond, filledDiamond
    multiplicity: str | None = None


@dataclass
class Edge:
    diagram: str
    cell: str
    ends: tuple[End, End]
    names: list[str]


def required(cell: ET.Element, name: str) -> str:
    """An attribute every cell of that kind has in a draw.io file (an id; an edge's source and target)."""
    value = cell.get(name)
    if value is None:
        raise ValueError(f"cell {cell.get('id')} has no {name!r} attribute")
    return value


def diagram_models(path: Path) -> list[ET.Element]:
    root = ET.parse(path).getroot()
    models: list[ET.Element] = []
    for diagram in root.iter("diagram"):
        model = diagram.find("mxGraphModel")
        if model is None and diagram.text and diagram.text.strip():
            raw = zlib.decompress(base64.b64decode(diagram.text.strip()), -15).decode("utf-8")
            model = ET.fromstring(urllib.parse.unquote(raw))
        if model is not None:
            models.append(model)
    if root.tag == "mxGraphModel":
        models.append(root)
    return models


def cell_text(value: str | None) -> str:
    text = re.sub(r"<br\s*/?>", " ", value or "")
    return norm_space(html.unescape(re.sub(r"<[^>]+>", "", text)))


def style_of(cell: ET.Element) -> dict[str, str]:
    return dict(part.split("=", 1) for part in (cell.get("style") or "").split(";") if "=" in part)


def arrow_kind(style: dict[str, str], side: str) -> str:
    arrow = style.get(f"{side}Arrow", "none")
    if arrow == "diamond":
        return "filledDiamond" if style.get(f"{side}Fill") == "1" else "diamond"
    if arrow in {"block", "open", "none"}:
        return arrow
    return "open" if arrow else "none"


def resolve_class(text: str, official: dict[str, str]) -> str | None:
    text = DIAGRAM_NAME_FIXES.get(text, text)
    return official.get(text.lower())


class Diagram:
    """One draw.io group diagram: class boxes, edges with their labels."""

    def __init__(self, path: Path, official: dict[str, str]) -> None:
        self.name = path.stem
        self.cells: dict[str, ET.Element] = {}
        for model in diagram_models(path):
            for cell in model.iter("mxCell"):
                self.cells[required(cell, "id")] = cell
        self.children: dict[str | None, list[ET.Element]] = defaultdict(list)  # the root cell has no parent
        for cell in self.cells.values():
            self.children[cell.get("parent")].append(cell)
        self.boxes: dict[str, tuple[str, tuple[float, float, float, float]]] = {}
        self.unknown: list[str] = []
        self.variants: dict[str, set[str]] = defaultdict(set)
        for cid, cell in self.cells.items():
            if cell.get("vertex") != "1" or not (cell.get("style") or "").startswith("shape=rect"):
                continue
            text = cell_text(cell.get("value"))
            cls = resolve_class(text, official)
            if cls is None:
                self.unknown.append(text)
                continue
            if text != cls:
                self.variants[cls].add(text)
            self.boxes[cid] = (cls, self.box(cell))

    def box(self, cell: ET.Element) -> tuple[float, float, float, float]:
        geo = cell.find("mxGeometry")
        if geo is None:
            raise ValueError(f"{self.name}: cell {cell.get('id')} has no geometry")
        x, y, w, h = (float(geo.get(k) or 0) for k in ("x", "y", "width", "height"))
        parent = self.cells.get(cell.get("parent") or "")
        if parent is not None and parent.get("vertex") == "1":
            px, py, _, _ = self.box(parent)
            x, y = x + px, y + py
        return x, y, w, h

    @staticmethod
    def center(box: tuple[float, float, float, float]) -> tuple[float, float]:
        x, y, w, h = box
        return x + w / 2, y + h / 2

    def terminal(self, edge: ET.Element, side: str) -> tuple[str | None, tuple[float, float] | None]:
        ref = edge.get(side)
        if ref in self.boxes:
            return self.boxes[ref][0], self.center(self.boxes[ref][1])
        geo = edge.find("mxGeometry")
        for point in geo.iter("mxPoint") if geo is not None else []:
            if point.get("as") == f"{side}Point":
                return None, (float(point.get("x") or 0), float(point.get("y") or 0))
        return None, None

    def path(self, edge: ET.Element) -> list[tuple[float, float]]:
        _, start = self.terminal(edge, "source")
        _, end = self.terminal(edge, "target")
        geo = edge.find("mxGeometry")
        inner = []
        array = geo.find("Array") if geo is not None else None
        if array is not None:
            inner = [(float(p.get("x") or 0), float(p.get("y") or 0)) for p in array.iter("mxPoint")]
        return [p for p in [start, *inner, end] if p is not None]

    @staticmethod
    def point_at(path: list[tuple[float, float]], fraction: float) -> tuple[float, float]:
        lengths = [math.dist(a, b) for a, b in itertools.pairwise(path)]
        target = max(0.0, min(1.0, fraction)) * sum(lengths)
        for (a, b), length in zip(itertools.pairwise(path), lengths, strict=False):
            if target <= length and length > 0:
                t = target / length
                return a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])
            target -= length
        return path[-1]

    def labels(self, edge: ET.Element) -> list[tuple[str, float, tuple[float, float]]]:
        """(text, relative position -1..1 along the edge, absolute position) of each label of an edge."""
        path = self.path(edge)
        out = []
        for child in self.children.get(edge.get("id"), []):
            text = cell_text(child.get("value"))
            if not text:
                continue
            geo = child.find("mxGeometry")
            rel = float(geo.get("x") or 0) if geo is not None else 0.0
            x, y = self.point_at(path, (rel + 1) / 2) if path else (0.0, 0.0)
            offset = geo.find("mxPoint") if geo is not None else None
            if offset is not None and offset.get("as") == "offset":
                x, y = x + float(offset.get("x") or 0), y + float(offset.get("y") or 0)
            out.append((text, rel, (x, y)))
        return out

    def edges(self) -> list[Edge]:
        raw = [c for c in self.cells.values() if c.get("edge") == "1"]
        result: list[Edge] = []
        dangling: dict[tuple[float, float], list[tuple[ET.Element, str]]] = defaultdict(list)
        for edge in raw:
            src, src_pt = self.terminal(edge, "source")
            tgt, tgt_pt = self.terminal(edge, "target")
            if edge.get("source") and edge.get("source") not in self.boxes:
                continue  # anchored to a note or free text
            if edge.get("target") and edge.get("target") not in self.boxes:
                continue
            if src and tgt:
                result.append(self.make_edge(edge))
            elif src and tgt_pt:
                dangling[tgt_pt].append((edge, "target"))
            elif tgt and src_pt:
                dangling[src_pt].append((edge, "source"))
        for point, parts in dangling.items():
            if len(parts) != 2:
                raise ValueError(f"{self.name}: cannot join edges at {point}: {[p[0].get('id') for p in parts]}")
            result.append(self.join(parts))
        return result

    def end_labels(self, edge: ET.Element) -> tuple[list[str], dict[str, str | None]]:
        """Split labels into names and the multiplicities at the source and target ends."""
        names: list[str] = []
        mults = []
        for text, rel, pos in self.labels(edge):
            mult = multiplicity(text)
            if mult is None:
                names.extend(norm_space(n) for n in text.split(" / "))
            else:
                mults.append((rel, pos, mult))
        found: dict[str, str | None] = {"source": None, "target": None}
        if len(mults) == 2:
            mults.sort(key=lambda m: m[0])
            found["source"], found["target"] = mults[0][2], mults[1][2]
        elif len(mults) == 1:
            _, pos, mult = mults[0]
            found[self.nearest_end(edge, pos)] = mult
        elif len(mults) > 2:
            raise ValueError(f"{self.name}: edge {edge.get('id')} has {len(mults)} multiplicities")
        return names, found

    def nearest_end(self, edge: ET.Element, pos: tuple[float, float]) -> str:
        def distance(side: str) -> float:
            ref = edge.get(side)
            if ref in self.boxes:
                x, y, w, h = self.boxes[ref][1]
                dx = max(x - pos[0], 0, pos[0] - (x + w))
                dy = max(y - pos[1], 0, pos[1] - (y + h))
                return math.hypot(dx, dy)
            _, point = self.terminal(edge, side)
            return math.dist(point, pos) if point else math.inf

        return "source" if distance("source") <= distance("target") else "target"

    def make_edge(self, edge: ET.Element) -> Edge:
        style = style_of(edge)
        names, mults = self.end_labels(edge)
        src = End(self.boxes[required(edge, "source")][0], arrow_kind(style, "start"), mults["source"])
        tgt = End(self.boxes[required(edge, "target")][0], arrow_kind(style, "end"), mults["target"])
        return Edge(self.name, required(edge, "id"), (src, tgt), names)

    def join(self, parts: list[tuple[ET.Element, str]]) -> Edge:
        """Two edge pieces meeting at a free point form one association."""
        ends, names = [], []
        for edge, free_side in parts:
            style = style_of(edge)
            class_side = "source" if free_side == "target" else "target"
            arrow_side = "start" if class_side == "source" else "end"
            piece_names, mults = self.end_labels(edge)
            names.extend(piece_names)
            ends.append(
                End(self.boxes[required(edge, class_side)][0], arrow_kind(style, arrow_side), mults[class_side])
            )
        return Edge(self.name, "+".join(required(p[0], "id") for p in parts), (ends[0], ends[1]), names)


@dataclass
class Association:
    domain: str
    range: str
    name: str  # "" when the diagrams leave it unnamed
    kind: str  # association, aggregation, composition
    domain_mult: str | None
    range_mult: str | None
    diagrams: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    other_names: list[str] = field(default_factory=list)
    iri: str = ""
    parent: str = ""


def orient(edge: Edge) -> tuple[str, End, End]:
    """(kind, domain end, range end); generalisations return kind 'generalisation' (domain = sub-class)."""
    a, b = edge.ends
    if "block" in (a.arrow, b.arrow):
        return ("generalisation", a, b) if b.arrow == "block" else ("generalisation", b, a)
    for whole, part in ((a, b), (b, a)):
        if whole.arrow in {"diamond", "filledDiamond"}:
            return ("composition" if whole.arrow == "filledDiamond" else "aggregation"), whole, part
    if b.arrow == "open" and a.arrow != "open":
        return "association", a, b
    if a.arrow == "open" and b.arrow != "open":
        return "association", b, a
    return "association", a, b


def group_of_diagram(diagram: str) -> str:
    return diagram.replace("GSIM_2_0_", "").replace("_Group", "")


@dataclass
class Model:
    generalisations: set[tuple[str, str]]
    associations: list[Association]
    variants: dict[str, set[str]]
    problems: list[str]


def merge(seen: list[Association], home: dict[str, str], problems: list[str]) -> Association:
    """One association drawn in several diagrams: the diagram of the domain's own group decides, then the
    range's group; a name given by any diagram beats no name. Disagreements become editorial notes."""

    def rank(a: Association) -> tuple[bool, bool, bool]:
        group = group_of_diagram(a.diagrams[0])
        return group != home[a.domain], group != home[a.range], not a.name

    ranked = sorted(seen, key=rank)
    chosen = ranked[0]
    for other in ranked[1:]:
        chosen.notes.extend(n for n in other.notes if n not in chosen.notes)
    where = f"{group_of_diagram(chosen.diagrams[0])} Group diagram"
    if not chosen.name:
        named = next((a for a in ranked if a.name), None)
        if named is not None:
            chosen.name = named.name
            chosen.notes.append(
                f"The {where} draws this association without a name; the name comes from the "
                f"{group_of_diagram(named.diagrams[0])} Group diagram."
            )
    for other in ranked[1:]:
        chosen.diagrams += other.diagrams
        theirs = f"The {group_of_diagram(other.diagrams[0])} Group diagram"
        if other.name and other.name != chosen.name and other.name not in chosen.other_names:
            chosen.other_names.append(other.name)
            chosen.notes.append(
                f"{theirs} names this association \u201c{other.name}\u201d; the {where} "
                f"names it \u201c{chosen.name}\u201d."
            )
        self_link = chosen.domain == chosen.range
        for mine, their, end in (
            (chosen.domain_mult, other.domain_mult, "source" if self_link else chosen.domain),
            (chosen.range_mult, other.range_mult, "target" if self_link else chosen.range),
        ):
            if their and their != mine:
                chosen.notes.append(
                    f"{theirs} gives {their} at the {end} end; this follows the {where} ({mine or 'no multiplicity'})."
                )
        if other.kind != chosen.kind:
            chosen.notes.append(f"{theirs} draws it as {other.kind}; this follows the {where} ({chosen.kind}).")
    problems.extend(f"{chosen.domain} {chosen.name!r} {chosen.range}: {note}" for note in chosen.notes)
    return chosen


def collect_model(reference: Path, classes: list[GsimClass]) -> Model:
    official = {c.name.lower(): c.name for c in classes}
    home = {c.name: c.group for c in classes}
    generalisations: set[tuple[str, str]] = set()
    occurrences: list[Association] = []
    problems: list[str] = []
    variants: dict[str, set[str]] = defaultdict(set)
    for group in GROUPS:
        diagram = Diagram(reference / "gsim-2.0" / f"GSIM_2_0_{group}_Group.drawio", official)
        for cls, spellings in diagram.variants.items():
            variants[cls] |= spellings
        for text in diagram.unknown:
            problems.append(f"{diagram.name}: box {text!r} is not a class of the official list")
        for edge in diagram.edges():
            kind, dom, rng = orient(edge)
            if kind == "generalisation":
                generalisations.add((dom.cls, rng.cls))
                continue
            for name in edge.names or [""]:
                assoc = Association(dom.cls, rng.cls, name, kind, dom.multiplicity, rng.multiplicity, [diagram.name])
                fix = DIRECTION_FIXES.get((assoc.domain, assoc.name, assoc.range))
                if fix:
                    assoc.domain, assoc.range = assoc.range, assoc.domain
                    assoc.domain_mult, assoc.range_mult = assoc.range_mult, assoc.domain_mult
                    assoc.notes.append(fix)
                occurrences.append(assoc)
    # The same class pair drawn once in each of several diagrams is one association, whatever its name there;
    # pairs drawn more than once in a diagram are told apart by their names.
    by_pair: dict[tuple[str, str], list[Association]] = defaultdict(list)
    for assoc in occurrences:
        by_pair[(assoc.domain, assoc.range)].append(assoc)
    associations = []
    for _pair, seen in sorted(by_pair.items()):
        per_diagram: defaultdict[str, int] = defaultdict(int)
        for assoc in seen:
            per_diagram[assoc.diagrams[0]] += 1
        if max(per_diagram.values()) == 1:
            associations.append(merge(seen, home, problems))
            continue
        by_name: dict[str, list[Association]] = defaultdict(list)
        for assoc in seen:
            by_name[assoc.name].append(assoc)
        associations.extend(merge(group, home, problems) for _name, group in sorted(by_name.items()))
    return Model(generalisations, associations, variants, problems)


def name_associations(associations: list[Association]) -> dict[str, str]:
    """Give each association its property IRI; returns shared-name parents {local name: label}."""
    pairs: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for assoc in associations:
        if assoc.name:
            pairs[lower_camel(assoc.name)].add((assoc.domain, assoc.range))
    parents: dict[str, str] = {}
    for assoc in associations:
        if not assoc.name:
            assoc.iri = lower_camel(assoc.domain) + "To" + upper_camel(assoc.range)
            continue
        base = lower_camel(assoc.name)
        if len(pairs[base]) == 1 and base not in RESERVED:
            assoc.iri = base
        else:
            assoc.iri = lower_camel(assoc.domain) + upper_camel(assoc.name) + upper_camel(assoc.range)
            assoc.parent = base
            parents[base] = assoc.name
    return parents


# ------------------------------------------------------------------------------------------ 1.1 links
def gsim11_locals(reference: Path) -> set[str]:
    text = (reference / "stamina" / "gsim-1.1-ontology.rdf").read_text(encoding="utf-8")
    locals_ = set()
    for m in re.finditer(
        r'<rdf:Description rdf:about="http://rdf\.unece\.org/models/gsim#([^"]+)">\s*'
        r'<rdf:type rdf:resource="http://www\.w3\.org/2002/07/owl#Class"/>',
        text,
    ):
        locals_.add(m.group(1))
    return locals_


def gsim11_match(name: str, old_names: list[str], available: set[str]) -> list[str]:
    candidates = [name, *old_names]
    spelled = [c.replace("Organization", "Organisation").replace("Programme", "Program") for c in candidates]
    result = []
    for candidate in [*candidates, *spelled]:
        local = upper_camel(candidate)
        if local in available and local not in result:
            result.append(local)
    return result


# -------------------------------------------------------------------------------------------- prose
def read_prose(ttl: Path) -> dict[tuple[str, str], str]:
    """(local name, 'definition' | 'historyNote') -> text, from an existing gsim.ttl."""
    prose: dict[tuple[str, str], str] = {}
    if not ttl.exists():
        return prose
    import rdflib  # only needed to carry prose over

    graph = rdflib.Graph()
    graph.parse(ttl, format="turtle")
    skos = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
    for prop in ("definition", "historyNote"):
        for subject, text in graph.subject_objects(skos[prop]):
            if isinstance(subject, rdflib.URIRef) and str(subject).startswith(NS):
                prose[(str(subject)[len(NS) :], prop)] = str(text)
    return prose


def read_prose_tsv(path: Path) -> dict[tuple[str, str], str]:
    prose = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        key, _, text = line.partition("\t")
        prop = "definition"
        if key.startswith("#historyNote "):
            prop, key = "historyNote", key.split(" ", 1)[1]
        prose[(key.strip(), prop)] = norm_space(text)
    return prose


# ------------------------------------------------------------------------------------------- turtle
def lit(text: str, lang: str | None = "en") -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def nni(value: int) -> str:
    return f'"{value}"^^xsd:nonNegativeInteger'


def cardinality_parts(mult: str) -> list[tuple[str, int]]:
    low, high = bounds(mult)
    if high is not None and low == high:
        return [("owl:qualifiedCardinality", low)]
    parts = []
    if low > 0 or high is None:
        parts.append(("owl:minQualifiedCardinality", low))
    if high is not None:
        parts.append(("owl:maxQualifiedCardinality", high))
    return parts


HEADER = """\
# GSIM 2.0, the Generic Statistical Information Model (UNECE), in OWL 2.
#
# Facts (class names, groups, synonyms, attributes, generalisations, associations and multiplicities) follow the
# official GSIM 2.0 class list and UML group diagrams; definitions and notes are this project's own wording.
# A draft of this file can be regenerated with scripts/gsim_draft.py, which keeps the prose already written here.
#
# Modelling rules
# - Each GSIM class is an owl:Class gsim:UpperCamelName with rdfs:label and skos:prefLabel (official name),
#   skos:altLabel (official synonyms), skos:definition (own words) and exactly one gsim:group, one of the five
#   gsim:Group individuals. Generalisations in the diagrams are rdfs:subClassOf. The diagrams' note that all
#   classes except a listed few are sub-types of Identifiable Artefact is applied to the classes that have no
#   other super-class.
# - Attributes: one property per official attribute name, shared by every class using that name (no
#   rdfs:domain). The official value type decides the kind of property:
#     String, Boolean, Number (primitive values)      -> owl:DatatypeProperty, range xsd:string, xsd:boolean,
#       xsd:decimal;
#     Date                                              -> owl:DatatypeProperty for xsd:date literals; as xsd:date
#       is outside the OWL 2 datatype map, no rdfs:range is stated and restrictions use rdfs:Literal;
#     MultilingualText (text in several languages)      -> owl:DatatypeProperty, range rdf:PlainLiteral
#       (language-tagged strings);
#     ControlledVocabulary (a term from a code list)      -> owl:ObjectProperty, range skos:Concept.
#   rdfs:range is stated only when every class agrees on the value type; gsim:valueType keeps the official type
#   text. A name whose uses would need both kinds of property, or that clashes with a term of this vocabulary,
#   gets a property per class (gsim:<class><Name>).
#   Each use of an attribute by a class is one qualified cardinality restriction on that class (0..* gives
#   owl:minQualifiedCardinality 0) whose rdfs:subClassOf axiom is annotated with gsim:multiplicity (UML form,
#   "0..1", "1..1", "0..*", "1..*") and gsim:valueType.
# - Associations: one owl:ObjectProperty per UML association, named from the association name in lowerCamel,
#   with rdfs:domain and rdfs:range. A name used by several class pairs gets one property per pair,
#   gsim:<domain><Name><Range>, each a sub-property of a property gsim:<name> that carries the bare name.
#   Unnamed associations are gsim:<domain>To<Range>. Direction: the name reads from the whole to the part of an
#   aggregation or composition (diamond end = domain), else towards the arrow head; lines without any arrow
#   read as drawn. gsim:umlKind tells association, aggregation or composition; gsim:sourceMultiplicity
#   (how many domain instances per range instance) and gsim:targetMultiplicity (how many range instances per
#   domain instance) keep the UML multiplicities, which are also restrictions: on the domain class for the
#   target end, on the range class (through owl:inverseOf) for the source end. Where two diagrams disagree,
#   the diagram of the domain class's own group is followed and skos:editorialNote says so.
# - GSIM 1.2 classes renamed or removed in 2.0 stay as deprecated classes (owl:deprecated true,
#   dcterms:isReplacedBy the 2.0 successor, skos:historyNote); they have no gsim:group. Renamed ones are
#   owl:equivalentClass to their successor, removed special cases rdfs:subClassOf it.
# - skos:exactMatch links to the older GSIM 1.1 OWL terms (http://rdf.unece.org/models/gsim#) of the same class.
#
# Query patterns (SPARQL)
#   Attributes of a class, with multiplicity and value type:
#     SELECT ?attribute ?name ?multiplicity ?valueType WHERE {
#       ?axiom a owl:Axiom ; owl:annotatedSource gsim:ProcessStep ; owl:annotatedProperty rdfs:subClassOf ;
#              owl:annotatedTarget ?restriction ; gsim:multiplicity ?multiplicity ; gsim:valueType ?valueType .
#       ?restriction owl:onProperty ?attribute . ?attribute rdfs:label ?name . }
#   Associations out of and into a class, with multiplicities:
#     SELECT ?association ?name ?direction ?other ?sourceMultiplicity ?targetMultiplicity ?kind WHERE {
#       { ?association rdfs:domain gsim:ProcessStep ; rdfs:range ?other . BIND("out" AS ?direction) }
#       UNION { ?association rdfs:range gsim:ProcessStep ; rdfs:domain ?other . BIND("in" AS ?direction) }
#       ?association a owl:ObjectProperty ; rdfs:label ?name ; gsim:umlKind ?kind .
#       OPTIONAL { ?association gsim:sourceMultiplicity ?sourceMultiplicity }
#       OPTIONAL { ?association gsim:targetMultiplicity ?targetMultiplicity } }

@prefix gsim: <http://id.unece.org/def/gsim#> .
@prefix gsim11: <http://rdf.unece.org/models/gsim#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix vann: <http://purl.org/vocab/vann/> .
"""

ANNOTATION_PROPERTIES = [
    ("group", "group", "The GSIM group a class belongs to."),
    ("valueType", "value type", "The official GSIM value type of an attribute, as written in the class list."),
    (
        "multiplicity",
        "multiplicity",
        "UML multiplicity of an attribute of a class, written min..max with * for no upper bound.",
    ),
    (
        "sourceMultiplicity",
        "source multiplicity",
        "UML multiplicity at the domain end of an association: how many domain instances one range instance "
        "is linked to.",
    ),
    (
        "targetMultiplicity",
        "target multiplicity",
        "UML multiplicity at the range end of an association: how many range instances one domain instance "
        "is linked to.",
    ),
    (
        "umlKind",
        "UML kind",
        "What a property stands for in the UML model: attribute, association, aggregation or composition.",
    ),
    ("deprecatedSince", "deprecated since", "The GSIM version in which a class was renamed or removed."),
]

EXTERNAL_ANNOTATIONS = [
    "skos:prefLabel",
    "skos:altLabel",
    "skos:hiddenLabel",
    "skos:definition",
    "skos:historyNote",
    "skos:editorialNote",
    "skos:exactMatch",
    "dcterms:title",
    "dcterms:description",
    "dcterms:license",
    "dcterms:rights",
    "dcterms:source",
    "dcterms:creator",
    "dcterms:modified",
    "dcterms:isReplacedBy",
    "vann:preferredNamespacePrefix",
    "vann:preferredNamespaceUri",
]


class Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def block(self, subject: str, pairs: list[tuple[str, list[str]]]) -> None:
        pairs = [(p, objs) for p, objs in pairs if objs]
        self.lines.append(subject)
        for i, (prop, objs) in enumerate(pairs):
            end = " ." if i == len(pairs) - 1 else " ;"
            if len(objs) == 1:
                self.lines.append(f"    {prop} {objs[0]}{end}")
            else:
                self.lines.append(f"    {prop} {objs[0]} ,")
                for j, obj in enumerate(objs[1:], start=1):
                    self.lines.append(f"        {obj}{end if j == len(objs) - 1 else ' ,'}")
        self.lines.append("")

    def comment(self, text: str) -> None:
        self.lines.extend(["", f"# {'-' * 100}", f"# {text}", f"# {'-' * 100}", ""])

    def text(self) -> str:
        return "\n".join(self.lines).rstrip() + "\n"


def build(reference: Path, prose: dict[tuple[str, str], str], modified: str, report: list[str]) -> str:
    md = reference / "gsim-2.0" / "gsim-2.0-classes.md"
    classes = parse_class_list(md)
    by_name = {c.name: c for c in classes}
    model = collect_model(reference, classes)
    generalisations, associations = model.generalisations, model.associations
    report.extend(model.problems)
    parents = name_associations(associations)
    gsim11 = gsim11_locals(reference)

    # Identifiable Artefact for the classes the official note does not exclude and that have no super-class.
    official = {c.name.lower(): c.name for c in classes}
    excluded = {official[n.lower()] for n in identifiable_exceptions(md)}
    supers: dict[str, set[str]] = defaultdict(set)
    for sub, sup in generalisations:
        supers[sub].add(sup)

    def excluded_or_below(name: str) -> bool:
        return name in excluded or any(excluded_or_below(s) for s in supers[name])

    for cls in classes:
        if cls.name != "Identifiable Artefact" and not supers[cls.name] and not excluded_or_below(cls.name):
            supers[cls.name].add("Identifiable Artefact")

    # Attribute properties.
    uses: dict[str, list[tuple[GsimClass, Attribute]]] = defaultdict(list)
    for cls in classes:
        for attr in cls.attributes:
            if attr.value_type not in VALUE_TYPES:
                raise ValueError(f"{cls.name}.{attr.name}: unknown value type {attr.value_type!r}")
            uses[lower_camel(attr.name)].append((cls, attr))
    attr_iri: dict[tuple[str, str], str] = {}
    attr_props: dict[str, list[tuple[GsimClass, Attribute]]] = defaultdict(list)
    for base, items in uses.items():
        kinds = defaultdict(list)
        for cls, attr in items:
            kinds[VALUE_TYPES[attr.value_type][0]].append((cls, attr))
        main_kind = max(kinds, key=lambda k: (len(kinds[k]), k == "datatype"))
        for kind, kind_items in kinds.items():
            for cls, attr in kind_items:
                if kind == main_kind and base not in RESERVED:
                    iri = base
                else:
                    iri = lower_camel(cls.name) + upper_camel(attr.name)
                attr_iri[(cls.name, attr.name)] = iri
                attr_props[iri].append((cls, attr))

    assoc_iris = {a.iri for a in associations} | set(parents)
    clash = (assoc_iris & set(attr_props)) | ((assoc_iris | set(attr_props)) & RESERVED)
    if clash:
        raise ValueError(f"property names clash: {sorted(clash)}")

    renamed_to: dict[str, list[str]] = defaultdict(list)
    for old, (new, kind, _note) in DEPRECATED.items():
        if kind == "renamed":
            renamed_to[new].append(old)

    w = Writer()
    w.lines.append(HEADER)
    w.block(
        f"<{ONTOLOGY_IRI}>",
        [
            ("a", ["owl:Ontology"]),
            ("owl:versionIRI", [f"<{ONTOLOGY_IRI}/2.0>"]),
            ("owl:versionInfo", [lit("2.0", None)]),
            ("dcterms:title", [lit("Generic Statistical Information Model (GSIM) 2.0")]),
            (
                "dcterms:description",
                [
                    lit(
                        "OWL 2 encoding of GSIM 2.0, the UNECE reference model of the information used and produced in "
                        "official statistics: its classes in five groups, their attributes, generalisations and "
                        "associations, with the GSIM 1.2 names that 2.0 renamed or removed kept as deprecated terms."
                    )
                ],
            ),
            ("dcterms:license", ["<https://creativecommons.org/licenses/by/4.0/>"]),
            (
                "dcterms:rights",
                [
                    lit(
                        "GSIM 2.0 is published by the United Nations Economic Commission for Europe (UNECE) "
                        "on behalf of the international statistical community under the Creative Commons "
                        "Attribution 4.0 licence; this encoding is attributed to UNECE and licensed the same way."
                    )
                ],
            ),
            (
                "dcterms:source",
                [
                    "<https://github.com/UNECE/GSIM-2.0>",
                    f"<https://github.com/UNECE/GSIM-2.0/tree/{SOURCE_COMMIT}>",
                    "<https://unece.org/statistics/modernstats/gsim>",
                ],
            ),
            ("skos:editorialNote", [lit(SOURCE_NOTE)]),
            ("dcterms:creator", [lit("ModernStats KG", None)]),
            ("dcterms:modified", [f'"{modified}"^^xsd:date']),
            ("vann:preferredNamespacePrefix", [lit("gsim", None)]),
            ("vann:preferredNamespaceUri", [lit(NS, None)]),
        ],
    )

    w.comment("Annotation properties")
    for local, label, definition in ANNOTATION_PROPERTIES:
        w.block(
            f"gsim:{local}",
            [
                ("a", ["owl:AnnotationProperty"]),
                ("rdfs:label", [lit(label)]),
                ("skos:definition", [lit(prose.get((local, "definition"), definition))]),
                ("rdfs:isDefinedBy", [f"<{ONTOLOGY_IRI}>"]),
            ],
        )
    for prop in EXTERNAL_ANNOTATIONS:
        w.lines.append(f"{prop} a owl:AnnotationProperty .")
    w.lines.append("skos:Concept a owl:Class .")
    w.lines.append("")

    w.comment("Groups")
    w.block(
        "gsim:Group",
        [
            ("a", ["owl:Class"]),
            ("rdfs:label", [lit("Group")]),
            ("skos:prefLabel", [lit("Group")]),
            (
                "skos:definition",
                [lit(prose.get(("Group", "definition"), "One of the five parts into which GSIM sorts its classes."))],
            ),
            ("rdfs:isDefinedBy", [f"<{ONTOLOGY_IRI}>"]),
        ],
    )
    for group in GROUPS:
        local = f"{group}Group"
        w.block(
            f"gsim:{local}",
            [
                ("a", ["owl:NamedIndividual", "gsim:Group"]),
                ("rdfs:label", [lit(f"{group} Group")]),
                ("skos:prefLabel", [lit(f"{group} Group")]),
                ("skos:definition", [lit(prose[(local, "definition")])] if (local, "definition") in prose else []),
                ("rdfs:isDefinedBy", [f"<{ONTOLOGY_IRI}>"]),
            ],
        )

    # Restrictions per class.
    restrictions: dict[str, list[str]] = defaultdict(list)
    axioms: list[str] = []
    for cls in classes:
        for attr in cls.attributes:
            iri = attr_iri[(cls.name, attr.name)]
            kind, rng = VALUE_TYPES[attr.value_type]
            filler = "owl:onClass" if kind == "object" else "owl:onDataRange"
            for n, (card, value) in enumerate(cardinality_parts(attr.multiplicity)):
                node = f"_:{cls.local}.{iri}" + (f".{n}" if n else "")
                restrictions[cls.name].append(node)
                axioms.append(
                    f"{node} a owl:Restriction ; owl:onProperty gsim:{iri} ; {card} {nni(value)} ; {filler} {rng} ."
                )
                axioms.append(
                    f"[] a owl:Axiom ; owl:annotatedSource gsim:{cls.local} ; "
                    f"owl:annotatedProperty rdfs:subClassOf ; owl:annotatedTarget {node} ;\n"
                    f"    gsim:multiplicity {lit(attr.multiplicity, None)} ; "
                    f"gsim:valueType {lit(attr.value_type, None)} ."
                )
    for assoc in associations:
        dom, rng = by_name[assoc.domain].local, by_name[assoc.range].local
        if assoc.range_mult:
            for card, value in cardinality_parts(assoc.range_mult):
                if card == "owl:minQualifiedCardinality" and value == 0:
                    continue
                restrictions[assoc.domain].append(
                    f"[ a owl:Restriction ; owl:onProperty gsim:{assoc.iri} ; {card} {nni(value)} ; "
                    f"owl:onClass gsim:{rng} ]"
                )
        if assoc.domain_mult:
            for card, value in cardinality_parts(assoc.domain_mult):
                if card == "owl:minQualifiedCardinality" and value == 0:
                    continue
                restrictions[assoc.range].append(
                    f"[ a owl:Restriction ; owl:onProperty [ owl:inverseOf gsim:{assoc.iri} ] ; {card} "
                    f"{nni(value)} ; owl:onClass gsim:{dom} ]"
                )

    for group in GROUPS:
        w.comment(f"{group} Group classes")
        for cls in sorted((c for c in classes if c.group == group), key=lambda c: c.name):
            matches = gsim11_match(cls.name, renamed_to.get(cls.name, []), gsim11)
            hidden = [lit(v) for v in sorted(model.variants.get(cls.name, set()) - set(DEPRECATED))]
            w.block(
                f"gsim:{cls.local}",
                [
                    ("a", ["owl:Class"]),
                    ("rdfs:label", [lit(cls.name)]),
                    ("skos:prefLabel", [lit(cls.name)]),
                    ("skos:altLabel", [lit(s) for s in cls.synonyms]),
                    ("skos:hiddenLabel", hidden),
                    (
                        "skos:definition",
                        [lit(prose[(cls.local, "definition")])] if (cls.local, "definition") in prose else [],
                    ),
                    ("gsim:group", [f"gsim:{group}Group"]),
                    ("rdfs:isDefinedBy", [f"<{ONTOLOGY_IRI}>"]),
                    (
                        "rdfs:subClassOf",
                        [f"gsim:{by_name[s].local}" for s in sorted(supers[cls.name])] + restrictions[cls.name],
                    ),
                    ("skos:exactMatch", [f"gsim11:{m}" for m in matches]),
                ],
            )

    w.comment("Attribute restrictions (one per class and attribute) and their multiplicity annotations")
    w.lines.extend(axioms)
    w.lines.append("")

    w.comment("Attributes")
    for iri in sorted(attr_props):
        items = attr_props[iri]
        kind = VALUE_TYPES[items[0][1].value_type][0]
        ranges = {VALUE_TYPES[a.value_type][1] for _, a in items}
        types = sorted({a.value_type for _, a in items})
        names = sorted({a.name for _, a in items})
        w.block(
            f"gsim:{iri}",
            [
                ("a", ["owl:ObjectProperty" if kind == "object" else "owl:DatatypeProperty"]),
                ("rdfs:label", [lit(n) for n in names]),
                ("gsim:umlKind", [lit("attribute", None)]),
                ("gsim:valueType", [lit(t, None) for t in types] if len(types) == 1 else []),
                ("rdfs:range", sorted(ranges) if len(ranges) == 1 and ranges != {"rdfs:Literal"} else []),
                ("skos:definition", [lit(prose[(iri, "definition")])] if (iri, "definition") in prose else []),
                ("rdfs:isDefinedBy", [f"<{ONTOLOGY_IRI}>"]),
            ],
        )

    w.comment("Associations")
    for base in sorted(parents):
        w.block(
            f"gsim:{base}",
            [
                ("a", ["owl:ObjectProperty"]),
                ("rdfs:label", [lit(parents[base])]),
                (
                    "skos:definition",
                    [
                        lit(
                            prose.get(
                                (base, "definition"),
                                f"Any of the GSIM associations named \u201c{parents[base]}\u201d, "
                                "whatever the classes they link.",
                            )
                        )
                    ],
                ),
                ("rdfs:isDefinedBy", [f"<{ONTOLOGY_IRI}>"]),
            ],
        )
    for assoc in sorted(associations, key=lambda a: a.iri):
        notes = list(assoc.notes)
        label = assoc.name
        if not assoc.name:
            label = f"{assoc.domain} to {assoc.range}"
            notes.insert(0, "The GSIM 2.0 diagrams leave this association unnamed; the label is descriptive.")
        w.block(
            f"gsim:{assoc.iri}",
            [
                ("a", ["owl:ObjectProperty"]),
                ("rdfs:label", [lit(label)]),
                ("skos:altLabel", [lit(n) for n in assoc.other_names]),
                ("rdfs:subPropertyOf", [f"gsim:{assoc.parent}"] if assoc.parent else []),
                ("rdfs:domain", [f"gsim:{by_name[assoc.domain].local}"]),
                ("rdfs:range", [f"gsim:{by_name[assoc.range].local}"]),
                ("gsim:umlKind", [lit(assoc.kind, None)]),
                ("gsim:sourceMultiplicity", [lit(assoc.domain_mult, None)] if assoc.domain_mult else []),
                ("gsim:targetMultiplicity", [lit(assoc.range_mult, None)] if assoc.range_mult else []),
                (
                    "skos:definition",
                    [lit(prose[(assoc.iri, "definition")])] if (assoc.iri, "definition") in prose else [],
                ),
                ("skos:editorialNote", [lit(n) for n in notes]),
                ("rdfs:isDefinedBy", [f"<{ONTOLOGY_IRI}>"]),
            ],
        )

    w.comment("GSIM 1.2 classes renamed or removed in GSIM 2.0 (deprecated; their IRIs keep resolving)")
    for old in sorted(DEPRECATED):
        new, kind, note = DEPRECATED[old]
        local = upper_camel(old)
        target = f"gsim:{by_name[new].local}"
        w.block(
            f"gsim:{local}",
            [
                ("a", ["owl:Class"]),
                ("rdfs:label", [lit(old)]),
                ("skos:prefLabel", [lit(old)]),
                ("skos:definition", [lit(prose[(local, "definition")])] if (local, "definition") in prose else []),
                ("owl:deprecated", ["true"]),
                ("gsim:deprecatedSince", [lit("2.0", None)]),
                ("dcterms:isReplacedBy", [target]),
                ("owl:equivalentClass", [target] if kind == "renamed" else []),
                ("rdfs:subClassOf", [target] if kind == "removed-sub" else []),
                ("skos:historyNote", [lit(prose.get((local, "historyNote"), note))]),
                ("rdfs:isDefinedBy", [f"<{ONTOLOGY_IRI}>"]),
                ("skos:exactMatch", [f"gsim11:{m}" for m in gsim11_match(old, [], gsim11)]),
            ],
        )
    return w.text()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--prose",
        type=Path,
        action="append",
        default=[],
        help="TSV of LocalName<TAB>definition lines to add or replace",
    )
    parser.add_argument("--modified", default=dt.date.today().isoformat())
    parser.add_argument("--report", action="store_true", help="print where the diagrams disagree")
    args = parser.parse_args(argv)
    prose = read_prose(args.out)
    for path in args.prose:
        prose.update(read_prose_tsv(path))
    report: list[str] = []
    text = build(args.reference, prose, args.modified, report)
    args.out.write_text(text, encoding="utf-8")
    if args.report:
        for line in report:
            print(line, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
