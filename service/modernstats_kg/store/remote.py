"""The remote backend: any SPARQL 1.1 server (Virtuoso, Fuseki, GraphDB...) reached over HTTP.

Reads use the SPARQL 1.1 Protocol (POST, URL-encoded); results come back as SPARQL JSON (SELECT, ASK) or N-Triples
(CONSTRUCT, DESCRIBE) and are turned into pyoxigraph's result types, so the service serialises them exactly as it
serialises embedded results. Writes use the Graph Store Protocol (PUT/DELETE of whole graphs) when its URL is
configured, else SPARQL Update (`DROP SILENT GRAPH`, then `INSERT {...} WHERE {}` in chunks).

The store's dataset is the set of graphs it loaded, recorded with the content version in a system graph
(`urn:x-mskg:system`). Every query names that dataset explicitly (`default-graph-uri` and `named-graph-uri` for each
graph), so the default graph is the union of the content graphs, as in the embedded store, whatever the server's own
default is (Virtuoso's includes its system graphs), and neither the system graph nor other data on the server leak in.

Servers are often more lenient than the standard: a query the server answers is also parsed (never evaluated) by the
embedded store's parser, so both backends refuse the same invalid queries (`sparql_text.check_syntax`).

Configuration: the `remote_*` fields of `Settings` (`MSKG_REMOTE_UPDATE_URL`, default the query URL;
`MSKG_REMOTE_GRAPH_STORE_URL`, default none: write with SPARQL Update; `MSKG_REMOTE_USER` / `MSKG_REMOTE_PASSWORD`
for writes; `MSKG_REMOTE_AUTH`, `digest` or `basic`; `MSKG_REMOTE_SYSTEM_GRAPH`, default `urn:x-mskg:system`: another
value keeps two deployments apart on one server, provided their content graphs differ) and `query_timeout_s`.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

from ..settings import Settings
from .base import GraphInfo, QueryResult, QuerySyntaxError, Store, StoreError, Term
from .sparql_text import bind_values, check_syntax, located, query_form

__all__ = ["SYSTEM_GRAPH", "RemoteConfig", "RemoteStore"]

SYSTEM_GRAPH = "urn:x-mskg:system"
AUTH_SCHEMES = ("digest", "basic")
_VERSION = ox.NamedNode("urn:x-mskg:contentVersion")
_HAS_GRAPH = ox.NamedNode("urn:x-mskg:graph")
_EMPTY_DATASET = "urn:x-mskg:empty"  # names no graph: a dataset with nothing in it

SPARQL_JSON = "application/sparql-results+json"
FORM = "application/x-www-form-urlencoded"
N_TRIPLES = "application/n-triples"
_RDF_MEDIA_TYPES = {"text/plain": ox.RdfFormat.N_TRIPLES, "text/ntriples": ox.RdfFormat.N_TRIPLES}


# --- results ------------------------------------------------------------------------------------------------------

_BNODE_PREFIXES = ("nodeID://",)  # Virtuoso's blank node labels


def _blank_node_id(label: str) -> str:
    """A label pyoxigraph accepts for a server's blank node label (Virtuoso sends `nodeID://b10003`)."""
    for candidate in (label, *(label[len(p) :] for p in _BNODE_PREFIXES if label.startswith(p))):
        try:
            return ox.BlankNode(candidate).value
        except ValueError:
            continue
    return "x" + label.encode().hex()


def _fix_json_blank_nodes(body: bytes) -> bytes:
    if b'"bnode"' not in body:
        return body
    document = json.loads(body)
    for row in document.get("results", {}).get("bindings", []):
        for value in row.values():
            if value.get("type") == "bnode":
                value["value"] = _blank_node_id(value["value"])
    return json.dumps(document).encode()


def _fix_xml_blank_nodes(body: bytes) -> bytes:
    def fix(match: re.Match[bytes]) -> bytes:
        return b"<bnode>" + _blank_node_id(match.group(1).decode()).encode() + b"</bnode>"

    return re.sub(rb"<bnode>([^<]*)</bnode>", fix, body)


def _parse_response(response: httpx.Response) -> QueryResult:
    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    body = response.content
    if media_type in {SPARQL_JSON, "application/json"}:
        return ox.parse_query_results(_fix_json_blank_nodes(body), ox.QueryResultsFormat.JSON)
    if media_type in {"application/sparql-results+xml", "application/xml", "text/xml"}:
        return ox.parse_query_results(_fix_xml_blank_nodes(body), ox.QueryResultsFormat.XML)
    rdf_format = _RDF_MEDIA_TYPES.get(media_type) or ox.RdfFormat.from_media_type(media_type)
    if rdf_format is None:
        raise StoreError(f"the SPARQL server answered with an unsupported media type {media_type!r}")
    graph = ox.Store()  # a throwaway in-memory store turns the triples into a QueryTriples result
    graph.load(body, format=rdf_format)
    return graph.query("CONSTRUCT WHERE { ?s ?p ?o }")


# --- configuration ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RemoteConfig:
    """Where and how to reach the server. Reads need only `query_url`; writes may need the others."""

    query_url: str
    update_url: str | None = None  # None: the query URL
    graph_store_url: str | None = None  # None: write through SPARQL Update
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    auth: str = "digest"  # or "basic"
    timeout_s: float = 10.0
    load_timeout_s: float = 300.0
    insert_chunk_triples: int = 500  # Virtuoso's SPARQL compiler gives up on INSERT DATA of a few thousand triples
    dataset_ttl_s: float = 5.0  # how long the list of graphs is reused before it is read again
    system_graph: str = SYSTEM_GRAPH  # records the version and graphs; distinct values keep deployments apart

    @classmethod
    def from_settings(cls, query_url: str, settings: Settings) -> RemoteConfig:
        """The configuration held by the `remote_*` fields of the service's settings (empty values mean unset)."""
        auth = settings.remote_auth.strip().lower()
        if auth not in AUTH_SCHEMES:
            raise StoreError(f"MSKG_REMOTE_AUTH must be 'digest' or 'basic', not {settings.remote_auth!r}")
        return cls(
            query_url=query_url,
            update_url=settings.remote_update_url or None,
            graph_store_url=settings.remote_graph_store_url or None,
            user=settings.remote_user or None,
            password=settings.remote_password.get_secret_value() if settings.remote_password else None,
            auth=auth,
            timeout_s=settings.query_timeout_s,
            system_graph=settings.remote_system_graph or SYSTEM_GRAPH,
        )

    @classmethod
    def from_env(cls, query_url: str, environ: Mapping[str, str] | None = None) -> RemoteConfig:
        """`from_settings` with the settings read from `MSKG_*` variables (of `environ`, else the process's)."""
        return cls.from_settings(query_url, Settings.from_env(environ))

    def http_auth(self) -> httpx.Auth | None:
        if self.user is None:
            return None
        password = self.password or ""
        return httpx.DigestAuth(self.user, password) if self.auth == "digest" else httpx.BasicAuth(self.user, password)


@dataclass(frozen=True)
class _Dataset:
    version: str | None
    graphs: tuple[str, ...]
    read_at: float

    @cached_property
    def protocol_form(self) -> str:
        """`default-graph-uri` and `named-graph-uri` for every graph, URL-encoded once and reused by each query."""
        graphs = self.graphs or (_EMPTY_DATASET,)
        return urlencode([*(("default-graph-uri", g) for g in graphs), *(("named-graph-uri", g) for g in graphs)])


# --- the store ----------------------------------------------------------------------------------------------------


class RemoteStore(Store):
    """A SPARQL 1.1 server seen through the Store interface; thread-safe (one pooled HTTP client)."""

    def __init__(self, config: RemoteConfig | str):
        self.config = RemoteConfig(config) if isinstance(config, str) else config
        self._client = httpx.Client(timeout=self.config.timeout_s, headers={"User-Agent": "modernstats-kg"})
        self._auth = self.config.http_auth()
        self._dataset: _Dataset | None = None

    @classmethod
    def from_url(cls, url: str, environ: Mapping[str, str] | None = None) -> RemoteStore:
        return cls(RemoteConfig.from_env(url, environ))

    @classmethod
    def from_settings(cls, url: str, settings: Settings) -> RemoteStore:
        return cls(RemoteConfig.from_settings(url, settings))

    # reads

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, Term] | None = None,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
    ) -> QueryResult:
        text = bind_values(sparql, substitutions) if substitutions else sparql
        accept = N_TRIPLES if query_form(text) in {"CONSTRUCT", "DESCRIBE"} else SPARQL_JSON
        form = urlencode({"query": text})
        if default_graph_uris or named_graph_uris:
            graphs = self._current().graphs or (_EMPTY_DATASET,)
            form += "&" + urlencode(
                [
                    *(("default-graph-uri", g) for g in (default_graph_uris or graphs)),
                    *(("named-graph-uri", g) for g in (named_graph_uris or graphs)),
                ]
            )
        else:
            form += "&" + self._current().protocol_form
        try:
            response = self._send(
                "POST", self.config.query_url, content=form.encode(), headers={"Accept": accept, "Content-Type": FORM}
            )
        except QuerySyntaxError as exc:
            raise located(exc, text) from exc
        except StoreError:
            check_syntax(sparql)  # a query the server failed on may be invalid: then it is the client's error
            raise
        check_syntax(sparql)  # what the server accepted must also be standard SPARQL, as on the embedded store
        try:
            return _parse_response(response)
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"unreadable answer from the SPARQL server: {exc}") from exc

    def graphs(self) -> list[GraphInfo]:
        result = self.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
        assert isinstance(result, ox.QuerySolutions)
        return [GraphInfo(row["g"].value, int(row["n"].value)) for row in result]

    def size(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert isinstance(result, ox.QuerySolutions)
        return int(next(iter(result))["n"].value)

    def version(self) -> str | None:
        return self._current(fresh=True).version

    def _current(self, *, fresh: bool = False) -> _Dataset:
        """The dataset recorded in the system graph, re-read when older than `dataset_ttl_s` (or when `fresh`)."""
        cached = self._dataset
        if cached is not None and not fresh and time.monotonic() - cached.read_at < self.config.dataset_ttl_s:
            return cached
        response = self._send(
            "POST",
            self.config.query_url,
            data={"query": "SELECT ?p ?o WHERE { ?s ?p ?o }", "default-graph-uri": self.config.system_graph},
            headers={"Accept": SPARQL_JSON},
        )
        rows = _parse_response(response)
        assert isinstance(rows, ox.QuerySolutions)
        version: str | None = None
        graphs: list[str] = []
        for row in rows:
            if row["p"] == _VERSION:
                version = row["o"].value
            elif row["p"] == _HAS_GRAPH:
                graphs.append(row["o"].value)
        self._dataset = _Dataset(version, tuple(sorted(graphs)), time.monotonic())
        return self._dataset

    # writes

    def update(self, sparql: str) -> None:
        try:
            self._send("POST", self._update_url, data={"update": sparql}, auth=True)
        except QuerySyntaxError as exc:
            raise located(exc, sparql) from exc

    def replace_graphs(self, graphs: Mapping[str, Iterable[ox.Triple]], *, drop_others: bool = False) -> None:
        """PUT each graph, drop the graphs no longer wanted, then record the new list of graphs.

        Not atomic across graphs: a reader may see a mix of old and new graphs while a load runs.
        """
        before = self._current(fresh=True)
        for iri, triples in graphs.items():
            self._put_graph(iri, list(triples))
        keep = set(graphs) if drop_others else set(graphs) | set(before.graphs)
        for iri in set(before.graphs) - keep:
            self._drop_graph(iri)
        self._write_system(before.version, sorted(keep))

    def set_version(self, version: str) -> None:
        self._write_system(version, list(self._current(fresh=True).graphs))

    def close(self) -> None:
        self._client.close()

    def _write_system(self, version: str | None, graphs: Sequence[str]) -> None:
        system = ox.NamedNode(self.config.system_graph)
        triples = [ox.Triple(system, _HAS_GRAPH, ox.NamedNode(iri)) for iri in graphs]
        if version is not None:
            triples.append(ox.Triple(system, _VERSION, ox.Literal(version)))
        self._put_graph(system.value, triples)
        self._dataset = None

    def _put_graph(self, iri: str, triples: list[ox.Triple]) -> None:
        graph = ox.NamedNode(iri)
        if not triples:
            self._drop_graph(iri)
        elif self.config.graph_store_url:
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
            self._send(
                "PUT",
                self.config.graph_store_url,
                params={"graph": graph.value},
                content=body,
                headers={"Content-Type": N_TRIPLES},
                auth=True,
                load=True,
            )
        else:
            for number, chunk in enumerate(_chunks(triples, self.config.insert_chunk_triples)):
                body = ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES) or b""
                drop = f"DROP SILENT GRAPH {graph} ;\n" if number == 0 else ""
                # INSERT ... WHERE {} rather than INSERT DATA: Virtuoso refuses blank nodes in INSERT DATA
                update = f"{drop}INSERT {{ GRAPH {graph} {{\n{body.decode()}}} }} WHERE {{}}"
                self._send("POST", self._update_url, data={"update": update}, auth=True, load=True)

    def _drop_graph(self, iri: str) -> None:
        if self.config.graph_store_url:
            self._send("DELETE", self.config.graph_store_url, params={"graph": iri}, auth=True, missing_ok=True)
        else:
            self._send("POST", self._update_url, data={"update": f"DROP SILENT GRAPH {ox.NamedNode(iri)}"}, auth=True)

    @property
    def _update_url(self) -> str:
        return self.config.update_url or self.config.query_url

    # HTTP

    def _send(
        self,
        method: str,
        url: str,
        *,
        auth: bool = False,
        load: bool = False,
        missing_ok: bool = False,
        **kwargs: object,
    ) -> httpx.Response:
        timeout = self.config.load_timeout_s if load else self.config.timeout_s
        try:
            response = self._client.request(
                method,
                url,
                auth=self._auth if auth and self._auth else httpx.USE_CLIENT_DEFAULT,
                timeout=timeout,
                **kwargs,  # type: ignore[arg-type]
            )
        except httpx.TimeoutException as exc:
            raise StoreError(f"the SPARQL server at {url} did not answer within {timeout:g} s") from exc
        except httpx.TransportError as exc:
            raise StoreError(f"the SPARQL server at {url} is unreachable: {exc}") from exc
        if response.is_success or (missing_ok and response.status_code == 404):
            return response
        message = _server_message(response)
        if response.status_code == 400 and not load:
            raise QuerySyntaxError(message)
        if response.status_code in {401, 403}:
            raise StoreError(
                f"the SPARQL server at {url} refused access (HTTP {response.status_code}); writes need "
                "MSKG_REMOTE_USER and MSKG_REMOTE_PASSWORD for a user allowed to update"
            )
        raise StoreError(f"the SPARQL server at {url} failed (HTTP {response.status_code}): {message}")


def _server_message(response: httpx.Response) -> str:
    """The server's error text without the query it echoes back (Virtuoso appends `SPARQL query:` and the text)."""
    text = response.text.strip()
    text = text.split("\n\nSPARQL query:", 1)[0].strip()
    return text[:2000] or response.reason_phrase


def _chunks(triples: Sequence[ox.Triple], size: int) -> Iterator[list[ox.Triple]]:
    """Groups of about `size` triples; triples joined by a blank node stay in one group (labels are per request)."""
    parent: dict[str, str] = {}

    def root(label: str) -> str:
        while parent.setdefault(label, label) != label:
            parent[label] = parent[parent[label]]
            label = parent[label]
        return label

    for triple in triples:
        labels = [t.value for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)]
        if len(labels) == 2:
            parent[root(labels[0])] = root(labels[1])
        elif labels:
            root(labels[0])
    groups: dict[str, list[ox.Triple]] = {}
    chunk: list[ox.Triple] = []
    for triple in triples:
        node = next((t.value for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)), None)
        if node is None:
            chunk.append(triple)
        else:
            groups.setdefault(root(node), []).append(triple)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    for group in groups.values():
        if chunk and len(chunk) + len(group) > size:
            yield chunk
            chunk = []
        chunk.extend(group)
    if chunk:
        yield chunk
