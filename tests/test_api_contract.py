"""The API as a whole: the OpenAPI document lists and documents every route, `/docs` answers, every link the API
emits leads somewhere, errors share one shape, and a real server over HTTP answers the same as the in-process app."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

import modernstats_kg.api as api_package
from conftest import LiveServer, app_state
from modernstats_kg.api import accounts as accounts_api
from modernstats_kg.api import browse, cspa, gsbpm_tasks, gsbpm_versions, gsim, search, subprocesses, vocab
from modernstats_kg.api import changes as changes_api
from modernstats_kg.api import mappings as mappings_api
from modernstats_kg.api import tasks as tasks_api

PREFIX = "/api/v1"
ENTRY_POINTS = [
    "/api/v1/subprocesses?include_overarching=true&limit=500",
    "/api/v1/phases",
    "/api/v1/gsim/groups",
    "/api/v1/gsim/classes?include_deprecated=true&limit=20",
    "/api/v1/cspa/services?limit=4",
    "/api/v1/search?q=data&limit=30",
]


@pytest.fixture(scope="module")
def client(real_page_client: TestClient) -> TestClient:
    """The session's in-process app over the real content (loaded once for every module that reads it)."""
    return real_page_client


@pytest.fixture(scope="module")
def openapi(client: TestClient) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


# the errors of routes that take no resource name
DOCUMENTED_ERRORS = {PREFIX + "/me": ("401", "503"), PREFIX + "/organizations": ()}
# the editing routes: (method, path) -> every answer the operation can give besides its success
EDITING_ANSWERS = {
    ("get", "/mappings"): ("422",),
    ("get", "/mappings/{mapping_id}"): ("304", "404", "422"),
    ("post", "/mappings"): ("401", "403", "409", "422", "503"),
    ("patch", "/mappings/{mapping_id}"): ("401", "403", "404", "412", "422", "428", "503"),
    ("delete", "/mappings/{mapping_id}"): ("401", "403", "404", "412", "422", "428", "503"),
    ("post", "/mappings/{mapping_id}/review"): ("401", "403", "404", "412", "422", "503"),
    ("post", "/mappings/{mapping_id}/comments"): ("401", "403", "404", "422", "503"),
    ("get", "/mappings/{mapping_id}/comments"): ("404", "422"),
    ("get", "/mappings/{mapping_id}/history"): ("404", "422"),
    ("get", "/changes"): ("422",),
    ("post", "/changes"): ("401", "403", "404", "409", "412", "422", "428", "503"),
    ("get", "/tasks"): ("422",),
    ("get", "/tasks/{organization}/{code}"): ("304", "404", "422"),
    ("post", "/tasks"): ("401", "403", "409", "422", "503"),
    ("patch", "/tasks/{organization}/{code}"): ("401", "403", "404", "412", "422", "428", "503"),
    ("delete", "/tasks/{organization}/{code}"): ("401", "403", "404", "412", "422", "428", "503"),
    ("post", "/tasks/{organization}/{code}/review"): ("401", "403", "404", "412", "422", "503"),
    ("get", "/tasks/{organization}/{code}/history"): ("404", "422"),
    ("post", "/organizations"): ("401", "403", "409", "422", "503"),
}


def api_routes() -> list[tuple[str, set[str]]]:
    """(path, methods) of every route the API's routers declare."""
    return [
        (PREFIX + route.path, set(route.methods or ()))
        for module in (cspa, gsim, search, subprocesses, vocab, gsbpm_versions, gsbpm_tasks, browse)
        for route in module.router.routes
        if isinstance(route, APIRoute)
    ] + [
        (route.path, set(route.methods or ()))
        for module in (accounts_api, mappings_api, changes_api, tasks_api)
        for route in module.router.routes
        if isinstance(route, APIRoute)
    ]


def test_the_editing_routes_are_listed_with_every_answer_they_can_give(openapi: dict[str, Any]) -> None:
    routes = {(method.lower(), path.removeprefix(PREFIX)) for path, methods in api_routes() for method in methods}
    assert set(EDITING_ANSWERS) <= routes
    for (method, path), statuses in EDITING_ANSWERS.items():
        responses = openapi["paths"][PREFIX + path][method]["responses"]
        success = [s for s in responses if s.startswith("2")]
        assert len(success) == 1, (method, path)
        assert set(responses) == {*success, *statuses}, (method, path, sorted(responses))
        for status in statuses:
            if status != "304":
                error = responses[status]["content"]["application/json"]["schema"]
                assert error == {"$ref": "#/components/schemas/ErrorBody"}, (method, path, status)


def test_openapi_lists_every_api_route(openapi: dict[str, Any]) -> None:
    routes = api_routes()
    assert len(routes) >= 18
    for path, methods in routes:
        assert path in openapi["paths"], path
        for method in methods - {"HEAD"}:
            assert method.lower() in openapi["paths"][path], (method, path)
    assert {p for p in openapi["paths"] if p.startswith(PREFIX)} == {path for path, _ in routes}


def test_every_operation_has_a_summary_a_description_and_a_200_schema(openapi: dict[str, Any]) -> None:
    for path, operations in openapi["paths"].items():
        if not path.startswith(PREFIX):
            continue
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            assert operation.get("summary"), where
            assert len(operation.get("description", "")) > 30, where
            assert operation.get("tags"), where
            success = next(s for s in operation["responses"] if s.startswith("2"))
            content = operation["responses"][success]["content"]
            assert any("schema" in media for media in content.values()), where
            editing = EDITING_ANSWERS.get((method, path.removeprefix(PREFIX)))
            for status in editing or DOCUMENTED_ERRORS.get(path, ("404", "422")):
                if status == "304":
                    continue
                error = operation["responses"][status]["content"]["application/json"]["schema"]
                assert error == {"$ref": "#/components/schemas/ErrorBody"}, (where, status)


def test_every_parameter_is_described_and_required_ones_have_examples(openapi: dict[str, Any]) -> None:
    for path, operations in openapi["paths"].items():
        if not path.startswith(PREFIX):
            continue
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                where = f"{method.upper()} {path} {parameter['name']}"
                schema = parameter.get("schema", {})
                assert parameter.get("description") or schema.get("description"), where
                if parameter.get("required"):
                    assert parameter.get("examples") or schema.get("examples") or parameter.get("example"), where


def test_docs_page_answers(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert "swagger" in response.text.lower() and "/openapi.json" in response.text


def links_in(value: object) -> Iterator[str]:
    """Every `href`, `next` and `previous` URL in a JSON body."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in {"href", "next", "previous"} and isinstance(item, str):
                yield item
            else:
                yield from links_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from links_in(item)


def local(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def test_every_emitted_link_answers_200(client: TestClient) -> None:
    """Crawl from the list endpoints, following every `href`, `next` and `previous`: none may be a dead end."""
    queue = list(ENTRY_POINTS)
    seen: set[str] = set(queue)
    while queue:
        url = queue.pop()
        response = client.get(url)
        assert response.status_code == 200, url
        for found in links_in(response.json()):
            target = local(found)
            assert target.startswith(PREFIX), (url, found)
            if target not in seen:
                seen.add(target)
                queue.append(target)
    assert len(seen) > 200
    assert any(re.fullmatch(r"/api/v1/subprocesses/\d\.\d", s) for s in seen)
    assert any(s.startswith("/api/v1/gsim/classes/") for s in seen)
    assert any(s.startswith("/api/v1/cspa/services/") for s in seen)


ERRORS = [
    ("/api/v1/subprocesses/9.9", 404, "9.9"),
    ("/api/v1/phases/77", 404, "77"),
    ("/api/v1/gsim/classes/Unicorn", 404, "Unicorn"),
    ("/api/v1/gsim/classes?group=Nowhere", 404, "Nowhere"),
    ("/api/v1/cspa/services/ghost", 404, "ghost"),
    ("/api/v1/vocab/klingon/topConcepts", 404, "klingon"),
    ("/api/v1/browse/klingon/a-z", 404, "klingon"),
    ("/api/v1/vocab/gsbpm/label?uri=http://example.org/z", 404, "http://example.org/z"),
    ("/api/v1/subprocesses/five", 422, "five"),
    ("/api/v1/gsim/classes?limit=0", 422, "limit"),
    ("/api/v1/search", 422, "q"),
    ("/api/v1/vocab/gsbpm/broader", 422, "uri"),
]


@pytest.mark.parametrize(("path", "status", "mentioned"), ERRORS)
def test_errors_are_json_and_name_the_offending_value(
    client: TestClient, path: str, status: int, mentioned: str
) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    assert mentioned in response.text


def test_all_errors_share_the_services_one_shape(client: TestClient, openapi: dict[str, Any]) -> None:
    documented = openapi["components"]["schemas"]["ErrorBody"]
    assert set(documented["required"]) == set(documented["properties"]) == {"ok", "status", "error"}
    for path, status, _ in ERRORS:
        body = client.get(path).json()
        assert set(body) == set(documented["properties"]), path
        assert body["ok"] is False and body["status"] == status and isinstance(body["error"], str), path


def test_browsers_get_errors_as_a_readable_page(client: TestClient) -> None:
    response = client.get("/api/v1/gsim/classes/Unicorn", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html") and "Unicorn" in response.text


# --- conditional requests --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/subprocesses/5.3",
        "/api/v1/gsim/classes?limit=5",
        "/api/v1/search?q=data",
        "/api/v1/vocab/gsbpm/data?uri=http://id.unece.org/activities/subProcess/5.3",
    ],
)
def test_answers_carry_an_etag_and_revalidate_with_304(client: TestClient, path: str) -> None:
    first = client.get(path)
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert app_state(client).service.content_version in etag
    assert first.headers["last-modified"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    stale = client.get(path, headers={"If-None-Match": 'W/"some-other-version"'})
    assert stale.status_code == 200 and stale.json() == first.json()
    since = client.get(path, headers={"If-Modified-Since": first.headers["last-modified"]})
    assert since.status_code == 304


def test_different_answers_have_different_etags(client: TestClient) -> None:
    etags = {
        client.get(path).headers["etag"]
        for path in ("/api/v1/subprocesses/5.3", "/api/v1/subprocesses/5.4", "/api/v1/subprocesses/5.3?lang=fr")
    }
    assert len(etags) == 3


def test_errors_carry_no_etag(client: TestClient) -> None:
    response = client.get("/api/v1/subprocesses/9.9")
    assert response.status_code == 404 and "etag" not in response.headers


def test_live_server_serves_the_api_over_http(live_server: LiveServer, client: TestClient) -> None:
    response = httpx.get(f"{live_server.url}/api/v1/subprocesses/5.3", timeout=30)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == client.get("/api/v1/subprocesses/5.3").json()
    listed = httpx.get(f"{live_server.url}/api/v1/subprocesses", params={"limit": 10}, timeout=30).json()
    assert listed["total"] == 44 and listed["next"].startswith(live_server.url)
    assert httpx.get(f"{live_server.url}/docs", timeout=30).status_code == 200
    missing = httpx.get(f"{live_server.url}/api/v1/gsim/classes/Unicorn", timeout=30)
    assert missing.status_code == 404 and "Unicorn" in missing.text


def test_api_modules_never_run_sparql_themselves() -> None:
    """The routers read through the catalog (named queries, bound values); none holds SPARQL text or calls the store."""
    for source in Path(api_package.__file__).parent.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert ".query(" not in text and "store." not in text, source.name
        assert not re.search(r"\b(SELECT|CONSTRUCT|PREFIX)\s", text), source.name
