"""`mskg tasks import` and `mskg organisations add`, run as real processes over a real on-disk store: a file with a
bad row changes nothing and names every problem by row and column; a good file is one change in the history."""

from __future__ import annotations

from pathlib import Path

import pytest

from modernstats_kg.editing.history import history_page
from modernstats_kg.editing.tasks import list_tasks, read_task
from modernstats_kg.store import EmbeddedStore
from test_cli import mskg

HEADER = "organization,sub-process,code,name,description,language,inputs,outputs\n"
GOOD = (
    HEADER
    + 'xa-stat,5.3,5.3.1,Check value ranges,"Check that each value lies within the valid range of its variable.",en,'
    "InstanceVariable,\n"
    + "xa-stat,5.4,5.4.1,Donor imputation,Fill missing items with values from a similar donor record.,en,,UnitDataSet\n"
)


@pytest.mark.slow
def test_import_is_all_or_nothing_with_rows_and_columns(tmp_path: Path) -> None:
    store = tmp_path / "store"
    for name, role, org in (("ada", "admin", None), ("nina", "editor", "xa-stat")):
        extra = ["--organisation", org] if org else []
        made = mskg(
            "users",
            "add",
            name,
            "--role",
            role,
            *extra,
            "--password-stdin",
            "--store",
            str(store),
            stdin="a long password\n",
        )
        assert made.returncode == 0, made.stderr
    registered = mskg(
        "organisations",
        "add",
        "xa-stat",
        "--kind",
        "nsi",
        "--name",
        "Example Statistics A",
        "--country",
        "XA",
        "--user",
        "ada",
        "--store",
        str(store),
    )
    assert registered.returncode == 0, registered.stderr
    refused = mskg(
        "organisations", "add", "xb", "--kind", "nsi", "--name", "B", "--user", "nina", "--store", str(store)
    )
    assert refused.returncode == 1 and "admin" in refused.stderr

    bad = tmp_path / "bad.csv"
    bad.write_text(
        GOOD
        + "xa-stat,5.3,5.3.x,Broken code,A code that is not one.,en,,\n"
        + "xa-stat,5.3,5.3.3,Unknown class,Takes in what GSIM does not have.,en,NoSuchClass,\n"
        + "xa-stat,5.3,5.3.4,,No name given.,en,,\n",
        encoding="utf-8",
    )
    result = mskg("tasks", "import", str(bad), "--user", "nina", "--store", str(store))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "row 6, column name: empty" in result.stderr, result.stderr
    # a row that can be read but not accepted: reported on its own once the form is right
    bad.write_text(GOOD + "xa-stat,5.3,5.3.x,Broken code,A code that is not one.,en,,\n", encoding="utf-8")
    result = mskg("tasks", "import", str(bad), "--user", "nina", "--store", str(store))
    assert result.returncode == 1 and "row 4, column code" in result.stderr, result.stderr
    bad.write_text(
        GOOD + "xa-stat,5.3,5.4.2,Wrong place,Its code is under another sub-process.,en,,\n", encoding="utf-8"
    )
    result = mskg("tasks", "import", str(bad), "--user", "nina", "--store", str(store))
    assert result.returncode == 1 and "row 4, column code" in result.stderr and "sub-process" in result.stderr, (
        result.stderr
    )

    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    dry = mskg("tasks", "import", str(good), "--dry-run", "--user", "nina", "--store", str(store))
    assert dry.returncode == 0 and "2 tasks would be added" in dry.stderr, dry.stderr
    done = mskg("tasks", "import", str(good), "--user", "nina", "--store", str(store))
    assert done.returncode == 0, done.stderr
    opened = EmbeddedStore(store)
    try:
        assert list_tasks(opened) == ["xa-stat/5.3.1", "xa-stat/5.4.1"]
        task = read_task(opened, "xa-stat/5.4.1")
        assert (task.status, task.authors, task.to_json()["outputs"]) == ("proposed", ["nina"], ["UnitDataSet"])
        # the bad files and the dry run wrote nothing: else the tasks of their good rows would exist already (409)
        records = history_page(opened, actions=("import",))
        assert len(records) == 1 and history_page(opened, target=task.iri) == records
        (record,) = records
        assert record.action == "import" and record.author == "nina" and len(record.targets) == 2
    finally:
        opened.close()
