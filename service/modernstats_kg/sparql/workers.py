"""Run protocol queries where they can be stopped: a time limit that truly ends the work.

pyoxigraph has no query timeout, and a thread cannot be stopped, so `QueryRunner` keeps a small pool of worker
processes, each holding the graph: forked from the server at start-up (sharing the loaded store's memory), or
spawned later from a snapshot (for the in-memory store, one N-Triples chunk per named graph; for an on-disk store,
the same directory opened read-only). When the time limit passes, the worker is killed and replaced in the
background while the other workers keep answering. When the store reports a new content version or revision (any
write), workers catch up before their next job: on an on-disk store each opens a new read-only snapshot in place
(`worker_process.Reopen`); in memory they are replaced by ones holding the new content.

The hop to a worker is cheap: each worker keeps one socket open for its whole life; the server writes a job and
awaits the reply on its event loop (no thread per query); the reply is a small header (kind, media type, row count)
followed by the serialised answer as raw bytes, so no Python object is built per row on either side.

    event loop --frame(QueryJob)--> worker process (the graph) --frame(header, answer bytes)--> event loop

A frame is an 8-byte big-endian length and that many bytes. `InlineQueryRunner` runs the same `execute` in a
thread for a remote store, whose server bounds the work; the runner only stops waiting.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import pickle
import signal
import threading
import time
import weakref
from collections import deque

import pyoxigraph as ox

from ..errors import QueryTimeout, ServiceUnavailable
from ..metrics import record_timeout, record_worker_restart
from ..queries import load_query
from ..store import EmbeddedStore, Store
from ..store.embedded import published_revision
from .execution import QueryAnswer, QueryFailure, QueryJob, answer_or_raise, decode_outcome, execute
from .wire import LENGTH, PICKLE
from .worker_process import Worker, WorkerSetup

_NT = ox.RdfFormat.N_TRIPLES

__all__ = ["InlineQueryRunner", "QueryRunner", "default_worker_memory", "default_workers", "runner_for"]

log = logging.getLogger(__name__)


class _Closed(Exception):
    pass


class _Waiter:
    def __init__(self, loop: asyncio.AbstractEventLoop):
        self.loop, self.future = loop, loop.create_future()
        self.worker: Worker | None = None
        self.closed = False

    def give(self, worker: Worker) -> bool:  # called with the pool's lock held
        if self.closed:
            return False
        self.worker, self.closed = worker, True
        self.loop.call_soon_threadsafe(self._wake)
        return True

    def _wake(self) -> None:
        if not self.future.done():
            self.future.set_result(None)


class _IdleWorkers:
    """Idle workers, handed out first come, first served to coroutines on any event loop; `put` from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._workers: deque[Worker] = deque()
        self._waiters: deque[_Waiter] = deque()

    def put(self, worker: Worker) -> None:
        with self._lock:
            while self._waiters:
                if self._waiters.popleft().give(worker):
                    return
            self._workers.append(worker)

    async def get(self, timeout: float) -> Worker | None:
        """An idle worker, or None when none came free within `timeout` seconds."""
        with self._lock:
            if self._workers:
                return self._workers.popleft()
            waiter = _Waiter(asyncio.get_running_loop())
            self._waiters.append(waiter)
        try:
            async with asyncio.timeout(max(timeout, 0.0)):
                await waiter.future
        except TimeoutError:
            pass
        except BaseException:  # cancelled: a worker handed over meanwhile goes back
            with self._lock:
                waiter.closed = True
            if waiter.worker is not None:
                self.put(waiter.worker)
            raise
        with self._lock:
            waiter.closed = True
            with contextlib.suppress(ValueError):
                self._waiters.remove(waiter)
        return waiter.worker


def default_workers() -> int:
    """One more worker than cores (at least 2, at most 8): one slow query never halves the capacity."""
    return max(2, min(8, (os.cpu_count() or 1) + 1))


def default_worker_memory(workers: int) -> int:
    """Half the machine's memory shared by the workers, 512 MiB to 4 GiB each: room for the server and the rest."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (OSError, ValueError):
        total = 8 * 1024**3
    return max(512 * 1024**2, min(4 * 1024**3, total // (2 * max(workers, 1))))


class QueryRunner:
    """A pool of worker processes over one `EmbeddedStore`: `run_async` on the server's event loop, `run` (which
    blocks) elsewhere."""

    def __init__(
        self,
        store: EmbeddedStore,
        *,
        timeout_s: float,
        workers: int | None = None,
        startup_timeout_s: float = 120.0,
        memory_bytes: int | None = None,
    ):
        self.store = store
        self.timeout_s = timeout_s
        self.size = workers or default_workers()
        self.memory_bytes = memory_bytes  # each worker's cap beyond what it holds once loaded; None: no cap
        self.startup_timeout_s = startup_timeout_s
        self._idle = _IdleWorkers()
        self._lock = threading.Lock()
        self._live = 0  # started and not yet stopped
        self._warm_generation = 0  # the latest generation that has had a worker ready
        self._generation = 0
        self._setup: bytes | None = None
        self._setup_generation = 0
        self._version: str | None = None
        self._stopped = threading.Event()
        self._workers: set[Worker] = set()
        self._finalizer = weakref.finalize(self, QueryRunner._stop_all, self._workers, self._stopped)  # and at exit

    # lifecycle

    def start(self, *, fork: bool = False) -> None:
        """Start the missing workers for the store's current content; idempotent.

        Spawned workers start one after the other in the background (the first is ready soonest that way). With
        `fork` (at server start-up), while the process is single-threaded and the content current, workers are
        forked instead: ready at once and sharing the loaded graph's memory. Replacements are always spawned:
        forking a process whose threads may hold locks is not safe.
        """
        with self._lock:
            if self._closed:
                raise RuntimeError("the query runner is closed")
            version = self.content_version()
            if self._generation == 0 or version != self._version:
                self._version, self._setup = version, None
                self._generation += 1
            missing = max(self.size - self._live, 0)
            self._live += missing
            generation = self._generation
        if not missing:
            return
        if fork and hasattr(os, "fork") and threading.active_count() == 1:
            for _ in range(missing):
                worker = Worker.forked(self.store, self.store.path, version, generation, self.memory_bytes)
                self._workers.add(worker)
                if worker.wait_ready(self.startup_timeout_s):
                    self._warm_generation = max(self._warm_generation, generation)
                    self._idle.put(worker)
                else:
                    self._retire(worker, replace=False)
            return
        threading.Thread(target=self._spawn, args=(generation, version, missing), daemon=True).start()

    def _setup_for(self, generation: int) -> bytes:
        with self._lock:
            if self._setup is None or self._setup_generation != generation:
                self._setup = pickle.dumps(self._snapshot(self._version), protocol=pickle.HIGHEST_PROTOCOL)
                self._setup_generation = generation
            return self._setup

    def _snapshot(self, version: str | None) -> WorkerSetup:
        if self.store.path is not None:  # written and flushed by replace_graphs
            return WorkerSetup(version, path=str(self.store.path), memory_bytes=self.memory_bytes)
        dump = load_query("graph_triples")
        chunks = []
        for graph in self.store.graphs():
            triples = self.store.query(dump, substitutions={"g": ox.NamedNode(graph.iri)})
            chunks.append((graph.iri, ox.serialize(triples, format=_NT) or b""))  # type: ignore[arg-type]
        return WorkerSetup(version, chunks=tuple(chunks), memory_bytes=self.memory_bytes)

    def _spawn(self, generation: int, version: str | None, count: int) -> None:
        for _ in range(count):
            worker: Worker | None = None
            try:
                if self._closed:
                    raise _Closed
                worker = Worker.spawned(self._setup_for(generation), generation, version)
                self._workers.add(worker)
                if not worker.wait_ready(self.startup_timeout_s):
                    raise RuntimeError("the worker did not become ready")
            except Exception as exc:  # logged; a later run() starts another
                if not self._closed:
                    log.error("query worker failed to start: %s", exc)
                if worker is not None:
                    worker.stop()
                    self._workers.discard(worker)
                with self._lock:
                    self._live -= 1
                continue
            with self._lock:
                stale = self._closed or generation != self._generation
            if stale:
                self._retire(worker, replace=False)
            else:
                self._warm_generation = max(self._warm_generation, generation)
                self._idle.put(worker)

    def _retire(self, worker: Worker, *, replace: bool = True) -> None:
        worker.stop()
        self._workers.discard(worker)
        with self._lock:
            self._live -= 1
        if replace and not self._closed:
            self.start()

    @property
    def _closed(self) -> bool:
        return self._stopped.is_set()

    def close(self) -> None:
        """Stop every worker; the runner cannot be used afterwards."""
        QueryRunner._stop_all(self._workers, self._stopped)

    @staticmethod
    def _stop_all(workers: set[Worker], stopped: threading.Event) -> None:
        stopped.set()
        for worker in list(workers):
            worker.stop()
        workers.clear()

    # queries

    def content_version(self) -> str | None:
        """What queries are answered from now (cheap: no query): the content version and the store revision, which
        every write changes (for an on-disk store, the revision any process published last), so no worker or kept
        answer outlives an acknowledged edit."""
        path = self.store.path
        revision = published_revision(path) if path is not None else self.store.revision()
        return f"{self.store.version()}.{revision}"

    def workers(self) -> tuple[int, int]:
        """(running, idle) worker processes: none idle while some run means every worker is busy (`/health`)."""
        return self._live, len(self._idle._workers)

    def run(self, job: QueryJob, *, timeout_s: float | None = None) -> QueryAnswer:
        """`run_async` for callers without an event loop (tests, scripts)."""
        return asyncio.run(self.run_async(job, timeout_s=timeout_s))

    async def run_async(self, job: QueryJob, *, timeout_s: float | None = None) -> QueryAnswer:
        """Answer `job` within the time limit; raises `errors.ServiceError` subclasses for every failure. The
        answer records the content version of the worker that computed it."""
        limit = self.timeout_s if timeout_s is None else timeout_s
        deadline = time.monotonic() + limit
        if self._generation == 0 or self.content_version() != self._version or self._live < self.size:
            self.start()
        body = pickle.dumps(job, protocol=PICKLE)
        payload = LENGTH.pack(len(body)) + body
        while True:
            worker = await self._idle.get(deadline - time.monotonic())
            if worker is None and self._warm_generation < self._generation:
                # a cold pool (start-up, new content): waiting for its first worker is not the query's time
                worker = await self._idle.get(self.startup_timeout_s)
                deadline = time.monotonic() + limit
            if worker is None:
                raise ServiceUnavailable(
                    f"all {self.size} query workers stayed busy for the {limit:g} s time limit: try again shortly",
                    headers={"Retry-After": "2"},
                )
            if worker.generation == self._generation and worker.alive():
                break
            if await self._caught_up(worker):
                break
            self._retire(worker)
        try:
            async with asyncio.timeout(max(deadline - time.monotonic(), 0.0)):
                reply = await worker.ask(payload)
        except TimeoutError:
            self._retire(worker)
            record_timeout(job.sparql, limit)
            raise QueryTimeout(
                f"the query ran longer than the {limit:g} s time limit and was stopped",
                timeout_s=limit,
                headers={"Retry-After": "2"},
            ) from None
        except (EOFError, OSError):
            ended_by = await worker.exit_signal()
            self._retire(worker)
            if ended_by == signal.SIGABRT and self.memory_bytes is not None:  # the engine's allocation failed
                record_worker_restart("memory_cap", job.sparql, cap_mib=self._cap_mib)
                raise ServiceUnavailable(
                    f"the query needed more than the {self._cap_mib} MiB of memory a query worker may use and was "
                    "stopped: narrow it (fewer combinations, LIMIT, no ORDER BY over large results)",
                    headers={"Retry-After": "2"},
                ) from None
            record_worker_restart("crash", job.sparql)
            raise ServiceUnavailable(
                "the query stopped its worker process; a new one is starting",
                headers={"Retry-After": "2"},
            ) from None
        except BaseException:  # cancelled mid-query: its reply would be read by the next job, so end the worker
            self._retire(worker)
            raise
        self._idle.put(worker)
        outcome = decode_outcome(reply, worker.version)
        if isinstance(outcome, QueryFailure) and outcome.reason == "memory":
            log.warning("query worker %d hit its memory cap of %d MiB: query refused", worker.pid, self._cap_mib)
        return answer_or_raise(outcome)

    async def _caught_up(self, worker: Worker) -> bool:
        """A worker of an older generation on an on-disk store opens the store again in place (`Reopen`): after a
        write that costs a few milliseconds, where a new process costs an interpreter start. False when it cannot
        (in memory, where a new generation means new content; a dead worker; a failed reopen): replace it."""
        if self.store.path is None or not worker.alive():
            return False
        with self._lock:
            generation, version = self._generation, self._version
        try:
            reopened = await worker.reopen(version, generation, self.startup_timeout_s)
        except BaseException:  # cancelled mid-reopen: its reply would be read by the next job, so end the worker
            self._retire(worker)
            raise
        if not reopened:
            return False
        self._warm_generation = max(self._warm_generation, generation)
        return True

    @property
    def _cap_mib(self) -> int:
        return (self.memory_bytes or 0) // (1024 * 1024)


class InlineQueryRunner:
    """For backends that bound their own work (a remote SPARQL server): `execute` in a thread, with a deadline on
    the wait. The remote server's own timeout ends the work; this runner only stops waiting for it."""

    def __init__(self, store: Store, *, timeout_s: float):
        self.store = store
        self.timeout_s = timeout_s

    def start(self, *, fork: bool = False) -> None:
        pass

    def close(self) -> None:
        pass

    def content_version(self) -> None:
        """None: a remote store's version costs a round trip to read, and other servers may change it; so its
        answers are not kept by version (`answer_cache`)."""
        return None

    async def run_async(self, job: QueryJob, *, timeout_s: float | None = None) -> QueryAnswer:
        return await asyncio.to_thread(self.run, job, timeout_s=timeout_s)

    def run(self, job: QueryJob, *, timeout_s: float | None = None) -> QueryAnswer:
        limit = self.timeout_s if timeout_s is None else timeout_s
        outcome: list[QueryAnswer | QueryFailure] = []
        thread = threading.Thread(target=lambda: outcome.append(execute(self.store, job)), daemon=True)
        thread.start()
        thread.join(limit)
        if not outcome:
            record_timeout(job.sparql, limit, worker_restarted=False)
            raise QueryTimeout(
                f"the query ran longer than the {limit:g} s time limit", timeout_s=limit, headers={"Retry-After": "2"}
            )
        return answer_or_raise(outcome[0])


def runner_for(
    store: Store, *, timeout_s: float, workers: int | None = None, memory_bytes: int | None = None
) -> QueryRunner | InlineQueryRunner:
    """The runner that can stop this store's queries: worker processes for the embedded store, each with its
    memory capped at `memory_bytes`."""
    if isinstance(store, EmbeddedStore):
        return QueryRunner(store, timeout_s=timeout_s, workers=workers, memory_bytes=memory_bytes)
    return InlineQueryRunner(store, timeout_s=timeout_s)
