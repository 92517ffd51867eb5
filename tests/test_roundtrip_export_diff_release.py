"""Back to the files (`mskg export`), diffs (`mskg diff`), releases (`mskg release create`), over the real content."""

from __future__ import annotations

import json
import shutil
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import PROJECT_ROOT
from modernstats_kg.canonical import format_turtle
from modernstats_kg.content import CONTENT_FOLDERS
from modernstats_kg.loader import load_content
from modernstats_kg.roundtrip.commands import export_store, export_turtle
from modernstats_kg.roundtrip.diff import compare
from modernstats_kg.roundtrip.releases import ReleaseError, create_release, list_releases
from modernstats_kg.roundtrip.snapshot import folder_version, from_folder, from_store
from modernstats_kg.store import ChangeSet, EmbeddedStore
from test_cli import assert_clean_failure, mskg

IM = "http://id.unece.org/mappings/informationMapping/"
MAP = "http://id.unece.org/def/mapping#"
GRAPH = ox.NamedNode("http://id.unece.org/mappings/gsimGsbpm")
EDITED = ox.NamedNode(IM + "5.3-coreInput-instanceVariable")
REMOVED = ox.NamedNode(IM + "5.3-coreInput-dataSet")
ADDED = ox.NamedNode(IM + "5.3-coreInput-unitType")
JUSTIFICATION = ox.NamedNode(MAP + "justification")
NEW_TEXT = 'Revised: "=SUM(A1)" is text, and so is ünïcödé.'


@dataclass
class Setup:
    content: Path  # the real content in canonical form
    store_dir: Path  # a store loaded from it, then edited
    before: Path  # the export of the unedited store
    after: Path  # the export of the edited store


def _edit(store: EmbeddedStore) -> None:
    quads = [q for q in store._store.quads_for_pattern(None, None, None, GRAPH)]
    old = [q for q in quads if q.subject == EDITED and q.predicate == JUSTIFICATION]
    gone = [q for q in quads if q.subject == REMOVED]
    new = [
        ox.Quad(ADDED, q.predicate, q.object, GRAPH)
        for q in quads
        if q.subject == EDITED and q.predicate != JUSTIFICATION
    ]
    store.apply(
        ChangeSet.of(
            remove=[*old, *gone],
            add=[ox.Quad(EDITED, JUSTIFICATION, ox.Literal(NEW_TEXT, language="en"), GRAPH), *new],
        )
    )


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Setup:
    base = tmp_path_factory.mktemp("roundtrip")
    content = base / "content"
    for folder in CONTENT_FOLDERS:
        (content / folder).mkdir(parents=True)
        for path in (PROJECT_ROOT / folder).glob("*.ttl"):
            (content / folder / path.name).write_text(format_turtle(path.read_text(encoding="utf-8")), "utf-8")
    store_dir = base / "store"
    store = EmbeddedStore(store_dir)
    load_content(store, root=content)
    export_store(store, base / "before", content)
    _edit(store)
    store.close()
    export_turtle(store_dir, base / "after", content)  # read-only, as the command does
    return Setup(content, store_dir, base / "before", base / "after")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.ttl"))}


def test_export_of_an_unedited_store_gives_back_the_files_and_their_content_version(setup: Setup) -> None:
    assert _files(setup.before) == _files(setup.content)
    assert folder_version(setup.before) == folder_version(setup.content)


def test_export_after_edits_loads_back_with_the_same_version_and_no_pending_changes(
    setup: Setup, tmp_path: Path
) -> None:
    reloaded = EmbeddedStore(tmp_path / "reloaded")
    outcome = load_content(reloaded, root=setup.after)
    assert outcome.version == folder_version(setup.after) == reloaded.version()
    assert compare(from_store(reloaded, setup.content), from_folder(setup.after)).equal
    export_store(reloaded, tmp_path / "again", setup.content)
    assert _files(tmp_path / "again") == _files(setup.after), "exporting the reloaded store changes nothing"
    before = setup.before / "mappings" / "gsim-gsbpm.ttl"
    after = setup.after / "mappings" / "gsim-gsbpm.ttl"
    changed = set(after.read_text("utf-8").splitlines()) ^ set(before.read_text("utf-8").splitlines())
    assert all("5.3" in line or "unitType" in line or line.startswith("    ") for line in changed)
    assert len(changed) < 60, "only the three edited mappings' lines change"


def test_diff_lists_mappings_field_by_field_and_writes_an_rdf_patch(setup: Setup) -> None:
    diff = compare(from_folder(setup.before), from_folder(setup.after))
    assert not diff.equal
    assert diff.added_mappings == [ADDED.value] and diff.removed_mappings == [REMOVED.value]
    [field] = diff.changed_mappings[EDITED.value]
    assert field.predicate == JUSTIFICATION.value and "Revised" in field.added[0] and len(field.removed) == 1
    assert diff.added == [] and diff.removed == [], "every change is inside a mapping"
    patch = diff.as_patch().splitlines()
    assert patch[0] == "TX ." and patch[-1] == "TC ."
    assert any(line.startswith("A <" + ADDED.value) for line in patch)
    assert any(line.startswith("D <" + REMOVED.value) for line in patch)
    text = diff.as_text()
    assert "mappings: 1 added, 1 removed, 1 changed" in text and "map:justification:" in text
    as_json = diff.as_json()
    assert as_json["mappings"]["changed"][0]["fields"][0]["predicate"] == JUSTIFICATION.value


@pytest.mark.slow
def test_mskg_diff_exit_codes_and_formats(setup: Setup) -> None:
    same = mskg("diff", str(setup.before), str(setup.content))
    assert same.returncode == 0 and same.stdout == "no differences\n"
    different = mskg(
        "diff", str(setup.before), str(setup.store_dir), "--format", "json", "--content", str(setup.content)
    )
    assert different.returncode == 1, different.stderr
    assert json.loads(different.stdout)["mappings"]["added"] == [ADDED.value]
    assert_clean_failure(mskg("diff", str(setup.before), "no-such-thing"), 2)


def test_releases_record_version_iris_changes_and_are_never_rewritten(setup: Setup, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    first = create_release(
        data, "2026.1", "First release", from_folder(setup.before), comments_from=setup.content, today="2026-01-15"
    )
    second = create_release(
        data, "2026.2", "Edits of phase 5", from_folder(setup.after), comments_from=setup.content, today="2026-02-15"
    )
    assert [r.name for r in list_releases(data)] == ["2026.2", "2026.1"]
    assert second.previous == "2026.1" and first.previous is None
    assert second.changes["mappings"]["added"] == [ADDED.value]
    assert [c["iri"] for c in second.changes["mappings"]["changed"]] == [EDITED.value]
    released = (data / "releases" / "2026.2" / "content" / "mappings" / "gsim-gsbpm.ttl").read_text("utf-8")
    assert "owl:versionIRI <http://id.unece.org/mappings/gsimGsbpm/release/2026.2>" in released
    assert 'dcterms:issued "2026-02-15"^^xsd:date' in released
    assert released.startswith("# GSIM 2.0 - GSBPM 5.1 information mapping."), "the header survives"
    nq = data / "releases" / "2026.2" / "dataset.nq"
    assert not nq.stat().st_mode & stat.S_IWUSR, "release files are read-only"
    with pytest.raises(ReleaseError, match="never rewritten"):
        create_release(data, "2026.1", "again", from_folder(setup.after), comments_from=setup.content)
    with pytest.raises(ReleaseError, match="release name"):
        create_release(data, "../evil", "x", from_folder(setup.after), comments_from=setup.content)
    assert json.loads((data / "releases" / "2026.1" / "release.json").read_text("utf-8"))["note"] == "First release"

    def make_writable_and_retry(function: Callable[[str], object], path: str, _exc: object) -> None:
        Path(path).chmod(0o700)
        function(path)

    shutil.rmtree(data, onerror=make_writable_and_retry)


@pytest.mark.slow
def test_mskg_release_create_then_diff_two_releases(setup: Setup, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(setup.store_dir, store)
    made = mskg("release", "create", "r1", "--note", "first", "--store", str(store), "--content", str(setup.content))
    assert made.returncode == 0, made.stderr
    assert "release r1" in made.stdout and "since the start" in made.stdout
    again = mskg("release", "create", "r1", "--note", "again", "--store", str(store), "--content", str(setup.content))
    assert_clean_failure(again, 1)
    compared = mskg("diff", "r1", str(setup.before), "--store", str(store))
    assert compared.returncode == 1 and "1 removed" in compared.stdout
