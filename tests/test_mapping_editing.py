"""The mapping model (`editing.mappings`, `editing.mapping_changes`): changes built for each operation, sent through
the real gate into a real on-disk store holding the real content."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from modernstats_kg.editing.gate import ChangeRefused, Submission, submit
from modernstats_kg.editing.mapping_changes import Draft, build_create, build_deprecate, build_review, build_update
from modernstats_kg.editing.mappings import MAPPING_BASE, AlreadyExists, list_mappings, mapping_id, read_mapping
from modernstats_kg.errors import Forbidden, NotFound, Unprocessable
from modernstats_kg.loader import load_content
from modernstats_kg.store import ChangeSet, EmbeddedStore, Store

NOW = datetime(2027, 3, 4, 10, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = EmbeddedStore(tmp_path_factory.mktemp("mappings") / "store")
    load_content(store)
    yield store
    store.close()


def send(store: Store, changes: ChangeSet, author: str, action: str, target: str) -> None:
    submit(store, Submission(changes, author=author, comment=f"{action} by {author}", action=action, targets=(target,)))


def test_ids_follow_the_naming_rule_of_the_content() -> None:
    assert mapping_id("5.3", "CoreInput", "InstanceVariable") == "5.3-coreInput-instanceVariable"
    assert mapping_id("4.1", "CoreOutput", "DataSet", "sample") == "4.1-coreOutput-dataSet-sample"
    with pytest.raises(NotFound):
        read_mapping(EmbeddedStore(), "5.3-coreInput-instanceVariable> <x")


def test_a_shipped_mapping_reads_with_its_fields_and_a_stable_etag(store: Store) -> None:
    mapping = read_mapping(store, "5.3-coreInput-instanceVariable")
    data = mapping.to_json()
    assert (data["activity"], data["information_class"], data["role"], data["direction"], data["status"]) == (
        "5.3",
        "InstanceVariable",
        "CoreInput",
        "input",
        "proposed",
    )
    assert data["attributed_to"] == ["http://id.unece.org/organizations/modernStatsKG"] and data["authors"] == []
    assert read_mapping(store, "5.3-coreInput-instanceVariable").etag == mapping.etag
    with pytest.raises(NotFound):
        read_mapping(store, "5.3-coreInput-nothingLikeIt")


def test_create_review_update_and_deprecate_move_the_status_as_the_rules_say(store: Store) -> None:
    draft = Draft("5.4", "Population", "CoreInput", "Imputation needs the population the units belong to.")
    new_id, change = build_create(store, draft, "alice", NOW)
    assert new_id == "5.4-coreInput-population"
    send(store, change, "alice", "create", MAPPING_BASE + new_id)
    created = read_mapping(store, new_id)
    data = created.to_json()
    assert (data["status"], data["authors"], data["created"], data["direction"]) == (
        "proposed",
        ["alice"],
        "2027-03-04",
        "input",
    )
    assert data["label"] == "5.4 Edit and impute: Population as Core Input"
    assert new_id in list_mappings(store, editor="alice", status="proposed", activity="5.4")
    assert new_id not in list_mappings(store, role="CoreOutput")

    with pytest.raises(AlreadyExists):
        build_create(store, draft, "bob", NOW)
    with pytest.raises(Forbidden, match="four eyes"):
        build_review(store, created, "alice", "endorse")

    send(store, build_review(store, created, "rita", "endorse"), "rita", "review", created.iri)
    endorsed = read_mapping(store, new_id)
    assert endorsed.status == "endorsed" and endorsed.etag != created.etag
    with pytest.raises(Unprocessable, match="only a proposed"):
        build_review(store, endorsed, "sam", "reject")

    send(store, build_update(endorsed, "bob", NOW, justification="Reworded."), "bob", "update", endorsed.iri)
    updated = read_mapping(store, new_id)
    assert (updated.status, updated.to_json()["justification"], updated.authors) == (
        "proposed",
        "Reworded.",
        ["alice", "bob"],
    )
    # bob is now the last author: rita may review, bob may not
    with pytest.raises(Forbidden):
        build_review(store, updated, "bob", "reject")
    send(store, build_review(store, updated, "alice", "reject"), "alice", "review", updated.iri)
    assert read_mapping(store, new_id).status == "rejected"
    assert new_id in list_mappings(store, status="rejected")

    rejected = read_mapping(store, new_id)
    send(store, build_deprecate(rejected, "bob", NOW, reason="superseded"), "bob", "deprecate", rejected.iri)
    deprecated = read_mapping(store, new_id)
    assert deprecated.status == "deprecated" and deprecated.to_json()["change_note"] == "Withdrawn: superseded"
    with pytest.raises(Unprocessable, match="deprecated"):
        build_update(deprecated, "bob", NOW, justification="again")


def test_a_draft_the_shapes_refuse_is_refused_by_the_gate(store: Store) -> None:
    draft = Draft("5.4", "InformationSet", "CoreInput", "An abstract class is not a mapping target.")
    new_id, change = build_create(store, draft, "alice", NOW)
    with pytest.raises(ChangeRefused) as refused:
        send(store, change, "alice", "create", MAPPING_BASE + new_id)
    assert {f["rule"] for f in refused.value.report} == {"no abstract class"}
    with pytest.raises(NotFound):
        read_mapping(store, new_id)


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        (Draft("5", "Population", "CoreInput", "x"), "activity"),
        (Draft("5.4", "population", "CoreInput", "x"), "information_class"),
        (Draft("5.4", "Population", "Input", "x"), "role"),
        (Draft("5.4", "Population", "CoreInput", "   "), "justification"),
        (Draft("5.4", "Population", "CoreInput", "x", qualifier="a b"), "qualifier"),
        (Draft("5.4", "Population", "CoreInput", "x", sources=("javascript:alert(1)",)), "sources"),
    ],
)
def test_a_draft_that_cannot_be_named_is_refused_before_anything_is_built(
    store: Store, draft: Draft, field: str
) -> None:
    with pytest.raises(Unprocessable, match=field):
        build_create(store, draft, "alice", NOW)
