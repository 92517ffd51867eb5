"""`mskg import` on hostile files: a non-spreadsheet, a zip bomb posing as XLSX, a 100,000-column row, huge cells.
Each run is a real `mskg` process under an address-space cap and a wall-clock timeout; each is refused with exit 2
and one line saying what and where, before the store is even opened."""

from __future__ import annotations

import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from modernstats_kg.editing.accounts import AccountStore, Role
from modernstats_kg.roundtrip.sheets import COLUMNS

pytestmark = pytest.mark.slow

MSKG = str(Path(sys.executable).parent / "mskg")
MEMORY = 1024**3


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile-sheets")
    accounts = AccountStore.in_folder(folder)
    accounts.add_user("alice", Role.EDITOR, "alice's long password")
    accounts.close()
    return folder


def run_import(store: Path, sheet: Path) -> subprocess.CompletedProcess[str]:
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    return subprocess.run(
        [MSKG, "import", str(sheet), "--store", str(store), "--user", "alice", "--dry-run"],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=cap,
    )


def refused(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def test_a_picture_is_no_spreadsheet(store_dir: Path, tmp_path: Path) -> None:
    picture = tmp_path / "photo.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 100)
    assert "neither CSV (text) nor XLSX" in refused(run_import(store_dir, picture))
    fake = tmp_path / "sheet.xlsx"
    fake.write_text("code,class\n5.3,InstanceVariable\n")
    assert "not an XLSX file" in refused(run_import(store_dir, fake))


def test_a_zip_bomb_is_refused_unread(store_dir: Path, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            block = b"<row>" + b" " * (1024 * 1024)
            for _ in range(1024):  # 1 GiB unpacked, about 1 MiB packed
                part.write(block)
    assert bomb.stat().st_size < 4 * 1024 * 1024
    line = refused(run_import(store_dir, bomb))
    assert "unpacks to more than" in line and "refused unread" in line


def test_a_row_of_100000_columns_is_refused(store_dir: Path, tmp_path: Path) -> None:
    wide_csv = tmp_path / "wide.csv"
    wide_csv.write_text(",".join(COLUMNS) + "\n" + ",".join(["5.3"] * 100_000) + "\n")
    assert "row 2: more than 40 columns" in refused(run_import(store_dir, wide_csv))
    # XLSX stops at 16,384 columns: write the row's XML by hand into a workbook openpyxl made
    template = tmp_path / "template.xlsx"
    book = Workbook()
    assert book.active is not None
    book.active.append(list(COLUMNS))
    book.save(template)
    cells = '<c t="inlineStr"><is><t>x</t></is></c>' * 100_000
    wide_xlsx = tmp_path / "wide.xlsx"
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(wide_xlsx, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</row></sheetData>", f"</row><row>{cells}</row></sheetData>".encode())
            target.writestr(item.filename, data, compress_type=zipfile.ZIP_STORED)  # packed, it reads as a bomb
    assert "row 2: more than 40 columns" in refused(run_import(store_dir, wide_xlsx))


def test_huge_cells_are_refused(store_dir: Path, tmp_path: Path) -> None:
    huge_csv = tmp_path / "huge.csv"
    huge_csv.write_text(",".join(COLUMNS) + '\n5.3,"' + "x" * 20_000_000 + '"\n')
    assert "row 2" in refused(run_import(store_dir, huge_csv))
    book = Workbook(write_only=True)
    sheet = book.create_sheet("mappings")
    sheet.append(list(COLUMNS))
    sheet.append(["5.3", "", "InstanceVariable", "", "CoreInput", "", "", "y" * 30_000])
    huge_xlsx = tmp_path / "huge.xlsx"
    book.save(huge_xlsx)
    assert "row 2, column 8: a cell longer than" in refused(run_import(store_dir, huge_xlsx))


def test_export_and_import_from_the_command_line(store_dir: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "phase5.csv"
    export = subprocess.run(
        [
            MSKG,
            "export",
            "--store",
            str(store_dir),
            "--format",
            "csv",
            "--phase",
            "5",
            "--role",
            "CoreInput",
            "--out",
            sheet,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert export.returncode == 0 and export.stdout.startswith("wrote "), export.stderr
    lines = sheet.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(COLUMNS) and all(line.startswith("5.") for line in lines[1:])
    unchanged = run_import(store_dir, sheet)
    assert unchanged.returncode == 0 and "0 mappings added, 0 changed" in unchanged.stdout, unchanged.stderr
    broken = tmp_path / "broken.csv"
    broken.write_text("\n".join([*lines[:2], lines[2].replace(",CoreInput,", ",CoreInputs,")]) + "\n", encoding="utf-8")
    result = run_import(store_dir, broken)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{broken}: row 3, role: unknown role 'CoreInputs': one of CoreInput, ParameterInput, ProcessSupportInput, "
        "CoreOutput, ProcessMetric, ProcessExecutionLog",
        f"{broken}: 1 problems, nothing written",
    ]
    assert "Turtle" in subprocess.run([MSKG, "export", "--help"], capture_output=True, text=True, timeout=60).stdout
