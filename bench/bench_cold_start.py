"""Cold start: from process start to the first answered SPARQL query, with all content loaded.

Measures `mskg serve` (embedded in-memory store) against `rdflib-endpoint serve` (the Python peer) over the same
Turtle files, alternating runs so both see the same machine load. Writes `bench/results/cold_start.json`.

    .venv/bin/python bench/bench_cold_start.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "service"))
from modernstats_kg.content import content_files  # noqa: E402

QUERY = (
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?name WHERE { "
    "<http://id.unece.org/activities/subProcess/5.3> skos:prefLabel ?name }"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def time_to_first_answer(command: list[str], url: str, timeout: float = 120.0) -> float:
    """Seconds from spawning `command` to the first 200 answer of the query at `url`."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    try:
        with httpx.Client(timeout=5.0) as client:
            while time.perf_counter() - start < timeout:
                try:
                    response = client.get(
                        url, params={"query": QUERY}, headers={"Accept": "application/sparql-results+json"}
                    )
                    if response.status_code == 200 and response.json()["results"]["bindings"]:
                        return time.perf_counter() - start
                except (httpx.TransportError, ValueError):
                    pass
                time.sleep(0.005)
        raise RuntimeError(f"no answer within {timeout} s from {command[0]}")
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "cold_start.json")
    args = parser.parse_args()
    files = [str(p) for p in content_files(ROOT) if p.parent.name != "shapes"]
    bin_dir = Path(sys.executable).parent
    peer = shutil.which("rdflib-endpoint", path=str(bin_dir)) or shutil.which("rdflib-endpoint")
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(args.runs):
        port = free_port()
        ours.append(
            time_to_first_answer(
                [sys.executable, "-m", "modernstats_kg", "serve", "--port", str(port)],
                f"http://127.0.0.1:{port}/sparql",
            )
        )
        if peer:
            port = free_port()
            theirs.append(
                time_to_first_answer(
                    [peer, "serve", "--host", "127.0.0.1", "--port", str(port), *files], f"http://127.0.0.1:{port}/"
                )
            )
    result = {
        "benchmark": "cold start to first answered query (all content loaded)",
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "runs": args.runs,
        "modernstats_kg_s": {"median": statistics.median(ours), "min": min(ours), "all": ours},
    }
    if theirs:
        result["rdflib_endpoint_s"] = {"median": statistics.median(theirs), "min": min(theirs), "all": theirs}
        result["ratio_peer_over_ours"] = statistics.median(theirs) / statistics.median(ours)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")
    line = f"cold start: modernstats-kg {result['modernstats_kg_s']['median']:.3f} s (median of {args.runs})"
    if theirs:
        peer_median = result["rdflib_endpoint_s"]["median"]
        line += f", rdflib-endpoint {peer_median:.3f} s, ratio {result['ratio_peer_over_ours']:.1f}x"
    print(line)


if __name__ == "__main__":
    main()
