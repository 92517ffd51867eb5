"""Where each IRI's page lives, and which IRIs a request path may stand for.

The path of an `http://id.unece.org/...` IRI is the path of its page: `http://id.unece.org/activities/subProcess/5.3`
is served at `/activities/subProcess/5.3`. A hash IRI cannot be a path (browsers never send the fragment), so a term
`http://id.unece.org/def/gsim#InstanceVariable` is served at `/def/gsim/InstanceVariable` and the ontology
`http://id.unece.org/def/gsim` at `/def/gsim`. Any other IRI has its page at `/resource?iri=...`.
"""

from __future__ import annotations

from urllib.parse import quote

ID_BASE = "http://id.unece.org/"
RDF_SUFFIXES = (".ttl", ".nt", ".jsonld", ".rdf", ".html")
_SAFE = "/:@-._~!$&'()*+,;="


def page_url(iri: str) -> str:
    """The page of an IRI on this service (a path, or `/resource?iri=`)."""
    if iri.startswith(ID_BASE) and len(iri) > len(ID_BASE):
        rest = iri[len(ID_BASE) :]
        if "#" in rest:
            base, _, fragment = rest.partition("#")
            if base.startswith("def/") and fragment and "/" not in fragment and "?" not in base:
                return "/" + quote(base, safe=_SAFE) + "/" + quote(fragment, safe=_SAFE)
        elif "?" not in rest:
            return "/" + quote(rest, safe=_SAFE)
    return "/resource?iri=" + quote(iri, safe="")


def resource_url(iri: str) -> str:
    return "/resource?iri=" + quote(iri, safe="")


def candidate_iris(path: str) -> list[str]:
    """The IRIs a page path may stand for, most likely first.

    >>> candidate_iris("/def/gsim/InstanceVariable")
    ['http://id.unece.org/def/gsim#InstanceVariable', 'http://id.unece.org/def/gsim/InstanceVariable']
    >>> candidate_iris("/activities/subProcess/5.3")
    ['http://id.unece.org/activities/subProcess/5.3']
    """
    rest = path.lstrip("/")
    if not rest:
        return []
    plain = ID_BASE + rest
    parts = rest.split("/")
    if len(parts) == 3 and parts[0] == "def" and all(parts):
        return [f"{ID_BASE}def/{parts[1]}#{parts[2]}", plain]
    return [plain]


def split_suffix(path: str) -> tuple[str, str | None]:
    """`/activities/subProcess/5.3.ttl` -> (`/activities/subProcess/5.3`, `ttl`); no known suffix -> (path, None)."""
    for suffix in RDF_SUFFIXES:
        if path.endswith(suffix) and len(path) > len(suffix) + 1:
            return path[: -len(suffix)], suffix[1:]
    return path, None
