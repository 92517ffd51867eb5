"""What a Turtle file says besides its triples: its comments and the order of its subjects.

The canonical writer keeps both, so the file headers and the notes that explain a model survive formatting:

- the **header**: the comment lines before the first directive or statement;
- **subject comments**: comment lines (and the blank lines between them) before a subject's block, kept with that
  subject (a section banner belongs to the first subject of its section);
- **predicate comments**: comment lines inside a block, kept before the predicate that follows them (a comment deeper
  inside a `[ ... ]` goes with the top-level predicate after it);
- the **trailer**: comment lines after the last statement.

A comment before a blank-node block (no name to keep it with) goes with the next named subject, so nothing is lost.
The scanner reads only as much Turtle as it needs (strings, IRIs, brackets, statement ends); the triples themselves
come from pyoxigraph's parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

_NAME = re.compile(r"[^\s<>\"'\[\](),;#]+")
_LOCAL_ESCAPE = re.compile(r"\\([_~.\-!$&'()*+,;=/?#@%])")


@dataclass
class Layout:
    """Comments and subject order read from one Turtle text (keys are IRIs)."""

    header: list[str] = field(default_factory=list)
    subject_order: list[str] = field(default_factory=list)
    subject_comments: dict[str, list[str]] = field(default_factory=dict)
    predicate_comments: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    trailer: list[str] = field(default_factory=list)

    def comment_count(self) -> int:
        groups = [self.header, self.trailer, *self.subject_comments.values(), *self.predicate_comments.values()]
        return sum(1 for group in groups for line in group if line)


def _tidy(lines: list[str], *, keep_last_blank: bool = False) -> list[str]:
    """Comment lines with at most one blank line between them, none before them, and none after them unless
    `keep_last_blank` (a banner set apart from the block below it stays apart)."""
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    if tidy and not tidy[-1] and not keep_last_blank:
        tidy.pop()
    return tidy


class _Scanner:
    def __init__(self, text: str, prefixes: dict[str, str]):
        self.text, self.prefixes = text, prefixes
        self.layout = Layout()
        self.pending: list[str] = []  # comment lines (and "" for blank lines) not yet attached
        self.depth = 0
        self.subject: str | None = None
        self.expect = "subject"  # "subject" | "predicate" | "object"
        self.directive = False
        self.header_done = False
        self.seen: set[str] = set()

    def _resolve(self, token: str) -> str | None:
        if token == "a":
            return RDF_TYPE
        if token.startswith("<") and token.endswith(">"):
            return token[1:-1]
        prefix, sep, local = token.partition(":")
        if sep and prefix in self.prefixes and not token.startswith("_:"):
            return self.prefixes[prefix] + _LOCAL_ESCAPE.sub(r"\1", local)
        return None

    def _attach(self, key: str | tuple[str, str] | None) -> None:
        lines = _tidy(self.pending, keep_last_blank=not isinstance(key, tuple))
        self.pending = []
        if not lines:
            return
        if isinstance(key, tuple):
            self.layout.predicate_comments.setdefault(key, []).extend(lines)
        elif key is not None:
            existing = self.layout.subject_comments.setdefault(key, [])
            existing.extend([""] * bool(existing) + lines)
        else:
            self.pending = [*lines, ""]  # keep for the next named subject

    def _term(self, token: str) -> None:
        """A subject, predicate or object token at the current position."""
        if self.directive:
            return
        if self.depth == 0 and self.expect == "subject":
            key = self._resolve(token)
            self.subject = key if key and not token.startswith("_:") else None
            if self.subject is not None and self.subject not in self.seen:
                self.seen.add(self.subject)
                self.layout.subject_order.append(self.subject)
            self._attach(self.subject)
            self.expect = "predicate"
        elif self.depth == 0 and self.expect == "predicate":
            predicate = self._resolve(token)
            if self.subject is not None and predicate is not None:
                self._attach((self.subject, predicate))
            self.expect = "object"

    def _header_ends(self) -> None:
        if not self.header_done:
            self.layout.header = _tidy(self.pending)
            self.pending, self.header_done = [], True

    def scan(self) -> Layout:
        text, i, n = self.text, 0, len(self.text)
        blank_line = True  # nothing but spaces so far on this line
        while i < n:
            ch = text[i]
            if ch == "\n":
                if blank_line:
                    self.pending.append("")
                blank_line = True
                i += 1
                continue
            if ch in " \t\r":
                i += 1
                continue
            blank_line = False
            if ch == "#":
                end = text.find("\n", i)
                end = n if end < 0 else end
                self.pending.append(text[i:end].rstrip())
                i = end
                continue
            self._header_ends()
            if ch == "<":
                end = text.index(">", i)
                self._term(text[i : end + 1])
                i = end + 1
            elif ch in "\"'":
                i = self._skip_string(i)
            elif ch in "[(":
                if self.depth == 0 and self.expect == "subject":
                    self._term("_:anon")
                self.depth += 1
                i += 1
            elif ch in "])":
                self.depth -= 1
                i += 1
            elif ch == ";" and self.depth == 0:
                self.expect = "predicate"
                i += 1
            elif ch == "." and (i + 1 >= n or text[i + 1] in " \t\r\n#"):
                if self.depth == 0:
                    self.expect, self.subject, self.directive = "subject", None, False
                i += 1
            elif ch == ",":
                i += 1
            else:
                match = _NAME.match(text, i)
                token = match.group(0) if match else ch
                while token.endswith(".") and len(token) > 1:
                    token = token[:-1]
                i += len(token)
                if self.expect == "subject" and self.depth == 0 and token.lower() in ("@prefix", "@base"):
                    self.directive = True  # ends at its dot
                elif self.expect == "subject" and self.depth == 0 and token.upper() in ("PREFIX", "BASE"):
                    i = text.index(">", i) + 1  # SPARQL style: no dot; skip the name and the IRI
                elif not token.startswith(("^^", "@")):
                    self._term(token)
        self.layout.trailer = _tidy(self.pending)
        return self.layout

    def _skip_string(self, i: int) -> int:
        text = self.text
        quote = text[i]
        long = text.startswith(quote * 3, i)
        delimiter = quote * 3 if long else quote
        j = i + len(delimiter)
        while True:
            k = text.find(delimiter, j)
            if k < 0:
                return len(text)
            backslashes = 0
            while text[k - 1 - backslashes] == "\\":
                backslashes += 1
            if backslashes % 2 == 0:
                end = k + len(delimiter)
                while long and text.startswith(quote, end):  # """a"""" : the closing quotes are the last three
                    end += 1
                return end
            j = k + 1


def read_layout(text: str, prefixes: dict[str, str]) -> Layout:
    """The comments and subject order of a Turtle `text` whose prefixes (as the parser read them) are given."""
    return _Scanner(text, prefixes).scan()
