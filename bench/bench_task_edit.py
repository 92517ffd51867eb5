"""Latency of validated writes of contributed Level-3 tasks through the write gate, on an on-disk store with the real
content: registering an organisation, creating tasks and changing one (p50, p95 over `--writes` each).

Each write is what the tasks API does without HTTP (`editing.task_operations`): check the account acts for the
organisation, read the task and its ETag, build the change, validate it with the SHACL shapes (scoped to the nodes the
change can affect, `validation.scoped`), apply it and its history record in one transaction, read it back. For
comparison it also times whole-graph validation (`validate_change`) of one task change, the path every task write took
before task changes were scoped. Writes `bench/results/task_edit.json` and `bench/results/task_edit.md`.

    .venv/bin/python bench/bench_task_edit.py [--writes 20] [--whole-runs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "service"))
from modernstats_kg.editing.accounts import Role, User  # noqa: E402
from modernstats_kg.editing.organizations import register_organization  # noqa: E402
from modernstats_kg.editing.task_operations import create_task, update_task  # noqa: E402
from modernstats_kg.editing.tasks import TaskDraft, build_task_update, read_task  # noqa: E402
from modernstats_kg.loader import load_content  # noqa: E402
from modernstats_kg.store import EmbeddedStore  # noqa: E402
from modernstats_kg.validation import validate_change  # noqa: E402

EDITOR = User("bench", Role.EDITOR, 0.0, organization="bench-nsi")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50_ms": round(percentile(values, 0.5) * 1000, 1),
        "p95_ms": round(percentile(values, 0.95) * 1000, 1),
        "max_ms": round(max(values) * 1000, 1),
        "mean_ms": round(statistics.fmean(values) * 1000, 1),
    }


def timed(action: Callable[..., object], *args: object, **kwargs: object) -> float:
    started = time.perf_counter()
    action(*args, **kwargs)
    return time.perf_counter() - started


def measure(folder: Path, args: argparse.Namespace) -> dict[str, object]:
    store = EmbeddedStore(folder)
    load_content(store)
    registration = timed(
        lambda: register_organization(
            store, "bench-nsi", "nsi", "Benchmark Statistics", "XA", author="admin", comment="benchmark organisation"
        )
    )
    creates: list[float] = []
    for number in range(1, args.writes + 1):
        draft = TaskDraft(
            "bench-nsi", "5.3", f"5.3.{number}", f"Benchmark task {number}", f"A task made by the benchmark, {number}."
        )
        creates.append(timed(create_task, store, draft, user=EDITOR, comment=f"create {number}"))
    task_id = "bench-nsi/5.3.1"
    updates: list[float] = []
    for number in range(args.writes):
        etag = read_task(store, task_id).etag
        fields = {"description": f"Benchmark wording number {number}."}
        updates.append(timed(update_task, store, task_id, etag, fields, user=EDITOR, comment=f"edit {number}"))
    result: dict[str, object] = {
        "triples": store.size(),
        "register_organization_ms": round(registration * 1000, 1),
        "create_task": summary(creates),
        "update_task": summary(updates),
    }
    if args.whole_runs:
        task = read_task(store, task_id)
        change = build_task_update(store, task, "bench", datetime.now(UTC), description="Whole-graph timing.")
        result["whole_graph_validation_of_one_task_change"] = summary(
            [timed(validate_change, store, change) for _ in range(args.whole_runs)]
        )
    store.close()
    return result


def markdown(report: dict[str, object]) -> str:
    run: dict[str, dict[str, float]] = report["run"]  # type: ignore[assignment]
    create, update = run["create_task"], run["update_task"]
    lines = [
        "# Validated task writes (bench/bench_task_edit.py)",
        "",
        f"{report['when']}, {report['machine']}. Real content ({run['triples']} triples after the writes), on-disk "
        "store; each write checked, validated, applied with its history record in one transaction, read back.",
        "",
        "| write | n | p50 | p95 | max |",
        "| --- | --- | --- | --- | --- |",
        f"| create a task | {create['n']} | {create['p50_ms']} ms | {create['p95_ms']} ms | {create['max_ms']} ms |",
        f"| change a task | {update['n']} | {update['p50_ms']} ms | {update['p95_ms']} ms | {update['max_ms']} ms |",
        "",
        f"Registering the organisation: {run['register_organization_ms']} ms.",
    ]
    whole = run.get("whole_graph_validation_of_one_task_change")
    if whole:
        lines += ["", f"Whole-graph validation of one task change: {whole['p50_ms']} ms (median)."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=20, help="task creations and task changes to time")
    parser.add_argument("--whole-runs", type=int, default=2, help="whole-graph validations to time")
    parser.add_argument("--name", default="task_edit", help="the results file name, without extension")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mskg-bench-task-") as scratch:
        run = measure(Path(scratch) / "store", args)
    report: dict[str, object] = {
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "run": run,
    }
    out = ROOT / "bench" / "results"
    (out / f"{args.name}.json").write_text(json.dumps(report, indent=2) + "\n")
    (out / f"{args.name}.md").write_text(markdown(report))
    print(markdown(report))


if __name__ == "__main__":
    main()
