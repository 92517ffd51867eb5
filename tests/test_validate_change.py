"""`validate_change`: the SHACL shapes over the graph as it would be after a change, the store left as it was."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from conftest import Backend
from modernstats_kg.loader import load_content
from modernstats_kg.store import ChangeSet, Store
from modernstats_kg.validation import validate_change

MAP = "http://id.unece.org/def/mapping#"
ACTIVITY = ox.NamedNode(MAP + "activity")
JUSTIFICATION = ox.NamedNode(MAP + "justification")
ACTIVITY_COUNT = "http://id.unece.org/shapes/mapping#activityCount"


def a_mapping(store: Store) -> tuple[ox.NamedNode, ox.Quad, ox.Quad]:
    """A mapping with its map:activity and map:justification quads."""
    rows = store.select(
        f"SELECT ?g ?m ?a ?j WHERE {{ GRAPH ?g {{ ?m a <{MAP}InformationMapping> ; <{MAP}activity> ?a ; "
        f"<{MAP}justification> ?j }} }} ORDER BY ?m LIMIT 1"
    )
    (row,) = list(rows)
    graph, mapping = row["g"], row["m"]
    assert isinstance(graph, ox.NamedNode) and isinstance(mapping, ox.NamedNode)
    return (
        mapping,
        ox.Quad(mapping, ACTIVITY, row["a"], graph),
        ox.Quad(mapping, JUSTIFICATION, row["j"], graph),
    )


@pytest.mark.slow
def test_a_valid_change_conforms_and_a_violating_one_names_its_shape_and_focus_node(backend: Backend) -> None:
    store = backend.open_store()
    load_content(store)
    mapping, activity, justification = a_mapping(store)
    revision, size = store.revision(), store.size()

    reworded = ox.Quad(mapping, JUSTIFICATION, ox.Literal("Reworded for the test.", language="en"), activity.graph_name)
    valid = validate_change(store, ChangeSet.of(remove=[justification], add=[reworded]))
    assert valid.conforms and not valid.violations

    violating = validate_change(store, ChangeSet.of(remove=[activity]))
    assert not violating.conforms
    failed = {(r.shape, r.focus_node) for r in violating.violations}
    assert (ACTIVITY_COUNT, mapping.value) in failed
    (result,) = [r for r in violating.violations if r.shape == ACTIVITY_COUNT]
    assert result.message and result.file == activity.graph_name.value  # type: ignore[union-attr]

    assert (store.revision(), store.size()) == (revision, size), "validation writes nothing"
    assert bool(store.query("ASK { ?m ?p ?a }", substitutions={"m": mapping, "p": ACTIVITY, "a": activity.object}))  # type: ignore[dict-item]
    store.close()
