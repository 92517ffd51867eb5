"""Contract tests for the README: the two opening commands, every setting and every command documented."""

from __future__ import annotations

import re

import httpx
import pytest

from conftest import PROJECT_ROOT, LiveServer
from modernstats_kg.cli import main
from modernstats_kg.settings import Settings

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_run_and_test_commands_that_ci_uses() -> None:
    lines = README.splitlines()
    assert lines[0] == "```"
    assert lines[1].startswith("./dev run ") and lines[2].startswith("./dev test ")
    assert lines[3] == "```"
    ci = (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "./dev test" in ci


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_every_setting_is_documented(field: str) -> None:
    assert f"`MSKG_{field.upper()}`" in README


def test_every_documented_setting_exists() -> None:
    documented = set(re.findall(r"^\| `MSKG_([A-Z_]+)` \|", README, flags=re.MULTILINE))
    assert documented == {name.upper() for name in Settings.model_fields}


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_is_documented(command: str) -> None:
    assert f"`mskg {command}" in README


README_QUERIES = re.findall(r"--data-urlencode query='\n(.*?)'\n", README, flags=re.DOTALL)


def test_readme_has_three_example_queries() -> None:
    assert len(README_QUERIES) >= 3


@pytest.mark.parametrize("query", README_QUERIES, ids=[f"example-{i}" for i in range(len(README_QUERIES))])
def test_readme_example_queries_answer_rows_over_http(live_server: LiveServer, query: str) -> None:
    response = httpx.get(
        f"{live_server.url}/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"], "the example answers at least one row"
