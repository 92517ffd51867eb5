"""HTTP throughput and latency of the NSO query mix, side by side, in one run.

Five endpoints answer the same five queries over the project's content: this service on the embedded store (as
shipped, with its answer cache), the same with the cache off (`MSKG_QUERY_CACHE_BYTES=0`: every request runs its
query in a worker process), this service on the remote store backed by Virtuoso, `rdflib-endpoint` (the Python peer)
serving the same Turtle files, and that Virtuoso directly. Each query runs for a fixed time at concurrency 1 and 8
against each endpoint in turn (query-major order, so machine noise spreads over all endpoints). Load comes from `wrk`
when installed, else from a small asyncio + httpx client; either repeats one request, so after the first one the
service with its cache answers from it. Results go to `bench/results/http.json` and `bench/results/http.md`.

With `--content DIR` (a folder holding `ontology/`, `mappings/`, `shapes/`, such as one written by
`bench/synthetic.py`) or `--mappings N` (such a folder generated with N synthetic mappings in a temporary folder),
the same mix runs over that content instead: the service gets `MSKG_CONTENT_DIR`, Virtuoso is loaded with it,
rdflib-endpoint is left out unless `--peer` (it takes 10+ s per aggregate query at 500k triples), and results go to
`bench/results/http-large.json` and `.md`, with the ratios ours / Virtuoso per query at each concurrency and the
memory of the service's processes.

    .venv/bin/python bench/bench_http.py [--duration 10] [--concurrency 1 8] [--client wrk|python]
    .venv/bin/python bench/bench_http.py --mappings 100000
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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "service"))
sys.path.insert(0, str(ROOT / "tests"))
import synthetic  # noqa: E402  (bench/, next to this file)
from modernstats_kg import __version__  # noqa: E402
from modernstats_kg.content import content_files  # noqa: E402
from modernstats_kg.loader import load_content  # noqa: E402
from modernstats_kg.settings import Settings  # noqa: E402
from modernstats_kg.store.remote import RemoteConfig, RemoteStore  # noqa: E402
from modernstats_kg.store_options import remote_options  # noqa: E402
from virtuoso import DBA_PASSWORD, DBA_USER, VirtuosoServer  # noqa: E402
from virtuoso import available as virtuoso_available  # noqa: E402

PREFIXES = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX map: <http://id.unece.org/def/mapping#>
"""

# The NSO query mix of BENCHMARKS.md, written against the project's IRIs.
QUERIES: dict[str, tuple[str, str]] = {
    "a": (
        "GSIM inputs of sub-process 5.3 by notation",
        PREFIXES
        + """SELECT ?class ?label ?role WHERE {
  ?activity skos:notation "5.3" ; skos:inScheme <http://id.unece.org/activities/gsbpm> .
  ?mapping map:activity ?activity ; map:direction map:input ; map:informationClass ?class ; map:role ?role .
  OPTIONAL { ?class rdfs:label ?label FILTER(lang(?label) = "en") }
} ORDER BY ?class ?role""",
    ),
    "b": (
        "label of one class",
        PREFIXES
        + """SELECT ?label WHERE {
  <http://id.unece.org/def/gsim#InstanceVariable> rdfs:label ?label
}""",
    ),
    "c": (
        "mappings counted per phase",
        PREFIXES
        + """SELECT ?phase (COUNT(?mapping) AS ?mappings) WHERE {
  ?mapping a map:InformationMapping ; map:activity ?activity .
  ?activity skos:broader ?phase .
} GROUP BY ?phase ORDER BY ?phase""",
    ),
    "d": (
        "class labels containing 'variable'",
        PREFIXES
        + """SELECT ?class ?label WHERE {
  ?class a owl:Class ; rdfs:label ?label .
  FILTER(CONTAINS(LCASE(STR(?label)), "variable"))
} ORDER BY ?class""",
    ),
    "e": (
        "CONSTRUCT of one sub-process",
        """CONSTRUCT { <http://id.unece.org/activities/subProcess/5.3> ?p ?o }
WHERE { <http://id.unece.org/activities/subProcess/5.3> ?p ?o }""",
    ),
}
ACCEPT = {"a": "application/sparql-results+json", "e": "application/n-triples"}
OURS_EMBEDDED, OURS_NOCACHE, OURS_VIRTUOSO = "ours-embedded", "ours-embedded-nocache", "ours-virtuoso"
PEER, VIRTUOSO = "rdflib-endpoint", "virtuoso"
PEER_SKIPPED = (
    "not measured: rdflib's engine takes 10+ s per aggregate query at 500k triples (BENCHMARKS.md: "
    "0 answers in 10 s on (a) and (c)); run with --peer to include it"
)
MEMORY_TARGET_MB = 300


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
    startup_s: float | None = None  # from process start to the first answered query

    def rss_mb(self) -> float | None:
        pid = self.pid or (self.process.pid if self.process else None)
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except (OSError, TypeError):
            return None
        match = re.search(r"VmRSS:\s+(\d+) kB", status)
        return int(match.group(1)) / 1024 if match else None

    def memory(self) -> dict[str, float | int | None]:
        """Resident memory of the process (MB) and, with its children (the service's query workers, forked after
        the load and sharing its pages), their proportional set size summed: memory counted once across the tree."""
        pid = self.pid or (self.process.pid if self.process else None)
        if pid is None:
            return {"rss_mb": None}
        tree = [pid, *_descendants(pid)]
        pss = [_pss_kb(p) for p in tree]
        rss = self.rss_mb()
        return {
            "rss_mb": round(rss, 1) if rss else None,
            "processes": len(tree),
            "tree_pss_mb": round(sum(v for v in pss if v) / 1024, 1) if any(pss) else None,
        }

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return found
    for child in map(int, children):
        found += [child, *_descendants(child)]
    return found


def _pss_kb(pid: int) -> int | None:
    try:
        match = re.search(r"^Pss:\s+(\d+) kB", Path(f"/proc/{pid}/smaps_rollup").read_text(), re.MULTILINE)
    except OSError:
        return None
    return int(match.group(1)) if match else None


def start(name: str, command: list[str], url: str, env: dict[str, str] | None = None) -> Endpoint:
    began = time.monotonic()
    process = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    endpoint = Endpoint(name, url, process)
    deadline = time.monotonic() + 180
    probe = "ASK { ?s ?p ?o }"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}")
        try:
            if httpx.get(url, params={"query": probe}, headers={"Accept": accept("a")}, timeout=5).status_code == 200:
                endpoint.startup_s = round(time.monotonic() - began, 2)
                return endpoint
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    endpoint.stop()
    raise RuntimeError(f"{name} did not answer within 180 s")


def answer_size(endpoint: Endpoint, query: str) -> tuple[int, int, str]:
    """(HTTP status, rows or triples in the answer, media type): the same query must give the same size everywhere."""
    response = httpx.get(
        endpoint.url, params={"query": QUERIES[query][1]}, headers={"Accept": accept(query)}, timeout=120
    )
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
    response = httpx.get(
        endpoint.url, params={"query": QUERIES[query][1]}, headers={"Accept": accept(query)}, timeout=120
    )
    status: str | None = response.headers.get("x-cache")
    return status


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
        return {
            "req_per_s": round(self.throughput, 1),
            "p50_ms": round(self.p50_ms, 2),
            "p99_ms": round(self.p99_ms, 2),
            "requests": self.requests,
            "errors": self.errors,
        }


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip()).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def run_wrk(url: str, media_type: str, concurrency: int, duration: float) -> Run:
    output = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{concurrency}",
            f"-d{duration:g}s",
            "--latency",
            "--timeout",
            "60s",
            "-H",
            f"Accept: {media_type}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    seconds = _ms(re.search(r"requests in ([\d.]+\w+),", output).group(1)) / 1000  # type: ignore[union-attr]
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))  # "1.18s " is padded
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

        def pick(q: float) -> float:
            return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

        return Run(len(latencies), errors, seconds, pick(0.50), pick(0.99))

    return asyncio.run(main())


# --- the run ------------------------------------------------------------------------------------------------------


def geometric_mean(values: Sequence[float]) -> float:
    positive = [v for v in values if v > 0]
    return math.exp(statistics.fmean(math.log(v) for v in positive)) if positive else math.nan


def start_endpoints(
    workdir: Path, files: list[Path], endpoints: list[Endpoint], content: Path | None = None, peer: bool = True
) -> dict[str, float]:
    """Start every endpoint, appending each to `endpoints` as soon as it runs (so the caller can stop them all).

    `content`: the folder the service serves (`MSKG_CONTENT_DIR`) and Virtuoso is loaded with, else the project's
    own; `files` are the same Turtle files, for rdflib-endpoint (started only when `peer`)."""
    timings: dict[str, float] = {}
    python = sys.executable
    content_env = {"MSKG_CONTENT_DIR": str(content)} if content else {}
    port = free_port()
    endpoints.append(
        start(
            OURS_EMBEDDED,
            [python, "-m", "modernstats_kg", "serve", "--port", str(port)],
            f"http://127.0.0.1:{port}/sparql",
            {"MSKG_STORE": "memory", **content_env},
        )
    )
    port = free_port()
    endpoints.append(
        start(
            OURS_NOCACHE,
            [python, "-m", "modernstats_kg", "serve", "--port", str(port)],
            f"http://127.0.0.1:{port}/sparql",
            {"MSKG_STORE": "memory", "MSKG_QUERY_CACHE_BYTES": "0", **content_env},
        )
    )
    virtuoso = VirtuosoServer(workdir / "virtuoso")
    try:
        virtuoso.start()
    finally:
        endpoint = Endpoint(VIRTUOSO, virtuoso.sparql_url, pid=virtuoso.process.pid if virtuoso.process else None)
        endpoint.stop = virtuoso.stop  # type: ignore[method-assign]
        endpoints.append(endpoint)
    env = {
        "MSKG_STORE": virtuoso.sparql_url,
        "MSKG_REMOTE_UPDATE_URL": virtuoso.sparql_auth_url,
        "MSKG_REMOTE_GRAPH_STORE_URL": virtuoso.graph_store_auth_url,
        "MSKG_REMOTE_USER": DBA_USER,
        "MSKG_REMOTE_PASSWORD": DBA_PASSWORD,
    }
    store = RemoteStore(RemoteConfig.from_options(virtuoso.sparql_url, remote_options(Settings.from_env(env))))
    began = time.perf_counter()
    load_content(store, root=content)
    timings["virtuoso_load_s"] = round(time.perf_counter() - began, 2)
    store.close()
    port = free_port()
    endpoints.append(
        start(
            OURS_VIRTUOSO,
            [python, "-m", "modernstats_kg", "serve", "--port", str(port)],
            f"http://127.0.0.1:{port}/sparql",
            {**env, **content_env},
        )
    )
    program = shutil.which("rdflib-endpoint", path=str(Path(python).parent)) or shutil.which("rdflib-endpoint")
    if program and peer:
        port = free_port()
        endpoints.append(
            start(
                PEER,
                [program, "serve", "--host", "127.0.0.1", "--port", str(port), *map(str, files)],
                f"http://127.0.0.1:{port}/",
            )
        )  # rdflib-endpoint 0.6 answers SPARQL on /
    return timings


def engine_ms(content: Path | None, queries: str, repeats: int = 5) -> dict[str, float]:
    """Median time (ms) of the service's own `execute` (evaluation and serialisation, no HTTP, no worker hop) for
    each query on an embedded store loaded in this process: the engine's share of a request without the cache."""
    from modernstats_kg.sparql.execution import QueryJob, execute
    from modernstats_kg.store import EmbeddedStore

    store = EmbeddedStore()
    load_content(store, root=content)
    times: dict[str, float] = {}
    for query in queries:
        media = accept(query)
        job = QueryJob(sparql=QUERIES[query][1], solutions=media, boolean=media, graph=media)
        execute(store, job)
        samples = []
        for _ in range(repeats):
            began = time.perf_counter()
            execute(store, job)
            samples.append((time.perf_counter() - began) * 1000)
        times[query] = round(statistics.median(samples), 2)
    store.close()
    return times


def served_triples(endpoint: Endpoint) -> int | None:
    """The triple count the service reports on /health."""
    try:
        return int(httpx.get(endpoint.url.removesuffix("/sparql") + "/health", timeout=30).json()["triples"])
    except (httpx.HTTPError, KeyError, ValueError, TypeError):
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per query, endpoint and concurrency")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--client", choices=["wrk", "python"], default="wrk" if shutil.which("wrk") else "python")
    parser.add_argument("--queries", default="".join(QUERIES), help="which of the mix to run, e.g. 'abe'")
    parser.add_argument(
        "--output", type=Path, help="results file (default bench/results/http.json, http-large.json with other content)"
    )
    scale = parser.add_mutually_exclusive_group()
    scale.add_argument("--content", type=Path, help="serve this content folder (ontology/, mappings/, shapes/)")
    scale.add_argument("--mappings", type=int, help="serve a folder written by bench/synthetic.py with N mappings")
    parser.add_argument(
        "--peer",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="run rdflib-endpoint too (default: only on the project's own content)",
    )
    args = parser.parse_args()
    if not virtuoso_available():
        sys.exit("Virtuoso is needed: apt-get install virtuoso-opensource")
    large = args.content is not None or args.mappings is not None
    if args.output is None:
        args.output = ROOT / "bench" / "results" / ("http-large.json" if large else "http.json")
    peer = (not large) if args.peer is None else args.peer
    load = run_wrk if args.client == "wrk" else run_python
    with tempfile.TemporaryDirectory(prefix="mskg-bench-") as tmp:
        content: Path | None = args.content.resolve() if args.content else None
        if args.mappings is not None:
            content = Path(tmp) / "content"
            synthetic.generate(args.mappings, content)
        if content is not None and not (content / "ontology").is_dir():
            sys.exit(f"{content}: not a content folder (no ontology/)")
        files = [p for p in content_files(content or ROOT) if p.parent.name in {"ontology", "mappings"}]
        endpoints: list[Endpoint] = []
        try:
            timings: dict[str, object] = dict(start_endpoints(Path(tmp), files, endpoints, content, peer))
            if large:
                timings["triples"] = served_triples(endpoints[0])
                timings["content"] = (
                    f"bench/synthetic.py --mappings {args.mappings}" if args.mappings is not None else str(content)
                )
                memory_at_start = {e.name: e.memory() for e in endpoints}
                print(f"{timings['triples']} triples; memory after start: {memory_at_start}", flush=True)
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
                        print(
                            f"({query}) c={concurrency} {endpoint.name:16} {run.throughput:8.1f} req/s  "
                            f"p50 {run.p50_ms:7.2f} ms  p99 {run.p99_ms:7.2f} ms  errors {run.errors}",
                            flush=True,
                        )
            memory = {e.name: e.rss_mb() for e in endpoints}
            memory_after_run = {e.name: e.memory() for e in endpoints} if large else {}
            startup = {e.name: e.startup_s for e in endpoints if e.startup_s is not None}
            cache_status = {
                e.name: {q: x_cache(e, q) for q in args.queries}
                for e in endpoints
                if e.name in (OURS_EMBEDDED, OURS_NOCACHE, OURS_VIRTUOSO)
            }
        finally:
            for endpoint in endpoints:
                endpoint.stop()
        engine = engine_ms(content, args.queries) if large else {}  # after the servers stopped
    result = summarise(args, runs, answers, timings, memory, [e.name for e in endpoints])
    result["x_cache_after_run"] = cache_status
    if large:
        result = large_summary(result, runs, memory_at_start, memory_after_run, startup, peer)
        result["engine_ms_in_process"] = engine
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")
    args.output.with_suffix(".md").write_text(markdown(result))
    print(markdown(result))


def summarise(
    args: argparse.Namespace,
    runs: dict[str, dict[str, dict[str, Run]]],
    answers: Mapping[str, Mapping[str, object]],
    timings: Mapping[str, object],
    memory: dict[str, float | None],
    names: list[str],
) -> dict[str, object]:
    top = str(max(args.concurrency))
    ratios: dict[str, dict[str, float]] = {}
    for ours in (OURS_EMBEDDED, OURS_NOCACHE, OURS_VIRTUOSO):
        for other in (PEER, VIRTUOSO):
            per_query = {
                q: runs[q][top][ours].throughput / runs[q][top][other].throughput
                for q in runs
                if other in runs[q][top] and runs[q][top][other].throughput > 0
            }
            if per_query:
                ratios[f"{ours} / {other}"] = {
                    **{q: round(r, 2) for q, r in per_query.items()},
                    "geometric_mean": round(geometric_mean(list(per_query.values())), 2),
                }
    worst_p99 = max(runs[q][top][OURS_EMBEDDED].p99_ms for q in runs)
    targets = {
        "ours-embedded >= 20x rdflib-endpoint (geometric mean)": ratios.get(f"{OURS_EMBEDDED} / {PEER}", {}).get(
            "geometric_mean", math.nan
        )
        >= 20,
        "ours-embedded >= Virtuoso (geometric mean)": ratios.get(f"{OURS_EMBEDDED} / {VIRTUOSO}", {}).get(
            "geometric_mean", math.nan
        )
        >= 1,
        "ours-embedded p99 < 20 ms on every query": worst_p99 < 20,
    }
    return {
        "benchmark": "NSO query mix over HTTP (BENCHMARKS.md)",
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "service_version": __version__,
        "client": args.client,
        "duration_s": args.duration,
        "concurrency": args.concurrency,
        "endpoints": names,
        "queries": {q: {"title": QUERIES[q][0], "sparql": QUERIES[q][1]} for q in runs},
        "answer_sizes": {q: {n: s[1] for n, s in sizes.items()} for q, sizes in answers.items()},  # type: ignore[index]
        "results": {
            q: {c: {n: run.as_json() for n, run in by_name.items()} for c, by_name in by_c.items()}
            for q, by_c in runs.items()
        },
        "ratios_req_per_s_at_concurrency": top,
        "ratios": ratios,
        "targets": targets,
        "worst_p99_ms_ours_embedded": round(worst_p99, 2),
        "worst_p99_ms_ours_embedded_nocache": round(
            max((runs[q][top][OURS_NOCACHE].p99_ms for q in runs if OURS_NOCACHE in runs[q][top]), default=math.nan), 2
        ),
        "rss_mb_after_run": {n: (round(m, 1) if m else None) for n, m in memory.items()},
        **timings,
    }


def large_summary(
    result: dict[str, object],
    runs: dict[str, dict[str, dict[str, Run]]],
    memory_at_start: dict[str, dict[str, float | int | None]],
    memory_after_run: dict[str, dict[str, float | int | None]],
    startup: dict[str, float],
    peer: bool,
) -> dict[str, object]:
    """The figures of a run on other (scaled) content: ratios ours / Virtuoso per query at every concurrency, the
    memory of each service, and the targets for 500k+ triples in place of those for the project's content."""
    by_concurrency: dict[str, dict[str, dict[str, float]]] = {}
    concurrency = result["concurrency"]
    assert isinstance(concurrency, list)
    for c in map(str, concurrency):
        for ours in (OURS_EMBEDDED, OURS_NOCACHE, OURS_VIRTUOSO):
            per_query = {
                q: runs[q][c][ours].throughput / runs[q][c][VIRTUOSO].throughput
                for q in runs
                if ours in runs[q][c] and runs[q][c][VIRTUOSO].throughput > 0
            }
            if per_query:
                by_concurrency.setdefault(c, {})[f"{ours} / {VIRTUOSO}"] = {
                    **{q: round(r, 2) for q, r in per_query.items()},
                    "geometric_mean": round(geometric_mean(list(per_query.values())), 2),
                }
    slower = {
        name: sorted(
            {
                f"({q}) c={c}: {r:.2f}"
                for c, ratios in by_concurrency.items()
                for q, r in ratios.get(f"{name} / {VIRTUOSO}", {}).items()
                if q != "geometric_mean" and r < 0.5
            }
        )
        for name in (OURS_EMBEDDED, OURS_NOCACHE, OURS_VIRTUOSO)
    }
    rss = memory_after_run.get(OURS_EMBEDDED, {}).get("rss_mb")
    targets = {
        "ours-embedded (answers kept): no query slower than 2x Virtuoso": not slower[OURS_EMBEDDED],
        "ours-embedded-nocache (every query run): no query slower than 2x Virtuoso": not slower[OURS_NOCACHE],
        f"ours-embedded resident memory under {MEMORY_TARGET_MB} MB": rss is not None and rss < MEMORY_TARGET_MB,
    }
    result = {**result, "benchmark": "NSO query mix over HTTP on scaled content (BENCHMARKS.md, 500k+ triples)"}
    result.pop("worst_p99_ms_ours_embedded", None)
    result.pop("worst_p99_ms_ours_embedded_nocache", None)
    result.update(
        {
            "targets": targets,
            "ratios_ours_over_virtuoso_by_concurrency": by_concurrency,
            "slower_than_half_virtuoso": slower,
            "not_measured": {} if peer else {PEER: PEER_SKIPPED},
            "memory_after_start": memory_at_start,
            "memory_after_run": memory_after_run,
            "startup_s": startup,
        }
    )
    return result


def markdown(result: dict[str, object]) -> str:
    names: list[str] = result["endpoints"]  # type: ignore[assignment]
    scaled = "ratios_ours_over_virtuoso_by_concurrency" in result
    title = f"NSO query mix on {result.get('triples')} triples" if scaled else "NSO query mix"
    lines = [
        f"# HTTP benchmark: {title} ({result['date']})",
        "",
        f"Client `{result['client']}`, {result['duration_s']} s per cell, machine: {result['machine']}.",
        "",
    ]
    results: dict[str, dict[str, dict[str, dict[str, float]]]] = result["results"]  # type: ignore[assignment]
    queries: dict[str, dict[str, str]] = result["queries"]  # type: ignore[assignment]
    for concurrency in result["concurrency"]:  # type: ignore[attr-defined]
        c = str(concurrency)
        lines += [
            f"## Concurrency {c}: req/s (p50 / p99 ms)",
            "",
            "| query | " + " | ".join(names) + " |",
            "| --- |" + " --- |" * len(names),
        ]
        for q, by_c in results.items():
            cells = [
                f"{by_c[c][n]['req_per_s']:.0f} ({by_c[c][n]['p50_ms']:.1f} / {by_c[c][n]['p99_ms']:.1f})"
                if n in by_c[c]
                else "-"
                for n in names
            ]
            lines.append(f"| ({q}) {queries[q]['title']} | " + " | ".join(cells) + " |")
        lines.append("")
    if not scaled:  # (with scaled content, the tables per concurrency below)
        lines += [
            f"## Throughput ratios at concurrency {result['ratios_req_per_s_at_concurrency']}",
            "",
            "| ratio | " + " | ".join(f"({q})" for q in results) + " | geometric mean |",
            "| --- |" + " --- |" * (len(results) + 1),
        ]
        for label, values in result["ratios"].items():  # type: ignore[attr-defined]
            lines.append(
                f"| {label} | "
                + " | ".join(f"{values.get(q, math.nan):.2f}" for q in results)
                + f" | **{values['geometric_mean']:.2f}** |"
            )
    lines += ["## Targets", ""] if not lines[-1] else ["", "## Targets", ""]
    for label, met in result["targets"].items():  # type: ignore[attr-defined]
        lines.append(f"- {'met' if met else 'MISSED'}: {label}")
    by_concurrency: dict[str, dict[str, dict[str, float]]] = result.get(  # type: ignore[assignment]
        "ratios_ours_over_virtuoso_by_concurrency", {}
    )
    for c, table in by_concurrency.items():
        lines += [
            "",
            f"## Ours / Virtuoso at concurrency {c} (below 0.50: slower than 2x Virtuoso)",
            "",
            "| ratio | " + " | ".join(f"({q})" for q in results) + " | geometric mean |",
            "| --- |" + " --- |" * (len(results) + 1),
        ]
        for label, values in table.items():
            lines.append(
                f"| {label} | "
                + " | ".join(
                    f"**{values[q]:.2f}**" if values.get(q, 1) < 0.5 else f"{values.get(q, math.nan):.2f}"
                    for q in results
                )
                + f" | {values['geometric_mean']:.2f} |"
            )
    if "memory_after_run" in result:
        lines += [
            "",
            "## Memory (MB): resident set of the process; PSS summed over it and its query workers",
            "",
            "| endpoint | RSS after start | RSS after run | PSS of the process tree after run | processes |",
            "| --- | --- | --- | --- | --- |",
        ]
        after_start: dict[str, dict[str, object]] = result["memory_after_start"]  # type: ignore[assignment]
        for name, after in result["memory_after_run"].items():  # type: ignore[attr-defined]
            lines.append(
                f"| {name} | {after_start.get(name, {}).get('rss_mb')} | {after.get('rss_mb')} | "
                f"{after.get('tree_pss_mb')} | {after.get('processes')} |"
            )
        lines += [
            "",
            f"Content: {result.get('content')}, {result.get('triples')} triples. "
            f"Start-up to the first answer (s): {result.get('startup_s')}.",
        ]
        if "engine_ms_in_process" in result:
            lines += [
                "",
                "The service's `execute` in one process (evaluation and serialisation, no HTTP), median ms: "
                f"{result['engine_ms_in_process']}.",
            ]
        for name, why in result.get("not_measured", {}).items():  # type: ignore[attr-defined]
            lines += ["", f"{name}: {why}."]
    lines += [
        "",
        f"`X-Cache` of one more request per query after the run: {result.get('x_cache_after_run')}.",
        "",
        f"Resident memory after the run (MB): {result['rss_mb_after_run']}.",
        f"Loading the content into Virtuoso through the remote store: {result.get('virtuoso_load_s')} s.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
