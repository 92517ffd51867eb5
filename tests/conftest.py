"""Shared fixtures: project paths, the reference data beside the checkout, CI strictness."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
MAPPINGS_DIR = PROJECT_ROOT / "mappings"
SHAPES_DIR = PROJECT_ROOT / "shapes"
REFERENCE_DIR = Path(os.environ.get("MSKG_REFERENCE_DIR", PROJECT_ROOT.parent / "shared" / "reference"))


def in_ci() -> bool:
    """True when running under `.ci/run` (which sets CI=true): missing prerequisites fail instead of skipping."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(condition: bool, reason: str) -> None:
    """Skip on a developer machine, fail in CI, when a prerequisite is missing."""
    if condition:
        return
    if in_ci():
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """The official reference data (../shared/reference), read in place."""
    require(REFERENCE_DIR.is_dir(), f"reference data not found at {REFERENCE_DIR} (set MSKG_REFERENCE_DIR)")
    return REFERENCE_DIR
