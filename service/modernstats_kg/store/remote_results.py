"""Answers of a remote SPARQL server turned into pyoxigraph's result types (SPARQL JSON or XML results; N-Triples
for CONSTRUCT and DESCRIBE), with the server's blank node labels made ones pyoxigraph accepts."""

from __future__ import annotations

import json
import re

import httpx
import pyoxigraph as ox

from .base import QueryResult, StoreError

__all__ = ["N_TRIPLES", "SPARQL_JSON", "parse_response"]

SPARQL_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
_RDF_MEDIA_TYPES = {"text/plain": ox.RdfFormat.N_TRIPLES, "text/ntriples": ox.RdfFormat.N_TRIPLES}

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


def parse_response(response: httpx.Response) -> QueryResult:
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
