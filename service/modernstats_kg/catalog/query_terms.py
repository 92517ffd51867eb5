"""The terms the SPARQL editor offers while typing: every class and property of the content, declared or used."""

from __future__ import annotations

from .core import Catalog, per_version


@per_version
def editor_terms(cat: Catalog) -> dict[str, list[str]]:
    """`{"class": [IRI, ...], "property": [IRI, ...]}`, each sorted."""
    found: dict[str, set[str]] = {"class": set(), "property": set()}
    for row in cat.select("editor_terms"):
        found[row["kind"].value].add(row["term"].value)
    return {kind: sorted(iris) for kind, iris in found.items()}
