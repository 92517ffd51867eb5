"""Shared fixtures: project paths, the reference data beside the checkout, CI strictness."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pyoxigraph
import pytest
from rdflib.term import Literal, Node, URIRef
from starlette.applications import Starlette

from modernstats_kg.settings import Settings
from modernstats_kg.store import EmbeddedStore, RemoteStore, Store
from modernstats_kg.store.remote_config import RemoteConfig
from modernstats_kg.store_options import remote_options
from virtuoso import DBA_PASSWORD, DBA_USER, VirtuosoServer
from virtuoso import available as virtuoso_available

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

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
        self.output = b""
        self.url = f"http://127.0.0.1:{self.port}"
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "modernstats_kg.app:app_from_env",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
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
        if self.process.stdout is not None and not self.process.stdout.closed:
            self.output = self.process.stdout.read()  # what the server printed, kept once its pipe is closed
            self.process.stdout.close()


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


# --- store backends: embedded pyoxigraph and a real Virtuoso 7 ---------------------------------------------------

STORE_FIXTURE_CONTENT = PROJECT_ROOT / "tests" / "fixtures" / "store-content"


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """One private Virtuoso server for the session (127.0.0.1, free ports, temporary database), stopped at the end.

    The public `SPARQL` user may update (granted here: this server is a throwaway on loopback), so both write paths
    of the remote store can be tested: SPARQL Update on `/sparql`, and the Graph Store Protocol with digest auth.
    """
    require(virtuoso_available(), "Virtuoso not found: apt-get install virtuoso-opensource (virtuoso-t, isql-vt)")
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso")).start()
    try:
        server.isql('grant SPARQL_UPDATE to "SPARQL";')
        yield server
    finally:
        server.stop()


def remote_config(url: str, env: Mapping[str, str]) -> RemoteConfig:
    """The remote store's configuration that a service with the `MSKG_*` variables `env` builds for `url`."""
    return RemoteConfig.from_options(url, remote_options(Settings.from_env(env)))


def remote_store(url: str, env: Mapping[str, str]) -> RemoteStore:
    return RemoteStore(remote_config(url, env))


def graph_names(store: RemoteStore) -> set[str]:
    """The named graphs the server holds now."""
    return {row["g"].value for row in store.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}


def drop_graphs_since(store: RemoteStore, before: set[str], *also: str) -> None:
    """Leave a shared server as it was: drop every graph not in `before` (and `also`), as other files count them."""
    for graph in sorted(graph_names(store) - before | set(also)):
        store.update(f"DROP SILENT GRAPH <{graph}>")


def virtuoso_env(server: VirtuosoServer, system_graph: str | None = None) -> dict[str, str]:
    """The `MSKG_*` variables of a service on `server`: queries on /sparql, writes over the Graph Store Protocol."""
    env = {
        "MSKG_STORE": server.sparql_url,
        "MSKG_REMOTE_GRAPH_STORE_URL": server.graph_store_auth_url,
        "MSKG_REMOTE_UPDATE_URL": server.sparql_auth_url,
        "MSKG_REMOTE_USER": DBA_USER,
        "MSKG_REMOTE_PASSWORD": DBA_PASSWORD,
    }
    if system_graph:
        env["MSKG_REMOTE_SYSTEM_GRAPH"] = system_graph
    return env


@dataclass(frozen=True)
class Backend:
    """A store backend under test: `embedded` (pyoxigraph in memory) or `virtuoso` (the remote store on Virtuoso).

    `env` holds the `MSKG_*` variables that select it; they are also set in `os.environ` for the test, so
    `create_app(backend.settings(...))` and `open_store(backend.store)` reach the same store.
    """

    name: str
    store: str
    env: dict[str, str]

    def settings(self, **changes: Any) -> Settings:
        return Settings(store=self.store, **changes)

    def open_store(self) -> Store:
        if self.name == "embedded":
            return EmbeddedStore()
        return remote_store(self.store, self.env)


BACKENDS = ["embedded", pytest.param("virtuoso", marks=pytest.mark.virtuoso)]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Backend:
    """Each test that takes `backend` runs once per backend, in process, on an empty store of its own.

    On Virtuoso every test gets its own system graph (so its own, empty dataset) on the session's server. Use
    `backend.open_store()` for the Store contract, or `create_app(backend.settings(content_dir=...))` with a
    `fastapi.testclient.TestClient` for in-process HTTP tests. Content graph IRIs are shared by all datasets on the
    server: tests that load different triples into the same graph IRI must not rely on each other's data.
    """
    if request.param == "embedded":
        return Backend("embedded", "memory", {"MSKG_STORE": "memory"})
    server: VirtuosoServer = request.getfixturevalue("virtuoso")
    env = virtuoso_env(server, system_graph=f"urn:x-mskg:system:test:{uuid.uuid4().hex}")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Backend("virtuoso", server.sparql_url, env)


@pytest.fixture(scope="session", params=BACKENDS)
def start_backend_server(
    request: pytest.FixtureRequest, start_server: Callable[..., LiveServer]
) -> Callable[..., LiveServer]:
    """Start live servers on one backend (parametrised: every test that uses this runs once per backend).

    `start_backend_server(env)` takes the same `MSKG_*` environment as `start_server`; the backend's own variables
    (`MSKG_STORE` and, on Virtuoso, the endpoints, credentials and a system graph of the server's own) win over it.
    To run a suite written for a fixture built on `start_server` on both backends, build that fixture on
    `start_backend_server` instead, e.g. `return start_backend_server({"MSKG_CONTENT_DIR": ...,
    "MSKG_QUERY_TIMEOUT_S": "2"})`; `request.node.callspec.params["start_backend_server"]` names the backend.
    """
    virtuoso_server: VirtuosoServer | None = None
    if request.param == "virtuoso":
        virtuoso_server = request.getfixturevalue("virtuoso")

    def start(env: dict[str, str] | None = None, **kwargs: object) -> LiveServer:
        if virtuoso_server is None:
            return start_server({**(env or {}), "MSKG_STORE": "memory"}, **kwargs)
        system_graph = f"urn:x-mskg:system:server:{uuid.uuid4().hex}"
        return start_server({**(env or {}), **virtuoso_env(virtuoso_server, system_graph)}, **kwargs)

    return start


@pytest.fixture(scope="session")
def backend_server(start_backend_server: Callable[..., LiveServer]) -> LiveServer:
    """A live server over the project's real content, once per backend: the parametrised twin of `live_server`.

    Protocol tests written against `live_server` run on both backends by taking `backend_server` instead (same
    `LiveServer` with `.url`).
    """
    return start_backend_server()


# --- pages: in-process clients over the fixture content and over the real content --------------------------------

WEB_CONTENT_DIR = PROJECT_ROOT / "tests" / "fixtures" / "web-content"


@pytest.fixture(scope="session")
def web_content_dir() -> Path:
    """A small content folder in the project's modelling (a few GSBPM, GSIM, GAMSO, CSPA, COOS terms and mappings)."""
    return WEB_CONTENT_DIR


@pytest.fixture(scope="session")
def page_client() -> Iterator[Any]:
    """A `TestClient` of the whole app over the fixture content (`tests/fixtures/web-content`)."""
    from fastapi.testclient import TestClient

    from modernstats_kg.app import create_app

    with TestClient(create_app(Settings(content_dir=WEB_CONTENT_DIR))) as client:
        yield client


@pytest.fixture(scope="session")
def real_page_client() -> Iterator[TestClient]:
    """A `TestClient` of the whole app over the project's real content."""
    from fastapi.testclient import TestClient

    from modernstats_kg.app import create_app

    with TestClient(create_app(Settings())) as client:
        yield client


# --- SPARQL endpoint ------------------------------------------------------------------------------------------------

W3C_DIR = Path(os.environ.get("MSKG_W3C_DIR", PROJECT_ROOT.parent / "shared" / "w3c-sparql11"))
SPARQL_CONTENT_DIR = PROJECT_ROOT / "tests" / "fixtures" / "sparql_content"


@pytest.fixture(scope="session")
def w3c_dir() -> Path:
    """The W3C SPARQL 1.1 test suites (../shared/w3c-sparql11), read in place."""
    require(W3C_DIR.is_dir(), f"W3C SPARQL 1.1 test suites not found at {W3C_DIR} (set MSKG_W3C_DIR)")
    return W3C_DIR


SPARQL_SERVER_ENV = {
    "MSKG_CONTENT_DIR": str(SPARQL_CONTENT_DIR),
    "MSKG_QUERY_TIMEOUT_S": "2",
    "MSKG_MAX_RESULT_ROWS": "50",
    "MSKG_MAX_REQUEST_BYTES": "4000",
}


@pytest.fixture(scope="session")
def sparql_server(start_server: Callable[..., LiveServer]) -> LiveServer:
    """A live server over the small SPARQL fixture content (three graphs), with tight limits: 2 s per query,
    50 result rows, 4000-byte requests; on the embedded store only (the limits suite watches its query workers)."""
    return start_server({**SPARQL_SERVER_ENV, "MSKG_STORE": "memory"})


@pytest.fixture(scope="session")
def sparql_backend_server(start_backend_server: Callable[..., LiveServer]) -> LiveServer:
    """The twin of `sparql_server` (same content and limits) once per backend, embedded and Virtuoso: the protocol
    and client suites take this one, so every one of their tests runs on both backends."""
    return start_backend_server(SPARQL_SERVER_ENV)


def backend_of(request: pytest.FixtureRequest) -> str:
    """`embedded` or `virtuoso`: the backend a test built on `start_backend_server` is running on."""
    return str(request.node.callspec.params["start_backend_server"])


@pytest.fixture(scope="session")
def backend_client(backend_server: LiveServer) -> Iterator[httpx.Client]:
    """An HTTP client of `backend_server` (a live service over the real content, once per backend). API tests that
    send their requests through it run on both backends; relative paths and absolute `next` links both work."""
    with httpx.Client(base_url=backend_server.url, timeout=60) as client:
        yield client


# --- OWL consistency, checked independently of the service's own validation code ----------------------------------


def hermit_consistent(graph: object, tmp_path: Path) -> bool:
    """Run owlready2's HermiT on an rdflib graph; False when the ontology is inconsistent or has unsatisfiable
    classes. Needs Java (skips on a laptop without it, fails in CI)."""
    import shutil

    import owlready2

    require(shutil.which("java") is not None, "java not found: install a Java runtime for the HermiT reasoner")
    path = tmp_path / "ontology.nt"
    graph.serialize(path, format="nt", encoding="utf-8")  # type: ignore[attr-defined]
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load()
    try:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        return False
    return not list(world.inconsistent_classes())


def app_state(client: TestClient) -> Any:
    """The `state` of the app behind an in-process client (`service`, `query_runner`, `query_cache`, ...);
    Starlette types `TestClient.app` as any ASGI app, which has no state."""
    app = client.app
    assert isinstance(app, Starlette), f"not a Starlette app: {app!r}"
    return app.state


def solutions(result: object) -> pyoxigraph.QuerySolutions:
    """The rows of a SELECT answer (a store's `query` answers SELECT, ASK and CONSTRUCT with different types)."""
    assert isinstance(result, pyoxigraph.QuerySolutions), f"expected SELECT solutions, got {type(result).__name__}"
    return result


def triples(result: object) -> pyoxigraph.QueryTriples:
    """The triples of a CONSTRUCT or DESCRIBE answer."""
    assert isinstance(result, pyoxigraph.QueryTriples), f"expected CONSTRUCT triples, got {type(result).__name__}"
    return result


def value_of(term: pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | pyoxigraph.Triple) -> str:
    """The IRI, blank node id or lexical form of a term; a quoted triple (RDF-star, not used here) fails the test."""
    assert not isinstance(term, pyoxigraph.Triple), f"unexpected quoted triple {term}"
    return term.value


def integer(node: Node | pyoxigraph.Literal | pyoxigraph.NamedNode | pyoxigraph.BlankNode | None) -> int:
    """The value of an integer literal, rdflib's or pyoxigraph's (a count, a row or paragraph number); anything else
    fails the test."""
    if isinstance(node, pyoxigraph.Literal):
        return int(node.value)
    assert isinstance(node, Literal), f"expected an integer literal, got {node!r}"
    return int(str(node))


def as_iri(node: Node | None) -> URIRef:
    """A node that must be an IRI (a class, an activity, a role); anything else fails the test."""
    assert isinstance(node, URIRef), f"expected an IRI, got {node!r}"
    return node


def language_of(node: Node | None) -> str:
    """The language tag of a language-tagged literal (a label or a definition); anything else fails the test."""
    assert isinstance(node, Literal) and node.language, f"expected a language-tagged literal, got {node!r}"
    return node.language


def every_item(client: httpx.Client | TestClient, url: str, limit: int, **params: str) -> list[dict[str, Any]]:
    """Follow a paginated JSON API list to its end, checking offsets and the total on the way."""
    items: list[dict[str, Any]] = []
    page = client.get(url, params={"limit": limit, **params}).json()
    while True:
        assert page["offset"] == len(items)
        items += page["items"]
        if page["next"] is None:
            assert len(items) == page["total"]
            return items
        page = client.get(page["next"]).json()
