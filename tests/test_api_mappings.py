"""The editable mapping over HTTP (in process, real on-disk store with the real content, real accounts file): ETags
and If-Match (412, 428), review with four eyes, deprecation, batches all or nothing, comments, history, the changes
list and its Atom feed, 401/403/422/503 in the one error shape."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from modernstats_kg.app import create_app
from modernstats_kg.editing.accounts import AccountStore, Role
from modernstats_kg.settings import Settings

M = "/api/v1/mappings"
ROLES = {"alice": Role.EDITOR, "eve": Role.EDITOR, "rob": Role.REVIEWER, "rita": Role.REVIEWER}
ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass
class Service:
    app: FastAPI
    client: TestClient
    tokens: dict[str, str]

    def auth(self, name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[name]}"}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    folder = tmp_path_factory.mktemp("editing-store")
    accounts = AccountStore.in_folder(folder)
    for name, role in ROLES.items():
        accounts.add_user(name, role, f"{name}'s long password")
    tokens = {name: accounts.create_token(name) for name in ROLES}
    accounts.close()
    app = create_app(Settings(store=str(folder)))
    with TestClient(app) as client:
        yield Service(app, client, tokens)
    app.state.service.store.close()


def error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["ok"] is False and body["status"] == status and body["error"]
    return body


def draft(**fields: str) -> dict[str, str]:
    return {
        "activity": "5.4",
        "information_class": "Population",
        "role": "CoreInput",
        "justification": "Imputation looks at the population the units belong to.",
        "comment": "proposed by the API test",
        **fields,
    }


def test_propose_read_change_review_and_deprecate_a_mapping(service: Service) -> None:
    client = service.client
    created = client.post(M, json=draft(), headers=service.auth("alice"))
    assert created.status_code == 201, created.text
    assert created.headers["location"] == f"{M}/5.4-coreInput-population"
    (mapping,) = created.json()["mappings"]
    assert (mapping["status"], mapping["authors"], mapping["direction"]) == ("proposed", ["alice"], "input")
    etag = created.headers["etag"]
    assert etag == mapping["etag"]

    read = client.get(created.headers["location"])
    assert read.status_code == 200 and read.headers["etag"] == etag and read.json()["id"] == "5.4-coreInput-population"
    assert client.get(created.headers["location"], headers={"If-None-Match": etag}).status_code == 304
    error(client.post(M, json=draft(), headers=service.auth("eve")), 409)

    url = created.headers["location"]
    patch = {"justification": "Reworded.", "comment": "clearer"}
    error(client.patch(url, json=patch, headers=service.auth("eve")), 428)
    first = client.patch(url, json=patch, headers={**service.auth("eve"), "If-Match": etag})
    assert first.status_code == 200, first.text
    # alice still holds the old ETag: her change is refused with the current state, not written over eve's
    stale = error(
        client.patch(
            url, json={"justification": "Mine.", "comment": "x"}, headers={**service.auth("alice"), "If-Match": etag}
        ),
        412,
    )
    assert stale["current"]["justification"] == "Reworded." and stale["current"]["etag"] == first.headers["etag"]

    review = {"decision": "endorse", "comment": "agreed"}
    error(client.post(f"{url}/review", json=review, headers=service.auth("alice")), 403)  # an editor
    endorsed = client.post(f"{url}/review", json=review, headers=service.auth("rob"))
    assert endorsed.status_code == 200 and endorsed.json()["mappings"][0]["status"] == "endorsed"

    # a change to an endorsed mapping sends it back to proposed; its author may then not review it (four eyes)
    again = client.patch(
        url,
        json={"qualifier": None, "justification": "Again.", "comment": "y"},
        headers={**service.auth("rob"), "If-Match": endorsed.headers["etag"]},
    )
    assert again.status_code == 200 and again.json()["mappings"][0]["status"] == "proposed"
    four_eyes = error(
        client.post(f"{url}/review", json={"decision": "reject", "comment": "z"}, headers=service.auth("rob")), 403
    )
    assert "four eyes" in four_eyes["error"]
    rejected = client.post(
        f"{url}/review", json={"decision": "reject", "comment": "not so"}, headers=service.auth("rita")
    )
    assert rejected.json()["mappings"][0]["status"] == "rejected"

    error(client.delete(url, params={"comment": "withdrawn"}, headers=service.auth("alice")), 428)
    gone = client.delete(
        url, params={"comment": "withdrawn"}, headers={**service.auth("alice"), "If-Match": rejected.headers["etag"]}
    )
    assert gone.status_code == 200, gone.text
    still = client.get(url)
    assert still.status_code == 200 and still.json()["status"] == "deprecated"

    history = client.get(f"{url}/history").json()
    assert [c["action"] for c in history["items"]] == ["deprecate", "review", "update", "review", "update", "create"]
    assert [c["author"] for c in history["items"]] == ["alice", "rita", "rob", "rob", "eve", "alice"]
    assert history["total"] == 6 and "Reworded." in history["items"][4]["added"]


def test_a_change_the_shapes_refuse_is_422_with_the_report_and_writes_nothing(service: Service) -> None:
    client = service.client
    before = client.get("/api/v1/changes").json()["total"]
    refused = error(client.post(M, json=draft(information_class="InformationSet"), headers=service.auth("alice")), 422)
    assert [f["rule"] for f in refused["report"]] == ["no abstract class"]
    assert refused["report"][0]["focus_node"].endswith("5.4-coreInput-informationSet")
    error(client.get(f"{M}/5.4-coreInput-informationSet"), 404)
    assert client.get("/api/v1/changes").json()["total"] == before
    error(client.post(M, json=draft(role="Input"), headers=service.auth("alice")), 422)


def test_a_batch_is_applied_all_or_nothing(service: Service) -> None:
    client = service.client
    good: list[dict[str, Any]] = [{"op": "create", "mapping": draft(activity="6.1", information_class="Population")}]
    bad: dict[str, Any] = {"op": "create", "mapping": draft(activity="6.1", information_class="InformationSet")}
    for body in (good[0]["mapping"], bad["mapping"]):
        body.pop("comment")
    refused = error(
        client.post(
            "/api/v1/changes", json={"comment": "two", "operations": [*good, bad]}, headers=service.auth("alice")
        ),
        422,
    )
    assert refused["report"]
    error(client.get(f"{M}/6.1-coreInput-population"), 404)

    existing = client.get(f"{M}/5.3-coreInput-instanceVariable")
    update = {
        "op": "update",
        "id": "5.3-coreInput-instanceVariable",
        "if_match": existing.headers["etag"],
        "changes": {"justification": "Batch wording.", "comment": "-"},
    }
    done = client.post(
        "/api/v1/changes", json={"comment": "two at once", "operations": [*good, update]}, headers=service.auth("alice")
    )
    assert done.status_code == 200, done.text
    assert [m["id"] for m in done.json()["mappings"]] == ["6.1-coreInput-population", "5.3-coreInput-instanceVariable"]
    latest = client.get("/api/v1/changes", params={"limit": 1}).json()["items"][0]
    assert (latest["action"], latest["comment"], len(latest["targets"])) == ("batch", "two at once", 2)
    stale = error(
        client.post(
            "/api/v1/changes", json={"comment": "again", "operations": [update]}, headers=service.auth("alice")
        ),
        412,
    )
    assert stale["current"]["justification"] == "Batch wording."


def test_comments_form_a_thread_and_changes_are_listed_newest_first_and_as_atom(service: Service) -> None:
    client = service.client
    url = f"{M}/5.3-coreInput-instanceVariable"
    etag = client.get(url).headers["etag"]
    for who, text in (("alice", "Is this also an output?"), ("rob", "No: 5.3 only reads it.")):
        posted = client.post(f"{url}/comments", json={"comment": text}, headers=service.auth(who))
        assert posted.status_code == 201
    assert client.get(url).headers["etag"] == etag, "a comment does not change the mapping"
    thread = client.get(f"{url}/comments").json()["items"]
    assert [(c["author"], c["comment"]) for c in thread][-2:] == [
        ("alice", "Is this also an output?"),
        ("rob", "No: 5.3 only reads it."),
    ]

    changes = client.get("/api/v1/changes", params={"limit": 2})
    page = changes.json()
    assert page["items"][0]["comment"] == "No: 5.3 only reads it." and page["next"] and page["total"] > 2
    since = page["items"][1]["at"]
    assert [c["comment"] for c in client.get("/api/v1/changes", params={"since": since}).json()["items"]] == [
        "No: 5.3 only reads it."
    ]
    error(client.get("/api/v1/changes", params={"since": "2027-01-01T00:00:00"}), 422)

    feed = client.get("/changes.atom")
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.content)
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == page["total"]
    assert entries[0].findtext(f"{ATOM}summary") == "No: 5.3 only reads it."
    assert entries[0].find(f"{ATOM}author/{ATOM}name").text == "rob"  # type: ignore[union-attr]


def test_list_filters(service: Service) -> None:
    client = service.client
    proposed = client.get(M, params={"activity": "5.3", "status": "proposed", "limit": 500}).json()
    assert proposed["items"] and all(m["activity"] == "5.3" and m["status"] == "proposed" for m in proposed["items"])
    by_alice = client.get(M, params={"editor": "alice"}).json()["items"]
    assert {m["id"] for m in by_alice} >= {"6.1-coreInput-population", "5.4-coreInput-population"}
    roles = client.get(M, params={"class": "InstanceVariable", "role": "CoreOutput"}).json()["items"]
    assert roles and all(m["information_class"] == "InstanceVariable" and m["role"] == "CoreOutput" for m in roles)
    error(client.get(M, params={"status": "maybe"}), 422)


def test_writes_need_credentials_and_the_right_role(service: Service) -> None:
    client = service.client
    error(client.post(M, json=draft(activity="7.1")), 401)
    error(
        client.post(
            M, json=draft(activity="7.1"), headers={"Authorization": "Bearer mskg_0000000000000000_" + "x" * 43}
        ),
        401,
    )
    error(
        client.post(
            f"{M}/5.3-coreInput-instanceVariable/review",
            json={"decision": "endorse", "comment": "x"},
            headers=service.auth("eve"),
        ),
        403,
    )


def test_the_in_memory_store_answers_503_saying_how_to_start_a_durable_one(real_page_client: TestClient) -> None:
    client = real_page_client  # the session's app over the real content, on the in-memory store
    for response in (
        client.post(M, json=draft()),
        client.patch(f"{M}/5.3-coreInput-instanceVariable", json={"justification": "x", "comment": "y"}),
        client.post("/api/v1/changes", json={"comment": "c", "operations": [{"op": "create", "mapping": {}}]}),
    ):
        body = error(response, 503) if response.status_code == 503 else None
        assert body is not None and "mskg serve --store DIR" in body["error"], response.text
    assert client.get(f"{M}/5.3-coreInput-instanceVariable").status_code == 200, "reading still works"
