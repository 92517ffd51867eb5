"""The mappings as spreadsheets both ways, over a real on-disk store with the real content: CSV and XLSX exports
(formula cells stay text, drop-downs, frozen header), the import's checks (row, column, message; nothing written
when a row fails), one gate batch attributed to the importer, the dry run, the browser's export links and upload
page (editor role, CSRF, size cap, no caching), and the export-import round trip as a hypothesis property."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from modernstats_kg.app import create_app
from modernstats_kg.catalog import Catalog
from modernstats_kg.catalog.mapping_matrix import MatrixFilters
from modernstats_kg.editing.accounts import AccountStore, Role
from modernstats_kg.editing.history import history_page
from modernstats_kg.editing.mappings import MAPPING_BASE, read_mapping
from modernstats_kg.editing.sessions import CSRF_FIELD, SESSION_COOKIE, start_session
from modernstats_kg.roundtrip.sheet_files import SheetError, read_sheet, write_csv, write_xlsx
from modernstats_kg.roundtrip.sheet_import import ImportPlan, ImportRefused, apply_import, check_sheet, preview
from modernstats_kg.roundtrip.sheets import COLUMNS, SheetRow, Vocabulary, csv_text, sheet_rows, vocabulary
from modernstats_kg.settings import Settings
from modernstats_kg.store import Store

pytestmark = pytest.mark.slow

EDITED = "5.3-coreInput-instanceVariable"


@dataclass
class Service:
    app: FastAPI
    store: Store
    folder: Path

    def catalog(self) -> Catalog:
        return Catalog(self.store, self.store.revision())

    def plan(self, data: bytes, name: str, user: str = "alice") -> ImportPlan:
        return check_sheet(self.store, self.catalog(), read_sheet(data, name), importer=user, comment="test import")

    def rows(self, filters: MatrixFilters | None = None) -> list[SheetRow]:
        return sheet_rows(self.catalog(), filters)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    folder = tmp_path_factory.mktemp("sheets-store")
    accounts = AccountStore.in_folder(folder)
    accounts.add_user("alice", Role.EDITOR, "alice's long password")
    accounts.add_user("val", Role.EDITOR, "val's long password!")
    accounts.close()
    app = create_app(Settings(store=str(folder), import_max_bytes=200_000))
    yield Service(app, app.state.service.store, folder)
    app.state.service.store.close()


def csv_of(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode()


def row_of(service: Service, mapping: str) -> list[str]:
    return list(next(r for r in service.rows() if r.id == mapping).cells())


# --- writing ------------------------------------------------------------------------------------------------------


def test_csv_cells_that_would_run_as_formulas_are_escaped_and_read_back_exactly() -> None:
    hostile = ["=1+1", "+SUM(A1)", "-2", "@cmd", "\tx", "'quoted", "plain"]
    text = csv_text(["h"], [[v] for v in hostile])
    lines = list(csv.reader(io.StringIO(text)))
    assert [line[0] for line in lines[1:]] == ["'=1+1", "'+SUM(A1)", "'-2", "'@cmd", "'\tx", "''quoted", "plain"]
    assert [cells[0] for _, cells in read_sheet(text.encode()).rows] == hostile


def test_the_xlsx_has_a_frozen_header_fitting_widths_drop_downs_and_no_formula(service: Service) -> None:
    rows = service.rows(MatrixFilters(phases=frozenset({"5"})))
    hostile = replace(rows[0], justification='=HYPERLINK("http://example.org","x")')
    data = write_xlsx([hostile, *rows[1:]], vocabulary(service.catalog()))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "HYPERLINK" in sheet_xml  # stored as text, never as a formula
    book = load_workbook(io.BytesIO(data))
    sheet, lists = book["mappings"], book["lists"]
    assert sheet.freeze_panes == "A2" and lists.sheet_state == "hidden"
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    assert sheet.cell(2, COLUMNS.index("justification") + 1).data_type == "s"
    width = sheet.column_dimensions["H"].width
    assert width is not None and width > 40 and sheet.column_dimensions["A"].width < 12
    validations = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    codes, classes = len(vocabulary(service.catalog()).codes), len(vocabulary(service.catalog()).classes)
    assert codes == 50 and classes > 100
    assert validations == {
        "A2": f"lists!$A$2:$A${codes + 1}",
        "C2": f"lists!$B$2:$B${classes + 1}",
        "E2": "lists!$C$2:$C$7",
        "G2": "lists!$D$2:$D$5",
    }
    assert [lists.cell(i, 3).value for i in range(2, 8)][:2] == ["CoreInput", "ParameterInput"]
    assert "InstanceVariable" in [c.value for c in lists["B"]]
    book.close()
    assert [SheetRow.of(c) for _, c in read_sheet(data, "x.xlsx").rows] == [hostile, *rows[1:]]


# --- checking and importing ---------------------------------------------------------------------------------------


def test_every_problem_is_reported_with_row_column_and_message_and_nothing_is_written(service: Service) -> None:
    good = row_of(service, EDITED)
    rows = [
        list(COLUMNS),
        [*good[:7], "changed but the sheet fails", *good[8:]],  # row 2: fine on its own
        ["9.9", "", "InstanceVariable", "", "CoreInput", "", "", "x", "", "", ""],  # unknown code
        ["5.3", "", "NoSuchClass", "", "CoreInput", "", "", "x", "", "", ""],  # unknown class
        ["5.3", "", "Population", "", "Input", "", "", "x", "", "", ""],  # unknown role
        ["5.3", "", "Population", "", "CoreInput", "", "approved", "x", "", "", ""],  # unknown status
        ["5.3", "", "Population", "", "CoreInput", "", "", "x", "", "", "5.3-coreInput-noSuchThing"],  # unknown id
        good,  # row 8: the same mapping as row 2
        [*row_of(service, "5.2-coreInput-dataSet")[:2], "Population", *row_of(service, "5.2-coreInput-dataSet")[3:]],
    ]
    before = service.store.revision()
    plan = service.plan(csv_of(rows), "bad.csv")
    found = {(p.row, p.column) for p in plan.problems}
    assert found == {(3, "code"), (4, "class"), (5, "role"), (6, "status"), (7, "id"), (8, "id"), (9, "class")}
    messages = " ".join(p.message for p in plan.problems)
    assert "unknown sub-process code '9.9'" in messages and "unknown GSIM class 'NoSuchClass'" in messages
    assert "the same mapping as row 2" in messages and "no mapping has the id" in messages
    with pytest.raises(ImportRefused) as refused:
        apply_import(service.store, plan)
    assert len(refused.value.problems) == 7
    assert service.store.revision() == before


def test_a_shape_violation_is_reported_on_the_row_that_causes_it(service: Service) -> None:
    rows = [
        list(COLUMNS),
        row_of(service, EDITED),
        ["5.4", "", "InformationSet", "", "CoreInput", "", "", "x", "", "", ""],
    ]
    plan = preview(service.store, service.plan(csv_of(rows), "abstract.csv"))
    assert [(p.row, p.message.split(":")[0]) for p in plan.problems] == [(3, "no abstract class")]


def test_an_import_is_one_batch_attributed_to_the_importer_and_its_dry_run_writes_nothing(service: Service) -> None:
    edited = row_of(service, EDITED)
    edited[COLUMNS.index("justification")] = "Imported: the variables are what the derivation works on, row by row."
    new = ["5.4", "", "Population", "", "CoreInput", "", "", "Imputation draws on the population.", "", "", ""]
    data = csv_of([list(COLUMNS), edited, new])
    before = service.store.revision()
    dry = preview(service.store, service.plan(data, "team.csv"))
    assert not dry.problems and service.store.revision() == before
    assert [(c.id, c.kind, [f.field for f in c.fields]) for c in dry.changes] == [
        (EDITED, "change", ["justification"]),
        ("5.4-coreInput-population", "add", ["code", "class", "role", "status", "justification"]),
    ]
    assert "1 mappings added, 1 changed, 0 rows unchanged" in dry.diff_text()
    change = apply_import(service.store, service.plan(data, "team.csv"))
    assert change is not None and service.store.revision() != before
    (record,) = history_page(service.store, limit=1)
    assert (record.action, record.author, record.iri) == ("import", "alice", change)
    assert set(record.targets) == {MAPPING_BASE + EDITED, MAPPING_BASE + "5.4-coreInput-population"}
    assert read_mapping(service.store, "5.4-coreInput-population").authors == ["alice"]
    again = service.plan(write_csv(service.rows()), "export.csv")
    assert not again.problems and not again.changes and apply_import(service.store, again) is None


def test_status_deprecated_withdraws_a_mapping(service: Service) -> None:
    row = row_of(service, "5.4-coreInput-population")
    row[COLUMNS.index("status")] = "deprecated"
    plan = service.plan(csv_of([list(COLUMNS), row]), "withdraw.csv")
    assert [(c.kind, c.fields[0].new) for c in plan.changes] == [("deprecate", "deprecated")]
    apply_import(service.store, plan)
    assert read_mapping(service.store, "5.4-coreInput-population").status == "deprecated"
    assert all(r.id != "5.4-coreInput-population" for r in service.rows())  # out of force: out of the export


# --- the browser --------------------------------------------------------------------------------------------------


def session_client(service: Service, user: str) -> tuple[TestClient, str]:
    accounts = AccountStore.in_folder(service.folder)
    found = next(u for u in accounts.users() if u.name == user)
    session_id, session = start_session(accounts, found)
    accounts.close()
    client = TestClient(service.app)
    client.cookies.set(SESSION_COOKIE, session_id)
    return client, session.csrf_token


def test_export_links_follow_the_matrix_filters(service: Service) -> None:
    client = TestClient(service.app)
    page = client.get("/matrix?phase=5&role=CoreInput&lang=en").text
    assert 'href="/mappings/export.xlsx?phase=5&amp;role=CoreInput"' in page
    answer = client.get("/mappings/export.csv?phase=5&role=CoreInput")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert rows and {r["role"] for r in rows} == {"CoreInput"} and {r["code"][0] for r in rows} == {"5"}
    xlsx = client.get("/mappings/export.xlsx?phase=5&role=CoreInput")
    assert xlsx.content.startswith(b"PK") and len(read_sheet(xlsx.content).rows) == len(rows)
    assert client.get("/mappings/export.csv?status=%3Cscript%3E").status_code == 400


def test_the_upload_page_imports_for_an_editor_with_csrf_and_is_never_cached(service: Service) -> None:
    anonymous = TestClient(service.app)
    assert "/login?next=/import" in anonymous.get("/import").text
    data = write_csv(service.rows(MatrixFilters(phases=frozenset({"6"}))))
    files = {"file": ("sheet.csv", data, "text/csv")}
    assert anonymous.post("/import", files=files, data={"dry_run": "1"}).status_code == 401
    client, token = session_client(service, "val")
    page = client.get("/import")
    assert page.headers["cache-control"] == "no-store" and token in page.text and "etag" not in page.headers
    assert client.post("/import", files=files, data={"dry_run": "1"}).status_code == 403  # no CSRF token
    done = client.post("/import", files=files, data={"dry_run": "1", CSRF_FIELD: token})
    assert done.status_code == 200 and 'id="import-outcome"' in done.text and "Nothing was written" in done.text
    bad = write_csv([replace(service.rows()[0], cls="NoSuchClass")])
    refused = client.post("/import", files={"file": ("s.csv", bad, "text/csv")}, data={CSRF_FIELD: token})
    assert refused.status_code == 422 and "NoSuchClass" in refused.text and "<td>2</td>" in refused.text
    junk = client.post("/import", files={"file": ("s.xlsx", b"\x00\x01" * 100, "x")}, data={CSRF_FIELD: token})
    assert junk.status_code == 400
    big = client.post("/import", files={"file": ("s.csv", b"a," * 150_000, "text/csv")}, data={CSRF_FIELD: token})
    assert big.status_code == 413


# --- the round trip as a property ----------------------------------------------------------------------------------

TRICKY = st.text(
    alphabet=st.characters(exclude_categories=("Cs", "Cc"), include_characters="\n\"',;"), min_size=1, max_size=40
)
CELL = st.tuples(st.sampled_from(["", "=", "+", "-", "@", "'", '"', " "]), TRICKY).map("".join)
# line ends as people type them: the store keeps `\n` (XML and spreadsheet programs do not keep `\r`); a letter
# somewhere, as the shapes ask of a justification
JUSTIFICATION = st.tuples(CELL, st.sampled_from(["", "\r\n", "\r", "\n"]), st.just("x"), TRICKY).map("".join)


@settings(max_examples=60, deadline=None)
@given(cells=st.lists(st.lists(CELL, min_size=len(COLUMNS), max_size=len(COLUMNS)), min_size=1, max_size=5))
def test_any_rows_survive_csv_and_xlsx(cells: list[list[str]]) -> None:
    rows = [SheetRow.of(c) for c in cells]
    words = vocabulary_stub()
    for data, name in ((write_csv(rows), "x.csv"), (write_xlsx(rows, words), "x.xlsx")):
        back = [SheetRow.of(c) for _, c in read_sheet(data, name).rows]
        assert back == [r for r in rows if any(v.strip() for v in r.cells())]


def vocabulary_stub() -> Vocabulary:
    return Vocabulary(codes=("5.3",), names={"5.3": "x"}, classes=("InstanceVariable",))


UPDATABLE = ["5.3-coreInput-instanceVariable", "5.2-coreInput-instanceVariable", "5.2-coreInput-dataSet"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    texts=st.lists(JUSTIFICATION, min_size=len(UPDATABLE), max_size=len(UPDATABLE)),
    kind=st.sampled_from(["csv", "xlsx"]),
)
def test_export_then_import_gives_back_the_same_mappings(service: Service, texts: list[str], kind: str) -> None:
    present = {r.id: r for r in service.rows()}
    targets = [m for m in UPDATABLE if m in present]
    assert len(targets) == len(UPDATABLE)
    edited = [replace(present[m], justification=t) for m, t in zip(targets, texts, strict=False)]
    sheet = write_csv(edited) if kind == "csv" else write_xlsx(edited, vocabulary(service.catalog()))
    apply_import(service.store, service.plan(sheet, f"in.{kind}"))
    for mapping, text in zip(targets, texts, strict=False):
        expected = text.replace("\r\n", "\n").replace("\r", "\n").strip()
        assert read_mapping(service.store, mapping).to_json()["justification"] == expected
    exported = service.rows()
    data = write_csv(exported) if kind == "csv" else write_xlsx(exported, vocabulary(service.catalog()))
    assert [SheetRow.of(c) for _, c in read_sheet(data, f"out.{kind}").rows] == exported
    before = service.store.revision()
    plan = service.plan(data, f"out.{kind}")
    assert not plan.problems and not plan.changes
    assert apply_import(service.store, plan) is None and service.store.revision() == before


def test_unreadable_files_are_refused_in_one_line() -> None:
    with pytest.raises(SheetError, match="neither CSV"):
        read_sheet(b"\x89PNG\r\n\x1a\n\x00\x00", "pic.png")
    with pytest.raises(SheetError, match="not an XLSX"):
        read_sheet(b"PK\x03\x04broken", "x.xlsx")
    with pytest.raises(SheetError, match="UTF-8"):
        read_sheet("code\nçé".encode("latin-1"), "x.csv")
    with pytest.raises(SheetError, match=r"row 1: more than \d+ columns"):
        read_sheet(b"a," * 100_000)
