"""Information flow, derived from the mappings in force by the rules of `flow_rules` (shared with the coverage
check): for every input, where it comes from (upstream, alongside, a loop, a declared boundary, or nothing); for every
output, the takers that get it from this producer.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from ..flow_rules import (
    ALONGSIDE,
    FED,
    LOOP,
    NONE,
    OUTSIDE,
    UNEXPLAINED,
    UPSTREAM,
    FlowRules,
    FlowUse,
    subclass_closure,
)
from .core import Catalog, Ref, per_version
from .mapping import MappingEntry, activity_key, all_mappings, role_key
from .vocab import GSIM, MAP, OVERARCHING, code_key

TO_OUTSIDE = MAP + "toOutside"
__all__ = ["ALONGSIDE", "LOOP", "NONE", "OUTSIDE", "UPSTREAM", "class_flow", "flow_gaps", "information_flow"]


@dataclass(frozen=True)
class Source:
    """Where one input comes from: `kind` is upstream, alongside, loop, outside or none."""

    entry: MappingEntry
    kind: str
    producers: list[Ref]
    via: tuple[MappingEntry, ...] = ()  # the producers' mappings (their class may be one above or below the input's)

    @property
    def fed(self) -> bool:
        """Fed by an earlier (or overarching) producer: not a gap."""
        return self.kind in FED

    @property
    def flagged(self) -> bool:
        """No upstream producer and no declared boundary that holds: an unexplained gap in the flow."""
        return self.kind in UNEXPLAINED


@dataclass(frozen=True)
class Destination:
    """Where one output goes: the takers that get it from this producer, each with the kind of hand-off."""

    entry: MappingEntry
    takers: list[tuple[Ref, str]]  # (activity, upstream | alongside | loop)

    @property
    def leaves(self) -> bool:
        return self.entry.boundary is not None and self.entry.boundary.iri == TO_OUTSIDE


@dataclass(frozen=True)
class ActivityFlow:
    activity: Ref
    inputs: list[Source]
    outputs: list[Destination]


@dataclass(frozen=True)
class HandOff:
    producer: Ref
    consumer: Ref
    kind: str  # upstream, alongside or loop
    what: str  # the qualifier's name, or "" for the class as a whole


@dataclass(frozen=True)
class ClassFlow:
    cls: Ref
    steps: list[tuple[Ref, list[MappingEntry]]]  # every activity using the class, GSBPM order, with its mappings
    hand_offs: list[HandOff]
    gaps: list[Source]

    @property
    def producers(self) -> list[Ref]:
        return [a for a, entries in self.steps if any(e.direction == "output" for e in entries)]

    @property
    def consumers(self) -> list[Ref]:
        return [a for a, entries in self.steps if any(e.direction == "input" for e in entries)]


def is_overarching(ref: Ref) -> bool:
    return ref.iri.startswith(OVERARCHING)


def _use(entry: MappingEntry) -> FlowUse:
    boundary = entry.boundary.iri if entry.boundary else ""
    qualifier = entry.qualifier.iri if entry.qualifier else ""
    overarching = is_overarching(entry.activity)
    return FlowUse(
        entry.mapping.iri,
        entry.activity.iri,
        code_key(entry.activity.code),
        overarching,
        entry.cls.iri,
        qualifier,
        boundary,
    )


def rules(cat: Catalog) -> FlowRules:
    """The flow rules over the GSIM generalisations (cached for the content version)."""

    def compute() -> FlowRules:
        rows = cat.select("subclass_edges", ns=ox.Literal(GSIM))
        return FlowRules(subclass_closure((row["class"].value, row["super"].value) for row in rows))

    return cat.memo("flow_rules", compute)


def sources(cat: Catalog) -> dict[str, Source]:
    """mapping IRI of every input in force -> its source (cached for the content version)."""

    def compute() -> dict[str, Source]:
        entries = all_mappings(cat)
        by_key = {e.mapping.iri: e for e in entries}
        outputs = [_use(e) for e in entries if e.direction == "output"]
        flow, found = rules(cat), dict[str, Source]()
        for e in entries:
            if e.direction == "input":
                source = flow.source(_use(e), outputs)
                via = tuple(by_key[p.key] for p in source.producers)
                found[e.mapping.iri] = Source(e, source.kind, [v.activity for v in via], via)
        return found

    return cat.memo("flow_sources", compute)


def _takers(cat: Catalog, output: MappingEntry) -> list[tuple[Ref, str]]:
    found: dict[str, tuple[Ref, str]] = {}
    carries, produced = rules(cat).carries, _use(output)
    for source in sources(cat).values():
        if source.kind not in (UPSTREAM, ALONGSIDE, LOOP) or not carries(produced, _use(source.entry)):
            continue
        if any(p.iri == output.activity.iri for p in source.producers):
            found.setdefault(source.entry.activity.iri, (source.entry.activity, source.kind))
    return sorted(found.values(), key=lambda pair: activity_key(pair[0]))


def _entry_order(entry: MappingEntry) -> tuple[tuple[int, str], str]:
    return (role_key(entry.role), entry.class_title().casefold())


@per_version
def information_flow(cat: Catalog, activity: str) -> ActivityFlow:
    """For each input of `activity`, where it comes from; for each output, who takes it in next."""
    mine = [e for e in all_mappings(cat) if e.activity.iri == activity]
    found = sources(cat)
    inputs = [found[e.mapping.iri] for e in sorted(mine, key=_entry_order) if e.direction == "input"]
    outputs = [Destination(e, _takers(cat, e)) for e in sorted(mine, key=_entry_order) if e.direction == "output"]
    return ActivityFlow(cat.ref(activity), inputs, outputs)


@per_version
def class_flow(cat: Catalog, cls: str) -> ClassFlow:
    """Every activity using the class in GSBPM order, each hand-off from a producer to the taker that gets it from
    that producer, and the inputs of the class without an upstream producer."""
    entries = [e for e in all_mappings(cat) if e.cls.iri == cls]
    steps: dict[str, tuple[Ref, list[MappingEntry]]] = {}
    for e in entries:
        steps.setdefault(e.activity.iri, (e.activity, []))[1].append(e)
    found = sources(cat)
    hand_offs: dict[tuple[str, str, str], HandOff] = {}
    gaps: list[Source] = []
    for e in entries:
        if e.direction != "input":
            continue
        source = found[e.mapping.iri]
        if source.flagged:
            gaps.append(source)
        if source.kind in (UPSTREAM, ALONGSIDE, LOOP):
            what = e.qualifier.name() if e.qualifier else ""
            for made in source.via:  # a producer of a related class joins the steps with the mapping that feeds
                if made.activity.iri not in steps or made not in steps[made.activity.iri][1]:
                    steps.setdefault(made.activity.iri, (made.activity, []))[1].append(made)
            for producer in source.producers:
                key = (producer.iri, e.activity.iri, source.kind)
                hand_offs.setdefault(key, HandOff(producer, e.activity, source.kind, what))
    ordered = sorted(steps.values(), key=lambda step: activity_key(step[0]))
    handoff_list = sorted(
        hand_offs.values(), key=lambda h: (activity_key(h.producer), activity_key(h.consumer), h.kind)
    )
    return ClassFlow(cat.ref(cls), ordered, handoff_list, gaps)


@per_version
def flow_gaps(cat: Catalog) -> list[Source]:
    """Every input in force without an upstream producer, in GSBPM order: those a declared boundary explains and
    the flagged ones (loop-fed or fed by nothing); the same list as the coverage check's unproduced inputs."""
    unfed = [s for s in sources(cat).values() if not s.fed]
    return sorted(unfed, key=lambda s: (activity_key(s.entry.activity), _entry_order(s.entry)))
