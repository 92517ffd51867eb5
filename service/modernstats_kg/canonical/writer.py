"""Canonical Turtle: the same graph (and the same layout) always gives the same bytes.

The rules, so that changing one resource changes only its own lines in a git diff:

- **prefixes**: the file's own (`@prefix`, sorted by name), plus any from `namespaces.REPORT_PREFIXES` the triples
  use and the file does not declare;
- **subjects**: one block per subject, in the order of the file they came from; a subject the file lacks goes after
  the last subject of the same `rdf:type` whose IRI sorts before it (numbers compared as numbers: 5.9 before 5.10),
  or, when there is none, before the first one of its type, else at the end; without a file, ontology or scheme
  first, then by type and IRI. Blank nodes used once are written inline (`[ ... ]`, lists as `( ... )`);
- **predicates**: `a` first, then labels (`rdfs:label`, `skos:prefLabel`, `dcterms:title`), then in the order of their
  written names; objects in the order of their written form;
- **lines**: one predicate per line, indented by four; its objects on that line when it fits in 120 columns, else one
  object per line indented by eight; literals with a line break as `\"\"\"...\"\"\"`; no other wrapping.

Comments (`Layout`) are written back where they belong: the header first, subject comments above their block,
predicate comments above their line, the trailer last. Terms are escaped by pyoxigraph (its N-Triples form).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from .layout import RDF_TYPE, Layout

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
_FIRST, _REST, _NIL = RDF + "first", RDF + "rest", RDF + "nil"
_LEADING = (
    RDF_TYPE,
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
)
_HEADS = ("http://www.w3.org/2002/07/owl#Ontology", "http://www.w3.org/2004/02/skos/core#ConceptScheme")
_LOCAL = re.compile(r"^(?:[A-Za-z0-9_]|[A-Za-z0-9_][A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?\d*\.\d+$")
_DIGITS = re.compile(r"(\d+)")
WIDTH = 120

Subject = ox.NamedNode | ox.BlankNode
Object = ox.NamedNode | ox.BlankNode | ox.Literal


def natural_key(iri: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key that compares digit runs as numbers: .../5.9 before .../5.10."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in _DIGITS.split(iri) if part)


class _Writer:
    def __init__(self, triples: Iterable[ox.Triple], prefixes: Mapping[str, str]):
        self.by_subject: dict[Subject, dict[str, list[Object]]] = defaultdict(lambda: defaultdict(list))
        self.references: dict[ox.BlankNode, int] = defaultdict(int)
        self.incoming: dict[ox.BlankNode, list[str]] = defaultdict(list)
        for t in dict.fromkeys(triples):  # a triple stated twice is written once
            self.by_subject[t.subject][t.predicate.value].append(t.object)  # type: ignore[index,arg-type]
            if isinstance(t.object, ox.BlankNode):
                self.references[t.object] += 1
                origin = t.subject.value if isinstance(t.subject, ox.NamedNode) else "_"
                self.incoming[t.object].append(f"{origin} {t.predicate.value}")
        self.prefixes = dict(sorted(prefixes.items()))
        self._namespaces = sorted(((ns, p) for p, ns in self.prefixes.items()), key=lambda x: -len(x[0]))
        self.inline = self._inline_nodes()
        self.labels = self._stable_labels()
        self._visiting: set[ox.BlankNode] = set()
        self._written: dict[str, str] = {}

    def _inline_nodes(self) -> set[ox.BlankNode]:
        """Blank nodes used exactly once and reachable from a written block (a cycle of them gets labels)."""
        inline = {b for b, n in self.references.items() if n == 1}
        while True:
            reached: set[ox.BlankNode] = set()
            stack = [s for s in self.by_subject if not (isinstance(s, ox.BlankNode) and s in inline)]
            while stack:
                for objects in self.by_subject.get(stack.pop(), {}).values():
                    for o in objects:
                        if isinstance(o, ox.BlankNode) and o in inline and o not in reached:
                            reached.add(o)
                            stack.append(o)
            if reached == inline:
                return inline
            inline = reached

    # -- terms -----------------------------------------------------------------------------------------------
    def iri(self, value: str) -> str:
        written = self._written.get(value)
        if written is None:
            written = self._written[value] = self._iri(value)
        return written

    def predicate(self, value: str) -> str:
        return "a" if value == RDF_TYPE else self.iri(value)

    def _iri(self, value: str) -> str:
        for namespace, prefix in self._namespaces:
            if value.startswith(namespace) and _LOCAL.match(value[len(namespace) :]):
                return f"{prefix}:{value[len(namespace) :]}"
        return str(ox.NamedNode(value))

    def literal(self, term: ox.Literal) -> str:
        value, datatype = term.value, term.datatype.value
        if datatype == XSD + "integer" and _INTEGER.match(value):
            return value
        if datatype == XSD + "decimal" and _DECIMAL.match(value):
            return value
        if datatype == XSD + "boolean" and value in ("true", "false"):
            return value
        if "\n" in value:
            body = value.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r")
            text = f'"""{body}"""'
        else:
            text = str(ox.Literal(value))
        if term.language:
            return f"{text}@{term.language}"
        if datatype != XSD + "string":
            return f"{text}^^{self.iri(datatype)}"
        return text

    def term(self, term: Object, indent: int) -> str:
        if isinstance(term, ox.NamedNode):
            return self.iri(term.value)
        if isinstance(term, ox.Literal):
            return self.literal(term)
        if term in self.inline and term not in self._visiting:
            return self.blank(term, indent)
        return self.label(term)

    def label(self, node: ox.BlankNode) -> str:
        return self.labels[node]

    def _signature(self, node: ox.BlankNode, depth: int = 0) -> str:
        """What a blank node says and who points at it (nested blank nodes to three levels): its label's seed."""
        parts = []
        for predicate, objects in self.by_subject.get(node, {}).items():
            for o in objects:
                nested = isinstance(o, ox.BlankNode) and depth < 3
                value = "[" + self._signature(o, depth + 1) + "]" if nested else str(o)  # type: ignore[arg-type]
                parts.append(f"{predicate} {value if not isinstance(o, ox.BlankNode) or nested else '[]'}")
        return "|".join(sorted(parts)) + "<-" + "|".join(sorted(self.incoming.get(node, [])))

    def _stable_labels(self) -> dict[ox.BlankNode, str]:
        """Labels from content, not from parse order, for the blank nodes written as blocks of their own."""
        nodes = {b for b in self.references if b not in self.inline}
        nodes |= {s for s in self.by_subject if isinstance(s, ox.BlankNode) and s not in self.inline}
        seeds = sorted(
            (hashlib.sha256(self._signature(b).encode()).hexdigest()[:12], i, b) for i, b in enumerate(nodes)
        )
        labels: dict[ox.BlankNode, str] = {}
        taken: dict[str, int] = defaultdict(int)
        for seed, _, node in seeds:  # the same seed means the same content: which gets which suffix does not matter
            labels[node] = f"_:n{seed}" + (f"_{taken[seed]}" if taken[seed] else "")
            taken[seed] += 1
        return labels

    # -- blank nodes -----------------------------------------------------------------------------------------
    def as_list(self, node: ox.BlankNode) -> list[Object] | None:
        """The items when `node` heads a well-formed list of inline nodes, else None."""
        items: list[Object] = []
        current: Object = node
        seen: set[ox.BlankNode] = set()
        while isinstance(current, ox.BlankNode):
            properties = self.by_subject.get(current)
            if current in seen or properties is None or set(properties) != {_FIRST, _REST}:
                return None
            if current is not node and current not in self.inline:
                return None
            if len(properties[_FIRST]) != 1 or len(properties[_REST]) != 1:
                return None
            seen.add(current)
            items.append(properties[_FIRST][0])
            current = properties[_REST][0]
        return items if current == ox.NamedNode(_NIL) else None

    def blank(self, node: ox.BlankNode, indent: int) -> str:
        self._visiting.add(node)
        try:
            items = self.as_list(node)
            if items is not None:
                rendered = [self.term(item, indent + 4) for item in items]
                one_line = "( " + " ".join(rendered) + " )" if rendered else "()"
                if "\n" not in one_line and indent + len(one_line) <= WIDTH:
                    return one_line
                pad = " " * (indent + 4)
                return "(\n" + "".join(f"{pad}{r}\n" for r in rendered) + " " * indent + ")"
            properties = self.by_subject.get(node)
            if not properties:
                return "[]"
            body = self.predicate_lines(node, properties, indent + 4, {})
            return "[\n" + " ;\n".join(body) + "\n" + " " * indent + "]"
        finally:
            self._visiting.discard(node)

    # -- blocks ----------------------------------------------------------------------------------------------
    def predicate_order(self, predicates: Iterable[str]) -> list[str]:
        def key(p: str) -> tuple[int, str]:
            return (_LEADING.index(p), "") if p in _LEADING else (len(_LEADING), self.predicate(p))

        return sorted(predicates, key=key)

    def predicate_lines(
        self, subject: Subject, properties: Mapping[str, list[Object]], indent: int, comments: Mapping[str, list[str]]
    ) -> list[str]:
        pad = " " * indent
        lines = []
        for predicate in self.predicate_order(properties):
            objects = sorted(self.term(o, indent) for o in properties[predicate])
            head = f"{pad}{self.predicate(predicate)} "
            joined = " , ".join(objects)
            if len(objects) == 1 or ("\n" not in joined and len(head) + len(joined) + 2 <= WIDTH):
                line = head + joined
            else:
                objects = sorted(self.term(o, indent + 4) for o in properties[predicate])
                line = head.rstrip() + "\n" + " ,\n".join(f"{pad}    {o}" for o in objects)
            notes = comments.get(predicate, [])
            lines.append("".join(f"{pad}{c}\n" if c else "\n" for c in notes) + line)
        return lines

    def block(self, subject: Subject, layout: Layout | None) -> str:
        properties = self.by_subject[subject]
        name = self.iri(subject.value) if isinstance(subject, ox.NamedNode) else None
        comments: dict[str, list[str]] = {}
        if layout is not None and isinstance(subject, ox.NamedNode):
            comments = {p: c for (s, p), c in layout.predicate_comments.items() if s == subject.value}
        ordered = dict(properties)
        types = ordered.pop(RDF_TYPE, None)
        head = name if name is not None else ("[]" if subject in self.inline else self.label(subject))  # type: ignore[arg-type]
        if types:
            rendered = " , ".join(sorted(self.term(t, 8) for t in types))
            head += f" a {rendered}"
        lines = self.predicate_lines(subject, ordered, 4, comments)
        if types and comments.get(RDF_TYPE):
            head = "".join(f"{c}\n" for c in comments[RDF_TYPE]) + head
        if not lines:
            return head + " ."
        return head + (" ;\n" if types else "\n") + " ;\n".join(lines) + " ."


def _primary_type(writer: _Writer, subject: Subject) -> str:
    types = writer.by_subject[subject].get(RDF_TYPE, [])
    return min((t.value for t in types if isinstance(t, ox.NamedNode)), default="")


def subject_order(writer: _Writer, layout: Layout | None) -> list[Subject]:
    named: list[Subject] = [s for s in writer.by_subject if isinstance(s, ox.NamedNode)]
    known: dict[str, Subject] = {s.value: s for s in named if isinstance(s, ox.NamedNode)}
    placed = [known[k] for k in dict.fromkeys(layout.subject_order if layout else []) if k in known]
    placed_set = set(placed)
    fresh = sorted((s for s in named if s not in placed_set), key=lambda s: natural_key(s.value))
    if not placed:
        heads = [s for s in fresh if any(t.value in _HEADS for t in writer.by_subject[s].get(RDF_TYPE, []))]
        rest = [s for s in fresh if s not in set(heads)]
        rest.sort(key=lambda s: (_primary_type(writer, s), natural_key(s.value)))
        return heads + rest
    by_type: dict[str, list[Subject]] = defaultdict(list)
    for s in placed:
        by_type[_primary_type(writer, s)].append(s)
    after: dict[Subject, list[Subject]] = defaultdict(list)
    before: dict[Subject, list[Subject]] = defaultdict(list)
    at_end: list[Subject] = []
    sorted_by_type = {t: sorted(members, key=lambda s: natural_key(s.value)) for t, members in by_type.items()}
    for s in fresh:
        siblings = sorted_by_type.get(_primary_type(writer, s))
        if not siblings:
            at_end.append(s)
            continue
        key = natural_key(s.value)
        anchor = next((x for x in reversed(siblings) if natural_key(x.value) <= key), None)
        if anchor is not None:
            after[anchor].append(s)
        else:
            before[by_type[_primary_type(writer, s)][0]].append(s)
    ordered: list[Subject] = []
    for s in placed:
        ordered.extend(before.get(s, []))
        ordered.append(s)
        ordered.extend(after.get(s, []))
    at_end.sort(key=lambda s: (_primary_type(writer, s), natural_key(s.value)))
    return ordered + at_end


def write_turtle(
    triples: Iterable[ox.Triple],
    prefixes: Mapping[str, str],
    layout: Layout | None = None,
    *,
    extra_prefixes: Mapping[str, str] | None = None,
) -> str:
    """The canonical Turtle of `triples`, with `prefixes` (plus those of `extra_prefixes` the triples use)."""
    triples = list(triples)
    chosen = dict(prefixes)
    if extra_prefixes:
        used = {t.predicate.value for t in triples if t.predicate.value != RDF_TYPE}  # written `a`
        used |= {term.value for t in triples for term in (t.subject, t.object) if isinstance(term, ox.NamedNode)}
        used |= {t.object.datatype.value for t in triples if isinstance(t.object, ox.Literal)}
        declared = set(chosen.values())
        for name, namespace in extra_prefixes.items():
            if name not in chosen and namespace not in declared and any(v.startswith(namespace) for v in used):
                chosen[name] = namespace
    writer = _Writer(triples, chosen)
    parts: list[str] = []
    if layout is not None and layout.header:
        parts.append("\n".join(layout.header) + "\n")
    if writer.prefixes:
        parts.append("".join(f"@prefix {p}: <{ns}> .\n" for p, ns in writer.prefixes.items()))
    for subject in subject_order(writer, layout):
        notes = layout.subject_comments.get(subject.value, []) if layout else []
        parts.append("".join(f"{c}\n" for c in notes) + writer.block(subject, layout) + "\n")
    # Blank nodes that cannot go inline (used never or more than once): labelled blocks in a stable order.
    roots = [s for s in writer.by_subject if isinstance(s, ox.BlankNode) and s not in writer.inline]
    parts.extend(sorted(writer.block(s, None) + "\n" for s in roots))
    if layout is not None and layout.trailer:
        parts.append("\n".join(layout.trailer) + "\n")
    return "\n".join(parts)
