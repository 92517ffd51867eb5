"""Information flow, derived from the mappings by query: where a sub-process's inputs come from and where its
outputs go, and for a GSIM class which sub-processes put it out and which later ones take it in.

"Earlier" and "later" follow the GSBPM order of codes (1.1 ... 8.3). Overarching processes run alongside every
phase, so they count as both earlier and later.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from .core import Catalog, Ref, per_version
from .mapping import activity_key, mappings, role_key
from .vocab import INPUT, OUTPUT, OVERARCHING


@dataclass(frozen=True)
class FlowLink:
    """One class a sub-process takes in (with the earlier activities that put it out) or puts out (with the later
    activities that take it in)."""

    cls: Ref
    roles: list[Ref]
    others: list[Ref]


@dataclass(frozen=True)
class ActivityFlow:
    activity: Ref
    inputs: list[FlowLink]
    outputs: list[FlowLink]


@dataclass(frozen=True)
class ClassFlow:
    cls: Ref
    producers: list[Ref]
    consumers: list[Ref]
    pairs: list[tuple[Ref, Ref]]  # (producer, later consumer)


def _ordered(a: Ref, b: Ref) -> bool:
    """True when `a` comes before `b` in the process (always, when either is an overarching process)."""
    if a.iri.startswith(OVERARCHING) or b.iri.startswith(OVERARCHING):
        return True
    return activity_key(a) < activity_key(b)


@per_version
def information_flow(cat: Catalog, activity: str) -> ActivityFlow:
    """For each input of `activity`, the earlier activities that put it out; for each output, the later ones that
    take it in."""
    me = cat.ref(activity)
    my_key = activity_key(me)
    keys: dict[str, tuple[int, tuple[int, ...]] | None] = {}

    def comes(other: str, *, before: bool) -> bool:
        """Is `other` earlier (or later) than `activity` in the process? Overarching processes are both."""
        if other not in keys:
            keys[other] = None if other.startswith(OVERARCHING) else activity_key(Ref(other, code=cat.code(other)))
        key = keys[other]
        if key is None or me.iri.startswith(OVERARCHING):
            return True
        return key < my_key if before else key > my_key

    found: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
    for row in cat.select("flow_of_activity", activity=activity):
        direction = row["direction"].value
        if direction not in (INPUT, OUTPUT):
            continue
        roles, others = found.setdefault((direction, row["class"].value), (set(), set()))
        role = row.get("role")
        if isinstance(role, ox.NamedNode):
            roles.add(role.value)
        other = row.get("other")
        if (
            isinstance(other, ox.NamedNode)
            and other.value not in others
            and comes(other.value, before=direction == INPUT)
        ):
            others.add(other.value)

    def links(direction: str) -> list[FlowLink]:
        result = [
            FlowLink(
                cat.ref(cls),
                sorted(cat.refs(roles), key=role_key),
                sorted(cat.refs(others), key=activity_key),
            )
            for (d, cls), (roles, others) in found.items()
            if d == direction
        ]
        return sorted(result, key=lambda link: (role_key(link.roles[0] if link.roles else None), link.cls.name()))

    return ActivityFlow(me, links(INPUT), links(OUTPUT))


@per_version
def class_flow(cat: Catalog, cls: str) -> ClassFlow:
    """Which activities put the class out, which take it in, and each (producer, later consumer) pair."""
    entries = mappings(cat, cls=cls)
    producers = {e.activity.iri: e.activity for e in entries if e.direction == "output"}
    consumers = {e.activity.iri: e.activity for e in entries if e.direction == "input"}
    pairs = [
        (p, c)
        for p in sorted(producers.values(), key=activity_key)
        for c in sorted(consumers.values(), key=activity_key)
        if p.iri != c.iri and _ordered(p, c)
    ]
    return ClassFlow(
        cat.ref(cls),
        sorted(producers.values(), key=activity_key),
        sorted(consumers.values(), key=activity_key),
        pairs,
    )
