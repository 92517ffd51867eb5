"""Commonalities of the tasks organizations contribute: per sub-process, groups of tasks from different
organizations that describe the same work.

Similarity of two tasks = rapidfuzz's `token_set_ratio` (0-100) over their folded names and descriptions in every
language they have (en/fr/es), plus `GSIM_BONUS` when they share a GSIM class they take in or put out (capped at 100).
Tasks whose similarity reaches `THRESHOLD` are linked, and the groups are the connected sets (single linkage). Every
step is ordered by IRI, so the same input always gives the same groups. The threshold was set on the fixtures of
`tests/fixtures/contributed-tasks/`, whose known groups it separates (see tests/test_commonalities.py). Rejected and
deprecated contributions are left out; proposed and endorsed ones count.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from .core import Catalog, per_version
from .gsbpm_tasks import Task, all_tasks
from .search import fold
from .vocab import code_key

THRESHOLD = 60.0
GSIM_BONUS = 10.0


@dataclass(frozen=True)
class TaskGroup:
    """Tasks of one sub-process that describe the same work."""

    representative: Task  # the task most like the others of its group
    variants: list[Task]  # the other tasks of the group
    organizations: list[str]  # IRIs of the organizations performing it, sorted

    @property
    def tasks(self) -> list[Task]:
        return [self.representative, *self.variants]


@dataclass(frozen=True)
class SubProcessCommonalities:
    subprocess_iri: str
    shared: list[TaskGroup]  # groups performed by two organizations or more, most widely performed first
    unique: list[Task]  # tasks no other organization has


@dataclass(frozen=True)
class Commonalities:
    organizations: list[str]  # every contributing organization
    per_subprocess: list[SubProcessCommonalities]


def task_text(task: Task) -> str:
    names = [task.ref.label.get(lang) for lang, _ in task.ref.label.items()]
    return fold(" ".join([*names, *(text for _, text in task.description.items())]))


def similarity(a: Task, b: Task) -> float:
    """0-100: how alike the wording of two tasks is, with a bonus for a shared GSIM class."""
    score = float(fuzz.token_set_ratio(task_text(a), task_text(b)))
    classes_a = {r.iri for r in (*a.inputs, *a.outputs)}
    if classes_a & {r.iri for r in (*b.inputs, *b.outputs)}:
        score += GSIM_BONUS
    return min(score, 100.0)


def group_tasks(tasks: list[Task], threshold: float = THRESHOLD) -> list[list[Task]]:
    """Connected groups of tasks whose similarity reaches `threshold`, deterministic for the same input."""
    ordered = sorted(tasks, key=lambda t: t.ref.iri)
    parent = list(range(len(ordered)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(ordered)):
        for j in range(i + 1, len(ordered)):
            if similarity(ordered[i], ordered[j]) >= threshold:
                parent[max(root(i), root(j))] = min(root(i), root(j))
    groups: dict[int, list[Task]] = {}
    for i, task in enumerate(ordered):
        groups.setdefault(root(i), []).append(task)
    return [groups[k] for k in sorted(groups)]


def _as_group(tasks: list[Task]) -> TaskGroup:
    def closeness(task: Task) -> float:
        others = [t for t in tasks if t is not task]
        return sum(similarity(task, o) for o in others) / len(others) if others else 0.0

    representative = sorted(tasks, key=lambda t: (-closeness(t), t.ref.iri))[0]
    orgs = sorted({t.organization.ref.iri for t in tasks if t.organization})
    return TaskGroup(representative, [t for t in tasks if t is not representative], orgs)


@per_version
def commonalities(cat: Catalog) -> Commonalities:
    """Groups of contributed tasks for every sub-process that has any."""
    contributed = [t for t in all_tasks(cat) if t.organization is not None and not t.withdrawn]
    by_subprocess: dict[str, list[Task]] = {}
    for task in contributed:
        by_subprocess.setdefault(task.subprocess.iri, []).append(task)
    results = []
    for iri in sorted(by_subprocess, key=lambda i: code_key(cat.code(i))):
        groups = [_as_group(g) for g in group_tasks(by_subprocess[iri])]
        shared = sorted(
            (g for g in groups if len(g.organizations) > 1),
            key=lambda g: (-len(g.organizations), g.representative.ref.iri),
        )
        unique = [t for g in groups if len(g.organizations) <= 1 for t in g.tasks]
        results.append(SubProcessCommonalities(iri, shared, sorted(unique, key=lambda t: t.ref.iri)))
    orgs = sorted({t.organization.ref.iri for t in contributed if t.organization})
    return Commonalities(orgs, results)
