"""Contract tests for the README: the two opening commands, every setting and every command documented."""

from __future__ import annotations

import dataclasses

import pytest

from conftest import PROJECT_ROOT
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


@pytest.mark.parametrize("field", [f.name for f in dataclasses.fields(Settings)])
def test_every_setting_is_documented(field: str) -> None:
    assert f"`MSKG_{field.upper()}`" in README


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_is_documented(command: str) -> None:
    assert f"`mskg {command}" in README
