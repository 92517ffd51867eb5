"""`/metrics`, the query log and `/health` under load, on a real server: requests by route template and status,
latency histograms, answer-cache hits, timeouts with `Retry-After`, worker restarts, saturation."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from conftest import SPARQL_SERVER_ENV, LiveServer

NUMBERS = "http://example.org/numbers#"
SLOW = (  # 300^4 solutions to count: far beyond the 2 s limit
    f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a <{NUMBERS}value> ?x . ?b <{NUMBERS}value> ?y . "
    f"?c <{NUMBERS}value> ?z . ?d <{NUMBERS}value> ?w }}"
)
TIME_LIMIT_S = 5  # room for a loaded machine: the crash must come before the time limit


@pytest.fixture(scope="module")
def server(start_server: Callable[..., LiveServer]) -> Iterator[LiveServer]:
    """A server of its own: the last test stops it to read what it logged."""
    live = start_server({**SPARQL_SERVER_ENV, "MSKG_STORE": "memory", "MSKG_QUERY_TIMEOUT_S": str(TIME_LIMIT_S)})
    yield live
    live.stop()


def samples(server: LiveServer) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    response = httpx.get(f"{server.url}/metrics", timeout=30)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    found = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def value(found: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


def test_requests_are_counted_by_route_template_and_status(server: LiveServer) -> None:
    before = samples(server)
    assert httpx.get(f"{server.url}/health", timeout=30).status_code == 200
    assert httpx.get(f"{server.url}/sparql", params={"query": "SELECT * WHERE {"}, timeout=30).status_code == 400
    for junk in ("junk-4711", "junk-4712"):
        assert httpx.get(f"{server.url}/activities/subProcess/{junk}", timeout=30).status_code == 404
    after = samples(server)
    requests = "mskg_http_requests_total"

    def delta(**labels: str) -> float:
        return value(after, requests, **labels) - value(before, requests, **labels)

    assert delta(method="GET", route="/health", status="200") == 1
    assert delta(method="GET", route="/sparql", status="400") == 1
    routes_404 = {dict(labels)["route"] for name, labels in after if name == requests and ("status", "404") in labels}
    assert routes_404 and all("junk" not in route for route in routes_404)  # templates, never raw paths
    assert sum(delta(method="GET", route=route, status="404") for route in routes_404) == 2
    latency = "mskg_http_request_duration_seconds"
    health = {"method": "GET", "route": "/health"}
    assert value(after, f"{latency}_count", **health) - value(before, f"{latency}_count", **health) == 1
    assert value(after, f"{latency}_bucket", **health, le="+Inf") == value(after, f"{latency}_count", **health)


def test_answer_cache_hits_are_counted(server: LiveServer) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = samples(server)
    first = httpx.get(f"{server.url}/sparql", params={"query": query, "format": "json"}, timeout=30)
    second = httpx.get(f"{server.url}/sparql", params={"query": query, "format": "json"}, timeout=30)
    assert first.status_code == second.status_code == 200
    assert second.headers.get("x-cache") == "hit"
    hits = "mskg_sparql_answer_cache_hits_total"
    assert value(samples(server), hits) - value(before, hits) == 1


def _cpu_ticks_of_children(parent: int) -> dict[int, int]:
    ticks = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                ticks[int(entry.name)] = int(fields[11]) + int(fields[12])  # utime + stime
    return ticks


def _worker_running_a_query(server: LiveServer) -> int:
    """The child process of the server that is burning CPU now (the one running the slow query)."""
    deadline = time.monotonic() + TIME_LIMIT_S - 1
    while time.monotonic() < deadline:
        first = _cpu_ticks_of_children(server.process.pid)
        time.sleep(0.2)
        gains = {pid: ticks - first[pid] for pid, ticks in _cpu_ticks_of_children(server.process.pid).items()}
        gains = {pid: gain for pid, gain in gains.items() if pid in first}
        if gains and max(gains.values()) > 0:
            return max(gains, key=lambda pid: gains[pid])
    raise AssertionError("no query worker took up the slow query")


@pytest.mark.slow
def test_saturation_timeouts_and_crashes_show_in_health_metrics_and_one_line_logs(server: LiveServer) -> None:
    before = samples(server)
    workers = httpx.get(f"{server.url}/health", timeout=30).json()["query_workers"]
    assert workers >= 1
    answers: list[httpx.Response] = []

    def slow() -> None:
        answers.append(httpx.get(f"{server.url}/sparql", params={"query": SLOW}, timeout=60))

    threads = [threading.Thread(target=slow) for _ in range(workers)]
    for thread in threads:
        thread.start()
    saturated = False
    deadline = time.monotonic() + TIME_LIMIT_S - 0.5
    while time.monotonic() < deadline and not saturated:
        health = httpx.get(f"{server.url}/health", timeout=5)
        assert health.status_code == 200  # ready, only busy
        saturated = health.json()["saturated"] and health.json()["status"] == "saturated"
        time.sleep(0.05)
    for thread in threads:
        thread.join()
    assert saturated, "with every worker on a slow query, /health says the service is saturated"
    assert [a.status_code for a in answers] == [503] * workers
    assert all(int(a.headers["retry-after"]) > 0 for a in answers)

    deadline = time.monotonic() + 30  # replacements start; then a slow query meets a killed worker
    while httpx.get(f"{server.url}/health", timeout=5).json()["idle_query_workers"] < 1:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    crashed: list[httpx.Response] = []
    thread = threading.Thread(
        target=lambda: crashed.append(httpx.get(f"{server.url}/sparql", params={"query": SLOW}, timeout=60))
    )
    thread.start()
    os.kill(_worker_running_a_query(server), 9)
    thread.join()
    assert crashed[0].status_code == 503 and "worker" in crashed[0].json()["error"]
    assert "retry-after" in crashed[0].headers

    after = samples(server)
    assert value(after, "mskg_query_timeouts_total") - value(before, "mskg_query_timeouts_total") == workers
    restarts = "mskg_query_worker_restarts_total"
    assert value(after, restarts, reason="timeout") - value(before, restarts, reason="timeout") == workers
    assert value(after, restarts, reason="crash") - value(before, restarts, reason="crash") == 1
    assert value(after, "mskg_http_requests_total", method="GET", route="/sparql", status="503") >= workers + 1

    server.stop()
    output = server.output.decode("utf-8", "replace")
    events = [json.loads(line[line.index("{") :]) for line in output.splitlines() if '"event"' in line]
    slow_hash = hashlib.sha256(SLOW.encode()).hexdigest()[:16]
    timeouts = [e for e in events if e["event"] == "query_timeout"]
    assert len(timeouts) == workers and all(e["query_hash"] == slow_hash for e in timeouts)
    assert all(e["query_bytes"] == len(SLOW.encode()) and e["limit_s"] == TIME_LIMIT_S for e in timeouts)
    assert [e["query_hash"] for e in events if e["event"] == "query_worker_crash"] == [slow_hash]
    assert f"{NUMBERS}value" not in output  # the query text itself is never logged
