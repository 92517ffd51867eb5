"""`POST /sparql/update` in process over an on-disk store: who may update, what the gate does with an update
(validation, history, the answer seen at once on /sparql), and a clear 4xx for each refusal."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import WEB_CONTENT_DIR
from modernstats_kg.app import create_app
from modernstats_kg.editing.accounts import AccountStore, Role
from modernstats_kg.settings import Settings

pytestmark = pytest.mark.slow  # an on-disk store over the real content, with its query workers

MAPPING = "http://id.unece.org/mappings/informationMapping/5.3-coreInput-dataSet"
GRAPH = "http://id.unece.org/mappings/gsimGsbpm"
JUSTIFICATION = "http://id.unece.org/def/mapping#justification"
NEW_TEXT = "Validation checks the test data set, changed over SPARQL Update."


@dataclass
class Service:
    client: TestClient
    tokens: dict[str, str]
    folder: Path


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    folder = tmp_path_factory.mktemp("update-store")
    accounts = AccountStore.in_folder(folder)
    for name, role in (("ada", Role.ADMIN), ("eve", Role.EDITOR)):
        accounts.add_user(name, role, f"password of {name}")
    tokens = {name: accounts.create_token(name) for name in ("ada", "eve")}
    accounts.close()
    app = create_app(Settings(store=str(folder)))  # the real content: its shapes are the ones the gate checks
    with TestClient(app) as client:
        yield Service(client, tokens, folder)
    app.state.service.store.close()


def post(service: Service, update: str, who: str | None = "ada", **params: str) -> dict[str, object]:
    headers = {"Content-Type": "application/sparql-update"}
    if who is not None:
        headers["Authorization"] = f"Bearer {service.tokens[who]}"
    response = service.client.post("/sparql/update", content=update, headers=headers, params=params)
    body: dict[str, object] = response.json()
    body["status_code"] = response.status_code
    return body


def ask(service: Service, pattern: str) -> bool:
    response = service.client.post(
        "/sparql", data={"query": f"ASK {{ {pattern} }}"}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.text
    return bool(response.json()["boolean"])


REPLACE = f"""PREFIX map: <http://id.unece.org/def/mapping#>
DELETE {{ GRAPH <{GRAPH}> {{ <{MAPPING}> map:justification ?old }} }}
INSERT {{ GRAPH <{GRAPH}> {{ <{MAPPING}> map:justification "{NEW_TEXT}"@en }} }}
WHERE {{ GRAPH <{GRAPH}> {{ <{MAPPING}> map:justification ?old }} }}"""


def test_an_admin_update_is_applied_recorded_and_seen_at_once(service: Service) -> None:
    assert not ask(service, f'<{MAPPING}> <{JUSTIFICATION}> "{NEW_TEXT}"@en')  # the worker pool is warm
    body = post(service, REPLACE, comment="clearer wording")
    assert body["status_code"] == 200, body
    assert body["added"] == 1 and body["removed"] == 1
    assert ask(service, f'<{MAPPING}> <{JUSTIFICATION}> "{NEW_TEXT}"@en')  # no stale worker or kept answer
    change = body["change"]
    assert ask(
        service,
        f'GRAPH <http://id.unece.org/history> {{ <{change}> <http://id.unece.org/def/mskg#action> "sparql-update" ; '
        f'<http://www.w3.org/2000/01/rdf-schema#comment> "clearer wording" ; '
        f"<http://www.w3.org/ns/prov#wasAssociatedWith> <http://id.unece.org/users/ada> }}",
    )


def test_only_admins_may_update(service: Service) -> None:
    assert post(service, REPLACE, who=None)["status_code"] == 401
    refused = post(service, REPLACE, who="eve")
    assert refused["status_code"] == 403 and "admin" in str(refused["error"])


def test_a_change_that_breaks_a_shape_is_422_and_writes_nothing(service: Service) -> None:
    update = f"""DELETE WHERE {{ GRAPH <{GRAPH}> {{ <{MAPPING}> <http://id.unece.org/def/mapping#role> ?r }} }}"""
    refused = post(service, update)
    assert refused["status_code"] == 422, refused
    assert MAPPING in str(refused["error"]) or MAPPING in str(refused.get("report"))
    assert ask(service, f"<{MAPPING}> <http://id.unece.org/def/mapping#role> ?r")


@pytest.mark.parametrize(
    ("update", "status", "words"),
    [
        ("LOAD <http://example.org/data.ttl>", 400, "LOAD"),
        ("INSERT DATA { GRAPH <http://id.unece.org/history> { <http://x/s> <http://x/p> 1 } }", 403, "history"),
        ("CLEAR XYZ", 400, "does not parse"),
        ("INSERT DATA { <http://x/s> <http://x/p> 1 }", 400, "GRAPH <g>"),
    ],
)
def test_refusals_are_clear_4xx(service: Service, update: str, status: int, words: str) -> None:
    refused = post(service, update)
    assert refused["status_code"] == status and words in str(refused["error"]), refused


def test_a_stale_if_match_is_412(service: Service) -> None:
    response = service.client.post(
        "/sparql/update",
        content=REPLACE,
        headers={
            "Content-Type": "application/sparql-update",
            "Authorization": f"Bearer {service.tokens['ada']}",
            "If-Match": '"0000-not-the-revision"',
        },
    )
    assert response.status_code == 412, response.text


def test_sparql_still_refuses_updates_and_get_is_405(service: Service) -> None:
    refused = service.client.post("/sparql", content=REPLACE, headers={"Content-Type": "application/sparql-update"})
    assert refused.status_code == 403
    assert service.client.get("/sparql/update", params={"update": "CLEAR ALL"}).status_code == 405


def test_the_in_memory_store_answers_503_saying_how_to_start_a_durable_one() -> None:
    app = create_app(Settings(store="memory", content_dir=WEB_CONTENT_DIR))
    with TestClient(app) as client:
        response = client.post(
            "/sparql/update", content="CLEAR ALL", headers={"Content-Type": "application/sparql-update"}
        )
    assert response.status_code == 503 and "--store DIR" in response.json()["error"]
