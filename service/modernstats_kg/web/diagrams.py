"""Server-side SVG: class diagrams of GSIM groups and information-flow diagrams, drawn from the read model.

Layouts are deliberately simple (layers and columns). Every label is escaped. The SVG is a visual aid: pages list
the same links as text, so the drawing is hidden from assistive technology and its links are not tab stops.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..catalog.core import Ref
from ..catalog.flow import (
    ALONGSIDE,
    LOOP,
    NONE,
    OUTSIDE,
    UPSTREAM,
    ActivityFlow,
    ClassFlow,
    Destination,
    is_overarching,
)
from ..catalog.gsim import GroupDiagram
from ..catalog.mapping import activity_key
from .paths import page_url

BOX_W, BOX_H = 180, 44
GAP_X, GAP_Y = 36, 56
MAX_PER_ROW = 6
HUB_CHILDREN = 8
CHARS_PER_LINE = 22


@dataclass
class Box:
    ref: Ref
    x: float
    y: float
    kind: str  # css class: "node", "focus", "external", "cls"
    w: float = BOX_W
    h: float = BOX_H
    label: str | None = None  # what the box says, when not the resource's title (a class with its qualifier)

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


def _lines(text: str, width: int = CHARS_PER_LINE) -> list[str]:
    words, lines, current = text.split(), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > 2:
        lines = [lines[0], (lines[1] + " " + " ".join(lines[2:]))[: width - 1] + "…"]
    return [line if len(line) <= width + 6 else line[: width + 5] + "…" for line in lines] or [""]


def _box(box: Box, lang: str) -> str:
    label = box.label or box.ref.title(lang)
    lines = _lines(label, CHARS_PER_LINE if box.w >= BOX_W else int(box.w // 8))
    first_y = box.cy - (len(lines) - 1) * 8 + 4
    texts = "".join(
        f'<text x="{box.cx:.0f}" y="{first_y + i * 16:.0f}" text-anchor="middle">{escape(line)}</text>'
        for i, line in enumerate(lines)
    )
    label_lang = box.ref.label.lang_of(lang)  # marked, so that a fallback label is read right
    lang_attr = f' lang="{escape(label_lang)}"' if label_lang else ""
    return (
        f'<a href="{escape(page_url(box.ref.iri))}" tabindex="-1" class="{box.kind}"{lang_attr}>'
        f"<title>{escape(label)}</title>"
        f'<rect x="{box.x:.0f}" y="{box.y:.0f}" width="{box.w:.0f}" height="{box.h:.0f}" rx="6"/>{texts}</a>'
    )


def _svg(width: float, height: float, body: Sequence[str], label: str, extra_class: str = "") -> Markup:
    return Markup(
        f'<svg class="diagram {extra_class}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" aria-hidden="true" focusable="false" data-label="{escape(label)}">'
        "<defs>"
        '<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" '
        'orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker>'
        '<marker id="triangle" viewBox="0 0 12 12" refX="12" refY="6" markerWidth="12" markerHeight="12" orient="auto">'
        '<path d="M0,0 L12,6 L0,12 z" class="generalisation-head"/></marker>'
        '<marker id="diamond" viewBox="0 0 14 10" refX="0" refY="5" markerWidth="14" markerHeight="10" orient="auto">'
        '<path d="M0,5 L7,0 L14,5 L7,10 z" class="diamond"/></marker>'
        "</defs>" + "".join(body) + "</svg>"
    )


def _curve(x1: float, y1: float, x2: float, y2: float, css: str) -> str:
    mid = (x1 + x2) / 2
    return (
        f'<path d="M{x1:.0f},{y1:.0f} C{mid:.0f},{y1:.0f} {mid:.0f},{y2:.0f} {x2:.0f},{y2:.0f}" '
        f'class="{css}" marker-end="url(#arrow)"/>'
    )


def _column(refs: Sequence[Ref], x: float, kind: str, height: float) -> list[Box]:
    total = len(refs) * BOX_H + max(len(refs) - 1, 0) * 14
    top = (height - total) / 2
    return [Box(ref, x, top + i * (BOX_H + 14), kind) for i, ref in enumerate(refs)]


def _columns_height(*counts: int) -> float:
    most = max([1, *counts])
    return most * BOX_H + (most - 1) * 14 + 32


def _note(x: float, y: float, text: str, kind: str, w: float = BOX_W) -> str:
    """A box that is no resource (no producer, outside the process): text only, no link."""
    lines = _lines(text)
    first_y = y + BOX_H / 2 - (len(lines) - 1) * 8 + 4
    texts = "".join(
        f'<text x="{x + w / 2:.0f}" y="{first_y + i * 16:.0f}" text-anchor="middle">{escape(line)}</text>'
        for i, line in enumerate(lines)
    )
    return f'<g class="{kind}"><rect x="{x:.0f}" y="{y:.0f}" width="{w:.0f}" height="{BOX_H}" rx="6"/>{texts}</g>'


EDGE_CSS = {UPSTREAM: "edge", ALONGSIDE: "edge alongside", LOOP: "edge loop", OUTSIDE: "edge alongside"}


def activity_flow_svg(flow: ActivityFlow, lang: str, words: Mapping[str, str]) -> Markup:
    """Sources -> inputs -> the activity -> outputs -> takers, one box per input and output (class and qualifier).

    Sources and takers stand in GSBPM order; a loop source (a later sub-process, reached when the process iterates)
    has a dashed box and a dashed arrow; inputs without any producer point at a "no producer" box."""
    sources = _unique(p for s in flow.inputs for p in s.producers)
    takers = _unique(t for d in flow.outputs for t, _ in d.takers)
    loop_sources = {p.iri for s in flow.inputs if s.kind == LOOP for p in s.producers}
    notes_left = [k for k in (NONE, OUTSIDE) if any(s.kind == k for s in flow.inputs)]
    notes_right = [
        k for k, test in (("no_taker", _no_taker), ("leaves", _leaves)) if any(test(d) for d in flow.outputs)
    ]
    height = _columns_height(
        len(sources) + len(notes_left), len(flow.inputs), len(flow.outputs), len(takers) + len(notes_right)
    )
    step = BOX_W + 70
    left = _column(sources, 0, "node", height)
    for box in left:
        if box.ref.iri in loop_sources:
            box.kind = "node loop"
    ins = [Box(s.entry.cls, step, 0, "cls", label=s.entry.class_title(lang)) for s in flow.inputs]
    outs = [Box(d.entry.cls, 3 * step, 0, "cls", label=d.entry.class_title(lang)) for d in flow.outputs]
    _stack(ins, height)
    _stack(outs, height)
    me = _column([flow.activity], 2 * step, "focus", height)[0]
    right = _column(takers, 4 * step, "node", height)
    _below(left, notes_left, height)
    _below(right, notes_right, height)
    note_y = {k: _note_top(left, notes_left, k, height) for k in notes_left}
    note_y |= {k: _note_top(right, notes_right, k, height) for k in notes_right}
    by_iri_left = {b.ref.iri: b for b in left}
    by_iri_right = {b.ref.iri: b for b in right}
    edges: list[str] = []
    for source, box in zip(flow.inputs, ins, strict=True):
        for producer in source.producers:
            src = by_iri_left[producer.iri]
            edges.append(_curve(src.x + src.w, src.cy, box.x, box.cy, EDGE_CSS[source.kind]))
        if source.kind in note_y:
            edges.append(_curve(BOX_W, note_y[source.kind] + BOX_H / 2, box.x, box.cy, "edge alongside"))
        edges.append(_curve(box.x + box.w, box.cy, me.x, me.cy, "edge strong"))
    for dest, box in zip(flow.outputs, outs, strict=True):
        edges.append(_curve(me.x + me.w, me.cy, box.x, box.cy, "edge strong"))
        for taker, kind in dest.takers:
            dst = by_iri_right[taker.iri]
            edges.append(_curve(box.x + box.w, box.cy, dst.x, dst.cy, EDGE_CSS[kind]))
        for key, test in (("no_taker", _no_taker), ("leaves", _leaves)):
            if test(dest):
                edges.append(_curve(box.x + box.w, box.cy, 4 * step, note_y[key] + BOX_H / 2, "edge alongside"))
    notes = [_note(0, note_y[k], words["kind_" + k], "gap" if k == NONE else "external") for k in notes_left]
    notes += [_note(4 * step, note_y[k], words[k], "gap" if k == "no_taker" else "external") for k in notes_right]
    boxes = [_box(b, lang) for b in [*left, *ins, me, *outs, *right]]
    return _svg(4 * step + BOX_W, height, edges + boxes + notes, flow.activity.title(lang), "flow")


def _no_taker(dest: Destination) -> bool:
    return not dest.takers and not dest.leaves


def _leaves(dest: Destination) -> bool:
    return dest.leaves


def _stack(boxes: list[Box], height: float) -> None:
    total = len(boxes) * BOX_H + max(len(boxes) - 1, 0) * 14
    top = (height - total) / 2
    for i, box in enumerate(boxes):
        box.y = top + i * (BOX_H + 14)


def _below(boxes: list[Box], notes: list[str], height: float) -> None:
    """Re-stack a column so that its note boxes fit below its resource boxes."""
    count = len(boxes) + len(notes)
    total = count * BOX_H + max(count - 1, 0) * 14
    top = (height - total) / 2
    for i, box in enumerate(boxes):
        box.y = top + i * (BOX_H + 14)


def _note_top(boxes: list[Box], notes: list[str], key: str, height: float) -> float:
    count = len(boxes) + len(notes)
    total = count * BOX_H + max(count - 1, 0) * 14
    top = (height - total) / 2
    return top + (len(boxes) + notes.index(key)) * (BOX_H + 14)


STEP_W, STEP_GAP = 132, 22


def class_flow_svg(flow: ClassFlow, lang: str, words: Mapping[str, str]) -> Markup:
    """A timeline: the sub-processes using the class left to right in GSBPM order, the overarching processes in a
    row below. Arrows above the row run forward from a producer to each taker that gets the class from it next;
    dashed arrows below run back (loops); dotted lines join the overarching row."""
    phase_steps = [a for a, _ in flow.steps if not is_overarching(a)]
    lane = [a for a, _ in flow.steps if is_overarching(a)]
    directions = {a.iri: {e.direction for e in entries} for a, entries in flow.steps}
    forward = [h for h in flow.hand_offs if h.kind == UPSTREAM]
    span = max([abs(phase_steps.index(h.consumer) - phase_steps.index(h.producer)) for h in forward] or [0])
    top = 30 + min(span, 8) * 18
    x_of = {a.iri: 10 + i * (STEP_W + STEP_GAP) for i, a in enumerate(phase_steps)}
    loops = [h for h in flow.hand_offs if h.kind == LOOP]
    depth = max([abs(phase_steps.index(h.consumer) - phase_steps.index(h.producer)) for h in loops] or [-1])
    below = 14 + min(depth, 8) * 14 if loops else 0
    lane_y = top + BOX_H + 36 + below
    x_of |= {a.iri: 10 + i * (STEP_W + STEP_GAP) for i, a in enumerate(lane)}
    y_of = {a.iri: top for a in phase_steps} | {a.iri: lane_y for a in lane}
    boxes = [
        Box(a, x_of[a.iri], y_of[a.iri], "node", w=STEP_W, label=_step_label(a, directions[a.iri], lang))
        for a in phase_steps + lane
    ]
    edges: list[str] = []
    for h in flow.hand_offs:
        x1, x2 = x_of[h.producer.iri] + STEP_W / 2, x_of[h.consumer.iri] + STEP_W / 2
        y1, y2 = y_of[h.producer.iri], y_of[h.consumer.iri]
        if h.kind == UPSTREAM:
            rise = 12 + min(abs(phase_steps.index(h.consumer) - phase_steps.index(h.producer)), 8) * 18
            edges.append(_arc(x1 + 8, y1, x2 - 8, y2, -rise, "edge"))
        elif h.kind == LOOP:
            dip = 14 + min(abs(phase_steps.index(h.consumer) - phase_steps.index(h.producer)), 8) * 14
            edges.append(_arc(x1 - 8, y1 + BOX_H, x2 + 8, y2 + BOX_H, dip, "edge loop"))
        else:
            top_y, bottom_y = (y1 + BOX_H, y2) if y1 < y2 else (y1, y2 + BOX_H)
            edges.append(
                f'<line x1="{x1:.0f}" y1="{top_y:.0f}" x2="{x2:.0f}" y2="{bottom_y:.0f}" class="edge alongside" '
                'marker-end="url(#arrow)"/>'
            )
    width = 20 + max(len(phase_steps), len(lane), 1) * (STEP_W + STEP_GAP)
    height = (lane_y + BOX_H + 10) if lane else (top + BOX_H + 16 + below)
    lanes = [f'<text x="10" y="{top - 8 - min(span, 8) * 18 + 10:.0f}" class="lane">GSBPM 1.1 → 8.3</text>']
    if lane:
        lanes.append(f'<text x="10" y="{lane_y - 8:.0f}" class="lane">{escape(words["overarching"])}</text>')
    return _svg(width, height, lanes + edges + [_box(b, lang) for b in boxes], flow.cls.title(lang), "flow")


def _step_label(activity: Ref, directions: set[str], lang: str) -> str:
    arrows = ("in " if "input" in directions else "") + ("out" if "output" in directions else "")
    return f"{activity.code or ''} {activity.name(lang)} · {arrows.strip()}"


def _arc(x1: float, y1: float, x2: float, y2: float, bend: float, css: str) -> str:
    return (
        f'<path d="M{x1:.0f},{y1:.0f} C{x1:.0f},{y1 + bend:.0f} {x2:.0f},{y2 + bend:.0f} {x2:.0f},{y2:.0f}" '
        f'class="{css}" marker-end="url(#arrow)"/>'
    )


def _unique(refs: object) -> list[Ref]:
    seen: dict[str, Ref] = {}
    for ref in refs:  # type: ignore[attr-defined]
        seen.setdefault(ref.iri, ref)
    return sorted(seen.values(), key=activity_key)


def group_svg(diagram: GroupDiagram, lang: str, words: Mapping[str, str]) -> Markup:
    """A layered class diagram: super-classes above their sub-classes, associations as plain lines.

    A "hub" super-class that more than `HUB_CHILDREN` classes specialise (GSIM's Identifiable Artefact) is drawn
    without its generalisation lines, which would only cross everything; a caption names it instead.
    """
    members = {c.iri for c in diagram.classes}
    children: dict[str, int] = {}
    for _, sup in diagram.generalisations:
        children[sup] = children.get(sup, 0) + 1
    hubs = {sup for sup, n in children.items() if n > HUB_CHILDREN}
    supers: dict[str, list[str]] = {}
    for cls, sup in diagram.generalisations:
        if sup not in hubs:
            supers.setdefault(cls, []).append(sup)
    parents = {sup for sups in supers.values() for sup in sups}
    depth: dict[str, int] = {}

    def level(iri: str, trail: frozenset[str] = frozenset()) -> int:
        if iri in depth:
            return depth[iri]
        parents = [p for p in supers.get(iri, []) if p not in trail]
        value = 0 if not parents else 1 + max(level(p, trail | {iri}) for p in parents)
        depth[iri] = value
        return value

    refs = {r.iri: r for r in [*diagram.classes, *diagram.external]}
    for iri in refs:
        level(iri)
    layers: dict[int, list[str]] = {}
    for iri, d in depth.items():
        layers.setdefault(d, []).append(iri)
    order: dict[str, float] = {}
    rows: list[list[str]] = []
    for d in sorted(layers):

        def centre_of_parents(iri: str) -> tuple[float, str]:
            parents = [order[p] for p in supers.get(iri, []) if p in order]
            return (sum(parents) / len(parents) if parents else -1.0, refs[iri].name(lang).casefold())

        # hubs first; classes with drawn sub-classes last, so they sit in the row just above their sub-classes
        layer = sorted(layers[d], key=lambda iri: (iri not in hubs, iri in parents, *centre_of_parents(iri)))
        for start in range(0, len(layer), MAX_PER_ROW):
            row = layer[start : start + MAX_PER_ROW]
            rows.append(row)
            for i, iri in enumerate(row):
                order[iri] = i
    width = MAX_PER_ROW * (BOX_W + GAP_X) - GAP_X + 20
    boxes: dict[str, Box] = {}
    for r, row in enumerate(rows):
        row_width = len(row) * (BOX_W + GAP_X) - GAP_X
        left = (width - row_width) / 2
        for i, iri in enumerate(row):
            kind = "node" if iri in members else "external"
            boxes[iri] = Box(refs[iri], left + i * (BOX_W + GAP_X), 10 + r * (BOX_H + GAP_Y), kind)
    height = 20 + len(rows) * (BOX_H + GAP_Y) - GAP_Y
    captions = [
        f'<text x="10" y="{height + 18 + 18 * i:.0f}" class="caption">'
        f"{escape(words['hub_not_drawn'].format(n=children[hub], name=refs[hub].name(lang)))}</text>"
        for i, hub in enumerate(sorted(hubs))
        if hub in refs
    ]
    height += 18 * len(captions) + (10 if captions else 0)
    edges: list[str] = []
    for assoc in diagram.associations:
        a, b = boxes.get(assoc.domain.iri), boxes.get(assoc.range.iri)
        if a is None or b is None or a is b:
            continue
        marker = ' marker-start="url(#diamond)"' if assoc.kind in ("composition", "aggregation") else ""
        css = "assoc " + escape(assoc.kind)
        said_in = assoc.prop.label.lang_of(lang)  # "has", "is based on": words in the model's own language
        said_attr = f' lang="{escape(said_in)}"' if said_in else ""
        edges.append(
            f'<line x1="{a.cx:.0f}" y1="{a.cy:.0f}" x2="{b.cx:.0f}" y2="{b.cy:.0f}" class="{css}"{marker}{said_attr}>'
            f"<title>{escape(assoc.domain.name(lang))} {escape(assoc.prop.name(lang))} "
            f"{escape(assoc.range.name(lang))}</title></line>"
        )
    for cls, sup in diagram.generalisations:
        a, b = boxes.get(cls), boxes.get(sup)
        if a is None or b is None or sup in hubs:
            continue
        edges.append(
            f'<line x1="{a.cx:.0f}" y1="{a.y:.0f}" x2="{b.cx:.0f}" y2="{b.y + b.h:.0f}" class="generalisation" '
            'marker-end="url(#triangle)"/>'
        )
    body = edges + [_box(box, lang) for box in boxes.values()] + captions
    return _svg(width, height, body, diagram.group.name(lang), "classes")
