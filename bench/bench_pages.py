"""Page rendering time over the project's real content: every kind of page, through the whole ASGI app (routing,
negotiation, read model, template, middleware) driven in process, so HTTP parsing and the network are left out
(uvicorn adds about 1-2 ms per request on the reference machine; see bench/README.md).

    .venv/bin/python bench/bench_pages.py [--rounds 200]

Two figures per page:
- `first_*`: a first view, rendered from the graph (builder results and the page cache dropped before each
  request; the label and search indexes, built once per content version, are kept);
- `repeat_*`: a repeated view, served from the page cache of the content version.
Writes `bench/results/pages.json`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "service"))
warnings.simplefilter("ignore")

from modernstats_kg.app import create_app  # noqa: E402
from modernstats_kg.settings import Settings  # noqa: E402
from modernstats_kg.state import catalog_for  # noqa: E402

PAGES = {
    "home (GSBPM matrix)": "/",
    "sub-process 5.3": "/activities/subProcess/5.3",
    "sub-process 5.3 in French": "/activities/subProcess/5.3?lang=fr",
    "phase 5": "/activities/phase/5",
    "overarching process 0.2": "/activities/overarchingActivity/0.2",
    "GSIM ontology": "/def/gsim",
    "GSIM class Instance Variable": "/def/gsim/InstanceVariable",
    "GSIM class Data Set": "/def/gsim/DataSet",
    "GSIM 1.2 name Unit Data Set": "/def/gsim/UnitDataSet",
    "GSIM group diagram (Business)": "/def/gsim/BusinessGroup",
    "GAMSO tree": "/activities/gamso",
    "CSPA service": "/services/statisticalService/seasonalAdjustment",
    "COOS ontology": "/def/coos",
    "mapping matrix": "/matrix",
    "matrix cell list": "/matrix/list?activity=5.3&group=StructuresGroup",
    "flow of 5.3": "/flow?activity=5.3",
    "flow of Data Set": "/flow?class=DataSet",
    "search 'data'": "/search?q=data",
    "suggest '5.3' (JSON)": "/search/suggest?q=5.3",
    "resource page": "/resource?iri=http%3A%2F%2Fid.unece.org%2Fdef%2Fmapping%23input",
    "sub-process 5.3 as Turtle": "/activities/subProcess/5.3.ttl",
    "GSIM class as JSON-LD": "/def/gsim/DataSet.jsonld",
}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def call(app: object, path: str) -> tuple[int, int]:
    """One GET through the ASGI app; returns (status, body bytes)."""
    bare, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": bare,
        "raw_path": bare.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"bench"), (b"accept", b"text/html,application/xhtml+xml,*/*;q=0.8")],
        "client": ("127.0.0.1", 1),
        "server": ("bench", 80),
    }
    status, size = 0, 0

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, object]) -> None:
        nonlocal status, size
        if message["type"] == "http.response.start":
            status = int(message["status"])  # type: ignore[call-overload]
        elif message["type"] == "http.response.body":
            size += len(message.get("body", b""))  # type: ignore[arg-type]

    await app(scope, receive, send)  # type: ignore[operator]
    return status, size


def summary(timings: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(timings), 3),
        "p90_ms": round(percentile(timings, 0.90), 3),
        "p99_ms": round(percentile(timings, 0.99), 3),
    }


async def measure(rounds: int) -> dict[str, object]:
    started = time.perf_counter()
    app = create_app(Settings())
    startup_ms = (time.perf_counter() - started) * 1000
    state = app.state.service
    cat = catalog_for(state, app.state)
    results: list[dict[str, Any]] = []
    for name, path in PAGES.items():
        status, size = await call(app, path)
        assert status == 200, (path, status)
        first, repeat = [], []
        for _ in range(rounds):
            cat.forget_all()
            t0 = time.perf_counter()
            await call(app, path)
            first.append((time.perf_counter() - t0) * 1000)
        for _ in range(rounds):
            t0 = time.perf_counter()
            await call(app, path)
            repeat.append((time.perf_counter() - t0) * 1000)
        row = {
            "page": name,
            "path": path,
            "bytes": size,
            **{f"first_{k}": v for k, v in summary(first).items()},
            **{f"repeat_{k}": v for k, v in summary(repeat).items()},
        }
        results.append(row)
        print(
            f"{name:32} first {row['first_p50_ms']:7.2f} ms p50 {row['first_p99_ms']:7.2f} ms p99 | "
            f"repeat {row['repeat_p50_ms']:6.2f} ms p50 {row['repeat_p99_ms']:6.2f} ms p99 | {size:7d} B"
        )
    return {
        "what": "GET through the ASGI app in process (no HTTP parsing), real content; first view rendered from the "
        "graph, repeat view from the page cache of the content version",
        "rounds": rounds,
        "startup_ms": round(startup_ms, 1),
        "triples": state.store.size(),
        "median_first_p50_ms": round(statistics.median(r["first_p50_ms"] for r in results), 3),
        "median_repeat_p50_ms": round(statistics.median(r["repeat_p50_ms"] for r in results), 3),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
        },
        "pages": results,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200, help="requests per page and per figure")
    args = parser.parse_args()
    report = asyncio.run(measure(args.rounds))
    out = ROOT / "bench" / "results" / "pages.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(
        f"median p50 over pages: first view {report['median_first_p50_ms']} ms, "
        f"repeat view {report['median_repeat_p50_ms']} ms -> {out.relative_to(ROOT)}"
    )


if __name__ == "__main__":
    main()
