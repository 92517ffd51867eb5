"""Canonical Turtle (`mskg fmt`): idempotent, the same graph back, comments kept, one change = a few lines of diff."""

from __future__ import annotations

import difflib
import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from conftest import PROJECT_ROOT
from modernstats_kg.canonical import format_turtle, parse_turtle, read_layout, write_turtle
from modernstats_kg.content import content_files
from test_cli import assert_clean_failure, mskg

CONTENT = content_files(PROJECT_ROOT)
MAPPING_FILE = PROJECT_ROOT / "mappings" / "gsim-gsbpm.ttl"
IM = "http://id.unece.org/mappings/informationMapping/"
MAP = "http://id.unece.org/def/mapping#"
_COMMENT = re.compile(r"^\s*(#.*)$")


def comment_lines(text: str) -> list[str]:
    """Whole-line comments of a Turtle text (none of the content files has a comment after a statement)."""
    return sorted(m.group(1).rstrip() for line in text.splitlines() if (m := _COMMENT.match(line)))


def graph_of(text: str, base: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=text, format="turtle", publicID=base)


@pytest.mark.parametrize("path", CONTENT, ids=lambda p: p.name)
def test_fmt_is_idempotent_keeps_the_graph_and_every_comment(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    base = path.resolve().as_uri()
    once = format_turtle(text, base_iri=base)
    assert format_turtle(once, base_iri=base) == once
    assert isomorphic(graph_of(text, base), graph_of(once, base))
    assert comment_lines(once) == comment_lines(text)
    header = text.split("@prefix", 1)[0].strip()
    assert once.startswith(header), "the file header stays at the top"


def test_comments_stay_with_their_subject_and_predicate() -> None:
    text = (PROJECT_ROOT / "ontology" / "cspa.ttl").read_text(encoding="utf-8")
    once = format_turtle(text)
    note = "    # The reference catalogue records no GSIM input; the output is the classification it returns."
    lines = once.splitlines()
    at = lines.index(note)
    assert lines[at + 1].startswith("    cspa:hasOutput "), "the note stays above the predicate it explains"
    block_start = max(i for i in range(at) if lines[i] and not lines[i].startswith((" ", "#")))
    assert lines[block_start].startswith("svc:retrieveStatisticalClassification ")
    banner = "# Catalogue: statistical services"
    assert lines[lines.index(banner) + 3].startswith("svc:"), "a section banner stays above its first subject"


def _canonical_mapping_text() -> tuple[str, list[ox.Triple], dict[str, str]]:
    canonical = format_turtle(MAPPING_FILE.read_text(encoding="utf-8"))
    triples, prefixes = parse_turtle(canonical)
    return canonical, triples, prefixes


def _changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_changing_one_mapping_changes_only_its_lines() -> None:
    canonical, triples, prefixes = _canonical_mapping_text()
    layout = read_layout(canonical, prefixes)
    mapping = ox.NamedNode(IM + "5.3-coreInput-instanceVariable")
    justification = ox.NamedNode(MAP + "justification")
    edited = [t for t in triples if not (t.subject == mapping and t.predicate == justification)]
    edited.append(
        ox.Triple(mapping, justification, ox.Literal('Checked value by value, with "quotes".', language="en"))
    )
    after = write_turtle(edited, prefixes, layout)
    changed = _changed_lines(canonical, after)
    assert len(changed) == 2 and changed[0].startswith("-    map:justification ") and "quotes" in changed[1]


def test_adding_and_removing_a_mapping_changes_one_block() -> None:
    canonical, triples, prefixes = _canonical_mapping_text()
    layout = read_layout(canonical, prefixes)
    template = ox.NamedNode(IM + "5.3-coreInput-instanceVariable")
    new = ox.NamedNode(IM + "5.3-coreInput-unitType")
    added = [ox.Triple(new, t.predicate, t.object) for t in triples if t.subject == template]
    after = write_turtle([*triples, *added], prefixes, layout)
    changed = _changed_lines(canonical, after)
    assert all(line.startswith("+") for line in changed)
    assert changed[0] == "+im:5.3-coreInput-unitType a map:InformationMapping ;"
    assert len(changed) == len(format_turtle_block(after, new)) + 1  # the block and one blank line
    lines = after.splitlines()
    assert lines[lines.index(changed[0][1:]) - 2].startswith("    "), "placed after a 5.3 mapping, not at the end"
    removed = write_turtle([t for t in triples if t.subject != template], prefixes, layout)
    assert all(line.startswith("-") for line in _changed_lines(canonical, removed))


def format_turtle_block(text: str, subject: ox.NamedNode) -> list[str]:
    lines = text.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("im:" + subject.value.removeprefix(IM) + " "))
    end = next(i for i in range(head, len(lines)) if lines[i].endswith(" ."))
    return lines[head : end + 1]


def test_blank_nodes_lists_and_shared_nodes_round_trip() -> None:
    text = r"""@prefix ex: <http://example.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
ex:a ex:list ( ex:x "y" [ ex:p 1 ] ) ; ex:nested [ ex:q [ ex:r "deep\nline" ] ] .
_:shared ex:s ex:t . ex:b ex:uses _:shared . ex:c ex:uses _:shared .
_:c1 ex:next _:c2 . _:c2 ex:next _:c1 .
ex:d ex:v 1.5, true, "2026-01-01"^^<http://www.w3.org/2001/XMLSchema#date>, "x"@en-gb .
"""
    once = format_turtle(text)
    assert format_turtle(once) == once
    assert isomorphic(graph_of(text, "http://example.org/"), graph_of(once, "http://example.org/"))
    assert '( ex:x "y" [' in once or "(\n" in once


@pytest.mark.slow
def test_mskg_fmt_checks_rewrites_and_names_a_broken_file(tmp_path: Path) -> None:
    for folder in ("ontology", "mappings", "shapes"):
        shutil.copytree(PROJECT_ROOT / folder, tmp_path / folder)
    target = tmp_path / "mappings" / "gamso-gsbpm.ttl"
    target.write_text(format_turtle(target.read_text(encoding="utf-8")) + "\n\n", encoding="utf-8")
    checked = mskg("fmt", "--check", str(target))
    assert checked.returncode == 1 and f"would reformat {target}" in checked.stdout
    assert target.read_text(encoding="utf-8").endswith("\n\n\n"), "--check changes nothing"
    assert mskg("fmt", str(target)).returncode == 0
    assert mskg("fmt", "--check", str(target)).returncode == 0
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ;; .\n", encoding="utf-8")
    result = mskg("fmt", "--check", str(broken))
    assert_clean_failure(result, 2)
    assert f"{broken}:2:" in result.stderr
