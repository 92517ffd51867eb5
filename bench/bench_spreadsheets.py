"""Spreadsheet import timings: a 5,000-row sheet of mappings (the 416 of the real content, some with a reworded
justification, and new mappings up to 5,000 rows) read, checked, dry-run (the batch built and checked against the
shapes) and applied through the gate as one batch, as CSV and as XLSX, against a peer measured in the same run: the
same file parsed raw (`csv.reader`; openpyxl read-only iteration), and the export of the store as a sheet.

In process, on an on-disk store holding the real content; one run each (apply writes). Writes
`bench/results/spreadsheets.json`.

    .venv/bin/python bench/bench_spreadsheets.py [--rows 5000]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "service"))
from modernstats_kg.catalog import Catalog  # noqa: E402
from modernstats_kg.editing.mappings import list_mappings, mapping_id  # noqa: E402
from modernstats_kg.loader import load_content  # noqa: E402
from modernstats_kg.roundtrip.sheet_files import read_sheet, write_csv, write_xlsx  # noqa: E402
from modernstats_kg.roundtrip.sheet_import import apply_import, check_sheet, preview  # noqa: E402
from modernstats_kg.roundtrip.sheets import SheetRow, sheet_rows, vocabulary  # noqa: E402
from modernstats_kg.store import EmbeddedStore  # noqa: E402

T = TypeVar("T")


def timed(action: Callable[[], T], what: str = "") -> tuple[T, float]:
    start = time.perf_counter()
    value = action()
    seconds = round(time.perf_counter() - start, 3)
    if what:
        print(f"{what}: {seconds} s", file=sys.stderr, flush=True)
    return value, seconds


def sheet(store: EmbeddedStore, cat: Catalog, size: int) -> list[SheetRow]:
    """The content's rows (every tenth reworded) and new rows of classes already used in that role and phase."""
    rows = sheet_rows(cat)
    taken = set(list_mappings(store))  # withdrawn ones too: their ids stay taken
    edited = [
        replace(r, justification=r.justification + " (reworded)") if i % 10 == 0 else r for i, r in enumerate(rows)
    ]
    names = vocabulary(cat).names
    for role, direction, cls, code in _new_pairs(rows, vocabulary(cat).codes):
        if len(edited) >= size:
            break
        if mapping_id(code, role, cls) not in taken:
            taken.add(mapping_id(code, role, cls))
            justification = f"Bench row: {cls} as {role} of {code}."
            edited.append(SheetRow(code, names[code], cls, "", role, direction, "", justification, "", "", ""))
    return edited


def _new_pairs(rows: list[SheetRow], codes: Sequence[str]) -> list[tuple[str, str, str, str]]:
    """(role, direction, class, code) of new mappings the role rules accept: first a class already used in this role
    in the same phase (or any phase, for the overarching activities), then any class as a core output."""
    pairs = []
    for role, direction in sorted({(r.role, r.direction) for r in rows if r.role and r.direction}):
        used = {(r.code.split(".")[0], r.cls) for r in rows if r.role == role and not r.qualifier}
        for code in codes:
            phase = code.split(".")[0]
            pairs += [(role, direction, c, code) for c in sorted({c for p, c in used if p == phase or phase == "0"})]
    every_class = sorted({r.cls for r in rows if not r.qualifier})
    pairs += [("CoreOutput", "output", c, code) for code in codes for c in every_class]
    return pairs


def raw_csv(data: bytes) -> int:
    return sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def raw_xlsx(data: bytes) -> int:
    book = load_workbook(io.BytesIO(data), read_only=True)
    try:
        return sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()


def measure(store: EmbeddedStore, kind: str, data: bytes, results: dict[str, object]) -> None:
    """Raw parse (the peer), read, check and dry run of one file, each kept in `results[kind]` as it ends."""
    entry: dict[str, object] = {"bytes": len(data)}
    results[kind] = entry
    _, raw_s = timed(lambda: raw_csv(data) if kind == "csv" else raw_xlsx(data), f"{kind} raw parse")
    table, read_s = timed(lambda: read_sheet(data, f"bench.{kind}"), f"{kind} read")
    entry.update(raw_parse_s=raw_s, read_s=read_s, read_vs_raw_parse=round(read_s / max(raw_s, 1e-6), 1))
    plan, entry["check_s"] = timed(
        lambda: check_sheet(store, Catalog(store), table, importer="bench", comment="bench"), f"{kind} check"
    )
    save(results)
    dry, entry["dry_run_s"] = timed(lambda: preview(store, plan), f"{kind} dry run")
    assert not dry.problems, dry.problems[:3]
    entry["changes"] = len(dry.changes)
    save(results)


def save(results: dict[str, object]) -> None:
    """Written after every step, so that a long run keeps what it measured."""
    out = ROOT / "bench" / "results" / "spreadsheets.json"
    out.write_text(json.dumps(results, indent=2) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args(argv)
    results: dict[str, object] = {"rows": args.rows, "python": platform.python_version()}
    with tempfile.TemporaryDirectory() as work:
        store = EmbeddedStore(Path(work) / "store")
        load_content(store)
        cat = Catalog(store, store.revision())
        rows = sheet(store, cat, args.rows)
        assert len(rows) == args.rows, len(rows)
        files = {"csv": write_csv(rows), "xlsx": write_xlsx(rows, vocabulary(cat))}
        _, results["export_xlsx_s"] = timed(lambda: write_xlsx(sheet_rows(cat), vocabulary(cat)), "export xlsx")
        for kind in ("xlsx", "csv"):  # the CSV last: its plan is then applied
            measure(store, kind, files[kind], results)
        plan = check_sheet(
            store, Catalog(store), read_sheet(files["csv"], "bench.csv"), importer="bench", comment="bench"
        )
        change, results["apply_csv_s"] = timed(lambda: apply_import(store, plan), "csv apply")
        assert change is not None
        store.close()
    save(results)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
