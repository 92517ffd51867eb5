"""Generate ontology/gsim-changes.ttl: the GSIM 1.2 -> 2.0 change log as data, one resource per row of the log.

Reads the official change log (gsim-2.0/gsim-change-log-1.2-to-2.0.xlsx in the reference folder, read in place) with
openpyxl and records facts only: the log's sheet and row, the group and the term changed (resolved to its
http://id.unece.org/def/gsim# class where the name is known, including GSIM 1.2 names kept as deprecated classes),
the kind of change, what was done (added, removed, changed, moved, renamed), the other classes it involves, the names
it quotes (attribute and association names) and multiplicities before and after. The one-line summary is composed
from those facts (the log's own sentences are not copied).

Usage:
  python scripts/gsim_change_log.py                      # rewrite ontology/gsim-changes.ttl
  python scripts/gsim_change_log.py --reference DIR --out FILE
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from rdflib import Graph, Literal
from rdflib.namespace import RDFS, SKOS

from modernstats_kg.canonical import format_turtle

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REFERENCE = PROJECT_ROOT.parent / "shared" / "reference"
DEFAULT_OUT = PROJECT_ROOT / "ontology" / "gsim-changes.ttl"
LOG = "gsim-2.0/gsim-change-log-1.2-to-2.0.xlsx"
SHEET = "GSIM v2.0 Change Log (2023)"
GSIM = "http://id.unece.org/def/gsim#"
CHANGE = "http://id.unece.org/changes/gsim/2.0/"
FIRST_DATA_ROW = 3  # row 1 is the title, row 2 the column names

# The log's change types -> (local name of the project's change kind, words for the summary)
KINDS = {
    "Attribute": ("attributeChange", "attribute"),
    "Relation": ("associationChange", "association"),
    "Definition": ("definitionChange", "definition"),
    "Explanatory text": ("explanatoryTextChange", "explanatory text"),
    "Definition/explanatory text": ("definitionChange", "definition or explanatory text"),
    "Rename": ("rename", "name"),
    "Removal": ("removal", "class"),
    "Addition": ("addition", "class"),
    "No change": ("noChange", "nothing"),
    "Change terminology": ("terminologyChange", "terminology"),
    "Writing convention": ("writingConvention", "writing convention"),
}
ACTIONS = {
    "add": "added",
    "create": "added",
    "remove": "removed",
    "removed": "removed",
    "delete": "removed",
    "change": "changed",
    "changed": "changed",
    "update": "changed",
    "move": "moved",
    "rename": "renamed",
    "apply": "applied",
}
ABBREVIATIONS = {"RM": "Referential Metadata", "IA": "Identifiable Artefact"}
QUOTED = re.compile(r"[\"“”']([^\"“”']{2,60})[\"“”']")
MULTIPLICITY = re.compile(r"from\s+([0-9n*.,]+)\s+to\s+([0-9n*.,]+)")


def normal(name: str) -> str:
    words = name.replace("Programme", "Program").replace("Organization", "Organisation")
    for short, long in ABBREVIATIONS.items():
        words = re.sub(rf"\b{short}\b", long, words)
    return re.sub(r"[^a-z]", "", words.lower())


@dataclass
class Terms:
    """GSIM class names (2.0 and deprecated 1.2 ones) -> IRI, for resolving the log's object names."""

    by_name: dict[str, str] = field(default_factory=dict)
    label: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_gsim(cls, path: Path) -> Terms:
        graph = Graph().parse(path)
        terms = cls()
        for prop in (RDFS.label, SKOS.prefLabel, SKOS.altLabel):
            for subject, name in graph.subject_objects(prop):
                iri = str(subject)
                if iri.startswith(GSIM) and iri[len(GSIM) :][:1].isupper():
                    terms.by_name.setdefault(normal(str(name)), iri)
                    if prop == RDFS.label:
                        terms.label[iri] = str(name)
        return terms

    def resolve(self, name: str) -> str | None:
        return self.by_name.get(normal(name))

    def mentioned(self, text: str, besides: str | None) -> list[str]:
        """Classes named in `text` (longest names first, each once), other than `besides`."""
        found: list[str] = []
        words = re.sub(r"[^A-Za-z ]", " ", text)
        for short, long in ABBREVIATIONS.items():
            words = re.sub(rf"\b{short}\b", long, words)
        tokens = words.split()
        for size in range(6, 0, -1):
            for start in range(len(tokens) - size + 1):
                phrase = " ".join(tokens[start : start + size])
                if not all(token[:1].isupper() for token in phrase.split()):
                    continue  # class names are in title case: "Change definition" is no Change Definition
                iri = self.resolve(phrase)
                if iri and iri != besides and iri not in found:
                    found.append(iri)
        return found


@dataclass
class Change:
    row: int
    group: str
    obj: str
    kind: str
    text: str


def read_log(path: Path) -> list[Change]:
    sheet = openpyxl.load_workbook(path, read_only=True)[SHEET]
    changes: list[Change] = []
    group = obj = ""
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number < FIRST_DATA_ROW or not any(values):
            continue
        cells = [str(v).strip() if v is not None else "" for v in values[:4]]
        group = cells[0] or group
        if cells[0]:
            obj = cells[1]
        obj = cells[1] or obj
        if cells[2]:
            changes.append(Change(number, group, obj, cells[2], cells[3]))
    return changes


def action_of(change: Change) -> str:
    fixed = {"Removal": "removed", "Addition": "added", "Rename": "renamed", "No change": "none"}
    if change.kind in fixed:
        return fixed[change.kind]
    first = change.text.split()[0].lower() if change.text.split() else ""
    return ACTIONS.get(first, "changed" if change.kind != "No change" else "none")


def summary(change: Change, terms: Terms, term: str | None, related: list[str], names: list[str]) -> str:
    kind = KINDS.get(change.kind, ("otherChange", change.kind.lower()))[1]
    action = action_of(change)
    subject = terms.label.get(term, change.obj) if term else "the whole model"
    if change.kind == "No change":
        return f"{subject}: no change."
    words = f"{subject}: {action}" if change.kind == "Rename" else f"{subject}: {kind} {action}"
    if names:
        words += " (" + ", ".join(names) + ")"
    if related:
        words += "; involves " + ", ".join(terms.label.get(r, r) for r in related)
    match = MULTIPLICITY.search(change.text)
    if match:
        words += f"; multiplicity {match.group(1)} -> {match.group(2)}"
    return words + "."


def literal(text: str) -> str:
    return Literal(text).n3()


def turtle(changes: list[Change], terms: Terms) -> str:
    out = [HEADER]
    for change in changes:
        kind_local = KINDS.get(change.kind, ("otherChange", ""))[0]
        term = terms.resolve(change.obj) if change.obj else None
        related = terms.mentioned(change.text, term)
        names = [
            n.strip()
            for n in QUOTED.findall(change.text)
            if not terms.resolve(n.strip()) and not re.fullmatch(r"[0-9n*., ]+", n.strip())
        ]
        lines = [
            f"<{CHANGE}{change.row}> a gsimx:ModelChange ;",
            f"    gsimx:logRow {change.row} ;",
            f"    gsimx:logGroup {literal(change.group)} ;",
            f"    gsimx:changeKind gsimx:{kind_local} ;",
            f"    gsimx:action {literal(action_of(change))} ;",
            f"    gsimx:changedTerm <{term or 'http://id.unece.org/def/gsim'}> ;",
        ]
        if change.obj:
            lines.append(f"    gsimx:logObject {literal(change.obj)} ;")
        lines.extend(f"    gsimx:involves <{r}> ;" for r in related)
        lines.extend(f"    gsimx:quotedName {literal(n)} ;" for n in names)
        match = MULTIPLICITY.search(change.text)
        if match:
            lines.append(f"    gsimx:multiplicityBefore {literal(match.group(1))} ;")
            lines.append(f"    gsimx:multiplicityAfter {literal(match.group(2))} ;")
        lines.append(f"    rdfs:comment {literal(summary(change, terms, term, related, names))}@en .")
        out.append("\n".join(lines) + "\n")
    return "\n".join(out)


# The file's header, vocabulary and ontology description: Turtle kept beside this script
HEADER = (Path(__file__).parent / "gsim_change_log_header.ttl").read_text(encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE, help="the shared reference folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the Turtle file to write")
    args = parser.parse_args()
    terms = Terms.from_gsim(PROJECT_ROOT / "ontology" / "gsim.ttl")
    changes = read_log(args.reference / LOG)
    # written in the project's canonical form, as every committed content file is (`mskg fmt`)
    args.out.write_text(format_turtle(turtle(changes, terms), base_iri=args.out.resolve().as_uri()), encoding="utf-8")
    unresolved = sorted({c.obj for c in changes if c.obj and not terms.resolve(c.obj)})
    print(f"{len(changes)} changes written to {args.out}; object names not resolved: {unresolved or 'none'}")


if __name__ == "__main__":
    main()
