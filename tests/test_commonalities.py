"""Commonalities of contributed tasks: groups on fixture contributions with known groups
(tests/fixtures/contributed-tasks/contributions.ttl, loaded as extra Turtle), deterministic, the threshold
separating them, and the page and CSV over content that includes the fixture."""

from __future__ import annotations

import csv
import io
import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import PROJECT_ROOT
from modernstats_kg.catalog import Catalog
from modernstats_kg.catalog.commonalities import THRESHOLD, commonalities, group_tasks, similarity
from modernstats_kg.catalog.gsbpm_tasks import all_tasks
from modernstats_kg.content import check_file
from modernstats_kg.settings import Settings
from modernstats_kg.store import EmbeddedStore

FIXTURE = Path(__file__).parent / "fixtures" / "contributed-tasks" / "contributions.ttl"
T = "http://example.org/task/"
KNOWN_SHARED = {
    "5.3": [{"ex1-5.3.1", "ex2-5.3.1", "ex3-5.3.1"}, {"ex1-5.3.2", "ex3-5.3.2"}],
    "5.4": [{"ex1-5.4.1", "ex2-5.4.1"}],
}
KNOWN_UNIQUE = {"5.3": {"ex2-5.3.2"}, "5.4": {"ex3-5.4.1"}}


@pytest.fixture(scope="module")
def cat() -> Catalog:
    files = [PROJECT_ROOT / "ontology" / name for name in ("gsbpm.ttl", "gsim.ttl", "coos.ttl", "gsbpm-tasks.ttl")]
    store = EmbeddedStore()
    store.load_files({check_file(p): p for p in [*files, FIXTURE]})
    return Catalog(store, "fixture")


def short(iri: str) -> str:
    return iri.removeprefix(T)


def test_groups_equal_the_known_groups(cat: Catalog) -> None:
    summary = commonalities(cat)
    assert len(summary.organizations) == 3
    found = {cat.code(e.subprocess_iri): e for e in summary.per_subprocess}
    assert set(found) == {"5.3", "5.4"}, "the shipped GSBPM tasks are not contributions and must not be grouped"
    for code, groups in KNOWN_SHARED.items():
        assert [{short(t.ref.iri) for t in g.tasks} for g in found[code].shared] == groups
        assert {short(t.ref.iri) for t in found[code].unique} == KNOWN_UNIQUE[code]
    top = found["5.3"].shared[0]
    assert len(top.organizations) == 3 and short(top.representative.ref.iri) == "ex1-5.3.1"


def test_threshold_separates_the_known_groups(cat: Catalog) -> None:
    tasks = {short(t.ref.iri): t for t in all_tasks(cat) if t.organization}
    members = {name: i for i, groups in enumerate(KNOWN_SHARED.values()) for j, g in enumerate(groups) for name in g}
    group_of = {name: f"{members.get(name)}" if name in members else name for name in tasks}
    same: list[float] = []
    different: list[float] = []
    for a in sorted(tasks):
        for b in sorted(tasks):
            if a < b and tasks[a].subprocess == tasks[b].subprocess:
                linked = any({a, b} <= g for groups in KNOWN_SHARED.values() for g in groups)
                (same if linked else different).append(similarity(tasks[a], tasks[b]))
    assert group_of and min(same) >= THRESHOLD > max(different)


def test_grouping_is_deterministic_whatever_the_input_order(cat: Catalog) -> None:
    tasks = [t for t in all_tasks(cat) if t.organization and cat.code(t.subprocess.iri) == "5.3"]
    expected = [[t.ref.iri for t in g] for g in group_tasks(tasks)]
    for seed in range(5):
        shuffled = tasks[:]
        random.Random(seed).shuffle(shuffled)
        assert [[t.ref.iri for t in g] for g in group_tasks(shuffled)] == expected


def test_a_shared_gsim_class_raises_the_similarity(cat: Catalog) -> None:
    tasks = {short(t.ref.iri): t for t in all_tasks(cat) if t.organization}
    a, b = tasks["ex1-5.4.1"], tasks["ex2-5.4.1"]
    with_class = similarity(a, b)
    without = similarity(a, type(b)(**{**b.__dict__, "outputs": []}))
    assert with_class == pytest.approx(without + 10)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    from modernstats_kg.app import create_app

    root = tmp_path_factory.mktemp("content")
    for folder in ("ontology", "mappings", "shapes"):
        shutil.copytree(PROJECT_ROOT / folder, root / folder)
    shutil.copy(FIXTURE, root / "ontology" / "zz-contributions.ttl")
    with TestClient(create_app(Settings(content_dir=root))) as test_client:
        yield test_client


def test_page_shows_performed_by_representative_variants_and_unique_tasks(client: Any) -> None:
    page = client.get("/gsbpm/commonalities")
    assert page.status_code == 200
    assert "performed by 3 of 3 organizations" in page.text
    assert "performed by 2 of 3 organizations" in page.text
    assert "Check value ranges" in page.text and "Range checks" in page.text
    assert "Score outliers with a model" in page.text.split("Tasks no one else has")[1]


def test_csv_has_one_row_per_contributed_task_with_its_group(client: Any) -> None:
    answer = client.get("/gsbpm/commonalities.csv")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert len(rows) == 9
    by_task = {short(r["task_iri"]): r for r in rows}
    assert by_task["ex3-5.3.1"]["organizations"] == "3" and by_task["ex3-5.3.1"]["role"] == "variant"
    assert by_task["ex1-5.3.1"]["role"] == "representative"
    assert by_task["ex2-5.3.2"]["role"] == "unique" and by_task["ex1-5.3.2"]["organizations"] == "2"
    assert by_task["ex1-5.3.1"]["country"] == "XA"


def test_contributed_tasks_are_in_the_api_with_their_organization(client: Any) -> None:
    tasks = client.get("/api/v1/subprocesses/5.3/tasks", params={"contributed": "true"}).json()
    assert {t["contributed_by"]["organization"]["label"] for t in tasks} == {
        "Example Statistics One",
        "Example Statistics Two",
        "Example Agency",
    }
    assert {t["contributed_by"]["country"] for t in tasks} == {"XA", "XB", None}


def test_the_fixture_contributions_pass_the_shapes(tmp_path: Path) -> None:
    from modernstats_kg.validation import validate

    report = validate(root=PROJECT_ROOT, extra=[FIXTURE], owl=False)
    assert report.conforms, report.to_text()
