"""HTTP throughput and latency of the NSO query mix, side by side, in one run.

Five endpoints answer the same five queries over the project's content: this service on the embedded store (as
shipped, with its answer cache), the same with the cache off (`MSKG_QUERY_CACHE_BYTES=0`: every request runs its
query in a worker process), this service on the remote store backed by Virtuoso, `rdflib-endpoint` (the Python peer)
serving the same Turtle files, and that Virtuoso directly. Each query runs for a fixed time at concurrency 1 and 8
against each endpoint in turn (query-major order, so machine noise spreads over all endpoints). Load comes from `wrk`
when installed, else from a small asyncio + httpx client; either repeats one request, so after the first one the
service with its cache answers from it. Results go to `bench/results/http.json` and `bench/results/http.md`.

    .venv/bin/python bench/bench_http.py [--duration 10] [--concurrency 1 8] [--client wrk|python]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "service"))
sys.path.insert(0, str(ROOT / "tests"))
from modernstats_kg import __version__  # noqa: E402
from modernstats_kg.content import content_files  # noqa: E402
from modernstats_kg.loader import load_content  # noqa: E402
from modernstats_kg.store.remote import RemoteConfig, RemoteStore  # noqa: E402
from virtuoso import DBA_PASSWORD, DBA_USER, VirtuosoServer  # noqa: E402
from virtuoso import available as virtuoso_available  # noqa: E402

PREFIXES = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX map: <http://id.unece.org/def/mapping#>
"""

# The NSO query mix of BENCHMARKS.md, written against the project's IRIs.
QUERIES: dict[str, tuple[str, str]] = {
    "a": ("GSIM inputs of sub-process 5.3 by notation", PREFIXES + """SELECT ?class ?label ?role WHERE {
  ?activity skos:notation "5.3" ; skos:inScheme <http://id.unece.org/activities/gsbpm> .
  ?mapping map:activity ?activity ; map:direction map:input ; map:informationClass ?class ; map:role ?role .
  OPTIONAL { ?class rdfs:label ?label FILTER(lang(?label) = "en") }
} ORDER BY ?class ?role"""),
    "b": ("label of one class", PREFIXES + """SELECT ?label WHERE {
  <http://id.unece.org/def/gsim#InstanceVariable> rdfs:label ?label
}"""),
    "c": ("mappings counted per phase", PREFIXES + """SELECT ?phase (COUNT(?mapping) AS ?mappings) WHERE {
  ?mapping a map:InformationMapping ; map:activity ?activity .
  ?activity skos:broader ?phase .
} GROUP BY ?phase ORDER BY ?phase"""),
    "d": ("class labels containing 'variable'", PREFIXES + """SELECT ?class ?label WHERE {
  ?class a owl:Class ; rdfs:label ?label .
  FILTER(CONTAINS(LCASE(STR(?label)), "variable"))
} ORDER BY ?class"""),
    "e": ("CONSTRUCT of one sub-process", """CONSTRUCT { <http://id.unece.org/activities/subProcess/5.3> ?p ?o }
WHERE { <http://id.unece.org/activities/subProcess/5.3> ?p ?o }"""),
}
ACCEPT = {"a": "application/sparql-results+json", "e": "application/n-triples"}
OURS_EMBEDDED, OURS_NOCACHE, OURS_VIRTUOSO = "ours-embedded", "ours-embedded-nocache", "ours-virtuoso"
PEER, VIRTUOSO = "rdflib-endpoint", "virtuoso"


def accept(query: str) -> str:
    return ACCEPT.get(query, ACCEPT["a"])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Endpoint:
    name: str
    url: str  # the SPARQL endpoint
    process: subprocess.Popen[bytes] | None = None
    pid: int | None = None

    def rss_mb(self) -> float | None:
        pid = self.pid or (self.process.pid if self.process else None)
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except (OSError, TypeError):
            return None
        match = re.search(r"VmRSS:\s+(\d+) kB", status)
        return int(match.group(1)) / 1024 if match else None

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()


def start(name: str, command: list[str], url: str, env: dict[str, str] | None = None) -> Endpoint:
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = Endpoint(name, url, process)
    deadline = time.monotonic() + 180
    probe = "ASK { ?s ?p ?o }"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}")
        try:
            if httpx.get(url, params={"query": probe}, headers={"Accept": accept("a")}, timeout=5).status_code == 200:
                return endpoint
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    endpoint.stop()
    raise RuntimeError(f"{name} did not answer within 180 s")


def answer_size(endpoint: Endpoint, query: str) -> tuple[int, int, str]:
    """(HTTP status, rows or triples in the answer, media type): the same query must give the same size everywhere."""
    response = httpx.get(endpoint.url, params={"query": QUERIES[query][1]}, headers={"Accept": accept(query)},
                         timeout=120)
    media_type = response.headers.get("content-type", "").split(";")[0]
    if response.status_code != 200:
        return response.status_code, -1, media_type
    if "json" in media_type:
        return 200, len(response.json()["results"]["bindings"]), media_type
    lines = [line for line in response.text.splitlines() if line.strip() and not line.startswith(("#", "@"))]
    if media_type == "text/turtle":  # count statements roughly: one per line ending in '.' or ';' or ','
        return 200, sum(1 for line in lines if line.rstrip().endswith((".", ";", ","))), media_type
    return 200, len(lines), media_type


def x_cache(endpoint: Endpoint, query: str) -> str | None:
    """The service's `X-Cache` header for one more request of the query: how the timed requests were answered."""
    response = httpx.get(endpoint.url, params={"query": QUERIES[query][1]}, headers={"Accept": accept(query)},
                         timeout=120)
    return response.headers.get("x-cache")


# --- load generators ----------------------------------------------------------------------------------------------


@dataclass
class Run:
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float
    latencies_ms: list[float] = field(default_factory=list, repr=False)

    @property
    def throughput(self) -> float:
        return (self.requests - self.errors) / self.seconds

    def as_json(self) -> dict[str, float | int]:
        return {"req_per_s": round(self.throughput, 1), "p50_ms": round(self.p50_ms, 2),
                "p99_ms": round(self.p99_ms, 2), "requests": self.requests, "errors": self.errors}


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip()).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def run_wrk(url: str, media_type: str, concurrency: int, duration: float) -> Run:
    output = subprocess.run(
        ["wrk", "-t1", f"-c{concurrency}", f"-d{duration:g}s", "--latency", "--timeout", "60s",
         "-H", f"Accept: {media_type}", url],
        capture_output=True, text=True, check=True,
    ).stdout
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    seconds = _ms(re.search(r"requests in ([\d.]+\w+),", output).group(1)) / 1000  # type: ignore[union-attr]
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", output, re.MULTILINE))
    p50 = _ms(percentiles["50"]) if "50" in percentiles else math.nan
    p99 = _ms(percentiles["99"]) if "99" in percentiles else math.nan
    return Run(requests, errors, seconds, p50, p99)


def run_python(url: str, media_type: str, concurrency: int, duration: float) -> Run:
    async def main() -> Run:
        latencies: list[float] = []
        errors = 0
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        async with httpx.AsyncClient(limits=limits, timeout=60, headers={"Accept": media_type}) as client:
            deadline = time.perf_counter() + duration

            async def worker() -> None:
                nonlocal errors
                while time.perf_counter() < deadline:
                    began = time.perf_counter()
                    response = await client.get(url)
                    await response.aread()
                    latencies.append((time.perf_counter() - began) * 1000)
                    errors += response.status_code != 200

            began = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(concurrency)))
            seconds = time.perf_counter() - began
        ordered = sorted(latencies) or [math.nan]
        pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
        return Run(len(latencies), errors, seconds, pick(0.50), pick(0.99))

    return asyncio.run(main())


# --- the run ------------------------------------------------------------------------------------------------------


def geometric_mean(values: Sequence[float]) -> float:
    positive = [v for v in values if v > 0]
    return math.exp(statistics.fmean(math.log(v) for v in positive)) if positive else math.nan


def start_endpoints(workdir: Path, files: list[Path], endpoints: list[Endpoint]) -> dict[str, float]:
    """Start every endpoint, appending each to `endpoints` as soon as it runs (so the caller can stop them all)."""
    timings: dict[str, float] = {}
    python = sys.executable
    port = free_port()
    endpoints.append(start(OURS_EMBEDDED, [python, "-m", "modernstats_kg", "serve", "--port", str(port)],
                           f"http://127.0.0.1:{port}/sparql", {"MSKG_STORE": "memory"}))
    port = free_port()
    endpoints.append(start(OURS_NOCACHE, [python, "-m", "modernstats_kg", "serve", "--port", str(port)],
                           f"http://127.0.0.1:{port}/sparql", {"MSKG_STORE": "memory", "MSKG_QUERY_CACHE_BYTES": "0"}))
    virtuoso = VirtuosoServer(workdir / "virtuoso")
    try:
        virtuoso.start()
    finally:
        endpoint = Endpoint(VIRTUOSO, virtuoso.sparql_url, pid=virtuoso.process.pid if virtuoso.process else None)
        endpoint.stop = virtuoso.stop  # type: ignore[method-assign]
        endpoints.append(endpoint)
    env = {
        "MSKG_STORE": virtuoso.sparql_url, "MSKG_REMOTE_UPDATE_URL": virtuoso.sparql_auth_url,
        "MSKG_REMOTE_GRAPH_STORE_URL": virtuoso.graph_store_auth_url,
        "MSKG_REMOTE_USER": DBA_USER, "MSKG_REMOTE_PASSWORD": DBA_PASSWORD,
    }
    store = RemoteStore(RemoteConfig.from_env(virtuoso.sparql_url, env))
    began = time.perf_counter()
    load_content(store)
    timings["virtuoso_load_s"] = round(time.perf_counter() - began, 2)
    store.close()
    port = free_port()
    endpoints.append(start(OURS_VIRTUOSO, [python, "-m", "modernstats_kg", "serve", "--port", str(port)],
                           f"http://127.0.0.1:{port}/sparql", env))
    peer = shutil.which("rdflib-endpoint", path=str(Path(python).parent)) or shutil.which("rdflib-endpoint")
    if peer:
        port = free_port()
        endpoints.append(start(PEER, [peer, "serve", "--host", "127.0.0.1", "--port", str(port), *map(str, files)],
                               f"http://127.0.0.1:{port}/"))  # rdflib-endpoint 0.6 answers SPARQL on /
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per query, endpoint and concurrency")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--client", choices=["wrk", "python"], default="wrk" if shutil.which("wrk") else "python")
    parser.add_argument("--queries", default="".join(QUERIES), help="which of the mix to run, e.g. 'abe'")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "http.json")
    args = parser.parse_args()
    if not virtuoso_available():
        sys.exit("Virtuoso is needed: apt-get install virtuoso-opensource")
    files = [p for p in content_files(ROOT) if p.parent.name in {"ontology", "mappings"}]
    load = run_wrk if args.client == "wrk" else run_python
    with tempfile.TemporaryDirectory(prefix="mskg-bench-") as tmp:
        endpoints: list[Endpoint] = []
        try:
            timings = start_endpoints(Path(tmp), files, endpoints)
            answers = {q: {e.name: answer_size(e, q) for e in endpoints} for q in args.queries}
            for query, sizes in answers.items():
                print(f"({query}) answer sizes: " + ", ".join(f"{n} {s[1]} ({s[0]}, {s[2]})" for n, s in sizes.items()))
            runs: dict[str, dict[str, dict[str, Run]]] = {}
            for query in args.queries:
                for concurrency in args.concurrency:
                    for endpoint in endpoints:
                        url = f"{endpoint.url}?{urlencode({'query': QUERIES[query][1]})}"
                        run = load(url, accept(query), concurrency, args.duration)
                        runs.setdefault(query, {}).setdefault(str(concurrency), {})[endpoint.name] = run
                        print(f"({query}) c={concurrency} {endpoint.name:16} {run.throughput:8.1f} req/s  "
                              f"p50 {run.p50_ms:7.2f} ms  p99 {run.p99_ms:7.2f} ms  errors {run.errors}", flush=True)
            memory = {e.name: e.rss_mb() for e in endpoints}
            cache_status = {e.name: {q: x_cache(e, q) for q in args.queries} for e in endpoints
                            if e.name in (OURS_EMBEDDED, OURS_NOCACHE, OURS_VIRTUOSO)}
        finally:
            for endpoint in endpoints:
                endpoint.stop()
    result = summarise(args, runs, answers, timings, memory, [e.name for e in endpoints])
    result["x_cache_after_run"] = cache_status
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")
    args.output.with_suffix(".md").write_text(markdown(result))
    print(markdown(result))


def summarise(
    args: argparse.Namespace, runs: dict[str, dict[str, dict[str, Run]]], answers: dict[str, dict[str, object]],
    timings: dict[str, float], memory: dict[str, float | None], names: list[str],
) -> dict[str, object]:
    top = str(max(args.concurrency))
    ratios: dict[str, dict[str, float]] = {}
    for ours in (OURS_EMBEDDED, OURS_NOCACHE, OURS_VIRTUOSO):
        for other in (PEER, VIRTUOSO):
            per_query = {q: runs[q][top][ours].throughput / runs[q][top][other].throughput
                         for q in runs if other in runs[q][top] and runs[q][top][other].throughput > 0}
            if per_query:
                ratios[f"{ours} / {other}"] = {**{q: round(r, 2) for q, r in per_query.items()},
                                              "geometric_mean": round(geometric_mean(list(per_query.values())), 2)}
    worst_p99 = max(runs[q][top][OURS_EMBEDDED].p99_ms for q in runs)
    targets = {
        "ours-embedded >= 20x rdflib-endpoint (geometric mean)":
            ratios.get(f"{OURS_EMBEDDED} / {PEER}", {}).get("geometric_mean", math.nan) >= 20,
        "ours-embedded >= Virtuoso (geometric mean)":
            ratios.get(f"{OURS_EMBEDDED} / {VIRTUOSO}", {}).get("geometric_mean", math.nan) >= 1,
        "ours-embedded p99 < 20 ms on every query": worst_p99 < 20,
    }
    return {
        "benchmark": "NSO query mix over HTTP (BENCHMARKS.md)",
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "service_version": __version__,
        "client": args.client, "duration_s": args.duration, "concurrency": args.concurrency,
        "endpoints": names,
        "queries": {q: {"title": QUERIES[q][0], "sparql": QUERIES[q][1]} for q in runs},
        "answer_sizes": {q: {n: s[1] for n, s in sizes.items()} for q, sizes in answers.items()},  # type: ignore[index]
        "results": {q: {c: {n: run.as_json() for n, run in by_name.items()} for c, by_name in by_c.items()}
                    for q, by_c in runs.items()},
        "ratios_req_per_s_at_concurrency": top,
        "ratios": ratios,
        "targets": targets,
        "worst_p99_ms_ours_embedded": round(worst_p99, 2),
        "worst_p99_ms_ours_embedded_nocache": round(max(
            (runs[q][top][OURS_NOCACHE].p99_ms for q in runs if OURS_NOCACHE in runs[q][top]), default=math.nan), 2),
        "rss_mb_after_run": {n: (round(m, 1) if m else None) for n, m in memory.items()},
        **timings,
    }


def markdown(result: dict[str, object]) -> str:
    names: list[str] = result["endpoints"]  # type: ignore[assignment]
    lines = [f"# HTTP benchmark: NSO query mix ({result['date']})", "",
             f"Client `{result['client']}`, {result['duration_s']} s per cell, machine: {result['machine']}.", ""]
    results: dict[str, dict[str, dict[str, dict[str, float]]]] = result["results"]  # type: ignore[assignment]
    queries: dict[str, dict[str, str]] = result["queries"]  # type: ignore[assignment]
    for concurrency in result["concurrency"]:  # type: ignore[attr-defined]
        c = str(concurrency)
        lines += [f"## Concurrency {c}: req/s (p50 / p99 ms)", "",
                  "| query | " + " | ".join(names) + " |", "| --- |" + " --- |" * len(names)]
        for q, by_c in results.items():
            cells = [f"{by_c[c][n]['req_per_s']:.0f} ({by_c[c][n]['p50_ms']:.1f} / {by_c[c][n]['p99_ms']:.1f})"
                     if n in by_c[c] else "-" for n in names]
            lines.append(f"| ({q}) {queries[q]['title']} | " + " | ".join(cells) + " |")
        lines.append("")
    lines += [f"## Throughput ratios at concurrency {result['ratios_req_per_s_at_concurrency']}", "",
              "| ratio | " + " | ".join(f"({q})" for q in results) + " | geometric mean |",
              "| --- |" + " --- |" * (len(results) + 1)]
    for label, values in result["ratios"].items():  # type: ignore[attr-defined]
        lines.append(f"| {label} | " + " | ".join(f"{values.get(q, math.nan):.2f}" for q in results)
                     + f" | **{values['geometric_mean']:.2f}** |")
    lines += ["", "## Targets", ""]
    for label, met in result["targets"].items():  # type: ignore[attr-defined]
        lines.append(f"- {'met' if met else 'MISSED'}: {label}")
    lines += ["", f"`X-Cache` of one more request per query after the run: {result.get('x_cache_after_run')}.",
              "", f"Resident memory after the run (MB): {result['rss_mb_after_run']}.",
              f"Loading the content into Virtuoso through the remote store: {result.get('virtuoso_load_s')} s.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
