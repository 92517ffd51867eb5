"""bench/synthetic.py: the scaled content folder loads, keeps the real models and adds mappings shaped like ours."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox
import pytest

from conftest import MAPPINGS_DIR, ONTOLOGY_DIR, PROJECT_ROOT
from modernstats_kg.loader import load_content
from modernstats_kg.store import EmbeddedStore

MAP = "http://id.unece.org/def/mapping#"
GSIM = "http://id.unece.org/def/gsim#"
SUB_PROCESS = "http://id.unece.org/activities/subProcess/"
INPUT_ROLES = {"CoreInput", "ParameterInput", "ProcessSupportInput"}


def _load_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_synthetic", PROJECT_ROOT / "bench" / "synthetic.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


synthetic = _load_module()


def _select(store: EmbeddedStore, sparql: str) -> list[tuple[str, ...]]:
    return [tuple(term.value for term in row) for row in store.query(sparql)]  # type: ignore[union-attr]


def _loaded(root: Path) -> EmbeddedStore:
    store = EmbeddedStore()
    load_content(store, root=root)
    return store


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, EmbeddedStore]:
    root = tmp_path_factory.mktemp("synthetic") / "content"
    shape = synthetic.generate(600, root)
    assert (shape.mappings, shape.sub_processes, shape.gsim_classes) == (600, 44, 127)
    return root, _loaded(root)


def test_folder_keeps_the_real_models_and_adds_one_mapping_file(small: tuple[Path, EmbeddedStore]) -> None:
    root, store = small
    real_models = sorted(p.name for p in ONTOLOGY_DIR.glob("*.ttl"))
    assert sorted(p.name for p in (root / "ontology").glob("*.ttl")) == real_models
    for path in ONTOLOGY_DIR.glob("*.ttl"):
        assert (root / "ontology" / path.name).read_bytes() == path.read_bytes()
    assert sorted(p.name for p in (root / "mappings").iterdir()) == ["mapping-vocabulary.ttl", synthetic.MAPPINGS_FILE]
    assert list((root / "shapes").iterdir()) == []
    graphs = {graph.iri: graph.triples for graph in store.graphs()}
    assert len(graphs) == len(real_models) + 2
    assert graphs[synthetic.GRAPH_IRI] == 3 + 600 * synthetic.TRIPLES_PER_MAPPING  # the ontology header, the mappings


PER_MAPPING = f"""SELECT ?m ?p (COUNT(?o) AS ?n) WHERE {{ ?m a <{MAP}InformationMapping> ; ?p ?o }} GROUP BY ?m ?p"""


def _shapes(rows: list[tuple[str, ...]]) -> dict[str, frozenset[tuple[str, int]]]:
    """Each mapping's properties with how many values each has."""
    by_mapping: dict[str, set[tuple[str, int]]] = {}
    for mapping, predicate, count in rows:
        by_mapping.setdefault(mapping, set()).add((predicate, int(count)))
    return {mapping: frozenset(shape) for mapping, shape in by_mapping.items()}


def test_every_mapping_has_the_shape_of_the_real_ones(small: tuple[Path, EmbeddedStore]) -> None:
    _, store = small
    real = ox.Store()
    real.bulk_load(path=str(MAPPINGS_DIR / "gsim-gsbpm.ttl"), format=ox.RdfFormat.TURTLE)
    rows = [tuple(term.value for term in row) for row in real.query(PER_MAPPING)]  # type: ignore[union-attr]
    # the base shape: mappings in force without the optional qualifier or flow boundary
    optional = {f"{MAP}qualifier", f"{MAP}flowBoundary"}
    withdrawn = {m for m, p, _ in rows if p == f"{MAP}status"} & {
        row[0].value
        for row in real.query(f"SELECT ?m WHERE {{ ?m <{MAP}status> <{MAP}deprecated> }}")  # type: ignore[union-attr]
    }
    base = {m: s for m, s in _shapes(rows).items() if m not in withdrawn and not {p for p, _ in s} & optional}
    real_shapes = set(base.values())
    assert len(real_shapes) == 1  # every real base mapping has the same properties, with the same counts
    ours = _shapes(_select(store, PER_MAPPING))
    assert len(ours) == 600
    assert set(ours.values()) == real_shapes
    assert sum(n for _, n in next(iter(real_shapes))) == synthetic.TRIPLES_PER_MAPPING


def test_mappings_spread_over_every_sub_process_and_gsim_class(small: tuple[Path, EmbeddedStore]) -> None:
    _, store = small
    rows = _select(
        store,
        f"""SELECT ?m ?activity ?class ?role ?direction WHERE {{
      ?m a <{MAP}InformationMapping> ; <{MAP}activity> ?activity ; <{MAP}informationClass> ?class ;
         <{MAP}role> ?role ; <{MAP}direction> ?direction }}""",
    )
    assert len({row[0] for row in rows}) == 600
    activities = Counter(row[1] for row in rows)
    classes = Counter(row[2] for row in rows)
    assert all(a.startswith(SUB_PROCESS) for a in activities) and len(activities) == 44
    assert all(c.startswith(GSIM) for c in classes) and len(classes) == 127
    assert max(activities.values()) - min(activities.values()) <= 1  # even
    assert max(classes.values()) - min(classes.values()) <= 1
    for _, _, _, role, direction in rows:
        expected = "input" if role.removeprefix(GSIM) in INPUT_ROLES else "output"
        assert direction == MAP + expected
    # every sub-process and every class used is one the models define
    defined = {
        row[0]
        for row in _select(
            store, f"SELECT ?c WHERE {{ ?c a <http://www.w3.org/2002/07/owl#Class> ; <{GSIM}group> ?g }}"
        )
    }
    assert set(classes) <= defined


def test_triples_scale_with_the_number_of_mappings(tmp_path: Path, small: tuple[Path, EmbeddedStore]) -> None:
    _, store = small
    base = _loaded(synthetic.generate(0, tmp_path / "none").out).size()
    assert store.size() == base + 600 * synthetic.TRIPLES_PER_MAPPING
    more = _loaded(synthetic.generate(1_000, tmp_path / "more").out)
    assert more.size() == base + 1_000 * synthetic.TRIPLES_PER_MAPPING


def test_same_count_same_bytes_and_the_command(tmp_path: Path) -> None:
    synthetic.main(["--mappings", "50", "--out", str(tmp_path / "one")])
    synthetic.generate(50, tmp_path / "two")
    name = synthetic.MAPPINGS_FILE
    assert (tmp_path / "one" / "mappings" / name).read_bytes() == (tmp_path / "two" / "mappings" / name).read_bytes()
    with pytest.raises(ValueError):
        synthetic.generate(-1, tmp_path / "three")
