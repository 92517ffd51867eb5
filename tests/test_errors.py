"""Errors: every error path answers one JSON shape (or a readable HTML page for browsers), never a traceback."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from modernstats_kg import error_handlers
from modernstats_kg.errors import (
    BadRequest,
    MethodNotAllowed,
    NotAcceptable,
    NotFound,
    PayloadTooLarge,
    QueryRejected,
    QueryTimeout,
    ServiceError,
    ServiceUnavailable,
    UnsupportedMediaType,
    URITooLong,
    error_body,
)

SECRET = "s3cr3t-internal-detail"


def _app() -> FastAPI:
    app = FastAPI()
    error_handlers.install(app)

    @app.get("/raise/{name}")
    def raise_named(name: str) -> dict[str, str]:
        kinds: dict[str, ServiceError] = {
            "bad": BadRequest("bad <query>", line=2, column=5),
            "rejected": QueryRejected("SERVICE is not allowed"),
            "missing": NotFound("no such thing"),
            "method": MethodNotAllowed("use GET", headers={"Allow": "GET"}),
            "accept": NotAcceptable("no format", available=["text/turtle"]),
            "big": PayloadTooLarge("too big"),
            "long": URITooLong("too long"),
            "media": UnsupportedMediaType("wrong media type"),
            "busy": ServiceUnavailable("busy", headers={"Retry-After": "1"}),
            "timeout": QueryTimeout("took too long", timeout_s=10.0),
        }
        raise kinds[name]

    @app.get("/crash")
    def crash() -> None:
        raise RuntimeError(SECRET)

    @app.get("/typed/{number}")
    def typed(number: int) -> dict[str, int]:
        return {"number": number}

    return app


EXPECTED_STATUS = {
    "bad": 400,
    "rejected": 400,
    "missing": 404,
    "method": 405,
    "accept": 406,
    "big": 413,
    "long": 414,
    "media": 415,
    "busy": 503,
    "timeout": 503,
}


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(_app(), raise_server_exceptions=False)


@pytest.mark.parametrize(("name", "status"), sorted(EXPECTED_STATUS.items()))
def test_service_errors_answer_their_status_in_one_json_shape(client: TestClient, name: str, status: int) -> None:
    response = client.get(f"/raise/{name}", headers={"Accept": "application/json"})
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["ok"] is False and body["status"] == status and isinstance(body["error"], str) and body["error"]
    assert response.headers["vary"] == "Accept"


def test_details_and_headers_travel_with_the_error(client: TestClient) -> None:
    body = client.get("/raise/bad").json()
    assert (body["line"], body["column"]) == (2, 5)
    assert client.get("/raise/method").headers["allow"] == "GET"
    assert client.get("/raise/busy").headers["retry-after"] == "1"
    assert client.get("/raise/timeout").json()["timeout_s"] == 10.0


def test_browsers_get_a_readable_escaped_html_page(client: TestClient) -> None:
    response = client.get("/raise/bad", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "bad &lt;query&gt;" in response.text and "<query>" not in response.text
    assert "line 2" in response.text and "column 5" in response.text


def test_api_clients_and_wildcards_get_json(client: TestClient) -> None:
    for accept in ("*/*", "", "application/json", "text/html;q=0.1, application/json"):
        response = client.get("/raise/missing", headers={"Accept": accept})
        assert response.headers["content-type"].startswith("application/json"), accept


def test_unexpected_exceptions_are_a_500_without_traceback_or_detail(client: TestClient) -> None:
    for accept in ("application/json", "text/html"):
        response = client.get("/crash", headers={"Accept": accept})
        assert response.status_code == 500
        assert SECRET not in response.text and "Traceback" not in response.text
    assert client.get("/crash").json()["ok"] is False


def test_framework_errors_share_the_shape(client: TestClient) -> None:
    missing = client.get("/no/such/route")
    assert missing.status_code == 404 and missing.json()["ok"] is False
    wrong_method = client.post("/crash")
    assert wrong_method.status_code == 405 and wrong_method.json()["status"] == 405
    invalid = client.get("/typed/five")
    assert invalid.status_code == 422
    assert sorted(invalid.json()) == sorted(missing.json())  # the same keys
    assert "five" in invalid.json()["error"]


def test_error_body_drops_empty_details() -> None:
    assert error_body(400, "x", line=None, column=3) == {"ok": False, "status": 400, "error": "x", "column": 3}
