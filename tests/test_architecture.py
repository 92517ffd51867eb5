"""The layout keeps its shape: import-linter contracts hold (and catch a leak), no import cycles, small modules, the
read model never writes, imports inside functions only with a stated reason."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

from conftest import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "service" / "modernstats_kg"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
MAX_LINES = 450  # "about 400": a module past this is split
STORE_WRITES = {"update", "apply", "replace_graphs", "load_files", "set_version", "bulk_load", "extend", "remove"}


def _lint_imports(root: Path, package_parent: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=root,
        env={"PYTHONPATH": str(package_parent), "PATH": "/usr/bin:/bin"},
        timeout=300,
    )


@pytest.mark.slow
def test_the_import_contracts_are_kept() -> None:
    result = _lint_imports(PROJECT_ROOT, PACKAGE.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    ("module", "leak", "contract"),
    [
        ("store/base.py", "from ..web import home", "The store knows no HTTP"),
        ("web/home.py", "from ..api import deps", "do not import each other"),
        ("validation/report.py", "import fastapi", "know no pages"),
        ("catalog/core.py", "from .. import loader", "only reads"),
    ],
)
def test_a_deliberate_leak_breaks_its_contract(tmp_path: Path, module: str, leak: str, contract: str) -> None:
    scratch = tmp_path / "service"
    shutil.copytree(PACKAGE, scratch / "modernstats_kg", ignore=shutil.ignore_patterns("__pycache__", "static"))
    shutil.copy(PROJECT_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = scratch / "modernstats_kg" / module
    source = target.read_text(encoding="utf-8")
    future = "from __future__ import annotations\n"
    target.write_text(source.replace(future, future + leak + "  # noqa\n", 1), encoding="utf-8")
    result = _lint_imports(tmp_path, scratch)
    assert result.returncode != 0
    broken = [line for line in result.stdout.splitlines() if line.endswith("BROKEN")]
    assert any(contract in line for line in broken) or contract in result.stdout.split("Broken contracts")[-1]


def test_no_module_imports_itself_back_through_others() -> None:
    graph = grimp.build_graph("modernstats_kg")
    cycles = sorted(
        (importer, imported)
        for importer in graph.modules
        for imported in graph.find_modules_directly_imported_by(importer)
        if graph.chain_exists(importer=imported, imported=importer)
    )
    assert not cycles, cycles


def _python_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("path", _python_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_stay_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE)} has {lines} lines: split it by job"


def test_the_read_model_never_writes_to_the_store() -> None:
    for path in sorted((PACKAGE / "catalog").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner = ast.unparse(node.func.value)
                if "store" in owner:
                    assert node.func.attr not in STORE_WRITES, f"{path.name}: {ast.unparse(node)}"


def test_imports_inside_functions_say_why() -> None:
    """An import inside a function is allowed for a stated reason (an optional dependency, a slow import on a cold
    path): a comment on its line or the line before."""
    unexplained = []
    for path in _python_files():
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    here, before = lines[inner.lineno - 1], lines[inner.lineno - 2]
                    if "#" not in here and not before.strip().startswith("#"):
                        unexplained.append(f"{path.relative_to(PACKAGE)}:{inner.lineno}: {here.strip()}")
    assert not unexplained, unexplained
