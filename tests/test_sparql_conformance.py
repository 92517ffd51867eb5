"""The W3C SPARQL 1.1 test suites, driven against a live server on each backend (embedded and Virtuoso): every case
of the protocol suite, the service-description suite and every negative syntax case of `syntax-query`.

The suites are read in place from `../shared/w3c-sparql11` (fixture `w3c_dir`). The protocol cases name their data
with `ut:graphData` labels; each label becomes a named graph of the server's content, loaded from the local
`data*.nt` file. Run with `-s` to see the pass counts.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from conftest import W3C_DIR, LiveServer, backend_of, value_of
from test_cli import mskg

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
SD = "http://www.w3.org/ns/sparql-service-description#"

VIRTUOSO_UPDATE = (
    "SPARQL Update needs accounts (admins only), and accounts live in the data folder of an on-disk store: a service "
    "over a remote store has none, so /sparql/update answers 503 there (its writes reach Virtuoso through the remote "
    "store's authenticated update endpoint, tested in test_remote_editing.py)"
)
OUTCOMES: Counter[str] = Counter()


# --- reading the manifests --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HttpCase:
    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    statuses: tuple[str, ...]  # hts:StatusCode2xx ... as "2xx"
    expected_format: str | None
    expected_boolean: bool | None


@dataclass(frozen=True)
class ProtocolCase:
    name: str
    title: str
    requests: tuple[HttpCase, ...]
    data: tuple[tuple[str, str], ...]  # (graph label, local file name)

    @property
    def is_update(self) -> bool:
        """A case that needs a working SPARQL Update (the negative `bad_update_*` cases are run)."""
        return self.name.startswith("update_")


def _graph(path: Path) -> Graph:
    graph = Graph()
    graph.parse(path, format="turtle", publicID=path.as_uri())
    return graph


def _entries(graph: Graph) -> list[URIRef]:
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    return list(Collection(graph, graph.value(manifest, MF.entries)))  # type: ignore[arg-type]


def _protocol_cases(folder: Path) -> list[ProtocolCase]:
    graph = _graph(folder / "manifest.ttl")
    cases = []
    for entry in _entries(graph):
        action = graph.value(entry, MF.action)
        requests = []
        for request in Collection(graph, graph.value(action, HT.requests)):  # type: ignore[arg-type]
            headers = []
            header_list = graph.value(request, HT.headers)
            if header_list is not None:
                for header in Collection(graph, header_list):
                    headers.append((str(graph.value(header, HT.fieldName)), str(graph.value(header, HT.fieldValue))))
            body = None
            content = graph.value(request, HT.body)
            if content is not None:
                encoding = str(graph.value(content, CNT.characterEncoding) or "UTF-8")
                body = str(graph.value(content, CNT.chars)).encode(encoding)
            response = graph.value(request, HT.resp)
            statuses = tuple(
                sorted(re.sub(r".*StatusCode", "", str(s)).lower() for s in graph.objects(response, MF.expectedStatus))
            )
            fmt = graph.value(response, MF.expectedFormat)
            boolean = graph.value(response, MF.expectedBoolean)
            requests.append(
                HttpCase(
                    method=str(graph.value(request, HT.methodName)),
                    path=str(graph.value(request, HT.absolutePath)),
                    headers=tuple(headers),
                    body=body,
                    statuses=statuses,
                    expected_format=str(fmt) if fmt is not None else None,
                    expected_boolean=boolean.toPython() if isinstance(boolean, Literal) else None,
                )
            )
        data = tuple(
            sorted(
                (str(graph.value(d, RDFS.label)), Path(str(graph.value(d, UT.graph))).name)
                for d in graph.objects(entry, UT.graphData)
            )
        )
        name = str(entry).rsplit("#", 1)[-1]
        cases.append(ProtocolCase(name, str(graph.value(entry, MF.name)), tuple(requests), data))
    return cases


def _negative_syntax_cases(folder: Path) -> list[tuple[str, Path]]:
    graph = _graph(folder / "manifest.ttl")
    cases = []
    for entry in _entries(graph):
        kinds = {str(t).rsplit("#", 1)[-1] for t in graph.objects(entry, RDF.type)}
        if kinds & {"NegativeSyntaxTest", "NegativeSyntaxTest11"}:
            action = Path(str(graph.value(entry, MF.action)).removeprefix("file://"))
            cases.append((str(entry).rsplit("#", 1)[-1] + ":" + action.name, action))
    return cases


def _service_description_cases(folder: Path) -> list[str]:
    graph = _graph(folder / "manifest.ttl")
    return [str(entry).rsplit("#", 1)[-1] for entry in _entries(graph)]


def _params(items: Sequence[object], ids: list[str]) -> list[object]:
    if not W3C_DIR.is_dir():  # collected anyway: the w3c_dir fixture skips (laptop) or fails (CI)
        return [pytest.param(None, id="w3c-suite-missing")]
    return [pytest.param(item, id=name) for item, name in zip(items, ids, strict=True)]


PROTOCOL = _protocol_cases(W3C_DIR / "protocol") if W3C_DIR.is_dir() else []
SYNTAX = _negative_syntax_cases(W3C_DIR / "syntax-query") if W3C_DIR.is_dir() else []
DESCRIPTION = _service_description_cases(W3C_DIR / "service-description") if W3C_DIR.is_dir() else []


# --- the server over the suite's data -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def w3c_server(
    w3c_dir: Path, start_backend_server: Callable[..., LiveServer], tmp_path_factory: pytest.TempPathFactory
) -> LiveServer:
    """A live server whose named graphs are the protocol suite's data files, each under its `ut:graphData` label,
    once per backend (embedded and Virtuoso)."""
    return start_backend_server({"MSKG_CONTENT_DIR": str(_w3c_content(w3c_dir, tmp_path_factory))})


@dataclass(frozen=True)
class UpdateServer:
    server: LiveServer
    token: str


@pytest.fixture(scope="module")
def w3c_update_server(
    w3c_dir: Path, start_server: Callable[..., LiveServer], tmp_path_factory: pytest.TempPathFactory
) -> UpdateServer:
    """The suite's data on a durable (on-disk) embedded store with an admin account: the update cases change it."""
    content = _w3c_content(w3c_dir, tmp_path_factory)
    folder = tmp_path_factory.mktemp("w3c-update-store")
    added = mskg("users", "add", "w3c", "--role", "admin", "--password-stdin", "--store", str(folder), stdin="w3c pass")
    assert added.returncode == 0, added.stderr
    token = mskg("tokens", "create", "w3c", "--store", str(folder)).stdout.strip()
    server = start_server({"MSKG_CONTENT_DIR": str(content), "MSKG_STORE": str(folder)})
    return UpdateServer(server, token)


def _w3c_content(w3c_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The loader names a graph by the `owl:Ontology` its file declares, so each file gets that one extra triple."""
    content = tmp_path_factory.mktemp("w3c-content")
    for folder in ("ontology", "mappings", "shapes"):
        (content / folder).mkdir()
    labels = {label: file for case in PROTOCOL for label, file in case.data}
    for label, file in sorted(labels.items()):
        data = (w3c_dir / "protocol" / file).read_text(encoding="utf-8")
        declaration = f"<{label}> <{RDF.type}> <http://www.w3.org/2002/07/owl#Ontology> .\n"
        (content / "ontology" / (Path(file).stem + ".ttl")).write_text(data + declaration, encoding="utf-8")
    return content


def _is_update_request(case: HttpCase) -> bool:
    """A request that carries an update: to our `/sparql/update` (the manifest sends everything to one endpoint)."""
    media = dict((k.lower(), v) for k, v in case.headers).get("content-type", "")
    body = case.body or b""
    return (
        "sparql-update" in media
        or "update=" in case.path
        or body.startswith(b"update=")
        or (not media and b"update" in body.lower())
    )


def _send(server: LiveServer, case: HttpCase, token: str | None = None) -> httpx.Response:
    path = "/sparql" + case.path.removeprefix("/sparql/")  # the manifest's /sparql/ prefix is our /sparql
    headers = list(case.headers)
    if token is not None and _is_update_request(case):
        path = "/sparql/update" + path.removeprefix("/sparql")
        headers.append(("Authorization", f"Bearer {token}"))
    return httpx.request(case.method, server.url + path, headers=headers, content=case.body, timeout=30)


def _status_class(status: int) -> str:
    return f"{status // 100}xx"


def _check_format(response: httpx.Response, case: HttpCase) -> None:
    media = response.headers.get("content-type", "").split(";")[0].strip()
    if case.expected_format in ("boolean", "tabular"):
        fmt = ox.QueryResultsFormat.from_media_type(media)
        allowed = {
            "boolean": {"SPARQL Results in JSON", "SPARQL Results in XML"},
            "tabular": {
                "SPARQL Results in JSON",
                "SPARQL Results in XML",
                "SPARQL Results in CSV",
                "SPARQL Results in TSV",
            },
        }[case.expected_format]
        assert fmt is not None and fmt.name in allowed, media
        if case.expected_boolean is not None:
            parsed = ox.parse_query_results(response.content, format=fmt)
            assert isinstance(parsed, ox.QueryBoolean)
            assert bool(parsed) is case.expected_boolean
        elif fmt.name != "SPARQL Results in CSV":
            assert isinstance(ox.parse_query_results(response.content, format=fmt), ox.QuerySolutions | ox.QueryBoolean)
    elif case.expected_format == "RDF":
        fmt_rdf = ox.RdfFormat.from_media_type(media)
        assert fmt_rdf in (ox.RdfFormat.RDF_XML, ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES), media
        list(ox.parse(response.content, format=fmt_rdf))


@pytest.fixture(scope="module", autouse=True)
def conformance_summary(request: pytest.FixtureRequest) -> Iterator[None]:
    """After the module: one line with the pass counts on the terminal."""
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if OUTCOMES and reporter is not None:
        total = (
            f"protocol cases {len(PROTOCOL)}, negative syntax cases {len(SYNTAX)}, "
            f"service-description cases {len(DESCRIPTION)}"
        )
        line = "W3C SPARQL 1.1 conformance: " + "; ".join(f"{k} {v}" for k, v in sorted(OUTCOMES.items()))
        capture = request.config.pluginmanager.get_plugin("capturemanager")
        assert capture is not None
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\n{line} (of {total})")


# --- the cases --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", _params(PROTOCOL, [c.name for c in PROTOCOL]))
def test_protocol_case(case: ProtocolCase, w3c_server: LiveServer, request: pytest.FixtureRequest) -> None:
    """Every case on `/sparql`, as the suite sends it: queries answered, every update refused with a 4xx (the
    `bad_update_*` cases; the `update_*` cases run against `/sparql/update` below)."""
    if case.is_update:
        assert _send(w3c_server, case.requests[0]).status_code == 403  # /sparql never takes an update
        OUTCOMES[f"{backend_of(request)} protocol: update refused on /sparql"] += 1
        return
    for step in case.requests:
        response = _send(w3c_server, step)
        assert response.status_code < 500, (case.name, response.status_code, response.text)
        assert _status_class(response.status_code) in step.statuses, (
            case.name,
            response.status_code,
            response.text[:300],
        )
        if response.status_code >= 400:
            assert response.json()["error"], case.name
        else:
            _check_format(response, step)
    OUTCOMES[f"{backend_of(request)} protocol: passed"] += 1


UPDATE_CASES = [c for c in PROTOCOL if "update" in c.name]


@pytest.mark.parametrize("case", _params(UPDATE_CASES, [c.name for c in UPDATE_CASES]))
def test_protocol_update_case(case: ProtocolCase, w3c_update_server: UpdateServer) -> None:
    """The suite's update cases (and the `bad_update_*` ones) on `/sparql/update` with an admin's token, on the
    embedded on-disk store; queries still go to `/sparql` and must see the update at once."""
    for step in case.requests:
        response = _send(w3c_update_server.server, step, w3c_update_server.token)
        assert response.status_code < 500, (case.name, response.status_code, response.text)
        assert _status_class(response.status_code) in step.statuses, (
            case.name,
            response.status_code,
            response.text[:300],
        )
        if response.status_code >= 400:
            assert response.json()["error"], case.name
        else:
            _check_format(response, step)
    OUTCOMES["embedded protocol update: passed"] += 1


def test_protocol_update_cases_on_virtuoso() -> None:
    pytest.skip(VIRTUOSO_UPDATE)


@pytest.mark.parametrize("case", _params(SYNTAX, [name for name, _ in SYNTAX]))
def test_negative_syntax_query_is_a_400_with_a_message(
    case: tuple[str, Path], w3c_server: LiveServer, request: pytest.FixtureRequest
) -> None:
    _, path = case
    query = path.read_bytes()
    response = httpx.post(
        f"{w3c_server.url}/sparql",
        content=query,
        headers={"Content-Type": "application/sparql-query", "Accept": "application/json"},
        timeout=30,
    )
    assert response.status_code == 400, (path.name, response.status_code, response.text)
    body = response.json()
    assert body["ok"] is False and len(body["error"]) > 10, body
    OUTCOMES[f"{backend_of(request)} syntax-query negative: passed"] += 1


def _description(server: LiveServer) -> tuple[httpx.Response, list[ox.Triple]]:
    response = httpx.get(
        f"{server.url}/sparql", headers={"Accept": "text/turtle, application/rdf+xml;q=0.5"}, timeout=30
    )
    fmt = ox.RdfFormat.from_media_type(response.headers["content-type"].split(";")[0])
    assert fmt is not None
    return response, [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(response.content, format=fmt)]


# The Service Description vocabulary (https://www.w3.org/TR/sparql11-service-description/#vocab): its classes and
# properties, and the individuals the spec defines for the properties whose values come from a fixed set.
SD_CLASSES = {
    "Service",
    "Feature",
    "Language",
    "Function",
    "Aggregate",
    "EntailmentRegime",
    "EntailmentProfile",
    "GraphCollection",
    "Dataset",
    "Graph",
    "NamedGraph",
}
SD_PROPERTIES = {
    "endpoint",
    "feature",
    "defaultEntailmentRegime",
    "supportedEntailmentProfile",
    "entailmentRegime",
    "defaultSupportedEntailmentProfile",
    "extensionFunction",
    "extensionAggregate",
    "languageExtension",
    "supportedLanguage",
    "propertyFeature",
    "defaultDataset",
    "availableGraphs",
    "resultFormat",
    "inputFormat",
    "defaultGraph",
    "namedGraph",
    "name",
    "graph",
}
SD_LANGUAGES = {"SPARQL10Query", "SPARQL11Query", "SPARQL11Update"}
SD_FEATURES = {"DereferencesURIs", "UnionDefaultGraph", "RequiresDataset", "EmptyGraphs", "BasicFederatedQuery"}


def _check_description(name: str, server: LiveServer) -> None:
    response, triples = _description(server)
    endpoint = ox.NamedNode(f"{server.url}/sparql")
    if name == "returns-rdf":
        assert response.status_code == 200 and triples
    elif name == "has-endpoint-triple":
        assert ox.Triple(endpoint, ox.NamedNode(SD + "endpoint"), endpoint) in triples
    elif name == "conforms-to-schema":
        for t in triples:
            for term in (t.subject, t.predicate, t.object):
                if isinstance(term, ox.NamedNode) and term.value.startswith(SD):
                    local = term.value[len(SD) :]
                    assert local in SD_CLASSES | SD_PROPERTIES | SD_LANGUAGES | SD_FEATURES, local

        def objects(subject: ox.NamedNode | ox.BlankNode | ox.Triple, prop: str) -> list[object]:
            return [t.object for t in triples if t.subject == subject and t.predicate.value == SD + prop]

        services = [
            t.subject for t in triples if t.predicate.value == str(RDF.type) and value_of(t.object) == SD + "Service"
        ]
        assert len(services) == 1
        service = services[0]
        assert objects(service, "endpoint") and all(isinstance(o, ox.NamedNode) for o in objects(service, "endpoint"))
        assert {o.value[len(SD) :] for o in objects(service, "supportedLanguage")} <= SD_LANGUAGES  # type: ignore[attr-defined]
        assert {o.value[len(SD) :] for o in objects(service, "feature")} <= SD_FEATURES  # type: ignore[attr-defined]
        assert all(isinstance(o, ox.NamedNode) for o in objects(service, "resultFormat"))
        for dataset in objects(service, "defaultDataset"):
            types = {value_of(t.object) for t in triples if t.subject == dataset and t.predicate.value == str(RDF.type)}
            assert SD + "Dataset" in types
            for named in objects(dataset, "namedGraph"):  # type: ignore[arg-type]
                names = objects(named, "name")  # type: ignore[arg-type]
                assert len(names) == 1 and isinstance(names[0], ox.NamedNode)
    else:
        pytest.fail(f"unknown service-description case {name}")


@pytest.mark.parametrize("name", _params(DESCRIPTION, DESCRIPTION))
def test_service_description_case(name: str, w3c_server: LiveServer, request: pytest.FixtureRequest) -> None:
    _check_description(name, w3c_server)
    OUTCOMES[f"{backend_of(request)} service-description: passed"] += 1
