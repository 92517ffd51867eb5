"""`pip install .` gives a service that no longer needs the checkout: the Turtle content ships inside the wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT
from modernstats_kg.content import content_files


@pytest.mark.slow
def test_wheel_carries_the_content_and_serves_it_without_the_checkout(tmp_path: Path) -> None:
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(PROJECT_ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if build.returncode != 0 and "hatchling" in build.stderr:
        build = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(PROJECT_ROOT)],
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert build.returncode == 0, build.stderr
    wheel = next(tmp_path.glob("modernstats_kg-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"modernstats_kg/_content/{p.parent.name}/{p.name}" for p in content_files(PROJECT_ROOT)}
    assert expected <= names

    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # Run from another folder with only the unpacked wheel first on the path (dependencies from this environment).
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.path.insert(0, sys.argv[1]);"
            "from modernstats_kg.content import default_content_root, content_files;"
            "from modernstats_kg.loader import load_content; from modernstats_kg.store import EmbeddedStore;"
            "root = default_content_root(); s = EmbeddedStore(); o = load_content(s);"
            "print(root); print(o.graphs, o.triples)",
            str(target),
        ],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        timeout=120,
    )
    assert probe.returncode == 0, probe.stderr
    root_line, counts = probe.stdout.strip().splitlines()
    assert root_line.startswith(str(target)), "the content comes from inside the installed package"
    graphs, triples = map(int, counts.split())
    assert graphs == len(content_files(PROJECT_ROOT)) and triples > 0
