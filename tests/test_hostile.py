"""The attacker's probe, kept: a live `mskg serve` (its real HTTP limits and query workers) under a memory cap, each
request bounded in time. Large screening requests beside `/health`, a junk-parameter flood, deep nesting,
memory-hungry queries, a big answer, big and slow headers, and nginx (`deploy/nginx.conf`) in front."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from conftest import PROJECT_ROOT, free_port, require
from modernstats_kg.sparql.screening import screen

pytestmark = pytest.mark.slow

WORKER_MEMORY = 512 * 1024 * 1024
SERVER_ADDRESS_SPACE_KIB = 16 * 1024 * 1024  # the server process and its workers: `ulimit -v`
MAX_ANSWER = 8 * 1024 * 1024
SPARQL_QUERY = {"content-type": "application/sparql-query"}


class ServeProcess:
    """`mskg serve` on a free loopback port, its output in a file, under an address-space cap."""

    def __init__(self, log: Path, env: dict[str, str]):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log
        self._log = log.open("wb")
        command = f'ulimit -v {SERVER_ADDRESS_SPACE_KIB}; exec "$@"'
        serve = [sys.executable, "-m", "modernstats_kg", "serve", "--port", str(self.port)]
        self.process = subprocess.Popen(
            ["bash", "-c", command, "serve", *serve],
            env={**os.environ, **env},
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert self.process.poll() is None, log.read_text()
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("mskg serve did not start")

    def rss_mib(self) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        match = re.search(r"VmRSS:\s+(\d+) kB", status)
        assert match is not None
        return int(match.group(1)) / 1024

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServeProcess]:
    env = {
        "MSKG_STORE": "memory",
        "MSKG_QUERY_WORKERS": "2",
        "MSKG_QUERY_TIMEOUT_S": "30",
        "MSKG_QUERY_WORKER_MEMORY_BYTES": str(WORKER_MEMORY),
        "MSKG_MAX_ANSWER_BYTES": str(MAX_ANSWER),
        "MSKG_PAGE_CACHE_BYTES": str(16 * 1024 * 1024),
        "MSKG_HEADER_TIMEOUT_S": "2",
        "MSKG_KEEP_ALIVE_S": "1",
    }
    process = ServeProcess(tmp_path_factory.mktemp("hostile") / "server.log", env)
    yield process
    process.stop()


def _post(server: ServeProcess, query: str, accept: str = "application/sparql-results+json") -> httpx.Response:
    return httpx.post(
        f"{server.url}/sparql", content=query.encode(), headers={**SPARQL_QUERY, "accept": accept}, timeout=60
    )


# --- the event loop stays free -------------------------------------------------------------------------------------


def _screening_heavy(n: int) -> str:
    """A valid query of ~99 KB whose screening is as slow as it gets: `\\u` escapes and `service` in comments."""
    filler = "# service \\u0041 SERVICE\n" * (98_000 // 26)
    return f"SELECT ?x{n} WHERE {{ BIND({n} AS ?x{n}) }}\n{filler}"


def test_health_answers_at_once_while_large_queries_are_screened(server: ServeProcess) -> None:
    heavy = [_screening_heavy(n) for n in range(8)]
    started = time.perf_counter()
    for query in heavy:
        screen(query)
    screening_s = time.perf_counter() - started  # what the event loop would have spent on them
    megabyte = "SELECT * WHERE { ?s ?p ?o } LIMIT 1 # " + "\\u0041 service " * 65_000
    construct = "PREFIX ex: <http://example.org/> CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1 #" + "x" * 999_000
    outcomes: list[tuple[str, int]] = []

    def send(name: str, query: str, accept: str) -> None:
        outcomes.append((name, _post(server, query, accept).status_code))

    threads = [threading.Thread(target=send, args=("heavy", q, "text/csv")) for q in heavy]
    threads += [threading.Thread(target=send, args=("1 MB", megabyte, "text/csv")) for _ in range(2)]
    threads += [threading.Thread(target=send, args=("1 MB turtle", construct, "text/turtle"))]
    latencies: list[float] = []
    with httpx.Client(base_url=server.url, timeout=10) as client:
        for thread in threads:
            thread.start()
        while any(thread.is_alive() for thread in threads):
            sent = time.perf_counter()
            assert client.get("/health").status_code == 200
            latencies.append(time.perf_counter() - sent)
            time.sleep(0.02)
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == sorted([("heavy", 200)] * 8 + [("1 MB", 413)] * 2 + [("1 MB turtle", 413)])
    print(
        f"\nscreening {screening_s:.2f} s; /health during it: {len(latencies)} polls, "
        f"median {statistics.median(latencies) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms"
    )
    assert latencies
    assert statistics.median(latencies) < 0.1
    assert max(latencies) < max(0.1, screening_s / 2)  # screening on the loop would hold /health for all of it


# --- memory -------------------------------------------------------------------------------------------------------


def test_junk_parameters_do_not_grow_the_server(server: ServeProcess) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as client:
        for n in range(50):
            assert client.get(f"/def/gsim.nt?junk={n}").status_code == 200
        before = server.rss_mib()
        for n in range(50, 1550):
            assert client.get(f"/def/gsim.nt?junk={n}").status_code == 200
    grown = server.rss_mib() - before
    print(f"\n1,500 junk-parameter requests: RSS {before:.0f} MiB -> +{grown:.0f} MiB")
    assert grown < 64  # each distinct URL used to keep its own copy of the page (3.6 GiB for 4,600)


def test_deep_nesting_is_a_400_and_every_worker_survives(server: ServeProcess) -> None:
    response = _post(server, "SELECT * WHERE " + "{" * 5000 + "}" * 5000)
    assert response.status_code == 400
    assert "nests brackets more than 200 deep" in response.json()["error"]
    for _ in range(4):  # both workers still answer
        assert _post(server, "ASK { ?s ?p ?o }").status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        pytest.param(
            "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?f ?i LIMIT 1", id="order-by-product"
        ),
        pytest.param(
            "SELECT (STRLEN(?x40) AS ?n) WHERE { BIND('0123456789abcdef' AS ?x0) "
            + " ".join(f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(40))
            + " }",
            id="concat-doubling",
        ),
    ],
)
def test_memory_hungry_query_hits_the_worker_cap_with_a_503_and_a_log_line(server: ServeProcess, query: str) -> None:
    event = '"event": "query_worker_memory_cap"'  # the one structured log line of a cap hit (metrics.py)
    logged = server.log_path.read_text().count(event)
    started = time.monotonic()
    response = _post(server, query)
    print(f"\n{response.status_code} after {time.monotonic() - started:.1f} s: {response.text[:160]}")
    assert response.status_code == 503
    assert "memory" in response.json()["error"]
    deadline = time.monotonic() + 5
    while server.log_path.read_text().count(event) == logged and time.monotonic() < deadline:
        time.sleep(0.1)
    assert server.log_path.read_text().count(event) == logged + 1
    assert _post(server, "ASK { ?s ?p ?o }").status_code == 200  # a new worker answers


def test_big_answer_is_refused_with_a_413_that_says_so(server: ServeProcess) -> None:
    query = (
        "SELECT ?x WHERE { VALUES ?i { 1 2 3 4 } BIND('0123456789abcdef' AS ?x0) "
        + " ".join(f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(18))
        + " BIND(CONCAT(STR(?i), ?x18) AS ?x) }"
    )  # 4 rows of 4 MiB
    response = _post(server, query, "text/tab-separated-values")
    assert response.status_code == 413
    assert f"larger than {MAX_ANSWER} bytes" in response.json()["error"]


# --- headers and connections ------------------------------------------------------------------------------------


def _raw(server: ServeProcess, data: bytes, *, wait_s: float = 10) -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=wait_s) as sock:
        with contextlib.suppress(OSError):  # the server may refuse and close before all of it is sent
            sock.sendall(data)
        chunks = []
        try:
            while chunk := sock.recv(65_536):
                chunks.append(chunk)
        except (TimeoutError, ConnectionResetError):
            pass
    return b"".join(chunks)


def test_big_header_long_url_and_bad_header_get_the_error_shape(server: ServeProcess) -> None:
    big_header = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 50_000_000 + b"\r\n\r\n"
    reply = _raw(server, big_header)
    assert reply.startswith(b"HTTP/1.1 431 ") and b'"status": 431' in reply
    long_url = b"GET /sparql?query=" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    reply = _raw(server, long_url)
    assert reply.startswith(b"HTTP/1.1 414 ") and b"POST" in reply
    reply = _raw(server, b"GET /health HTTP/1.1\r\nHost: x\r\nX-Bad: a\x01b\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 400 ") and b'"ok": false' in reply
    assert httpx.get(f"{server.url}/health", timeout=5).status_code == 200


def test_slow_headers_and_idle_connections_are_closed(server: ServeProcess) -> None:
    started = time.monotonic()
    reply = _raw(server, b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ", wait_s=20)  # never finished
    assert reply.startswith(b"HTTP/1.1 408 ")
    assert time.monotonic() - started < 10  # MSKG_HEADER_TIMEOUT_S is 2
    with socket.create_connection(("127.0.0.1", server.port), timeout=20) as sock:
        started = time.monotonic()
        assert sock.recv(1) == b""  # closed by the server, never having sent a byte
        assert time.monotonic() - started < 10


# --- the reverse proxy --------------------------------------------------------------------------------------------


def test_nginx_example_configuration_passes_requests_and_refuses_oversized_headers(
    server: ServeProcess, tmp_path: Path
) -> None:
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    require(nginx is not None, "nginx not found: apt-get install nginx")
    assert nginx is not None
    port = free_port()
    config = (PROJECT_ROOT / "deploy" / "nginx.conf").read_text()
    config = config.replace("listen 127.0.0.1:8080;", f"listen 127.0.0.1:{port};")
    config = config.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{server.port};")
    config = config.replace("worker_processes auto;", "worker_processes 1;")
    assert f":{port};" in config and f":{server.port};" in config
    (tmp_path / "nginx.conf").write_text(config)
    command = [nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"]
    proxy = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                response = httpx.get(f"{url}/health", timeout=2)
                break
            except httpx.TransportError:
                assert proxy.poll() is None and time.monotonic() < deadline, proxy.stderr
                time.sleep(0.1)
        assert response.status_code == 200
        answer = httpx.post(f"{url}/sparql", content=b"ASK { ?s ?p ?o }", headers=SPARQL_QUERY, timeout=30)
        assert answer.status_code == 200 and b"true" in answer.content
        refused = httpx.get(f"{url}/health", headers={"X-Big": "a" * 40_000}, timeout=10)
        assert refused.status_code in (400, 431, 494)
    finally:
        proxy.terminate()
        proxy.wait(timeout=10)
        if proxy.stderr is not None:
            proxy.stderr.close()
