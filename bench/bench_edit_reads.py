"""Read throughput of the NSO query mix while an editor writes once a second, against the same mix read-only.

A live `mskg serve --store DIR` on a durable temporary store (an editor account and its API token made with
`mskg users add` and `mskg tokens create` first). For each query of the mix (`bench_http.QUERIES`), `wrk` (or the
small Python client) reads for `--duration` seconds with nobody writing, then for as long while an editor changes one
mapping once a second over the JSON API (`GET /api/v1/mappings/{id}` for its ETag once, then
`PATCH /api/v1/mappings/{id}` with `If-Match` and the ETag each answer returns), `--rounds` times, the order of the
two cells alternating, so drift in the machine's load falls on both. Two servers are measured: as shipped (answers
kept per data version: every write makes each query miss once) and with the answer cache off
(`MSKG_QUERY_CACHE_BYTES=0`: every read runs in a query worker). Reported: requests/s of each kind of cell, the
ratio with-writer / read-only per query and as a geometric mean, the edits made and their latency, and the load
average before and after. Target: the ratio at least 0.8 (reads within 20 % of the read-only figure).

    .venv/bin/python bench/bench_edit_reads.py [--duration 5] [--rounds 2] [--concurrency 8] [--client wrk|python]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_http import (
    QUERIES,
    ROOT,
    Endpoint,
    Run,
    accept,
    free_port,
    geometric_mean,
    run_python,
    run_wrk,
    start,
)

TARGET_RATIO = 0.8
EDITOR = "bench-editor"
SERVERS = {"as shipped": {}, "answer cache off": {"MSKG_QUERY_CACHE_BYTES": "0"}}


def mskg(*args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "modernstats_kg", *args], input=stdin, capture_output=True, text=True, cwd=ROOT
    )
    if done.returncode != 0:
        raise RuntimeError(f"mskg {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout.strip()


@dataclass
class Editor:
    """Changes one mapping's justification once a second over the JSON API, on its own thread, until stopped."""

    base: str  # http://127.0.0.1:PORT
    token: str
    mapping_id: str
    period_s: float = 1.0
    latencies_ms: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> Editor:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        url = f"{self.base}/api/v1/mappings/{self.mapping_id}"
        with httpx.Client(timeout=60, headers={"Authorization": f"Bearer {self.token}"}) as http:
            etag = http.get(url).headers["etag"]
            number = 0
            while not self._stop.is_set():
                began = time.perf_counter()
                number += 1
                body = {"justification": f"Benchmark wording {number}.", "comment": f"bench edit {number}"}
                response = http.patch(url, json=body, headers={"If-Match": etag})
                self.latencies_ms.append((time.perf_counter() - began) * 1000)
                self.statuses.append(response.status_code)
                # on anything but 200 (a 412 after some other write), read the current ETag again
                etag = response.headers["etag"] if response.status_code == 200 else http.get(url).headers["etag"]
                self._stop.wait(max(0.0, self.period_s - (time.perf_counter() - began)))


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def percentile(values: list[float], q: float) -> float | None:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 1) if ordered else None


def measure_server(
    name: str, env: dict[str, str], folder: Path, token: str, args: argparse.Namespace
) -> dict[str, object]:
    port = free_port()
    command = [sys.executable, "-m", "modernstats_kg", "serve", "--store", str(folder), "--port", str(port)]
    endpoint: Endpoint = start(name, command, f"http://127.0.0.1:{port}/sparql", env)
    base = f"http://127.0.0.1:{port}"
    load = run_wrk if args.client == "wrk" else run_python
    try:
        mapping_id = httpx.get(f"{base}/api/v1/mappings", params={"limit": 1}).json()["items"][0]["id"]
        cells: dict[str, dict[str, object]] = {}
        edits = Editor(base, token, mapping_id)
        for index, query in enumerate(args.queries):
            url = f"{endpoint.url}?{urlencode({'query': QUERIES[query][1]})}"
            load(url, accept(query), args.concurrency, 1)  # warm: workers, answer cache
            cell: dict[str, object] = {}
            done: dict[bool, list[Run]] = {False: [], True: []}
            for round_ in range(args.rounds):  # alternating order: drift in the machine's load falls on both
                for writing in (False, True) if (index + round_) % 2 == 0 else (True, False):
                    if writing:
                        with edits:
                            done[True].append(load(url, accept(query), args.concurrency, args.duration))
                        load(url, accept(query), 1, 1)  # settle: the last write's catching up is not the next cell's
                    else:
                        done[False].append(load(url, accept(query), args.concurrency, args.duration))
            for writing, runs in done.items():
                cell["with_writer" if writing else "read_only"] = {
                    "req_per_s": round(sum(r.requests - r.errors for r in runs) / sum(r.seconds for r in runs), 1),
                    "p50_ms": round(statistics.median(r.p50_ms for r in runs), 2),
                    "p99_ms": round(max(r.p99_ms for r in runs), 2),
                    "requests": sum(r.requests for r in runs),
                    "errors": sum(r.errors for r in runs),
                }
            read_only = cell["read_only"]["req_per_s"]  # type: ignore[index]
            cell["ratio"] = round(cell["with_writer"]["req_per_s"] / read_only, 3) if read_only else None  # type: ignore[index]
            cells[query] = cell
            print(f"{name} ({query}): {json.dumps(cell)}", flush=True)
        ratios = [float(c["ratio"]) for c in cells.values() if c["ratio"] is not None]  # type: ignore[arg-type]
        return {
            "server": name,
            "env": env,
            "queries": cells,
            "geomean_ratio": round(geometric_mean(ratios), 3),
            "min_ratio": round(min(ratios), 3),
            "edits": {
                "made": len(edits.statuses),
                "ok": sum(1 for s in edits.statuses if s == 200),
                "other_statuses": sorted({s for s in edits.statuses if s != 200}),
                "p50_ms": percentile(edits.latencies_ms, 0.5),
                "p95_ms": percentile(edits.latencies_ms, 0.95),
            },
        }
    finally:
        endpoint.stop()


def markdown(report: dict[str, object]) -> str:
    lines = [
        "# Reads while an editor writes (bench/bench_edit_reads.py)",
        "",
        f"{report['when']}, {report['machine']}, client `{report['client']}` at concurrency {report['concurrency']}, "
        f"{report['rounds']} rounds of {report['duration_s']} s per cell, in alternating order. Load average (1, 5, 15 "
        f"min) before {report['load_before']}, after {report['load_after']}. `mskg serve --store DIR` (on-disk "
        "store); the writer changes one mapping once a "
        "second with `PATCH /api/v1/mappings/{id}`.",
        "",
        "| server | query | read-only req/s | with writer req/s | ratio |",
        "| --- | --- | --- | --- | --- |",
    ]
    for run in report["runs"]:  # type: ignore[attr-defined]
        for query, cell in run["queries"].items():
            lines.append(
                f"| {run['server']} | ({query}) {QUERIES[query][0]} | {cell['read_only']['req_per_s']} | "
                f"{cell['with_writer']['req_per_s']} | {cell['ratio']} |"
            )
    lines.append("")
    for run in report["runs"]:  # type: ignore[attr-defined]
        edits = run["edits"]
        verdict = "within 20 %" if run["min_ratio"] >= TARGET_RATIO else "NOT within 20 %"
        lines.append(
            f"- {run['server']}: geometric mean ratio {run['geomean_ratio']}, lowest {run['min_ratio']} ({verdict} on "
            f"every query); {edits['ok']} of {edits['made']} edits acknowledged, p50 {edits['p50_ms']} ms, "
            f"p95 {edits['p95_ms']} ms."
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=5, help="seconds per cell")
    parser.add_argument("--rounds", type=int, default=2, help="pairs of cells (read-only, with writer) per query")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--queries", default="abcde", help="which queries of the mix (letters)")
    parser.add_argument("--client", choices=("wrk", "python"), default="wrk" if shutil.which("wrk") else "python")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "edit-reads.json")
    args = parser.parse_args()
    load_before = load_average()
    runs = []
    with tempfile.TemporaryDirectory(prefix="mskg-bench-edit-reads-") as scratch:
        for name, env in SERVERS.items():
            folder = Path(scratch) / name.replace(" ", "-")
            folder.mkdir()
            password = "bench pass phrase"
            mskg("users", "add", EDITOR, "--role", "editor", "--password-stdin", "--store", str(folder), stdin=password)
            token = mskg("tokens", "create", EDITOR, "--store", str(folder))
            runs.append(measure_server(name, env, folder, token, args))
    report = {
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "client": args.client,
        "concurrency": args.concurrency,
        "duration_s": args.duration,
        "rounds": args.rounds,
        "load_before": load_before,
        "load_after": load_average(),
        "target_ratio": TARGET_RATIO,
        "runs": runs,
        "target_met": all(float(r["min_ratio"]) >= TARGET_RATIO for r in runs),  # type: ignore[arg-type]
    }
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    args.output.with_suffix(".md").write_text(markdown(report))
    print(markdown(report))


if __name__ == "__main__":
    main()
