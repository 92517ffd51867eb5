"""The rules of the information flow, one home for the flow pages (`catalog.flow`) and the coverage check
(`validation.flow`), so that a gap on `/flow/gaps` is a gap in `mskg coverage` and the other way round.

In GSBPM order (sub-processes by code; an overarching activity runs alongside every step):
- Two uses carry the same information when their classes are equal or one generalises the other (a mapping to
  Exchange Instrument covers questionnaires) and their qualifiers are compatible (equal, or one of them missing: an
  unqualified mapping means any object of the class).
- An input comes from the *nearest earlier* sub-process putting out the same information (upstream); with none, from
  an overarching activity putting it out (alongside); an input of an overarching activity takes from every producer.
- With neither, the input's declared boundary says where it comes from (outside the process, set at run time, an
  earlier cycle). "From an earlier cycle" needs a basis: the same or a later sub-process must put out the class (any
  qualifier: last cycle's final data); without one it explains nothing.
- With no boundary, a *later* producer can feed it only when the process iterates (a loop); else nothing feeds it.
  Loop-fed and unfed inputs are the unexplained gaps.
- An output is taken when a later activity (or an overarching one) takes the same information in, or, in the next
  cycle, an earlier-cycle input at the same or an earlier sub-process.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .namespaces import MAP

FROM_EARLIER_CYCLE = MAP + "fromEarlierCycle"
INPUT_BOUNDARIES = frozenset({MAP + "fromOutside", MAP + "setAtRunTime", FROM_EARLIER_CYCLE})

UPSTREAM, ALONGSIDE, LOOP, OUTSIDE, NONE = "upstream", "alongside", "loop", "outside", "none"
FED = frozenset({UPSTREAM, ALONGSIDE})  # an input with a producer before it (or beside it)
UNEXPLAINED = frozenset({LOOP, NONE})  # an input nothing before it feeds and no boundary explains


@dataclass(frozen=True)
class FlowUse:
    """One mapping as the flow sees it: an activity taking in or putting out a class."""

    key: str  # the mapping's IRI
    activity: str
    order: tuple[int, ...]  # the activity's code as numbers
    overarching: bool
    cls: str
    qualifier: str  # "" when the mapping means any object of the class
    boundary: str  # the map:flowBoundary IRI, or ""


@dataclass(frozen=True)
class SourceOf:
    """Where an input comes from: `kind` is one of the kinds above; `producers` the uses that feed it."""

    kind: str
    producers: tuple[FlowUse, ...]


def subclass_closure(pairs: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """class -> every class above it, from (class, direct super-class) pairs."""
    direct: dict[str, set[str]] = {}
    for sub, sup in pairs:
        direct.setdefault(sub, set()).add(sup)
    closed: dict[str, set[str]] = {}
    for start in direct:
        seen: set[str] = set()
        todo = list(direct[start])
        while todo:
            cls = todo.pop()
            if cls not in seen:
                seen.add(cls)
                todo.extend(direct.get(cls, ()))
        closed[start] = seen
    return closed


class FlowRules:
    def __init__(self, supers: Mapping[str, set[str]]) -> None:
        self.supers = supers

    def related(self, one: str, other: str) -> bool:
        return one == other or other in self.supers.get(one, set()) or one in self.supers.get(other, set())

    def carries(self, output: FlowUse, into: FlowUse) -> bool:
        """Can the object `output` puts out be what `into` takes in?"""
        compatible = not output.qualifier or not into.qualifier or output.qualifier == into.qualifier
        return compatible and self.related(output.cls, into.cls)

    @staticmethod
    def before(first: FlowUse, then: FlowUse) -> bool:
        return first.overarching or then.overarching or first.order < then.order

    def source(self, into: FlowUse, outputs: Sequence[FlowUse]) -> SourceOf:
        producers = [o for o in outputs if o.activity != into.activity and self.carries(o, into)]
        if into.overarching and producers:
            return SourceOf(ALONGSIDE, _by_activity(producers))
        earlier = [o for o in producers if not o.overarching and o.order < into.order]
        if earlier:
            nearest = max(o.order for o in earlier)
            return SourceOf(UPSTREAM, _by_activity(o for o in earlier if o.order == nearest))
        alongside = [o for o in producers if o.overarching]
        if alongside:
            return SourceOf(ALONGSIDE, _by_activity(alongside))
        if into.boundary == FROM_EARLIER_CYCLE:
            # last cycle's final data: the latest same-or-later sub-process putting out the class, any qualifier
            basis = [
                o for o in outputs if not o.overarching and o.order >= into.order and self.related(o.cls, into.cls)
            ]
            if basis:
                latest = max(o.order for o in basis)
                return SourceOf(OUTSIDE, _by_activity(o for o in basis if o.order == latest))
            return SourceOf(NONE, ())
        if into.boundary in INPUT_BOUNDARIES:
            return SourceOf(OUTSIDE, ())
        later = [o for o in producers if not o.overarching]
        if later:
            latest = max(o.order for o in later)
            return SourceOf(LOOP, _by_activity(o for o in later if o.order == latest))
        return SourceOf(NONE, ())

    def taken(self, output: FlowUse, inputs: Sequence[FlowUse]) -> bool:
        """Does a later (or overarching) activity take in what `output` puts out?"""
        return any(self.before(output, into) and self.carries(output, into) for into in inputs)

    def taken_next_cycle(self, output: FlowUse, inputs: Sequence[FlowUse]) -> bool:
        """Does an earlier-cycle input at the same or an earlier sub-process take it in the next cycle?"""
        return not output.overarching and any(
            into.boundary == FROM_EARLIER_CYCLE and into.order <= output.order and self.carries(output, into)
            for into in inputs
        )


def _by_activity(uses: Iterable[FlowUse]) -> tuple[FlowUse, ...]:
    """One use per activity, in GSBPM order (sub-processes by code, then the overarching activities)."""
    found: dict[str, FlowUse] = {}
    for use in uses:
        found.setdefault(use.activity, use)
    return tuple(sorted(found.values(), key=lambda u: (u.overarching, u.order)))
