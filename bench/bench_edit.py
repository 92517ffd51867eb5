"""Latency of validated edits through the write gate, on an on-disk store: one mapping change (p50, p95) and a batch
of 100 new mappings, on the real content and on the 100k-mapping synthetic graph (`bench/synthetic.py`).

Each edit is what `PATCH /api/v1/mappings/{id}` does without HTTP (`editing.operations.update_mapping`): read the
mapping, check its ETag, build the change, validate it with the SHACL shapes (scoped to what it can affect), apply it
and its history record in one transaction, flushed to disk, and read the mapping back. A batch is what
`POST /api/v1/changes` does (`apply_batch`): 100 creates, one validation, one transaction. For comparison it also
times whole-graph validation (`validate_change`) of one edit on the real content. The machine is shared, so each
edit and batch is paired with a peer timed right after it: the same quads written by pyoxigraph alone in one
transaction (`Store.update` with the same DELETE DATA / INSERT DATA, on an on-disk store of its own), reported as
the ratio gate / raw transaction, with the load average before and after. Writes `bench/results/edit.json` and
`bench/results/edit.md`.

    .venv/bin/python bench/bench_edit.py [--edits 50] [--batches 3] [--mappings 100000] [--whole-runs 2]
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
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "service"))
sys.path.insert(0, str(ROOT / "bench"))
import synthetic  # noqa: E402
from modernstats_kg.editing.mapping_changes import Draft  # noqa: E402
from modernstats_kg.editing.operations import Operation, apply_batch, create_mapping, update_mapping  # noqa: E402
from modernstats_kg.loader import load_content  # noqa: E402
from modernstats_kg.store import ChangeSet, EmbeddedStore  # noqa: E402
from modernstats_kg.store.changes import sparql_update  # noqa: E402
from modernstats_kg.validation import validate_change  # noqa: E402

TARGET_P95_S = 0.150
ROLES = ("CoreInput", "ProcessSupportInput", "CoreOutput")
FREE_CLASSES = """PREFIX gsim: <http://id.unece.org/def/gsim#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?class WHERE { ?class gsim:group ?g . FILTER NOT EXISTS { ?class owl:deprecated true }
  FILTER NOT EXISTS { ?class gsim:isAbstract true }
  FILTER (?class NOT IN (gsim:ParameterInput, gsim:ProcessMetric, gsim:ProcessExecutionLog)) } ORDER BY ?class"""
TAKEN = """PREFIX map: <http://id.unece.org/def/mapping#>
SELECT ?a ?c ?r WHERE { ?m map:activity ?a ; map:informationClass ?c ; map:role ?r }"""


def free_drafts(store: EmbeddedStore) -> Iterator[Draft]:
    """New mappings of the overarching processes (no synthetic mapping uses them) whose key no mapping has yet."""
    taken = {(r["a"].value, r["c"].value, r["r"].value) for r in store.select(TAKEN)}
    classes = [row["class"].value.rsplit("#", 1)[-1] for row in store.select(FREE_CLASSES)]
    for code in (f"0.{k}" for k in range(1, 7)):
        for role in ROLES:
            for cls in classes:
                key = (
                    f"http://id.unece.org/activities/overarchingActivity/{code}",
                    f"http://id.unece.org/def/gsim#{cls}",
                    f"http://id.unece.org/def/gsim#{role}",
                )
                if key not in taken:
                    yield Draft(code, cls, role, f"Benchmark mapping of {cls} for {code}.")


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


class Peer:
    """The same quads as the gate wrote, written by pyoxigraph alone in one transaction on its own on-disk store,
    timed right after each gate write (so both see the same machine load)."""

    def __init__(self, store: EmbeddedStore, folder: Path):
        self.raw = ox.Store(str(folder))
        self.applied: list[ChangeSet] = []
        original = store.apply

        def recording(changes: ChangeSet, **options: object) -> str:
            self.applied.append(changes)
            return original(changes, **options)  # type: ignore[arg-type]

        store.apply = recording  # type: ignore[method-assign]

    def time_last(self) -> float:
        update = sparql_update(self.applied[-1])
        started = time.perf_counter()
        self.raw.update(update)
        return time.perf_counter() - started


def measure(name: str, content: Path | None, folder: Path, args: argparse.Namespace) -> dict[str, object]:
    store = EmbeddedStore(folder)
    started = time.perf_counter()
    load_content(store, root=content)
    load_s = time.perf_counter() - started
    peer = Peer(store, folder.with_name(folder.name + "-peer"))
    raw_edits: list[float] = []
    raw_batches: list[float] = []
    drafts = free_drafts(store)
    first = create_mapping(store, next(drafts), author="bench", comment="benchmark mapping")  # warms the shapes
    mapping_id, etag = first.mapping.id, first.mapping.etag
    edits: list[float] = []
    for number in range(args.edits):
        started = time.perf_counter()
        fields = {"justification": f"Benchmark wording number {number}."}
        outcome = update_mapping(store, mapping_id, etag, fields, author="bench", comment=f"edit {number}")
        edits.append(time.perf_counter() - started)
        raw_edits.append(peer.time_last())
        etag = outcome.mapping.etag
    batches: list[float] = []
    for number in range(args.batches):
        operations = [Operation("create", draft=next(drafts)) for _ in range(100)]
        started = time.perf_counter()
        done = apply_batch(store, operations, author="bench", comment=f"batch {number}")
        batches.append(time.perf_counter() - started)
        raw_batches.append(peer.time_last())
        assert len(done.mappings) == 100
    result: dict[str, object] = {
        "dataset": name,
        "triples": store.size(),
        "load_s": round(load_s, 1),
        "single_edit": summary(edits),
        "batch_of_100": summary(batches),
        "peer_single_edit": summary(raw_edits),
        "peer_batch_of_100": summary(raw_batches),
        "ratio_single_edit_p50": round(statistics.median(edits) / statistics.median(raw_edits), 1),
        "ratio_batch_p50": round(statistics.median(batches) / statistics.median(raw_batches), 1),
    }
    if args.whole_runs and name == "real content":
        mapping = outcome.mapping
        old = next(q for q in mapping.quads if q.predicate.value.endswith("#justification"))
        new = ox.Quad(old.subject, old.predicate, ox.Literal("Whole-graph timing.", language="en"), old.graph_name)
        change = ChangeSet.of(remove=[old], add=[new])
        whole = []
        for _ in range(args.whole_runs):
            started = time.perf_counter()
            validate_change(store, change)
            whole.append(time.perf_counter() - started)
        result["whole_graph_validation_of_one_edit"] = summary(whole)
    store.close()
    return result


def markdown(report: dict[str, object]) -> str:
    lines = [
        "# Validated edits (bench/bench_edit.py)",
        "",
        f"{report['when']}, {report['machine']}, load average (1, 5, 15 min) {report['load_before']} before and "
        f"{report['load_after']} after. On-disk store; each edit read, checked, validated (scoped), applied "
        "with its history record in one transaction (in the write-ahead log), read back. Peer: the same quads "
        "written by pyoxigraph alone in one transaction, timed right after each edit.",
        "",
        "| dataset | triples | single edit p50 | p95 | batch of 100 p50 | p95 | peer edit p50 | peer batch p50 "
        "| edit / peer | batch / peer |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for run in report["runs"]:  # type: ignore[attr-defined]
        single, batch = run["single_edit"], run["batch_of_100"]
        lines.append(
            f"| {run['dataset']} | {run['triples']} | {single['p50_ms']} ms | {single['p95_ms']} ms | "
            f"{batch['p50_ms']} ms | {batch['p95_ms']} ms | {run['peer_single_edit']['p50_ms']} ms | "
            f"{run['peer_batch_of_100']['p50_ms']} ms | {run['ratio_single_edit_p50']} | {run['ratio_batch_p50']} |"
        )
    for run in report["runs"]:  # type: ignore[attr-defined]
        if "whole_graph_validation_of_one_edit" in run:
            whole = run["whole_graph_validation_of_one_edit"]
            lines += ["", f"Whole-graph validation of one edit on the {run['dataset']}: {whole['p50_ms']} ms (median)."]
    before = report.get("before")
    if isinstance(before, dict):
        lines += [
            "",
            f"Before and after: `{report['before_file']}` ({before['when']}, load average {before.get('load_before')}) "
            "against this run.",
            "",
            "| dataset | single edit p50 | p95 | batch of 100 p50 | edit / peer (p50) | batch / peer (p50) |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for old, new in zip(before["runs"], report["runs"], strict=False):  # type: ignore[call-overload]
            cells = [
                f"{old[k][m]} -> {new[k][m]} ms"
                for k, m in (("single_edit", "p50_ms"), ("single_edit", "p95_ms"), ("batch_of_100", "p50_ms"))
            ]
            ratios = [f"{old.get(k)} -> {new.get(k)}" for k in ("ratio_single_edit_p50", "ratio_batch_p50")]
            lines.append(f"| {new['dataset']} | {' | '.join(cells)} | {' | '.join(ratios)} |")
    lines += [
        "",
        f"Target: p95 of a single edit under {TARGET_P95_S * 1000:.0f} ms on the real content: "
        f"{'met' if report['target_met'] else 'not met'}.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=50, help="single edits per dataset")
    parser.add_argument("--batches", type=int, default=3, help="batches of 100 new mappings per dataset")
    parser.add_argument("--mappings", type=int, default=100_000, help="synthetic mappings (0: skip that dataset)")
    parser.add_argument("--whole-runs", type=int, default=2, help="whole-graph validations to time (real content)")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "edit.json")
    parser.add_argument("--before", type=Path, help="an earlier edit.json to compare with in the Markdown")
    args = parser.parse_args()
    load_before = [round(x, 2) for x in os.getloadavg()]
    runs = []
    with tempfile.TemporaryDirectory(prefix="mskg-bench-edit-") as scratch:
        base = Path(scratch)
        runs.append(measure("real content", None, base / "real", args))
        print(json.dumps(runs[-1], indent=2), flush=True)
        if args.mappings:
            content = base / "synthetic-content"
            synthetic.generate(args.mappings, content)
            runs.append(measure(f"synthetic {args.mappings} mappings", content, base / "synthetic", args))
            print(json.dumps(runs[-1], indent=2), flush=True)
    real = runs[0]["single_edit"]
    report = {
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_before": load_before,
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "runs": runs,
        "target_p95_ms": TARGET_P95_S * 1000,
        "target_met": real["p95_ms"] <= TARGET_P95_S * 1000,  # type: ignore[index]
    }
    if args.before is not None:
        report["before_file"] = str(args.before.relative_to(ROOT) if args.before.is_absolute() else args.before)
        report["before"] = json.loads(args.before.read_text())
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    args.output.with_suffix(".md").write_text(markdown(report))
    print(markdown(report))


if __name__ == "__main__":
    main()
