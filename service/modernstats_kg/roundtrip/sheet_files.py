"""Spreadsheet files: the mapping rows written as CSV or XLSX, and any CSV or XLSX read back as rows of strings.

Reading is bounded before anything is parsed: the file size (the caller's cap), for XLSX the unpacked size and the
packing ratio of every part (a zip bomb is refused unread), the number of columns, rows and characters per cell.
Line ends inside cells are read as `\\n` (XML and spreadsheet programs do not keep `\\r`).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .sheets import COLUMNS, SheetRow, Vocabulary, csv_text, unescape_cell

__all__ = ["SheetError", "SheetTable", "read_sheet", "sheet_kind", "write_csv", "write_xlsx"]

MAX_COLUMNS = 40
MAX_ROWS = 100_000
MAX_CELL = 20_000  # characters
MAX_UNPACKED = 64 * 1024 * 1024  # bytes of all XLSX parts together, unpacked
MAX_RATIO = 200  # unpacked / packed size of one part: far above what real sheets reach
MAX_WIDTH = 80
VALIDATED_ROWS = 5000  # rows below the data that keep their drop-downs, for rows a team adds
LIST_SHEET = "lists"
XLSX_MAGIC = b"PK\x03\x04"


class SheetError(ValueError):
    """The file is no spreadsheet this service reads, or exceeds a limit: one line saying what and where."""


@dataclass(frozen=True)
class SheetTable:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (row number in the sheet, the header row being 1; cells)


def write_csv(rows: Sequence[SheetRow]) -> bytes:
    return csv_text(COLUMNS, (row.cells() for row in rows)).encode("utf-8")


def _as_text(cell: object) -> None:
    """Keep a cell a string: openpyxl would store `=...` as a formula."""
    cell.data_type = "s"  # type: ignore[attr-defined]


def write_xlsx(rows: Sequence[SheetRow], vocabulary: Vocabulary) -> bytes:
    """One sheet `mappings` (frozen bold header, widths that fit, drop-downs) and a hidden sheet of the lists."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "mappings"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(name) for name in COLUMNS]
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row.cells(), start=1):
            cell = sheet.cell(number, column)
            cell.value = value
            _as_text(cell)
            cell.number_format = "@"
            longest = max((len(line) for line in value.split("\n")), default=0)
            widths[column - 1] = max(widths[column - 1], longest)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(width + 2, MAX_WIDTH)
    sheet.freeze_panes = "A2"
    lists = book.create_sheet(LIST_SHEET)
    lists.sheet_state = "hidden"
    last_row = len(rows) + 1 + VALIDATED_ROWS
    for list_column, (column_name, values) in enumerate(
        (
            ("code", vocabulary.codes),
            ("class", vocabulary.classes),
            ("role", vocabulary.roles),
            ("status", vocabulary.statuses),
        ),
        start=1,
    ):
        lists.cell(1, list_column).value = column_name
        for number, value in enumerate(values, start=2):
            lists.cell(number, list_column).value = value
            _as_text(lists.cell(number, list_column))
        letter = get_column_letter(list_column)
        source = f"{LIST_SHEET}!${letter}$2:${letter}${len(values) + 1}"
        validation = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=True)
        validation.error = f"Choose a {column_name} from the list."
        target = get_column_letter(COLUMNS.index(column_name) + 1)
        validation.add(f"{target}2:{target}{last_row}")
        sheet.add_data_validation(validation)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sheet_kind(data: bytes, name: str = "") -> str:
    """`xlsx` or `csv`, by content first (a zip), then by the name; a binary file that is neither is refused."""
    if data.startswith(XLSX_MAGIC):
        return "xlsx"
    if name.lower().endswith((".xlsx", ".xlsm")):
        raise SheetError(f"{name}: not an XLSX file (it is not a zip archive)")
    if b"\x00" in data[:8192]:
        raise SheetError(f"{name or 'the file'}: neither CSV (text) nor XLSX")
    return "csv"


def _normal(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _checked_width(number: int, cells: Sequence[object]) -> None:
    if len(cells) > MAX_COLUMNS and any(c not in (None, "") for c in cells[MAX_COLUMNS:]):
        raise SheetError(f"row {number}: more than {MAX_COLUMNS} columns")


def _checked_cell(number: int, column: int, text: str) -> str:
    if len(text) > MAX_CELL:
        raise SheetError(f"row {number}, column {column}: a cell longer than {MAX_CELL} characters")
    return text


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SheetError(f"not UTF-8 text (byte {exc.start}): save the CSV as UTF-8") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    number = 1
    try:
        for cells in reader:
            _checked_width(number, cells)
            yield (
                number,
                [_checked_cell(number, i, _normal(unescape_cell(c))) for i, c in enumerate(cells[:MAX_COLUMNS], 1)],
            )
            number += 1
    except csv.Error as exc:
        raise SheetError(f"row {number}: unreadable CSV ({exc})") from None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _normal(str(value))


def _checked_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise SheetError(f"not an XLSX file: a broken zip archive ({exc})") from None
    if sum(p.file_size for p in parts) > MAX_UNPACKED:
        raise SheetError(f"the XLSX unpacks to more than {MAX_UNPACKED // (1024 * 1024)} MiB: refused unread")
    for part in parts:
        if part.file_size > 1024 * 1024 and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            raise SheetError(f"the XLSX part {part.filename} is packed {MAX_RATIO}+ times: refused as a zip bomb")


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    _checked_zip(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, XML errors...) for a broken workbook
        raise SheetError(f"not a readable XLSX workbook ({type(exc).__name__})") from None
    try:
        sheet = book["mappings"] if "mappings" in book.sheetnames else book.worksheets[0]
        sheet.reset_dimensions()  # read every row, whatever <dimension> claims
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            _checked_width(number, cells)
            yield number, [_checked_cell(number, i, _cell_text(c)) for i, c in enumerate(cells[:MAX_COLUMNS], 1)]
    finally:
        book.close()


def read_sheet(data: bytes, name: str = "") -> SheetTable:
    """The header and the non-empty rows of a CSV or XLSX file (the sheet `mappings`, or the first one)."""
    rows = _xlsx_rows(data) if sheet_kind(data, name) == "xlsx" else _csv_rows(data)
    header: list[str] | None = None
    body: list[tuple[int, list[str]]] = []
    for number, cells in rows:
        if header is None:
            header = [c.strip().lower() for c in cells]
            while header and not header[-1]:
                header.pop()
            continue
        if not any(c.strip() for c in cells):
            continue
        if len(body) >= MAX_ROWS:
            raise SheetError(f"more than {MAX_ROWS} rows")
        body.append((number, cells))
    if not header:
        raise SheetError("the sheet is empty: its first row names the columns (" + ", ".join(COLUMNS) + ")")
    return SheetTable(header, body)
