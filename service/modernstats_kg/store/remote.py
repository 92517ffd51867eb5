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

Changes (`apply`) are one SPARQL Update request: DELETE DATA, INSERT DATA, then the new revision and the list of
graphs written into the system graph. Virtuoso 7 refuses the whole request when compiling it finds a fault in any
operation (an ill-typed literal, a size limit): nothing is applied, which the tests check. It does not roll back
the operations before one that fails while running (a LOAD that cannot connect, say), which ground DELETE DATA and
INSERT DATA operations do not do short of a server fault; a single DELETE/INSERT operation may close that gap.

Conditional changes (`expect_revision`) on Virtuoso go through a guard that claims the expected revision quad (row
lock), writes, then rolls the whole request back unless exactly one revision is recorded (`store/virtuoso_guard.py`):
two replicas writing at the same instant get one winner and one `StaleRevision`. Plain changes on Virtuoso are
conditional on the revision read just before, retried when another write came first, so two revisions are never
recorded side by side. Other servers get one DELETE/INSERT WHERE that requires the expected revision.

Configuration: `RemoteOptions` (`store/remote_config.py`), which the service builds from its `remote_*` settings.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

from .base import ChangeRejected, GraphInfo, QueryResult, QuerySyntaxError, StaleRevision, Store, StoreError, Term
from .changes import NO_REVISION, ChangeSet, conditional_update, new_revision, sparql_update
from .remote_config import SYSTEM_GRAPH, RemoteConfig, RemoteOptions
from .remote_results import N_TRIPLES, SPARQL_JSON, parse_response
from .sparql_text import bind_values, check_nesting, check_syntax, has_dataset_clause, located, query_form
from .virtuoso_guard import ROLLED_BACK, guarded_update, is_virtuoso

__all__ = ["SYSTEM_GRAPH", "RemoteConfig", "RemoteOptions", "RemoteStore"]

_VERSION = ox.NamedNode("urn:x-mskg:contentVersion")
_REVISION = ox.NamedNode("urn:x-mskg:storeRevision")
_HAS_GRAPH = ox.NamedNode("urn:x-mskg:graph")
_RETRIES = 20  # attempts of a plain change on Virtuoso that other writers keep overtaking
_EMPTY_DATASET = "urn:x-mskg:empty"  # names no graph: a dataset with nothing in it

FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class _Dataset:
    version: str | None
    revision: str | None
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
        self._server: str | None = None  # the `Server` header of the last answer

    @classmethod
    def at(cls, url: str, options: RemoteOptions | None = None) -> RemoteStore:
        return cls(RemoteConfig.from_options(url, options or RemoteOptions()))

    # reads

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, Term] | None = None,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        check_nesting(sparql)  # before any parser, here or on the server, sees a query deep enough to crash it
        text = bind_values(sparql, substitutions) if substitutions else sparql
        # a SPARQL server takes no base parameter: the one place a BASE is written into query text (errors placed
        # on the first line are shifted back by `located_after`)
        prologue = f"BASE {ox.NamedNode(base_iri)} " if base_iri else ""
        text = prologue + text
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
        elif not has_dataset_clause(sparql):  # FROM / FROM NAMED in the query: the server reads its dataset there
            form += "&" + self._current().protocol_form
        try:
            response = self._send(
                "POST", self.config.query_url, content=form.encode(), headers={"Accept": accept, "Content-Type": FORM}
            )
        except QuerySyntaxError as exc:
            raise _shifted(located(exc, text), len(prologue)) from exc
        except StoreError:
            check_syntax(sparql, base_iri=base_iri)  # a query the server failed on may be invalid: the client's error
            raise
        check_syntax(sparql, base_iri=base_iri)  # what the server accepted must also be standard SPARQL
        try:
            return parse_response(response)
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
        rows = parse_response(response)
        assert isinstance(rows, ox.QuerySolutions)
        version: str | None = None
        revision: str | None = None
        graphs: list[str] = []
        for row in rows:
            if row["p"] == _VERSION:
                version = row["o"].value
            elif row["p"] == _REVISION:
                revision = row["o"].value
            elif row["p"] == _HAS_GRAPH:
                graphs.append(row["o"].value)
        self._dataset = _Dataset(version, revision, tuple(sorted(graphs)), time.monotonic())
        return self._dataset

    # writes

    def revision(self) -> str:
        """Read from the system graph on every call (one small query: other servers may write)."""
        return self._current(fresh=True).revision or NO_REVISION

    def update(self, sparql: str) -> None:
        """Run `sparql` and record a new revision, in one request (so in one transaction on the server)."""
        text = sparql.rstrip().rstrip(";") + "\n;\n" + self._new_revision_update(new_revision())
        try:
            self._send("POST", self._update_url, data={"update": text}, auth=True)
        except QuerySyntaxError as exc:
            raise located(exc, sparql) from exc
        finally:
            self._dataset = None

    def apply(self, changes: ChangeSet, *, expect_revision: str | None = None) -> str:
        if not changes and expect_revision is None:
            return self.revision()
        if self.config.system_graph in changes.graphs:
            raise ChangeRejected(f"the system graph <{self.config.system_graph}> is the store's own, not content")
        if expect_revision is None and self._virtuoso():
            # every write on Virtuoso is conditional, so that no two revisions are ever recorded side by side:
            # a plain change is retried from the new revision when another write came first
            for _ in range(_RETRIES):
                try:
                    return self._apply(changes, self.revision())
                except StaleRevision:
                    continue
            raise StoreError(f"the change lost {_RETRIES} races with other writers in a row; nothing was applied")
        return self._apply(changes, expect_revision)

    def _apply(self, changes: ChangeSet, expect_revision: str | None) -> str:
        system = ox.NamedNode(self.config.system_graph)
        revision = new_revision()
        listed = " ".join(f"{system} {_HAS_GRAPH} {ox.NamedNode(iri)} ." for iri in sorted(changes.graphs))
        if expect_revision is None:
            update = sparql_update(
                changes,
                after=[self._new_revision_update(revision, also=listed)],
                insert_data_with_blank_nodes=False,  # Virtuoso refuses them there
            )
        elif self._virtuoso():
            update = guarded_update(
                changes,
                system=system,
                revision_predicate=_REVISION,
                expect_revision=expect_revision,
                new_revision=revision,
                also=listed,
            )
        else:
            update = conditional_update(
                changes,
                condition=f"GRAPH {system} {{ {system} {_REVISION} ?revision }} "
                f"FILTER (STR(?revision) = {ox.Literal(expect_revision)})",
                delete=f"GRAPH {system} {{ {system} {_REVISION} ?revision }}",
                insert=f"GRAPH {system} {{ {system} {_REVISION} {ox.Literal(revision)} . {listed} }}",
            )
        stale = StaleRevision(f"the store was no longer at revision {expect_revision}: the change was not applied")
        try:
            self._send("POST", self._update_url, data={"update": update}, auth=True, load=True, change=True)
        except StoreError as exc:
            if expect_revision is not None and ROLLED_BACK in str(exc):  # the guard rolled the request back
                raise stale from exc
            raise
        finally:
            self._dataset = None
        if expect_revision is not None and self._current(fresh=True).revision != revision:
            raise stale
        return revision

    def _virtuoso(self) -> bool:
        """Whether the server is Virtuoso (its `Server` header), which needs guarded conditional writes."""
        if self._server is None:
            self._current(fresh=True)  # one small query: its answer names the server
        return is_virtuoso(self._server or "")

    def _new_revision_update(self, revision: str, *, also: str = "") -> str:
        """Operations that record `revision` (and the triples `also`) in the system graph."""
        system = ox.NamedNode(self.config.system_graph)
        return (
            f"DELETE WHERE {{ GRAPH {system} {{ {system} {_REVISION} ?revision }} }} ;\n"
            f"INSERT DATA {{ GRAPH {system} {{ {system} {_REVISION} {ox.Literal(revision)} . {also} }} }}"
        )

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
        triples.append(ox.Triple(system, _REVISION, ox.Literal(new_revision())))
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
        change: bool = False,
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
        self._server = response.headers.get("server", "")
        if response.is_success or (missing_ok and response.status_code == 404):
            return response
        message = _server_message(response)
        if response.status_code == 400 and change:
            raise ChangeRejected(f"the SPARQL server refused the change, nothing was applied: {message}")
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


def _shifted(error: QuerySyntaxError, shift: int) -> QuerySyntaxError:
    """The error placed in the client's text: `shift` characters were written before its first line."""
    if not shift or error.line != 1 or error.column is None:
        return error
    return QuerySyntaxError(str(error), line=1, column=max(error.column - shift, 1))
