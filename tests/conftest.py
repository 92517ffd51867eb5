"""Shared fixtures: project paths, the reference data beside the checkout, CI strictness."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
MAPPINGS_DIR = PROJECT_ROOT / "mappings"
SHAPES_DIR = PROJECT_ROOT / "shapes"
REFERENCE_DIR = Path(os.environ.get("MSKG_REFERENCE_DIR", PROJECT_ROOT.parent / "shared" / "reference"))


def in_ci() -> bool:
    """True when running under `.ci/run` (which sets CI=true): missing prerequisites fail instead of skipping."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(condition: bool, reason: str) -> None:
    """Skip on a developer machine, fail in CI, when a prerequisite is missing."""
    if condition:
        return
    if in_ci():
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """The official reference data (../shared/reference), read in place."""
    require(REFERENCE_DIR.is_dir(), f"reference data not found at {REFERENCE_DIR} (set MSKG_REFERENCE_DIR)")
    return REFERENCE_DIR


# --- live HTTP servers -------------------------------------------------------------------------------------------



def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """A real uvicorn process serving the app on 127.0.0.1; `url` is its base URL (no trailing slash)."""

    def __init__(self, env: dict[str, str], *, workers: int = 1, startup_timeout: float = 60.0):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [
            sys.executable, "-m", "uvicorn", "modernstats_kg.app:app_from_env", "--factory",
            "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers), "--log-level", "warning",
        ]
        full_env = {**os.environ, **env}
        self.process = subprocess.Popen(command, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                output = self.process.stdout.read().decode(errors="replace") if self.process.stdout else ""
                raise RuntimeError(f"server exited with {self.process.returncode}:\n{output}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1.0).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"server did not answer /health within {startup_timeout} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="session")
def start_server() -> Iterator[Callable[..., LiveServer]]:
    """Start live servers with given `MSKG_*` environment (e.g. `start_server({"MSKG_CONTENT_DIR": str(path)})`);
    all are stopped at the end of the session."""
    servers: list[LiveServer] = []

    def start(env: dict[str, str] | None = None, **kwargs: object) -> LiveServer:
        server = LiveServer(env or {}, **kwargs)  # type: ignore[arg-type]
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def live_server(start_server: Callable[..., LiveServer]) -> LiveServer:
    """One live server over the project's real content on the embedded in-memory store, shared by the session."""
    return start_server({"MSKG_STORE": "memory"})
