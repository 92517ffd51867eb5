"""One query worker process and the server's handle on it.

A worker holds the graph: forked from the server at start-up (sharing the loaded store's memory), or spawned later
from a snapshot (for the in-memory store, one N-Triples chunk per named graph; for an on-disk store, the same
directory opened read-only). It answers one job at a time with `execution.execute` until its socket closes. A
worker on an on-disk store also takes `Reopen`: after a write it opens a new read-only snapshot of the same directory
in place (a few milliseconds), instead of being replaced by a new process (an interpreter start and an import, about
a second of CPU: at one edit a second that starved the readers).

Each worker caps its own address space (`RLIMIT_AS`) at what it holds once loaded plus `memory_bytes`: a query
that needs more fails there (a Python `MemoryError` becomes a failure reply; an allocation failure in the engine
aborts the process, `SIGABRT`), and the server says so and starts another worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pickle
import resource
import signal
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..store import EmbeddedStore, Store
from .execution import encode_outcome, execute
from .wire import LENGTH, recv_frame, recv_frame_async, send_frame

__all__ = ["Reopen", "Worker", "WorkerSetup", "worker_main"]

_NT = ox.RdfFormat.N_TRIPLES


@dataclass(frozen=True)
class WorkerSetup:
    """What a worker loads: graph chunks of N-Triples (memory) or a store directory to open read-only (disk)."""

    version: str | None
    chunks: tuple[tuple[str, bytes], ...] = ()
    path: str | None = None
    memory_bytes: int | None = None  # the cap beyond what the loaded worker holds; None: no cap


@dataclass(frozen=True)
class Reopen:
    """Sent instead of a job: open the on-disk store again (a snapshot with the writes published since) and answer
    as `version` from now on. The reply is `("ready", version)`, or `("failed", why)` (then the server replaces the
    worker)."""

    version: str | None


def _open(setup: WorkerSetup) -> Store:
    if setup.path is not None:
        return EmbeddedStore.read_only(Path(setup.path))
    store = EmbeddedStore()
    store.replace_graphs(
        {
            iri: (ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(data, format=_NT))
            for iri, data in setup.chunks
        }
    )
    return store


def worker_main(fd: int) -> None:
    """The loop of one spawned worker process: load, say ready, then answer jobs until the server closes the
    socket."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C goes to the server; it closes our socket
    sock = socket.socket(fileno=fd)
    try:
        setup = pickle.loads(recv_frame(sock))
        held = [_open(setup)]
    except (EOFError, OSError):
        return
    cap_memory(setup.memory_bytes)
    _serve(sock, held, setup.version, Path(setup.path) if setup.path is not None else None)


def cap_memory(extra_bytes: int | None) -> None:
    """Limit this process's address space to its current size plus `extra_bytes` (Linux; elsewhere a no-op)."""
    if extra_bytes is None:
        return
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = current + extra_bytes
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (OSError, ValueError):  # no /proc, or a limit the system refuses: run uncapped rather than not at all
        return


def _serve(sock: socket.socket, held: list[Store], version: str | None, path: Path | None) -> None:
    """Answer jobs on `held[0]` (opened from `path` when on disk) until the socket closes; on `Reopen`, replace it
    with a new snapshot (the list holds the only reference, so the old one is freed first: the memory cap)."""
    try:
        send_frame(sock, pickle.dumps(("ready", version)))
        while True:
            message = pickle.loads(recv_frame(sock))
            if not isinstance(message, Reopen):
                send_frame(sock, encode_outcome(execute(held[0], message)))
                continue
            if path is not None:  # an in-memory store has no writes to catch up with
                held.clear()
                try:
                    held.append(EmbeddedStore.read_only(path))
                except Exception as exc:  # any failure to open: the server replaces this worker
                    send_frame(sock, pickle.dumps(("failed", f"{type(exc).__name__}: {exc}")))
                    return
            version = message.version
            send_frame(sock, pickle.dumps(("ready", version)))
    except (EOFError, OSError):
        return


class _Closed(Exception):
    pass


class Worker:
    """One worker process and the socket to it: spawned (a fresh interpreter that loads a snapshot) or forked (a
    copy of the server process taken while it is single-threaded, sharing the loaded store's memory)."""

    def __init__(
        self,
        pid: int,
        sock: socket.socket,
        generation: int,
        version: str | None,
        process: subprocess.Popen[bytes] | None = None,
    ):
        self.pid, self.sock, self.generation, self.version, self.process = pid, sock, generation, version, process

    @classmethod
    def spawned(cls, setup: bytes, generation: int, version: str | None) -> Worker:
        ours, theirs = socket.socketpair()
        command = [
            sys.executable,
            "-c",
            "import sys; from modernstats_kg.sparql.worker_process import worker_main; worker_main(int(sys.argv[1]))",
            str(theirs.fileno()),
        ]
        try:
            process = subprocess.Popen(command, pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL)
        finally:
            theirs.close()
        worker = cls(process.pid, ours, generation, version, process)
        send_frame(ours, setup)
        return worker

    @classmethod
    def forked(
        cls, store: Store, path: Path | None, version: str | None, generation: int, memory_bytes: int | None = None
    ) -> Worker:
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:  # the child: keep only its socket, answer jobs, never return into the server's code
            try:
                keep = theirs.fileno()
                os.closerange(3, keep)
                os.closerange(keep + 1, 65536)
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                held = [EmbeddedStore.read_only(path) if path is not None else store]
                cap_memory(memory_bytes)
                _serve(theirs, held, version, path)
            finally:
                os._exit(0)
        theirs.close()
        return cls(pid, ours, generation, version)

    def wait_ready(self, timeout: float) -> bool:
        """Block until the worker says it is ready; then its socket turns non-blocking, for the event loop."""
        try:
            self.sock.settimeout(timeout)
            status, _ = pickle.loads(recv_frame(self.sock))
            self.sock.setblocking(False)
        except (EOFError, OSError):
            return False
        return bool(status == "ready")

    async def ask(self, payload: bytes) -> bytes | memoryview:
        """The worker's reply to one job; raises EOFError/OSError when the process died."""
        loop = asyncio.get_running_loop()
        await loop.sock_sendall(self.sock, payload)
        return await recv_frame_async(loop, self.sock)

    async def reopen(self, version: str | None, generation: int, timeout: float) -> bool:
        """Have the worker open the on-disk store again (see `Reopen`); True when it now answers as `version`."""
        loop = asyncio.get_running_loop()
        body = pickle.dumps(Reopen(version))
        try:
            async with asyncio.timeout(timeout):
                await loop.sock_sendall(self.sock, LENGTH.pack(len(body)) + body)
                status, _ = pickle.loads(await recv_frame_async(loop, self.sock))
        except (TimeoutError, EOFError, OSError):
            return False
        if status != "ready":
            return False
        self.version, self.generation = version, generation
        return True

    async def exit_signal(self, wait_s: float = 2.0) -> int | None:
        """The signal that ended the process (after its socket closed), or None (it exited, or is still running)."""
        deadline = asyncio.get_running_loop().time() + wait_s
        while True:
            status = self._poll()
            if status is not None or asyncio.get_running_loop().time() > deadline:
                return -status if status is not None and status < 0 else None
            await asyncio.sleep(0.02)

    def _poll(self) -> int | None:
        """The exit status (negative: the signal) once the process ended, else None; reaps it."""
        if self.process is not None:
            return self.process.poll()
        try:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            return 0
        if pid == 0:
            return None
        return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)

    def alive(self) -> bool:
        if self.process is not None:
            return self.process.poll() is None
        try:
            return os.waitpid(self.pid, os.WNOHANG) == (0, 0)
        except ChildProcessError:
            return False

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        self.sock.close()
        threading.Thread(target=self._reap, daemon=True).start()

    def _reap(self) -> None:
        if self.process is not None:
            self.process.wait()
        else:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
