"""kill -9 safe: `mskg serve --store DIR` in a subprocess, several clients streaming edits over `/sparql/update`,
SIGKILL at a random moment, a restart over the same folder; every acknowledged edit is there with its history record,
and an edit that was not acknowledged is either wholly there (triple and record) or not at all. Several kill points,
one after the other, on the same store."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from conftest import free_port
from test_cli import mskg

pytestmark = pytest.mark.slow

MAPPINGS = [
    f"http://id.unece.org/mappings/informationMapping/{m}"
    for m in ("5.3-coreInput-dataSet", "5.3-coreOutput-dataSet", "5.4-coreInput-dataSet")
]
GRAPH = "http://id.unece.org/mappings/gsimGsbpm"
COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
HISTORY = "http://id.unece.org/history"
CLIENTS = 3
ROUNDS = 3


@dataclass
class Server:
    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "modernstats_kg",
            "serve",
            "--store",
            str(self.folder),
            "--port",
            str(self.port),
        ]
        env = {**os.environ, "MSKG_QUERY_WORKERS": "1"}
        self.process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "the server exited at start"
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise AssertionError("the server did not answer /health within 120 s")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Server, str]]:
    added = mskg(
        "users", "add", "ada", "--role", "admin", "--password-stdin", "--store", str(tmp_path), stdin="pw pw pw"
    )
    assert added.returncode == 0, added.stderr
    token = mskg("tokens", "create", "ada", "--store", str(tmp_path)).stdout.strip()
    live = Server(tmp_path)
    yield live, token
    live.stop()


def edit_triple(round_: int, client: int, index: int) -> str:
    """An edit of a mapping (the gate validates those on its fast path): a comment on it, one per edit."""
    return f'<{MAPPINGS[client]}> <{COMMENT}> "kill9 round {round_} edit {index}"'


failures: list[str] = []  # answers other than 200 while the server was up (reported by the test)


def stream_edits(
    server: Server, token: str, round_: int, client: int, acknowledged: list[str], tried: list[str]
) -> None:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/sparql-update"}
    with httpx.Client(timeout=30) as http:
        for index in range(10_000):
            triple = edit_triple(round_, client, index)
            tried.append(triple)
            try:
                response = http.post(
                    f"{server.url}/sparql/update",
                    content=f"INSERT DATA {{ GRAPH <{GRAPH}> {{ {triple} }} }}",
                    headers=headers,
                    params={"comment": f"edit {index} of client {client}"},
                )
            except httpx.TransportError:
                return  # killed
            if response.status_code != 200:
                failures.append(f"{response.status_code} {response.text[:300]}")
                return
            acknowledged.append(triple)


def ask(server: Server, pattern: str) -> bool:
    response = httpx.post(
        f"{server.url}/sparql",
        data={"query": f"ASK {{ {pattern} }}"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    return bool(response.json()["boolean"])


def recorded(server: Server, triple: str, client: int) -> bool:
    """A history record whose added quads hold the edit (its N-Quads line)."""
    line = f"{triple} <{GRAPH}> .".replace('"', '\\"')
    return ask(
        server, f'GRAPH <{HISTORY}> {{ ?c <http://id.unece.org/def/mskg#added> ?a FILTER(CONTAINS(?a, "{line}")) }}'
    )


def test_every_acknowledged_edit_survives_sigkill_and_none_is_half_there(server: tuple[Server, str]) -> None:
    live, token = server
    rng = random.Random(os.getpid())
    live.start()
    total_acknowledged = 0
    for round_ in range(ROUNDS):
        acknowledged: list[list[str]] = [[] for _ in range(CLIENTS)]
        tried: list[list[str]] = [[] for _ in range(CLIENTS)]
        threads = [
            threading.Thread(target=stream_edits, args=(live, token, round_, c, acknowledged[c], tried[c]))
            for c in range(CLIENTS)
        ]
        for thread in threads:
            thread.start()
        time.sleep(rng.uniform(2.0, 6.0))  # a random kill point (an edit takes about 0.5-1.5 s here)
        live.kill()
        for thread in threads:
            thread.join(timeout=60)
        assert not failures, failures
        live.start()
        for client in range(CLIENTS):
            for triple in acknowledged[client]:
                assert ask(live, f"GRAPH <{GRAPH}> {{ {triple} }}"), f"acknowledged edit lost: {triple}"
                assert recorded(live, triple, client), f"acknowledged edit without its history: {triple}"
            for triple in tried[client][len(acknowledged[client]) :]:  # sent, never acknowledged
                there = ask(live, f"GRAPH <{GRAPH}> {{ {triple} }}")
                assert there == recorded(live, triple, client), f"half an edit: {triple}"
        total_acknowledged += sum(len(a) for a in acknowledged)
    assert total_acknowledged > 0  # the clients did get edits through
