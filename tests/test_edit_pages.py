"""The editing pages in process (real on-disk store with the real content, real accounts): status codes, redirects,
no-store headers, CSRF refusals that write nothing, the 412 conflict page, the 422 report on the form, four eyes,
the review queue and "my changes", and the strings of the pages in every language."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from modernstats_kg.app import create_app
from modernstats_kg.editing.accounts import AccountStore, Role
from modernstats_kg.settings import Settings
from modernstats_kg.web.editing_strings import BY_LANG
from test_accounts_http import csrf_of

PASSWORDS = {"alice": "alice's long password", "rob": "rob reviews the mappings"}
ROLES = {"alice": Role.EDITOR, "rob": Role.REVIEWER}
M = "/edit/mappings/"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    folder = tmp_path_factory.mktemp("edit-pages-store")
    accounts = AccountStore.in_folder(folder)
    for name, password in PASSWORDS.items():
        accounts.add_user(name, ROLES[name], password)
    accounts.close()
    application = create_app(Settings(store=str(folder)))
    with TestClient(application):
        yield application
    application.state.service.store.close()


def logged_in(app: FastAPI, name: str) -> TestClient:
    client = TestClient(app)
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login", data={"csrf_token": token, "name": name, "password": PASSWORDS[name]}, follow_redirects=False
    )
    assert response.status_code == 303
    return client


def etag_of(page: str) -> str:
    match = re.search(r'name="etag" value="([^"]+)"', page)
    assert match, "no ETag field in the form"
    return html.unescape(match.group(1))


def changes_total(client: TestClient) -> int:
    total: int = client.get("/api/v1/changes").json()["total"]
    return total


def propose(client: TestClient, token: str, **fields: str) -> Any:
    form = {
        "csrf_token": token,
        "activity": "5.4",
        "information_class": "Population",
        "role": "CoreInput",
        "justification": "Imputation looks at the population the units belong to.",
        "comment": "proposed from the form",
        **fields,
    }
    return client.post("/edit/propose", data=form, follow_redirects=False)


def test_anonymous_visitors_are_sent_to_log_in_and_posts_are_refused(app: FastAPI) -> None:
    client = TestClient(app)
    for path in ("/edit/propose?activity=5.3", "/me/changes"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=/")
        assert response.headers["cache-control"] == "no-store"
    assert client.get("/edit/propose?class=InstanceVariable", follow_redirects=False).headers["location"] == (
        "/login?next=/edit/propose%3Fclass%3DInstanceVariable"
    )
    before = changes_total(client)
    assert propose(client, "anything").status_code == 401
    assert client.post(M + "5.3-coreInput-instanceVariable/comment", data={"comment": "hi"}).status_code == 401
    assert changes_total(client) == before
    # reading stays public: the editing page of a mapping, the queue
    page = client.get(M + "5.3-coreInput-instanceVariable")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert 'action="/edit/mappings/' not in page.text and "/login?next=" in page.text
    assert client.get("/review").status_code == 200
    assert client.get(M + "9.9-coreInput-nothing").status_code == 404


def test_propose_from_the_pick_lists_redirects_to_the_mapping_page(app: FastAPI) -> None:
    alice = logged_in(app, "alice")
    form = alice.get("/edit/propose?activity=5.3")
    assert form.status_code == 200 and form.headers["cache-control"] == "no-store" and "etag" not in form.headers
    assert '<option value="5.3" selected>' in form.text
    assert '<optgroup label="Concepts">' in form.text or "<optgroup" in form.text
    assert 'name="information_class"' in form.text and "http://" not in re.sub(r'href="[^"]*"', "", form.text)
    token = csrf_of(form.text)
    created = propose(alice, token)
    assert created.status_code == 303 and created.headers["location"] == M + "5.4-coreInput-population"
    page = alice.get(created.headers["location"])
    assert page.status_code == 200 and 'data-status="proposed"' in page.text
    assert "proposed from the form" in page.text  # the history row
    again = propose(alice, token)  # it exists now: 409 on the form, input kept
    assert again.status_code == 409 and "exists already" in again.text
    assert "Imputation looks at the population" in again.text
    outside = propose(alice, token, activity="9.9", role="Anything")
    assert outside.status_code == 422 and "choose one from the list" in outside.text
    api = alice.get("/api/v1/mappings/5.4-coreInput-population").json()
    assert api["authors"] == ["alice"] and api["status"] == "proposed"


def test_a_change_a_shape_refuses_shows_the_report_on_the_form_and_writes_nothing(app: FastAPI) -> None:
    alice = logged_in(app, "alice")
    token = csrf_of(alice.get("/edit/propose").text)
    before = changes_total(alice)
    refused = propose(alice, token, activity="6.1", information_class="InformationSet", comment="kept comment")
    assert refused.status_code == 422
    assert "no abstract class" in refused.text and 'role="alert"' in refused.text
    assert '<option value="InformationSet" selected>' in refused.text and "kept comment" in refused.text
    assert changes_total(alice) == before
    assert alice.get("/api/v1/mappings/6.1-coreInput-informationSet").status_code == 404


def test_csrf_missing_or_wrong_is_refused_and_writes_nothing(app: FastAPI) -> None:
    alice = logged_in(app, "alice")
    before = changes_total(alice)
    assert propose(alice, "").status_code == 403
    assert propose(alice, "not-the-token").status_code == 403
    page = alice.get(M + "5.3-coreInput-instanceVariable")
    response = alice.post(
        M + "5.3-coreInput-instanceVariable/update",
        data={"csrf_token": "wrong", "etag": etag_of(page.text), "justification": "x", "comment": "y"},
    )
    assert response.status_code == 403
    assert changes_total(alice) == before


def test_a_stale_form_gets_the_conflict_page_with_412_and_writes_nothing(app: FastAPI) -> None:
    alice = logged_in(app, "alice")
    url = M + "5.3-coreInput-instanceVariable"
    page = alice.get(url)
    token = csrf_of(page.text)
    old_etag = etag_of(page.text)
    first = alice.post(
        url + "/update",
        data={"csrf_token": token, "etag": old_etag, "justification": "First wording.", "comment": "first"},
        follow_redirects=False,
    )
    assert first.status_code == 303 and first.headers["location"] == url
    before = changes_total(alice)
    state = alice.get("/api/v1/mappings/5.3-coreInput-instanceVariable").json()
    stale = alice.post(
        url + "/update",
        data={"csrf_token": token, "etag": old_etag, "justification": "Second wording.", "comment": "second"},
    )
    assert stale.status_code == 412 and stale.headers["cache-control"] == "no-store"
    assert "First wording." in stale.text and "Second wording." in stale.text  # now, beside what was sent
    assert f'href="{url}"' in stale.text  # start again from the current state
    assert changes_total(alice) == before
    assert alice.get("/api/v1/mappings/5.3-coreInput-instanceVariable").json() == state
    # a deprecation from the stale form too
    assert (
        alice.post(url + "/deprecate", data={"csrf_token": token, "etag": old_etag, "comment": "x"}).status_code == 412
    )
    assert changes_total(alice) == before


def test_review_is_for_reviewers_other_than_the_last_author(app: FastAPI) -> None:
    alice, rob = logged_in(app, "alice"), logged_in(app, "rob")
    token = csrf_of(alice.get("/edit/propose").text)
    assert propose(alice, token, activity="5.5").status_code == 303
    url = M + "5.5-coreInput-population"
    page = alice.get(url)
    assert f'action="{url}/review"' not in page.text
    etag = etag_of(page.text)
    as_editor = alice.post(url + "/review", data={"csrf_token": token, "decision": "endorse", "comment": "mine"})
    assert as_editor.status_code == 403  # an editor may not review
    rob_page = rob.get(url)
    assert f'action="{url}/review"' in rob_page.text
    endorsed = rob.post(
        url + "/review",
        data={"csrf_token": csrf_of(rob_page.text), "etag": etag, "decision": "endorse", "comment": "fine"},
        follow_redirects=False,
    )
    assert endorsed.status_code == 303
    assert rob.get("/api/v1/mappings/5.5-coreInput-population").json()["status"] == "endorsed"
    # rob changes it, so rob is its last author: the review form gives way to the four-eyes note
    rob_page = rob.get(url)
    etag = etag_of(rob_page.text)
    rob_token = csrf_of(rob_page.text)
    changed = rob.post(
        url + "/update",
        data={"csrf_token": rob_token, "etag": etag, "justification": "Reworded.", "comment": "reword"},
        follow_redirects=False,
    )
    assert changed.status_code == 303
    assert "own-change" in rob.get(url).text
    own = rob.post(url + "/review", data={"csrf_token": rob_token, "decision": "endorse", "comment": "self"})
    assert own.status_code == 403 and "four eyes" in own.text


def test_comments_join_the_thread(app: FastAPI) -> None:
    alice = logged_in(app, "alice")
    url = M + "5.3-coreInput-instanceVariable"
    token = csrf_of(alice.get(url).text)
    response = alice.post(
        url + "/comment", data={"csrf_token": token, "comment": "Is this core?"}, follow_redirects=False
    )
    assert response.status_code == 303
    thread = alice.get(url).text.split('id="comments-title"')[1].split('id="history-title"')[0]
    assert "Is this core?" in thread
    empty = alice.post(url + "/comment", data={"csrf_token": token, "comment": "  "})
    assert empty.status_code == 422 and "say why" in empty.text


def test_review_queue_and_my_changes(app: FastAPI) -> None:
    alice = logged_in(app, "alice")
    token = csrf_of(alice.get("/edit/propose").text)
    assert propose(alice, token, activity="6.2").status_code == 303
    queue = alice.get("/review", params={"phase": "6", "author": "alice"})
    assert queue.status_code == 200 and queue.headers["cache-control"] == "no-store"
    rows = re.findall(r'<a href="(/edit/mappings/[^"]+)"', queue.text)
    assert rows == ["/edit/mappings/6.2-coreInput-population"]
    assert "/mappings/export.csv?status=proposed&amp;phase=6&amp;author=alice" in queue.text
    assert "/mappings/export.xlsx?status=proposed&amp;phase=6&amp;author=alice" in queue.text
    everything = re.findall(r'<a href="/edit/mappings/([^"]+)"', alice.get("/review").text)
    assert len(everything) > 100 and "6.2-coreInput-population" in everything
    assert everything[-1] == "6.2-coreInput-population"  # the newest is last: oldest first
    assert alice.get("/review", params={"phase": "x"}).status_code == 400
    mine = alice.get("/me/changes")
    assert mine.status_code == 200 and mine.headers["cache-control"] == "no-store"
    linked = re.findall(r'<a href="/edit/mappings/([^"]+)"', mine.text)
    assert linked[0] == "6.2-coreInput-population"  # newest first
    assert "rob" not in re.findall(r'class="who">([^<]+)<', mine.text)
    assert alice.get("/me/changes", params={"offset": "-1"}).status_code == 400


def test_public_pages_link_to_the_forms_and_stay_cacheable(app: FastAPI) -> None:
    alice = logged_in(app, "alice")
    for path, link in (
        ("/activities/subProcess/5.3", "/edit/propose?activity=5.3"),
        ("/def/gsim/InstanceVariable", "/edit/propose?class=InstanceVariable"),
        ("/mappings/informationMapping/5.3-coreInput-instanceVariable", M + "5.3-coreInput-instanceVariable"),
    ):
        page = alice.get(path)
        assert page.status_code == 200 and link in page.text
        assert "etag" in page.headers and "csrf_token" not in page.text and "user-name" not in page.text


def test_editing_strings_are_complete_in_every_language() -> None:
    english = set(BY_LANG["en"])
    for lang, table in BY_LANG.items():
        assert set(table) == english, lang
