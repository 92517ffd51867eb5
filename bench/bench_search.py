"""Search latency: autocomplete (`/search/suggest`) and the JSON search (`/api/v1/search`) at concurrency 8.

Starts the service (embedded store, one worker) on a free loopback port, warms it with one search (the FTS5 index is
built once per content version), then sends distinct queries (so no answer comes from a cache): one or two words of
the content's labels, some cut short as a reader types them, some with a typo. Reports p50, p95 and p99 per endpoint
to `bench/results/search.json` and `.md`. Target: p95 under 20 ms at concurrency 8.

    .venv/bin/python bench/bench_search.py [--requests 2000] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def queries(count: int, seed: int = 14) -> list[str]:
    """Distinct reader-like queries built from the words of the content's labels."""
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "ontology").glob("*.ttl")))
    words = sorted({w.lower() for w in re.findall(r'"([A-Za-zÀ-ÿ ]{4,60})"@(?:en|fr|es)', text) for w in w.split()})
    words = [w for w in words if len(w) >= 4]
    rng = random.Random(seed)
    found: set[str] = set()
    while len(found) < count:
        picked = rng.sample(words, rng.choice((1, 1, 2)))
        last = picked[-1]
        roll = rng.random()
        if roll < 0.3:
            picked[-1] = last[: rng.randint(2, len(last))]  # still typing
        elif roll < 0.45:
            i = rng.randrange(len(last) - 1)
            picked[-1] = last[:i] + last[i + 1] + last[i] + last[i + 2 :]  # a typo
        found.add(" ".join(picked))
    return sorted(found)


async def run(base: str, path: str, qs: list[str], concurrency: int) -> list[float]:
    latencies: list[float] = []
    queue: asyncio.Queue[str] = asyncio.Queue()
    for q in qs:
        queue.put_nowait(q)
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:

        async def worker() -> None:
            while not queue.empty():
                q = queue.get_nowait()
                start = time.perf_counter()
                response = await client.get(path, params={"q": q})
                latencies.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (q, response.status_code)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "uvicorn", "modernstats_kg.app:app_from_env", "--factory", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--log-level", "warning"],
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        start = time.perf_counter()
        httpx.get(base + "/search/suggest", params={"q": "warm"}, timeout=60)
        build_ms = (time.perf_counter() - start) * 1000
        rows = {}
        all_queries = queries(args.requests * 2)
        for index, path in enumerate(("/search/suggest", "/api/v1/search")):
            qs = all_queries[index::2][: args.requests]
            latencies = asyncio.run(run(base, path, qs, args.concurrency))
            rows[path] = {
                "requests": len(latencies),
                "p50_ms": round(statistics.median(latencies), 2),
                "p95_ms": round(percentile(latencies, 95), 2),
                "p99_ms": round(percentile(latencies, 99), 2),
            }
    finally:
        server.terminate()
        server.wait(timeout=20)
    result = {
        "concurrency": args.concurrency,
        "first_search_ms_with_index_build": round(build_ms, 1),
        "endpoints": rows,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "load_average_1min_at_end": round(os.getloadavg()[0], 2),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "search.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    lines = [
        f"# Search latency at concurrency {args.concurrency} (distinct queries, no cache hits)",
        "",
        "| endpoint | requests | p50 ms | p95 ms | p99 ms |",
        "| --- | --- | --- | --- | --- |",
        *(f"| `{p}` | {r['requests']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} |" for p, r in rows.items()),
        "",
        f"First search (builds the FTS5 index of the content version): {result['first_search_ms_with_index_build']} ms."
        f" Machine: {result['machine']}, load average {result['load_average_1min_at_end']} at the end.",
    ]
    (RESULTS / "search.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
