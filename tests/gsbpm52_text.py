"""The official GSBPM 5.2 text (../shared/reference/gsbpm-5.2/gsbpm-5.2.txt), read in place and split into the
facts the tests check against: names of phases, sub-processes and overarching activities, numbered paragraphs, and
the typical steps each sub-process lists (the bulleted lines under its heading, with their paragraph)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_SUBPROCESS = re.compile(r"^([1-8]\.[1-9])\. (.+?)(?: \[\d+\])?$")
_PARAGRAPH = re.compile(r"^(\d+)\. (.*)$")
_PHASE = re.compile(r"^(.+) Phase$")
_OVERARCHING = re.compile(r"^([A-Z][A-Za-z ]+ Management) - ")


@dataclass
class Gsbpm52:
    phases: list[str] = field(default_factory=list)  # in order: phase 1 ... 8
    subprocesses: dict[str, str] = field(default_factory=dict)  # code -> name
    overarching: list[str] = field(default_factory=list)  # in order of paragraph 14
    paragraphs: dict[int, str] = field(default_factory=dict)  # number -> text (with the bullets that follow it)
    steps: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # sub-process code -> (paragraph, step)
    lines: list[str] = field(default_factory=list)  # every non-empty line


def read_gsbpm52(path: Path) -> Gsbpm52:
    text = Gsbpm52()
    current: str | None = None
    paragraph = 0
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            continue
        text.lines.append(line)
        if m := _SUBPROCESS.match(line):
            current = m.group(1)
            text.subprocesses[current] = m.group(2)
            continue
        if line.startswith(("Annex", "VII.", "Figure")):
            current = None if not line.startswith("Figure") else current
            continue
        if (m := _PHASE.match(line)) and len(line.split()) <= 3:
            text.phases.append(m.group(1))
            current = None
            continue
        if m := _PARAGRAPH.match(line):
            paragraph = int(m.group(1))
            text.paragraphs[paragraph] = m.group(2)
            continue
        if paragraph == 14 and (m := _OVERARCHING.match(line)):
            text.overarching.append(m.group(1))
        if paragraph:
            text.paragraphs[paragraph] = text.paragraphs.get(paragraph, "") + " " + line
        if current is not None and paragraph:
            text.steps.setdefault(current, []).append((paragraph, line))
    return text
