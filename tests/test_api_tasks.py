"""Contributed tasks over HTTP (in process, real on-disk store with the real content, real accounts file):
organisations registered by an admin, accounts acting for one (403 for another's), 201 with Location and ETag,
If-Match (412, 428), the task shapes (422 with the report), four-eyes review, the history, and the commonalities
taking in the accepted contribution."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from modernstats_kg.app import create_app
from modernstats_kg.editing.accounts import AccountStore, Role
from modernstats_kg.settings import Settings

pytestmark = pytest.mark.slow

T = "/api/v1/tasks"
USERS = {
    "ada": (Role.ADMIN, None),
    "nina": (Role.EDITOR, "xa-stat"),
    "otto": (Role.EDITOR, "xb-stat"),
    "rex": (Role.REVIEWER, "xa-stat"),
    "ruth": (Role.REVIEWER, None),
}


@dataclass
class Service:
    app: FastAPI
    client: TestClient
    tokens: dict[str, str]

    def auth(self, name: str, **headers: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[name]}", **headers}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    folder = tmp_path_factory.mktemp("task-store")
    accounts = AccountStore.in_folder(folder)
    for name, (role, org) in USERS.items():
        accounts.add_user(name, role, f"{name}'s long password", org)
    tokens = {name: accounts.create_token(name) for name in USERS}
    accounts.close()
    app = create_app(Settings(store=str(folder)))
    with TestClient(app) as client:
        service = Service(app, client, tokens)
        for code, kind, name, country in (
            ("xa-stat", "nsi", "Example Statistics A", "XA"),
            ("xb-stat", "nsi", "Example Statistics B", "XB"),
        ):
            body = {"code": code, "kind": kind, "name": name, "country": country, "comment": "fixture"}
            registered = client.post("/api/v1/organizations", json=body, headers=service.auth("ada"))
            assert registered.status_code == 201, registered.text
        yield service
    app.state.service.store.close()


def error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["ok"] is False and body["status"] == status and body["error"]
    return body


def task(**fields: Any) -> dict[str, Any]:
    return {
        "organization": "xa-stat",
        "subprocess": "5.3",
        "code": "5.3.1",
        "name": "Check value ranges",
        "description": "Check that each value lies within the valid range of its variable.",
        "inputs": ["InstanceVariable"],
        "comment": "our range checks",
        **fields,
    }


def test_only_admins_register_organisations_and_codes_are_checked(service: Service) -> None:
    body = {"code": "xc-stat", "kind": "nsi", "name": "C", "country": "XC", "comment": "x"}
    error(service.client.post("/api/v1/organizations", json=body, headers=service.auth("nina")), 403)
    error(service.client.post("/api/v1/organizations", json={**body, "code": "X!"}, headers=service.auth("ada")), 422)
    error(
        service.client.post("/api/v1/organizations", json={**body, "code": "xa-stat"}, headers=service.auth("ada")), 409
    )
    listed = service.client.get("/api/v1/organizations").json()
    assert [(o["code"], o["kind"], o["country"]) for o in listed] == [
        ("xa-stat", "NationalStatisticalInstitute", "XA"),
        ("xb-stat", "NationalStatisticalInstitute", "XB"),
    ]


def test_submit_change_review_deprecate_a_task(service: Service) -> None:
    client = service.client
    error(client.post(T, json=task()), 401)
    error(client.post(T, json=task(), headers=service.auth("otto")), 403)  # otto acts for xb-stat
    created = client.post(T, json=task(), headers=service.auth("nina"))
    assert created.status_code == 201, created.text
    assert created.headers["location"] == f"{T}/xa-stat/5.3.1"
    (body,) = created.json()["tasks"]
    assert body["iri"] == "http://id.unece.org/activities/task/xa-stat/5.3.1"
    assert (body["status"], body["authors"], body["organization"]) == ("proposed", ["nina"], "xa-stat")
    assert body["created"] and body["inputs"] == ["InstanceVariable"]
    etag = created.headers["etag"]
    read = client.get(created.headers["location"])
    assert read.status_code == 200 and read.headers["etag"] == etag
    assert client.get(created.headers["location"], headers={"If-None-Match": etag}).status_code == 304
    error(client.post(T, json=task(), headers=service.auth("nina")), 409)

    url = created.headers["location"]
    patch = {"language": "fr", "name": "Contrôler les plages", "comment": "en français aussi"}
    error(client.patch(url, json=patch, headers=service.auth("nina")), 428)
    error(client.patch(url, json=patch, headers=service.auth("otto", **{"If-Match": etag})), 403)
    first = client.patch(url, json=patch, headers=service.auth("nina", **{"If-Match": etag}))
    assert first.status_code == 200, first.text
    assert first.json()["tasks"][0]["name"] == {"en": "Check value ranges", "fr": "Contrôler les plages"}
    stale = error(
        client.patch(url, json={"name": "Mine", "comment": "x"}, headers=service.auth("nina", **{"If-Match": etag})),
        412,
    )
    assert stale["current"]["etag"] == first.headers["etag"]

    review = {"decision": "endorse", "comment": "agreed"}
    error(client.post(f"{url}/review", json=review, headers=service.auth("nina")), 403)  # an editor
    ada_change = client.patch(
        url,
        json={"outputs": ["UnitDataSet"], "comment": "what it puts out"},
        headers=service.auth("ada", **{"If-Match": first.headers["etag"]}),
    )
    assert ada_change.status_code == 200  # admins act for any organisation
    endorsed = client.post(f"{url}/review", json=review, headers=service.auth("rex"))
    assert endorsed.status_code == 200 and endorsed.json()["tasks"][0]["status"] == "endorsed"
    # rex changes it: back to proposed, and rex may not review his own change (four eyes)
    again = client.patch(
        url,
        json={"description": "Flag values outside the valid range of each variable.", "comment": "y"},
        headers=service.auth("rex", **{"If-Match": endorsed.headers["etag"]}),
    )
    assert again.status_code == 200 and again.json()["tasks"][0]["status"] == "proposed"
    assert "four eyes" in error(client.post(f"{url}/review", json=review, headers=service.auth("rex")), 403)["error"]
    endorsed = client.post(f"{url}/review", json=review, headers=service.auth("ruth"))
    assert endorsed.json()["tasks"][0]["status"] == "endorsed"

    history = client.get(f"{url}/history").json()
    assert [(c["action"], c["author"]) for c in history["items"]] == [
        ("review", "ruth"),
        ("update", "rex"),
        ("review", "rex"),
        ("update", "ada"),
        ("update", "nina"),
        ("create", "nina"),
    ]
    assert "5.3.1" in history["items"][-1]["added"]

    listed = client.get(T, params={"subprocess": "5.3", "organization": "xa-stat", "status": "endorsed"}).json()
    assert [t["id"] for t in listed["items"]] == ["xa-stat/5.3.1"]
    assert client.get(T, params={"status": "rejected"}).json()["total"] == 0

    error(client.delete(url, params={"comment": "withdrawn"}, headers=service.auth("nina")), 428)
    gone = client.delete(
        url, params={"comment": "withdrawn"}, headers=service.auth("nina", **{"If-Match": endorsed.headers["etag"]})
    )
    assert gone.status_code == 200 and gone.json()["tasks"][0]["status"] == "deprecated"
    assert gone.json()["tasks"][0]["change_note"] == "Withdrawn: withdrawn"


def test_the_task_shapes_refuse_with_the_report(service: Service) -> None:
    client = service.client
    # a French name only: the shapes want an English one; nothing is written
    refused = error(client.post(T, json=task(code="5.3.7", language="fr"), headers=service.auth("nina")), 422)
    assert any(r["shape"].endswith("taskEnglishName") or "English" in r["message"] for r in refused["report"])
    error(client.get(f"{T}/xa-stat/5.3.7"), 404)
    # a code under another sub-process
    refused = error(client.post(T, json=task(code="5.4.1"), headers=service.auth("nina")), 422)
    assert any("sub-process" in r["message"] for r in refused["report"])
    error(client.post(T, json=task(code="5.3.8", inputs=["NoSuchClass"]), headers=service.auth("nina")), 422)
    error(client.post(T, json=task(code="5.3.8", subprocess="9.9"), headers=service.auth("nina")), 422)
    error(client.post(T, json=task(code="5.3.8", organization="zz-none"), headers=service.auth("ada")), 422)


def test_an_accepted_contribution_joins_the_commonalities(service: Service) -> None:
    client = service.client
    for user, org, name, description in (
        ("nina", "xa-stat", "Detect duplicate records", "Find records that describe the same unit twice."),
        ("otto", "xb-stat", "Find duplicate records", "Detect records that describe the same unit more than once."),
    ):
        made = client.post(
            T,
            json=task(organization=org, code="5.3.2", name=name, description=description, inputs=[]),
            headers=service.auth(user),
        )
        assert made.status_code == 201, made.text
        assert (
            client.post(
                f"{T}/{org}/5.3.2/review", json={"decision": "endorse", "comment": "ok"}, headers=service.auth("ruth")
            ).status_code
            == 200
        )
    page = client.get("/gsbpm/commonalities.csv")
    assert page.status_code == 200, page.text
    rows = [line for line in page.text.splitlines() if "duplicate" in line.lower()]
    assert rows and "2" in rows[0]
    sub = client.get("/activities/subProcess/5.3", headers={"Accept": "text/html"}, params={"lang": "en"}).text
    assert "Detect duplicate records" in sub and "Find duplicate records" in sub


def test_the_form_proposes_a_task_and_the_pages_show_it(service: Service) -> None:
    client = service.client
    public = client.get("/activities/subProcess/5.3", params={"lang": "en"}, headers={"Accept": "text/html"})
    assert 'href="/tasks/propose?activity=5.3"' in public.text and "csrf" not in public.text.lower()
    login_page = client.get("/login")
    token = login_page.text.split('name="csrf_token" value="')[1].split('"')[0]
    logged = client.post(
        "/login",
        data={"csrf_token": token, "name": "nina", "password": "nina's long password", "next": "/"},
        follow_redirects=False,
    )
    assert logged.status_code == 303, logged.text
    form = client.get("/tasks/propose", params={"activity": "5.3"})
    assert form.status_code == 200 and form.headers["cache-control"] == "no-store"
    assert '<option value="5.3" selected>' in form.text and 'value="InstanceVariable"' in form.text
    csrf = form.text.split('name="csrf_token" value="')[1].split('"')[0]
    fields = {
        "organization": "xa-stat",
        "subprocess": "5.3",
        "code": "5.3.5",
        "language": "fr",
        "name": "Repérer les doublons",
        "description": "Trouver les enregistrements qui décrivent deux fois la même unité.",
        "comment": "par le formulaire",
    }
    assert client.post("/tasks/propose", data=fields, follow_redirects=False).status_code == 403  # no CSRF token
    refused = client.post("/tasks/propose", data={**fields, "csrf_token": csrf}, follow_redirects=False)
    assert refused.status_code == 422 and 'id="task-refused"' in refused.text and "English" in refused.text
    made = client.post(
        "/tasks/propose",
        data={**fields, "language": "en", "name": "Spot duplicates", "csrf_token": csrf, "inputs": "UnitDataSet"},
        follow_redirects=False,
    )
    assert made.status_code == 303 and made.headers["location"] == "/activities/task/xa-stat/5.3.5", made.text
    assert client.get(made.headers["location"], headers={"Accept": "text/html"}).status_code == 200
    again = client.get("/activities/subProcess/5.3", params={"lang": "en"}, headers={"Accept": "text/html"})
    assert "Spot duplicates" in again.text  # the cached public page follows the store's revision
