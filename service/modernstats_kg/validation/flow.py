"""Does the information flow of the GSIM-GSBPM mapping hold together?

An input of an activity is *produced* when an earlier activity puts out an object of the same class, or of a class
below or above it (a mapping to Exchange Instrument covers questionnaires), with a compatible qualifier. "Earlier" is
GSBPM order for sub-processes; an overarching activity runs alongside the whole process, so it produces for, and
takes from, every activity. Two qualifiers are compatible when they are equal or one of them is missing (an
unqualified mapping means any object of the class).
An output is *taken* when a later activity (or an overarching one) takes it in, or when an input marked
map:fromEarlierCycle at the same or an earlier sub-process takes it in the next cycle.

A gap is explained by the mapping's map:flowBoundary; a map:fromEarlierCycle input with no producer of its class at
the same or a later sub-process is a boundary without basis, and stays unexplained.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pyoxigraph as ox

from ..store import Store

MAP = "http://id.unece.org/def/mapping#"
OVERARCHING = "http://id.unece.org/activities/overarchingActivity/"
FROM_EARLIER_CYCLE = MAP + "fromEarlierCycle"

_FLOW = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX map: <http://id.unece.org/def/mapping#>
SELECT ?mapping ?activity ?code ?class ?classLabel ?qualifier ?qualifierLabel ?direction ?boundary ?boundaryLabel
WHERE {
    ?mapping a map:InformationMapping ; map:activity ?activity ; map:informationClass ?class ;
        map:direction ?direction .
    ?activity skos:notation ?code .
    FILTER NOT EXISTS { ?mapping map:status map:deprecated }
    OPTIONAL { ?class skos:prefLabel ?classLabel FILTER ( LANG(?classLabel) = "en" ) }
    OPTIONAL { ?mapping map:qualifier ?qualifier OPTIONAL { ?qualifier skos:prefLabel ?qualifierLabel } }
    OPTIONAL { ?mapping map:flowBoundary ?boundary OPTIONAL { ?boundary skos:prefLabel ?boundaryLabel } }
}"""

_SUBCLASSES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX gsim: <http://id.unece.org/def/gsim#>
SELECT ?sub ?super WHERE { ?sub rdfs:subClassOf+ ?super . ?super gsim:group ?group }"""


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


class _Flow:
    def __init__(self, store: Store) -> None:
        self.ends = _ends(store)
        self.supers: dict[str, set[str]] = {}
        for s in store.select(_SUBCLASSES):
            self.supers.setdefault(_value(s["sub"]), set()).add(_value(s["super"]))

    def related(self, one: str, other: str) -> bool:
        return one == other or other in self.supers.get(one, set()) or one in self.supers.get(other, set())

    def carries(self, output: FlowEnd, into: FlowEnd) -> bool:
        """Can the object `output` puts out be what `into` takes in (related class, compatible qualifier)?"""
        compatible = not output.qualifier or not into.qualifier or output.qualifier == into.qualifier
        return compatible and self.related(output.cls, into.cls)

    @staticmethod
    def before(first: FlowEnd, then: FlowEnd) -> bool:
        return first.overarching or then.overarching or first.order < then.order

    def unproduced_inputs(self) -> list[FlowGap]:
        outputs = [e for e in self.ends if e.direction == "output"]
        gaps = []
        for into in (e for e in self.ends if e.direction == "input"):
            if any(self.before(out, into) and self.carries(out, into) for out in outputs):
                continue
            gaps.append(FlowGap(into, self.explain_input(into, outputs)))
        return gaps

    def explain_input(self, into: FlowEnd, outputs: list[FlowEnd]) -> str:
        if into.boundary != FROM_EARLIER_CYCLE:
            return into.boundary_label
        # from an earlier cycle: this or a later sub-process must put out an object of the class (any qualifier:
        # last cycle's final data is what a step calls "previous-cycle data")
        later = [out for out in outputs if not out.overarching and out.order >= into.order]
        return into.boundary_label if any(self.related(out.cls, into.cls) for out in later) else ""

    def untaken_outputs(self) -> list[FlowGap]:
        inputs = [e for e in self.ends if e.direction == "input"]
        gaps = []
        for out in (e for e in self.ends if e.direction == "output"):
            if any(self.before(out, into) and self.carries(out, into) for into in inputs):
                continue
            next_cycle = [
                into
                for into in inputs
                if into.boundary == FROM_EARLIER_CYCLE and not out.overarching and into.order <= out.order
            ]
            if any(self.carries(out, into) for into in next_cycle):
                gaps.append(FlowGap(out, "taken in the next cycle"))
            else:
                gaps.append(FlowGap(out, out.boundary_label))
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
    flow = _Flow(store)
    return FlowCheck(flow.unproduced_inputs(), flow.untaken_outputs())
