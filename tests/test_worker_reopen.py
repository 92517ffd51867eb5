"""Query workers on an on-disk store catch up with a write in place: each opens a new read-only snapshot of the
store (`worker_process.Reopen`) before its next job, rather than being replaced by a new process. Replacing every
worker on every write cost an interpreter start per worker per edit, which at one edit a second starved the readers
(`bench/bench_edit_reads.py`)."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from modernstats_kg.loader import load_content
from modernstats_kg.sparql.execution import QueryAnswer, QueryJob
from modernstats_kg.sparql.workers import QueryRunner
from modernstats_kg.store import ChangeSet, EmbeddedStore

pytestmark = pytest.mark.slow

COUNT = QueryJob("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
GRAPH = ox.NamedNode("http://example.org/bench-edits")


def count_of(answer: QueryAnswer) -> int:
    return int(json.loads(answer.body)["results"]["bindings"][0]["n"]["value"])


async def on_every_worker(runner: QueryRunner, workers: int) -> list[QueryAnswer]:
    """The count as each idle worker answers it (the jobs run at once, so each takes its own worker)."""
    return list(await asyncio.gather(*(runner.run_async(COUNT) for _ in range(workers))))


def wait_for_idle(runner: QueryRunner, workers: int) -> None:
    deadline = time.monotonic() + 180  # spawning interpreters on a loaded machine
    while runner.workers() != (workers, workers):
        assert time.monotonic() < deadline, f"workers not ready: {runner.workers()}"
        time.sleep(0.1)


def test_workers_on_disk_answer_a_write_at_once_without_new_processes(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store")
    load_content(store)
    runner = QueryRunner(store, timeout_s=60, workers=2)
    try:
        runner.run(COUNT)
        wait_for_idle(runner, 2)
        before = {count_of(a) for a in asyncio.run(on_every_worker(runner, 2))}
        assert before == {store.size()}
        pids = {worker.pid for worker in runner._workers}
        for number in range(3):  # several writes: each one is seen by every worker
            quad = ox.Quad(GRAPH, ox.NamedNode("http://example.org/p"), ox.Literal(str(number)), GRAPH)
            store.apply(ChangeSet.of(add=[quad]))
            answers = asyncio.run(on_every_worker(runner, 2))
            assert [count_of(a) for a in answers] == [store.size()] * 2  # the write, on both workers
            assert {a.content_version for a in answers} == {runner.content_version()}  # kept under the new version
        assert {worker.pid for worker in runner._workers} == pids  # the same processes, caught up in place
        assert runner.workers() == (2, 2)
    finally:
        runner.close()
        store.close()
