"""Information flow, derived from the mappings in force: for every input, where it comes from; for every output,
where it goes next.

The rules, in GSBPM order (sub-processes by code, 1.1 ... 8.3):
- An input of a sub-process comes from the *nearest earlier* sub-process that puts out the same information (the
  same class, and the same qualifier when both mappings name one): that is its upstream producer.
- With no earlier producer, an overarching process that puts it out feeds it (they run alongside every phase).
- With neither, a *later* sub-process that puts it out can feed it only when the process iterates: a loop, drawn
  back against the order. The latest such producer (the last one of the previous cycle) is the source.
- An input of an overarching process takes from every producer (it runs alongside them).
- An input whose mapping says it comes from outside the process or from an earlier cycle (map:flowBoundary) needs no
  producer. Every other input without an upstream producer is a gap, loop-fed or not, and is listed as such.
- An output goes to the takers that get it from this producer by the rules above.
"""

from __future__ import annotations

from dataclasses import dataclass

from .core import Catalog, Ref, per_version
from .mapping import MappingEntry, activity_key, all_mappings, role_key
from .vocab import MAP, OVERARCHING

UPSTREAM, ALONGSIDE, LOOP, OUTSIDE, NONE = "upstream", "alongside", "loop", "outside", "none"
FROM_OUTSIDE, FROM_EARLIER_CYCLE, TO_OUTSIDE = MAP + "fromOutside", MAP + "fromEarlierCycle", MAP + "toOutside"


@dataclass(frozen=True)
class Source:
    """Where one input comes from: `kind` is upstream, alongside, loop, outside or none."""

    entry: MappingEntry
    kind: str
    producers: list[Ref]

    @property
    def flagged(self) -> bool:
        """No upstream producer and no declared boundary: a gap in the flow."""
        return self.kind in (LOOP, NONE)


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


def _same_information(a: MappingEntry, b: MappingEntry) -> bool:
    if a.cls.iri != b.cls.iri:
        return False
    return a.qualifier is None or b.qualifier is None or a.qualifier.iri == b.qualifier.iri


def _source(entry: MappingEntry, outputs: list[MappingEntry]) -> Source:
    producers = [o for o in outputs if _same_information(entry, o) and o.activity.iri != entry.activity.iri]
    if entry.boundary is not None and entry.boundary.iri in (FROM_OUTSIDE, FROM_EARLIER_CYCLE):
        later = [o.activity for o in producers if not is_overarching(o.activity)]
        return Source(entry, OUTSIDE, _unique(later[-1:]) if entry.boundary.iri == FROM_EARLIER_CYCLE else [])
    if is_overarching(entry.activity):
        return Source(entry, ALONGSIDE if producers else NONE, _unique(o.activity for o in producers))
    me = activity_key(entry.activity)
    phase = [o.activity for o in producers if not is_overarching(o.activity)]
    earlier = [a for a in phase if activity_key(a) < me]
    if earlier:
        return Source(entry, UPSTREAM, [max(earlier, key=activity_key)])
    alongside = [o.activity for o in producers if is_overarching(o.activity)]
    if alongside:
        return Source(entry, ALONGSIDE, _unique(alongside))
    if phase:
        return Source(entry, LOOP, [max(phase, key=activity_key)])
    return Source(entry, NONE, [])


def _unique(refs: object) -> list[Ref]:
    seen: dict[str, Ref] = {}
    for ref in refs:  # type: ignore[attr-defined]
        seen.setdefault(ref.iri, ref)
    return sorted(seen.values(), key=activity_key)


def sources(cat: Catalog) -> dict[str, Source]:
    """mapping IRI of every input in force -> its source (cached for the content version)."""

    def compute() -> dict[str, Source]:
        entries = all_mappings(cat)
        outputs: dict[str, list[MappingEntry]] = {}
        for e in entries:
            if e.direction == "output":
                outputs.setdefault(e.cls.iri, []).append(e)
        return {e.mapping.iri: _source(e, outputs.get(e.cls.iri, [])) for e in entries if e.direction == "input"}

    return cat.memo("flow_sources", compute)


def _takers(cat: Catalog, output: MappingEntry) -> list[tuple[Ref, str]]:
    found: dict[str, tuple[Ref, str]] = {}
    for source in sources(cat).values():
        if not _same_information(source.entry, output) or source.kind == OUTSIDE:
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
    """Every input in force without an upstream producer (loop-fed or fed by nothing), in GSBPM order."""
    flagged = [s for s in sources(cat).values() if s.flagged]
    return sorted(flagged, key=lambda s: (activity_key(s.entry.activity), _entry_order(s.entry)))
