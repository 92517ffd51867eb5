"""Server-side SVG: class diagrams of GSIM groups and information-flow diagrams, drawn from the read model.

Layouts are deliberately simple (layers and columns). Every label is escaped. The SVG is a visual aid: pages list
the same links as text, so the drawing is hidden from assistive technology and its links are not tab stops.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..catalog.core import Ref
from ..catalog.flow import ActivityFlow, ClassFlow
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
    label = box.ref.title(lang)
    lines = _lines(label)
    first_y = box.cy - (len(lines) - 1) * 8 + 4
    texts = "".join(
        f'<text x="{box.cx:.0f}" y="{first_y + i * 16:.0f}" text-anchor="middle">{escape(line)}</text>'
        for i, line in enumerate(lines)
    )
    return (
        f'<a href="{escape(page_url(box.ref.iri))}" tabindex="-1" class="{box.kind}">'
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


def activity_flow_svg(flow: ActivityFlow, lang: str) -> Markup:
    """Upstream activities -> input classes -> the activity -> output classes -> downstream activities."""
    upstream = _unique(o for link in flow.inputs for o in link.others)
    downstream = _unique(o for link in flow.outputs for o in link.others)
    ins = [link.cls for link in flow.inputs]
    outs = [link.cls for link in flow.outputs]
    height = _columns_height(len(upstream), len(ins), len(outs), len(downstream))
    step = BOX_W + 70
    cols = [
        _column(upstream, 0, "node", height),
        _column(ins, step, "cls", height),
        _column([flow.activity], 2 * step, "focus", height),
        _column(outs, 3 * step, "cls", height),
        _column(downstream, 4 * step, "node", height),
    ]
    find = [{b.ref.iri: b for b in col} for col in cols]
    edges: list[str] = []
    me = cols[2][0]
    for link in flow.inputs:
        cls_box = find[1][link.cls.iri]
        for other in link.others:
            src = find[0][other.iri]
            edges.append(_curve(src.x + src.w, src.cy, cls_box.x, cls_box.cy, "edge"))
        edges.append(_curve(cls_box.x + cls_box.w, cls_box.cy, me.x, me.cy, "edge strong"))
    for link in flow.outputs:
        cls_box = find[3][link.cls.iri]
        edges.append(_curve(me.x + me.w, me.cy, cls_box.x, cls_box.cy, "edge strong"))
        for other in link.others:
            dst = find[4][other.iri]
            edges.append(_curve(cls_box.x + cls_box.w, cls_box.cy, dst.x, dst.cy, "edge"))
    boxes = [_box(b, lang) for col in cols for b in col]
    return _svg(4 * step + BOX_W, height, edges + boxes, flow.activity.title(lang), "flow")


def class_flow_svg(flow: ClassFlow, lang: str) -> Markup:
    """Producers -> the class -> consumers."""
    height = _columns_height(len(flow.producers), len(flow.consumers))
    step = BOX_W + 90
    left = _column(flow.producers, 0, "node", height)
    centre = _column([flow.cls], step, "focus", height)[0]
    right = _column(flow.consumers, 2 * step, "node", height)
    edges = [_curve(b.x + b.w, b.cy, centre.x, centre.cy, "edge") for b in left]
    edges += [_curve(centre.x + centre.w, centre.cy, b.x, b.cy, "edge") for b in right]
    boxes = [_box(b, lang) for b in [*left, centre, *right]]
    return _svg(2 * step + BOX_W, height, edges + boxes, flow.cls.title(lang), "flow")


def _unique(refs: object) -> list[Ref]:
    seen: dict[str, Ref] = {}
    for ref in refs:  # type: ignore[attr-defined]
        seen.setdefault(ref.iri, ref)
    return sorted(seen.values(), key=activity_key)


def group_svg(diagram: GroupDiagram, lang: str) -> Markup:
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
        f"{escape(f'{children[hub]} classes specialise {refs[hub].name(lang)} (lines not drawn)')}</text>"
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
        edges.append(
            f'<line x1="{a.cx:.0f}" y1="{a.cy:.0f}" x2="{b.cx:.0f}" y2="{b.cy:.0f}" class="{css}"{marker}>'
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
