"""Does the information flow of the GSIM-GSBPM mapping hold together? The rules are `flow_rules` (shared with the
flow pages): an input no earlier (or overarching) activity feeds is a gap, explained by its mapping's
map:flowBoundary when that boundary holds; an output no later activity takes in is a gap, explained by its boundary or
by an earlier-cycle input taking it in the next cycle.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pyoxigraph as ox

from ..flow_rules import FED, OUTSIDE, FlowRules, FlowUse, subclass_closure
from ..namespaces import GSIM
from ..queries import load_query
from ..store import Store

OVERARCHING = "http://id.unece.org/activities/overarchingActivity/"

_FLOW = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX map: <http://id.unece.org/def/mapping#>
SELECT ?mapping ?activity ?code ?class ?classLabel ?qualifier ?qualifierLabel ?direction ?boundary ?boundaryLabel
WHERE {
    ?mapping a map:InformationMapping ; map:activity ?activity ; map:informationClass ?class ;
        map:direction ?direction .
    ?activity skos:notation ?code .
    FILTER NOT EXISTS { ?mapping map:status ?withdrawn FILTER(?withdrawn IN (map:deprecated, map:rejected)) }
    OPTIONAL { ?class skos:prefLabel ?classLabel FILTER ( LANG(?classLabel) = "en" ) }
    OPTIONAL { ?mapping map:qualifier ?qualifier OPTIONAL { ?qualifier skos:prefLabel ?qualifierLabel } }
    OPTIONAL { ?mapping map:flowBoundary ?boundary OPTIONAL { ?boundary skos:prefLabel ?boundaryLabel } }
}"""


@dataclass(frozen=True)
class FlowEnd:
    """One mapping seen as an end of the flow: what an activity takes in or puts out."""

    mapping: str
    activity: str
    code: str
    cls: str
    class_label: str
    qualifier: str
    qualifier_label: str
    direction: str
    boundary: str = ""
    boundary_label: str = ""

    @property
    def overarching(self) -> bool:
        return self.activity.startswith(OVERARCHING)

    @property
    def order(self) -> tuple[int, ...]:
        return tuple(int(part) for part in self.code.split(".") if part.isdigit())

    @property
    def use(self) -> FlowUse:
        return FlowUse(
            self.mapping, self.activity, self.order, self.overarching, self.cls, self.qualifier, self.boundary
        )

    def describe(self) -> str:
        qualifier = f" ({self.qualifier_label})" if self.qualifier_label else ""
        return f"{self.code} {self.class_label}{qualifier}"


@dataclass
class FlowGap:
    """An input no earlier activity puts out, or an output no later activity takes in, and why (if said)."""

    end: FlowEnd
    explanation: str  # the boundary's label, or "" when nothing explains the gap

    def as_dict(self) -> dict[str, str]:
        return {**asdict(self.end), "explanation": self.explanation}


def _value(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    return term.value if term is not None else ""


def _ends(store: Store) -> list[FlowEnd]:
    ends = []
    for s in store.select(_FLOW):
        cls = _value(s["class"])
        ends.append(
            FlowEnd(
                mapping=_value(s["mapping"]),
                activity=_value(s["activity"]),
                code=_value(s["code"]),
                cls=cls,
                class_label=_value(s["classLabel"]) or cls.rsplit("#", 1)[-1],
                qualifier=_value(s["qualifier"]),
                qualifier_label=_value(s["qualifierLabel"]),
                direction=_value(s["direction"]).rsplit("#", 1)[-1],
                boundary=_value(s["boundary"]),
                boundary_label=_value(s["boundaryLabel"]),
            )
        )
    return sorted(ends, key=lambda e: (not e.overarching, e.order, e.direction, e.class_label, e.qualifier_label))


def _rules(store: Store) -> FlowRules:
    pairs = store.select(load_query("subclass_edges"), substitutions={"ns": ox.Literal(GSIM)})
    return FlowRules(subclass_closure((_value(s["class"]), _value(s["super"])) for s in pairs))


def _unproduced_inputs(rules: FlowRules, ends: list[FlowEnd]) -> list[FlowGap]:
    outputs = [e.use for e in ends if e.direction == "output"]
    gaps = []
    for into in (e for e in ends if e.direction == "input"):
        source = rules.source(into.use, outputs)
        if source.kind not in FED:
            gaps.append(FlowGap(into, into.boundary_label if source.kind == OUTSIDE else ""))
    return gaps


def _untaken_outputs(rules: FlowRules, ends: list[FlowEnd]) -> list[FlowGap]:
    inputs = [e.use for e in ends if e.direction == "input"]
    gaps = []
    for out in (e for e in ends if e.direction == "output"):
        if rules.taken(out.use, inputs):
            continue
        next_cycle = rules.taken_next_cycle(out.use, inputs)
        gaps.append(FlowGap(out, "taken in the next cycle" if next_cycle else out.boundary_label))
    return gaps


@dataclass
class FlowCheck:
    unproduced_inputs: list[FlowGap]
    untaken_outputs: list[FlowGap]

    @property
    def unexplained(self) -> list[FlowGap]:
        return [g for g in (*self.unproduced_inputs, *self.untaken_outputs) if not g.explanation]

    def as_dict(self) -> dict[str, object]:
        return {
            "unproduced_inputs": [g.as_dict() for g in self.unproduced_inputs],
            "untaken_outputs": [g.as_dict() for g in self.untaken_outputs],
            "unexplained": [g.end.mapping for g in self.unexplained],
        }

    def text_lines(self) -> list[str]:
        lines = []
        for title, gaps in (
            ("Inputs no earlier activity puts out", self.unproduced_inputs),
            ("Outputs no later activity takes in", self.untaken_outputs),
        ):
            unexplained = sum(1 for g in gaps if not g.explanation)
            lines.append(f"{title} ({len(gaps)}, {unexplained} not explained):")
            lines.extend(f"  {g.end.describe()}: {g.explanation or 'NOT EXPLAINED'}" for g in gaps)
            if not gaps:
                lines.append("  none")
        return lines


def check_flow(store: Store) -> FlowCheck:
    """The information-flow gaps of the mappings loaded in `store` (default graph = union of the files)."""
    rules, ends = _rules(store), _ends(store)
    return FlowCheck(_unproduced_inputs(rules, ends), _untaken_outputs(rules, ends))
