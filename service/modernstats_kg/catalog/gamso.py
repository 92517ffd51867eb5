"""GAMSO 1.2: the activity tree (areas and activities) and the detail of one area or activity."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from .coos import TreeNode
from .core import Catalog, Ref, Text, per_version, texts
from .gsbpm import gamso_parents
from .vocab import GAMSO_SCHEME, SKOS, code_key, model_of


@dataclass(frozen=True)
class GamsoModel:
    scheme: Ref
    tree: list[TreeNode]


@dataclass(frozen=True)
class GamsoItem:
    item: Ref
    definition: Text
    path: list[Ref]  # from the top down to the parent
    children: list[Ref]
    related: list[tuple[Ref, Ref]]  # (property, GSBPM or other outside resource) in either direction


def gamso_model(cat: Catalog) -> GamsoModel:
    def compute() -> GamsoModel:
        items = {row["item"].value for row in cat.select("scheme_items", scheme=GAMSO_SCHEME)}
        parents = gamso_parents(cat)
        children: dict[str, list[str]] = {}
        for child, parent in parents.items():
            children.setdefault(parent, []).append(child)

        def node(iri: str, depth: int) -> TreeNode:
            kids = [node(k, depth + 1) for k in children.get(iri, []) if depth < 8]
            return TreeNode(cat.ref(iri), sorted(kids, key=lambda n: code_key(n.ref.code)))

        roots = [i for i in items if i not in parents]
        tree = sorted((node(r, 0) for r in roots), key=lambda n: code_key(n.ref.code))
        return GamsoModel(cat.ref(GAMSO_SCHEME), tree)

    return cat.memo("gamso_model", compute)


@per_version
def gamso_item(cat: Catalog, iri: str) -> GamsoItem | None:
    pairs = cat.outgoing(iri)
    if not pairs:
        return None
    parents = gamso_parents(cat)
    path: list[Ref] = []
    cursor = parents.get(iri)
    while cursor and len(path) < 10:
        path.insert(0, cat.ref(cursor))
        cursor = parents.get(cursor)
    children = sorted(cat.refs(c for c, p in parents.items() if p == iri), key=lambda r: code_key(r.code))
    related: list[tuple[Ref, Ref]] = []
    for p, o in pairs:
        if isinstance(o, ox.NamedNode) and model_of(o.value) == "GSBPM" and p != SKOS + "inScheme":
            related.append((cat.ref(p), cat.ref(o.value)))
    for row in cat.select("incoming", o=iri):
        s = row["s"]
        if isinstance(s, ox.NamedNode) and model_of(s.value) == "GSBPM":
            related.append((cat.ref(row["p"].value), cat.ref(s.value)))
    return GamsoItem(cat.ref(iri), texts(pairs, SKOS + "definition"), path, children, related)
