"""A private Virtuoso 7 server for tests and benchmarks: Debian's `virtuoso-t` on free loopback ports.

The server runs from a copy of the packaged `virtuoso.ini` rewritten so that its SQL and HTTP ports are
`127.0.0.1:<free port>` and its database, logs and `DirsAllowed` live in a temporary folder; nothing outside that
folder is touched. `dba`'s password stays the default `dba` (the server only listens on loopback).

    with VirtuosoServer(tmp_path) as server:
        httpx.get(server.sparql_url, params={"query": "ASK {}"})
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

import httpx

VIRTUOSO = "virtuoso-t"
ISQL = "isql-vt"
DEFAULT_INI_CANDIDATES = (
    Path("/etc/virtuoso-opensource-7/virtuoso.ini"),
    Path("/var/lib/virtuoso-opensource-7/db/virtuoso.ini"),
)
DBA_USER = "dba"
DBA_PASSWORD = "dba"


def default_ini() -> Path | None:
    """The ini file shipped by the Debian package, or None when Virtuoso is not installed."""
    return next((path for path in DEFAULT_INI_CANDIDATES if path.is_file()), None)


def available() -> bool:
    """True when `virtuoso-t`, `isql-vt` and a default ini are installed (Debian: `virtuoso-opensource`)."""
    return bool(shutil.which(VIRTUOSO) and shutil.which(ISQL) and default_ini())


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rewrite_ini(text: str, changes: Mapping[tuple[str, str], str]) -> str:
    """Set `key = value` in `[section]` for each ((section, key), value); keys missing from a section are added.

    Works line by line because Virtuoso's ini repeats keys and uses `;` comments that `configparser` rejects.
    """
    pending = {(section.lower(), key.lower()): (key, value) for (section, key), value in changes.items()}
    out: list[str] = []
    section = ""

    def flush(current: str) -> None:
        for (sec, low), (key, value) in list(pending.items()):
            if sec == current:
                out.append(f"{key} = {value}")
                del pending[(sec, low)]

    for line in text.splitlines():
        header = re.match(r"\s*\[([^\]]+)\]", line)
        if header:
            flush(section)
            section = header.group(1).strip().lower()
            out.append(line)
            continue
        assignment = re.match(r"\s*([A-Za-z0-9_]+)\s*=", line)
        if assignment and (section, assignment.group(1).lower()) in pending:
            key, value = pending.pop((section, assignment.group(1).lower()))
            out.append(f"{key} = {value}")
            continue
        out.append(line)
    flush(section)
    for (sec, _low), (key, value) in pending.items():  # sections absent from the file
        out.extend(["", f"[{sec}]", f"{key} = {value}"])
    return "\n".join(out) + "\n"


class VirtuosoServer:
    """One `virtuoso-t -f` process with its own database folder; `start()` waits until SPARQL answers."""

    def __init__(self, workdir: Path, *, startup_timeout: float = 120.0, result_rows: int = 1_000_000):
        self.workdir = workdir
        self.startup_timeout = startup_timeout
        self.result_rows = result_rows
        self.sql_port = free_port()
        self.http_port = free_port()
        self.url = f"http://127.0.0.1:{self.http_port}"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def sparql_url(self) -> str:
        """The public query endpoint (user `SPARQL`, no authentication)."""
        return f"{self.url}/sparql"

    @property
    def sparql_auth_url(self) -> str:
        """The authenticated endpoint (HTTP digest) that accepts SPARQL Update from `dba`."""
        return f"{self.url}/sparql-auth"

    @property
    def graph_store_auth_url(self) -> str:
        """The authenticated SPARQL 1.1 Graph Store Protocol endpoint (HTTP digest)."""
        return f"{self.url}/sparql-graph-crud-auth"

    @property
    def log_file(self) -> Path:
        return self.workdir / "virtuoso.log"

    def write_ini(self) -> Path:
        source = default_ini()
        if source is None:
            raise RuntimeError("Virtuoso is not installed (Debian package virtuoso-opensource)")
        db = self.workdir
        ini = rewrite_ini(
            source.read_text(),
            {
                ("Database", "DatabaseFile"): str(db / "virtuoso.db"),
                ("Database", "ErrorLogFile"): str(self.log_file),
                ("Database", "LockFile"): str(db / "virtuoso.lck"),
                ("Database", "TransactionFile"): str(db / "virtuoso.trx"),
                ("Database", "xa_persistent_file"): str(db / "virtuoso.pxa"),
                ("TempDatabase", "DatabaseFile"): str(db / "virtuoso-temp.db"),
                ("TempDatabase", "TransactionFile"): str(db / "virtuoso-temp.trx"),
                ("Parameters", "ServerPort"): f"127.0.0.1:{self.sql_port}",
                ("Parameters", "DirsAllowed"): f"., {db}, /usr/share/virtuoso-opensource-7/vad",
                ("Parameters", "NumberOfBuffers"): "20000",
                ("Parameters", "MaxDirtyBuffers"): "15000",
                ("HTTPServer", "ServerPort"): f"127.0.0.1:{self.http_port}",
                ("URIQA", "DefaultHost"): f"127.0.0.1:{self.http_port}",
                ("SPARQL", "ResultSetMaxRows"): str(self.result_rows),
            },
        )
        path = db / "virtuoso.ini"
        path.write_text(ini)
        return path

    def start(self) -> VirtuosoServer:
        self.workdir.mkdir(parents=True, exist_ok=True)
        ini = self.write_ini()
        self.process = subprocess.Popen(
            [VIRTUOSO, "-f", "-c", str(ini)],
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "LC_ALL": "C.UTF-8"},
        )
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                response = httpx.get(self.sparql_url, params={"query": "ASK {}"}, timeout=2.0)
                if response.status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"Virtuoso did not answer SPARQL within {self.startup_timeout} s:\n{self.log_tail()}")

    def isql(self, statement: str, *, timeout: float = 60.0) -> str:
        """Run one SQL statement as `dba` through `isql-vt`; raises on an error reported by the server."""
        completed = subprocess.run(
            [ISQL, f"127.0.0.1:{self.sql_port}", DBA_USER, DBA_PASSWORD, f"exec={statement}"],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        output = completed.stdout + completed.stderr
        if completed.returncode != 0 or re.search(r"\*\*\* Error", output):
            raise RuntimeError(f"isql-vt failed on {statement!r}:\n{output}")
        return output

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> VirtuosoServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()
